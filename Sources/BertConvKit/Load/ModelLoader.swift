import BertCore
import BertFormats
import BertNameMaps
import BertQuant

/// Finds the reader for a path, reads it and builds the validated canonical graph.
public enum ModelLoader {
    /// The canonical graph of the model at `path`; `head` overrides head detection.
    public static func load(_ path: String, head: BertHead? = nil) throws(BertCoreError) -> BertModelGraph {
        guard FileBytes.exists(path) || FileBytes.isDirectory(path) || Readers.detect(path) != nil else {
            throw .format(FormatError(path: path, .unreadable(reason: "no such file or directory")))
        }
        if let pickle = PickleFiles.find(path) { throw .format(FormatError(path: pickle, .pickle)) }
        guard let reader = Readers.detect(path) else {
            throw .format(FormatError(path: path, .unsupported(
                "no reader recognizes this path (expected safetensors, a TF checkpoint, Keras .h5/.keras, flax msgpack or ONNX)")))
        }
        let source: ModelSource
        do { source = try Int8Checkpoint.unpack(reader.read(path)).source } catch { throw .format(error) }
        do {
            return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap), head: head)
        } catch { throw .graph(error) }
    }
}

/// PyTorch's pickle checkpoints, recognized so they are refused with a reason, never read.
enum PickleFiles {
    static let extensions = [".bin", ".pt", ".pth", ".pkl"]
    static let directoryNames = ["pytorch_model.bin", "pytorch_model.bin.index.json"]

    /// The pickle at `path`, or the one a directory offers when no reader recognizes anything else there.
    static func find(_ path: String) -> String? {
        if FileBytes.isDirectory(path) {
            guard Readers.detect(path) == nil else { return nil }
            return directoryNames.map { ModelFolder.join(path, $0) }.first(where: FileBytes.exists)
        }
        return extensions.contains(where: path.hasSuffix) ? path : nil
    }
}
