import BertCore

/// A goldens file (DESIGN.md): a safetensors file holding a batch of `inputs.*` (integer ids) and
/// the `outputs.*` (F32) a reference implementation computed for them, with
/// `__metadata__` `format=bertconv-goldens`.
public struct GoldensFile: Sendable {
    /// The `format` value every goldens file carries.
    public static let formatName = "bertconv-goldens"

    /// Input tensors by name without the `inputs.` prefix (`input_ids`, `attention_mask`, `token_type_ids`).
    public var inputs: [String: Tensor]
    /// Output tensors by HF output field name, sorted by name.
    public var outputs: [(name: String, tensor: Tensor)]
    /// Every `__metadata__` pair, in file order.
    public var metadata: [(key: String, value: String)]

    public init(inputs: [String: Tensor], outputs: [(name: String, tensor: Tensor)],
                metadata: [(key: String, value: String)]) {
        self.inputs = inputs
        self.outputs = outputs
        self.metadata = metadata
    }

    /// The metadata value for `key`, if present.
    public subscript(metadata key: String) -> String? {
        metadata.first { $0.key == key }?.value
    }

    /// The output named `name`, if present.
    public func output(_ name: String) -> Tensor? {
        outputs.first { $0.name == name }?.tensor
    }

    /// Reads and validates a goldens file: the format tag, integer inputs, float outputs.
    public static func read(_ path: String) throws(FormatError) -> GoldensFile {
        let file = try MappedFile(path: path)
        let header = try SafetensorsHeader(file: file)
        let format = header.metadata.first { $0.key == "format" }?.value
        guard format == formatName else {
            throw FormatError(path: path, .malformed(
                "not a goldens file: __metadata__ format is \(format.map { "'\($0)'" } ?? "missing"), expected '\(formatName)'"))
        }
        var inputs: [String: Tensor] = [:]
        var outputs: [(name: String, tensor: Tensor)] = []
        for tensor in try SafetensorsReader.readFile(path) {
            if tensor.name.hasPrefix("inputs.") {
                guard !tensor.dtype.isFloatingPoint else {
                    throw FormatError(path: path, tensor: tensor.name, .malformed("inputs must be integer tensors, found \(tensor.dtype.rawValue)"))
                }
                inputs[String(tensor.name.dropFirst("inputs.".count))] = try tensor.load()
            } else if tensor.name.hasPrefix("outputs.") {
                guard tensor.dtype.isFloatingPoint else {
                    throw FormatError(path: path, tensor: tensor.name, .malformed("outputs must be float tensors, found \(tensor.dtype.rawValue)"))
                }
                outputs.append((String(tensor.name.dropFirst("outputs.".count)), try tensor.load()))
            } else {
                throw FormatError(path: path, tensor: tensor.name, .malformed("goldens tensors are named 'inputs.*' or 'outputs.*'"))
            }
        }
        guard inputs["input_ids"] != nil else {
            throw FormatError(path: path, tensor: "inputs.input_ids", .malformed("missing"))
        }
        return GoldensFile(inputs: inputs, outputs: outputs.sorted { $0.name < $1.name }, metadata: header.metadata)
    }
}

extension GoldensFile {
    /// A goldens file for `outputs` computed from `inputs` (stored as I64) by `producer` for `head`.
    public init(recording inputs: [String: Tensor], outputs: [(name: String, tensor: Tensor)], head: String,
                producer: String) {
        let wide = inputs.mapValues { $0.dtype == .i64 ? $0 : Tensor(int64: $0.int64s(), shape: $0.shape) }
        self.init(inputs: wide, outputs: outputs.sorted { $0.name < $1.name }, metadata: [
            ("format", Self.formatName), ("version", "1"), ("head", head), ("producer", producer),
        ])
    }

    /// Writes the file at `path` through a staged sibling, so a failure leaves nothing behind.
    public func write(to path: String, force: Bool) throws(BertCoreError) {
        let staged: StagedOutput
        do { staged = try StagedOutput.file(at: path, force: force) } catch { throw .output(error) }
        let entries = inputs.map { SafetensorsWriter.Entry(name: "inputs." + $0.key, tensor: $0.value) }
            + outputs.map { SafetensorsWriter.Entry(name: "outputs." + $0.name, tensor: $0.tensor) }
        try SafetensorsWriter.write(entries, metadata: metadata, to: staged.stagingPath)
        do { try staged.commit() } catch { throw .output(error) }
    }
}
