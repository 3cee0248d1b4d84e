import BertCore
import BertFormats
import BertNameMaps

/// Finds the reader for a path, reads it and builds the validated canonical graph.
public enum ModelLoader {
    /// The canonical graph of the model at `path`; `head` overrides head detection.
    public static func load(_ path: String, head: BertHead? = nil) throws(BertCoreError) -> BertModelGraph {
        guard FileBytes.exists(path) || FileBytes.isDirectory(path) else {
            throw .format(FormatError(path: path, .unreadable(reason: "no such file or directory")))
        }
        guard let reader = Readers.detect(path) else {
            throw .format(FormatError(path: path, .unsupported(
                "no reader recognizes this path (expected safetensors, a TF checkpoint, Keras .h5/.keras, flax msgpack or ONNX)")))
        }
        let source: ModelSource
        do { source = try reader.read(path) } catch { throw .format(error) }
        do {
            return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap), head: head)
        } catch { throw .graph(error) }
    }
}
