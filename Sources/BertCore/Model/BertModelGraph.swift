/// The canonical BERT parameter graph every writer, the quantizer and the runner consume: config,
/// head and tensors under Hugging Face PyTorch names, independent of the format that fed it.
public struct BertModelGraph: Sendable {
    public let format: SourceFormat
    /// The path the model was read from.
    public let path: String
    /// Every input file (hashed into the manifest).
    public let inputFiles: [String]
    /// Tokenizer and vocabulary files to carry into outputs.
    public let companionFiles: [String]
    public let config: BertConfig
    /// Whether `config` was inferred from shapes rather than read from a file.
    public let configInferred: Bool
    public let head: BertHead
    /// Whether the pooler is part of the model.
    public let hasPooler: Bool
    /// Whether the LM decoder is an alias of the word embeddings (no distinct tensor).
    public let decoderTied: Bool
    /// The canonical tensors, sorted by name; a tied decoder is not among them.
    public let tensors: [CanonicalTensor]
    /// Source tensors left out, each with its reason.
    public let skipped: [SkippedTensor]

    public init(format: SourceFormat, path: String, inputFiles: [String], companionFiles: [String],
                config: BertConfig, configInferred: Bool, head: BertHead, hasPooler: Bool,
                decoderTied: Bool, tensors: [CanonicalTensor], skipped: [SkippedTensor]) {
        self.format = format
        self.path = path
        self.inputFiles = inputFiles
        self.companionFiles = companionFiles
        self.config = config
        self.configInferred = configInferred
        self.head = head
        self.hasPooler = hasPooler
        self.decoderTied = decoderTied
        self.tensors = tensors
        self.skipped = skipped
    }

    /// The tensor named `name`, or nil.
    public func tensor(_ name: String) -> CanonicalTensor? {
        tensors.first { $0.name == name }
    }

    /// The tensor named `name`, loaded; resolves the tied decoder to the word embeddings.
    public func load(_ name: String) throws(FormatError) -> Tensor? {
        if name == CanonicalName.decoderWeight, decoderTied {
            return try tensor(CanonicalName.wordEmbeddings)?.load()
        }
        return try tensor(name)?.load()
    }

    /// The output fields this graph's head produces.
    public var outputs: [String] { head.outputs(hasPooler: hasPooler) }

    /// Total bytes of all tensors as stored in the source.
    public var sourceByteCount: Int { tensors.reduce(0) { $0 + $1.source.byteCount } }
}
