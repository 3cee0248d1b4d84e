import BertCore

/// A bounds-checked reader over bytes of a table file: varints and slices, each failure a
/// `FormatError` naming the file offset where the field starts.
struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    /// Offset of `bytes[0]` in the file, for messages.
    let fileOffset: Int
    let path: String
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer, fileOffset: Int, path: String) {
        self.bytes = bytes
        self.fileOffset = fileOffset
        self.path = path
    }

    var remaining: Int { bytes.count - position }
    var isAtEnd: Bool { position >= bytes.count }

    /// A base-128 varint of at most `maxBytes` bytes (5 for 32-bit, 10 for 64-bit fields).
    mutating func varint(maxBytes: Int = 10) throws(FormatError) -> UInt64 {
        let start = position
        var value: UInt64 = 0
        for index in 0..<maxBytes {
            guard position < bytes.count else {
                throw FormatError(path: path, byteOffset: fileOffset + start,
                                  .truncated(neededBytes: index + 1, remainingBytes: bytes.count - start))
            }
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7f) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        throw FormatError(path: path, byteOffset: fileOffset + start, .malformed("varint longer than \(maxBytes) bytes"))
    }

    /// A varint that must fit a non-negative `Int` no larger than `limit`.
    mutating func length(limit: Int, maxBytes: Int = 10, field: String) throws(FormatError) -> Int {
        let start = position
        let value = try varint(maxBytes: maxBytes)
        guard value <= UInt64(limit) else {
            throw FormatError(path: path, byteOffset: fileOffset + start,
                              .malformed("\(field) \(value) exceeds the \(limit) bytes available"))
        }
        return Int(value)
    }

    /// The next `count` bytes.
    mutating func take(_ count: Int) throws(FormatError) -> UnsafeRawBufferPointer {
        guard count <= remaining else {
            throw FormatError(path: path, byteOffset: fileOffset + position,
                              .truncated(neededBytes: count, remainingBytes: remaining))
        }
        defer { position += count }
        return UnsafeRawBufferPointer(rebasing: bytes[position..<position + count])
    }

    /// A little-endian `UInt32`.
    mutating func fixed32() throws(FormatError) -> UInt32 {
        let raw = try take(4)
        return UInt32(littleEndian: raw.loadUnaligned(as: UInt32.self))
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBytes` for a body that throws `FormatError` (the standard one rethrows untyped).
    func withFormatBytes<R>(_ body: (UnsafeRawBufferPointer) throws(FormatError) -> R) throws(FormatError) -> R {
        let result: Result<R, FormatError> = withUnsafeBytes { raw in
            Result { () throws(FormatError) -> R in try body(raw) }
        }
        return try result.get()
    }
}
