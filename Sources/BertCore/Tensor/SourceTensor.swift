/// A tensor as a reader lists it: name, dtype and shape known up front, bytes loaded on demand, so
/// conversion streams one tensor at a time.
public struct SourceTensor: Sendable {
    /// The name inside the source file (for nested formats, the key path joined with `/` or `.`).
    public let name: String
    /// The element type.
    public let dtype: DType
    /// The dimensions as stored.
    public let shape: [Int]
    /// The number of bytes the tensor occupies in the source.
    public let byteCount: Int
    private let loader: @Sendable () throws(FormatError) -> Tensor

    public init(name: String, dtype: DType, shape: [Int], byteCount: Int,
                load: @escaping @Sendable () throws(FormatError) -> Tensor) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.byteCount = byteCount
        self.loader = load
    }

    /// Reads (or maps) the tensor's bytes.
    public func load() throws(FormatError) -> Tensor { try loader() }
}
