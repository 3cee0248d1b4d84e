/// A heap buffer aligned for SIMD loads, freed when the last tensor using it goes away.
public final class OwnedBuffer: @unchecked Sendable {
    /// The buffer's start.
    public let pointer: UnsafeMutableRawPointer
    /// The buffer's size in bytes.
    public let byteCount: Int

    /// Allocates `byteCount` zeroed bytes aligned to 64.
    public convenience init(byteCount: Int) {
        self.init(uninitializedByteCount: byteCount)
        pointer.initializeMemory(as: UInt8.self, repeating: 0, count: max(byteCount, 1))
    }

    /// Allocates `byteCount` bytes aligned to 64 that the caller writes in full before reading.
    public init(uninitializedByteCount byteCount: Int) {
        self.byteCount = byteCount
        pointer = .allocate(byteCount: max(byteCount, 1), alignment: 64)
    }

    deinit { pointer.deallocate() }
}

/// Where a tensor's bytes live: a view into a mapped file, or an owned buffer.
public struct TensorStorage: Sendable {
    enum Backing: Sendable {
        case mapped(MappedFile)
        case owned(OwnedBuffer)
    }

    let backing: Backing
    /// Offset of the first byte inside the backing.
    let byteOffset: Int
    /// Length in bytes.
    public let byteCount: Int

    /// A view of `byteCount` bytes at `byteOffset` in `file`; the caller has checked the bounds.
    public init(file: MappedFile, byteOffset: Int, byteCount: Int) {
        precondition(byteOffset >= 0 && byteCount >= 0 && byteOffset + byteCount <= file.byteCount)
        backing = .mapped(file)
        self.byteOffset = byteOffset
        self.byteCount = byteCount
    }

    /// The whole of an owned buffer.
    public init(buffer: OwnedBuffer) {
        backing = .owned(buffer)
        byteOffset = 0
        byteCount = buffer.byteCount
    }

    /// Whether the bytes are a view into a mapped file (no copy was made).
    public var isMapped: Bool {
        if case .mapped = backing { return true }
        return false
    }

    /// Calls `body` with the bytes.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        switch backing {
        case .mapped(let file):
            // SAFETY: init checked byteOffset + byteCount against the mapping, which `file` keeps alive.
            let start = file.bytes.baseAddress.map { $0 + byteOffset }
            return try body(UnsafeRawBufferPointer(start: start, count: byteCount))
        case .owned(let buffer):
            return try body(UnsafeRawBufferPointer(start: buffer.pointer, count: byteCount))
        }
    }
}
