import BertCore

/// What `convert` (and the format-specific aliases such as `tf2safetensors`) are asked to do.
public struct ConvertOptions: Sendable {
    public var input: String
    public var output: String
    /// Replace an existing output.
    public var force: Bool
    /// Floating-point dtype for every float tensor; nil keeps each tensor's source dtype.
    public var dtype: DType?
    /// Overrides head detection.
    public var head: BertHead?
    /// The command line, recorded in the manifest.
    public var command: [String]

    public init(input: String, output: String, force: Bool = false, dtype: DType? = nil,
                head: BertHead? = nil, command: [String] = []) {
        self.input = input
        self.output = output
        self.force = force
        self.dtype = dtype
        self.head = head
        self.command = command
    }
}

/// What a conversion produced.
public struct ConversionSummary: Sendable {
    public let output: String
    public let head: BertHead
    public let sourceFormat: SourceFormat
    public let tensorCount: Int
    public let skippedCount: Int
    public let manifest: Manifest
}
