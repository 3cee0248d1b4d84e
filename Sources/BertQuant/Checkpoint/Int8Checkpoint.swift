import BertCore

/// Reads an int8 checkpoint back: every `X.weight` (I8) with its `X.weight_scale` becomes an F32
/// source tensor that dequantizes on load, so the name map, the graph builder, `convert` and the
/// fp32 runner see an ordinary model; the int8 values themselves go to the int8 runner.
public enum Int8Checkpoint {
    /// Whether `source` holds int8 weights (any I8 tensor, or a compressed-tensors config).
    public static func isQuantized(_ source: ModelSource) -> Bool {
        source.config?.raw["quantization_config"]?["quant_method"]?.stringValue == "compressed-tensors"
            || source.tensors.contains { $0.dtype == .i8 }
    }

    /// `source` with int8 weights dequantizing and scale tensors removed, plus the quantized
    /// weights by source tensor name.
    public static func unpack(_ source: ModelSource) throws(FormatError) -> (source: ModelSource, weights: [String: QuantizedWeight]) {
        let byName = Dictionary(source.tensors.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var tensors: [SourceTensor] = []
        var weights: [String: QuantizedWeight] = [:]
        let path = source.inputFiles.first ?? source.path
        for tensor in source.tensors {
            if tensor.name.hasSuffix(".weight_scale") || tensor.name.hasSuffix(".input_scale") {
                let owner = tensor.name.hasSuffix(".weight_scale")
                    ? String(tensor.name.dropLast(Int8Layout.scaleSuffix.count))
                    : String(tensor.name.dropLast(".input_scale".count)) + ".weight"
                guard byName[owner]?.dtype == .i8 else {
                    throw FormatError(path: path, tensor: tensor.name, .malformed("scale without an int8 weight '\(owner)'"))
                }
                continue
            }
            guard tensor.dtype == .i8 else {
                tensors.append(tensor)
                continue
            }
            let weight = try read(tensor, in: byName, path: path)
            weights[tensor.name] = weight
            let dequantized = weight.matrix
            tensors.append(SourceTensor(name: tensor.name, dtype: .f32, shape: tensor.shape, byteCount: tensor.byteCount * 4) {
                () throws(FormatError) in Tensor(float32: dequantized.dequantized(), shape: tensor.shape)
            })
        }
        var unpacked = source
        unpacked.tensors = tensors
        return (unpacked, weights)
    }

    /// One int8 weight with its scales, validated: 2-D, a finite positive scale per row or one.
    static func read(_ tensor: SourceTensor, in byName: [String: SourceTensor], path: String) throws(FormatError) -> QuantizedWeight {
        guard tensor.shape.count == 2 else {
            throw FormatError(path: path, tensor: tensor.name, .malformed("int8 weights must be 2-D, found shape \(tensor.shape)"))
        }
        let (rows, cols) = (tensor.shape[0], tensor.shape[1])
        let scaleName = Int8Layout.scaleName(tensor.name)
        guard let scaleTensor = byName[scaleName] else {
            throw FormatError(path: path, tensor: tensor.name, .malformed("int8 weight without '\(scaleName)'"))
        }
        guard scaleTensor.dtype.isFloatingPoint,
              [[rows, 1], [rows], [1], []].contains(scaleTensor.shape) else {
            throw FormatError(path: path, tensor: scaleName, .malformed(
                "scale must be a float tensor of shape [\(rows), 1] or [1], found \(scaleTensor.dtype.rawValue) \(scaleTensor.shape)"))
        }
        let scales = try scaleTensor.load().floats()
        if let bad = scales.firstIndex(where: { !($0 > 0) || !$0.isFinite }) {
            throw FormatError(path: path, tensor: scaleName, .malformed("scale \(bad) is \(scales[bad]), expected a finite positive number"))
        }
        let raw = try tensor.load()
        let values = raw.withUnsafeBytes { Array($0.bindMemory(to: Int8.self)) }
        if let bad = values.firstIndex(of: -128) {
            throw FormatError(path: path, tensor: tensor.name, .malformed(
                "element \(bad) is -128; symmetric int8 weights lie in [-127, 127]"))
        }
        var inputScale: Float?
        let inputName = Int8Layout.inputScaleName(tensor.name)
        if let input = byName[inputName] {
            let values = try input.load().floats()
            guard values.count == 1, values[0] > 0, values[0].isFinite else {
                throw FormatError(path: path, tensor: inputName, .malformed("input scale must be one finite positive number"))
            }
            inputScale = values[0]
        }
        return QuantizedWeight(matrix: QuantizedMatrix(rows: rows, cols: cols, values: values, scales: scales),
                               inputScale: inputScale)
    }
}
