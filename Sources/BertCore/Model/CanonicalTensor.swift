/// A tensor of the canonical graph: its canonical name and final shape, where it came from, and
/// how it is produced (loaded lazily, so conversion holds one tensor at a time).
public struct CanonicalTensor: Sendable {
    public let name: String
    public let dtype: DType
    /// Shape after the transform.
    public let shape: [Int]
    /// The source tensor it is made from.
    public let source: SourceTensor
    public let transform: TensorTransform

    public init(name: String, source: SourceTensor, transform: TensorTransform, shape: [Int]) {
        self.name = name
        self.dtype = source.dtype
        self.shape = shape
        self.source = source
        self.transform = transform
    }

    /// Loads the source bytes and applies the transform.
    public func load() throws(FormatError) -> Tensor {
        transform.apply(to: try source.load())
    }
}

/// A source tensor left out of the canonical graph on purpose.
public struct SkippedTensor: Sendable, Equatable, Codable {
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }
}
