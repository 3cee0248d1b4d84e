/// The formats bertconv reads; raw values are the names used in manifests and `inspect`.
public enum SourceFormat: String, Sendable, Codable {
    case safetensors
    case tfCheckpoint = "tf-checkpoint"
    case kerasH5 = "keras-h5"
    case keras3 = "keras3"
    case flaxMsgpack = "flax-msgpack"
    case onnx
}

/// Everything a reader found at a path: its tensors (loaded lazily), config and companion files.
public struct ModelSource: Sendable {
    public var format: SourceFormat
    /// The path the user gave.
    public var path: String
    /// Every file the tensors and config were read from (hashed into the manifest).
    public var inputFiles: [String]
    /// The tensors, in file order.
    public var tensors: [SourceTensor]
    /// The config found beside the weights, if any.
    public var config: BertConfig?
    /// Tokenizer and vocabulary files to carry into outputs (paths).
    public var companionFiles: [String]
    /// The name map (file stem under `formats/maps/`) that turns these names into canonical ones.
    public var nameMap: String

    public init(format: SourceFormat, path: String, inputFiles: [String], tensors: [SourceTensor],
                config: BertConfig?, companionFiles: [String], nameMap: String) {
        self.format = format
        self.path = path
        self.inputFiles = inputFiles
        self.tensors = tensors
        self.config = config
        self.companionFiles = companionFiles
        self.nameMap = nameMap
    }
}
