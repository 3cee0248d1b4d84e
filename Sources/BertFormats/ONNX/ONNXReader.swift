import BertCore
import BertNameMaps

/// Reads the initializers of a BERT ONNX model (bertconv's own exports and those of
/// torch.onnx.export / optimum) as canonical-named tensors: data stays in the mapping, weights
/// stored `[in, out]` are transposed back on load. Graph constants (non-float or single-element
/// anonymous initializers) are left out; anything else unnamed fails the name map's totality check.
public enum ONNXReader: ModelReader {
    public static let format = SourceFormat.onnx
    static let nameMap = "hf-pytorch"

    public static func canRead(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) { return FileBytes.exists(ModelFolder.join(path, "model.onnx")) }
        return path.hasSuffix(".onnx")
    }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        let modelPath = FileBytes.isDirectory(path) ? ModelFolder.join(path, "model.onnx") : path
        let directory = ModelFolder.parent(of: modelPath)
        let onnx = try ONNXFile(path: modelPath)
        let map: NameMap
        do { map = try NameMaps.load(nameMap) } catch {
            throw FormatError(path: modelPath, .malformed(error.description))
        }
        let resolver = ONNXWeightResolver(nodes: onnx.nodes, map: map)
        var externals: [String: MappedFile] = [:]
        var inputFiles = [modelPath]
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for record in onnx.initializers {
            let resolved = resolver.name(of: record)
            guard let dtype = record.dtype, resolved != nil || (ShapeMath.elementCount(record.shape) ?? 0) > 1,
                  dtype.isFloatingPoint || resolved != nil
            else { continue }
            let name = resolved ?? record.name
            guard seen.insert(name).inserted else {
                throw FormatError(path: modelPath, tensor: name, byteOffset: record.byteOffset, .duplicateTensor)
            }
            if case .external(let location, _, _) = record.data, externals[location] == nil {
                let file = try ModelFolder.resolve(location, in: directory, referencedBy: modelPath)
                externals[location] = try MappedFile(path: file)
                inputFiles.append(file)
            }
            let storage = try ONNXTensorData.locate(record, dtype: dtype, in: onnx.file, externals: externals, path: modelPath)
            let transposed = resolver.isTransposed(record)
            let shape = transposed ? [record.shape[1], record.shape[0]] : record.shape
            tensors.append(SourceTensor(name: name, dtype: dtype, shape: shape, byteCount: ShapeMath.byteCount(record.shape, dtype)!) { () throws(FormatError) in
                let tensor = storage.tensor(dtype: dtype, shape: record.shape)
                return transposed ? tensor.transposed2D() : tensor
            })
        }
        tensors.sort { $0.name < $1.name }
        let config = try Self.config(onnx, directory: directory, path: modelPath, inputFiles: &inputFiles)
        return ModelSource(format: .onnx, path: path, inputFiles: inputFiles, tensors: tensors, config: config,
                           companionFiles: ModelFolder.companions(in: directory), nameMap: nameMap)
    }

    /// bertconv's exports carry config.json in metadata; others may have one beside the model.
    private static func config(_ onnx: ONNXFile, directory: String, path: String, inputFiles: inout [String])
        throws(FormatError) -> BertConfig? {
        if let text = onnx.metadata.first(where: { $0.key == ONNXExporter.configKey })?.value {
            let json: JSONValue
            do { json = try StrictJSONParser.parse(Array(text.utf8)) } catch {
                throw FormatError(path: path, tensor: ONNXExporter.configKey, .invalidJSON(error.reason))
            }
            do { return try BertConfig(json: json, path: path) } catch {
                throw FormatError(path: path, tensor: ONNXExporter.configKey, .malformed(error.kind.message))
            }
        }
        let beside = ModelFolder.join(directory, "config.json")
        guard FileBytes.exists(beside) else { return nil }
        inputFiles.append(beside)
        return try BertConfig(contentsOf: beside)
    }
}
