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
        for record in onnx.initializers {
            guard case .external(let location, _, _) = record.data, externals[location] == nil else { continue }
            let file = try ModelFolder.resolve(location, in: directory, referencedBy: modelPath)
            externals[location] = try MappedFile(path: file)
            inputFiles.append(file)
        }
        func locate(_ record: ONNXTensorRecord, _ dtype: DType) throws(FormatError) -> ONNXTensorData {
            try ONNXTensorData.locate(record, dtype: dtype, in: onnx.file, externals: externals, path: modelPath)
        }
        let records = Dictionary(onnx.initializers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var dequantizers: [String: ONNXDequantizer] = [:]
        var consumed = Set<String>()
        for record in onnx.initializers where ONNXDequantizer.isQuantized(record) {
            guard let plan = resolver.dequantization(of: record.name, isInitializer: { records[$0] != nil }) else { continue }
            dequantizers[record.name] = try ONNXDequantizer(record, plan, records: records, locate: locate, path: modelPath)
            consumed.insert(plan.scale)
            if let zero = plan.zeroPoint { consumed.insert(zero) }
        }
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for record in onnx.initializers where !consumed.contains(record.name) {
            let resolved = resolver.name(of: record)
            let dequantizer = dequantizers[record.name]
            // UINT8 (no bertconv dtype) only as a dequantized weight; its bytes are sized as I8.
            guard let stored = record.dtype ?? (dequantizer == nil ? nil : .i8), resolved != nil || (ShapeMath.elementCount(record.shape) ?? 0) > 1,
                  stored.isFloatingPoint || dequantizer != nil || resolved != nil
            else { continue }
            let name = resolved ?? record.name
            guard seen.insert(name).inserted else {
                throw FormatError(path: modelPath, tensor: name, byteOffset: record.byteOffset, .duplicateTensor)
            }
            let storage = dequantizer == nil ? try locate(record, stored) : nil
            let transposed = resolver.isTransposed(record)
            let shape = transposed ? [record.shape[1], record.shape[0]] : record.shape
            let dtype = dequantizer == nil ? stored : .f32
            tensors.append(SourceTensor(name: name, dtype: dtype, shape: shape, byteCount: ShapeMath.byteCount(record.shape, stored)!) {
                () throws(FormatError) in
                let tensor = dequantizer?.tensor() ?? storage!.tensor(dtype: stored, shape: record.shape)
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
