import BertCore

/// Where a block lies in a table file (leveldb `BlockHandle`: two varints, offset and size).
struct BlockHandle: Sendable, Equatable {
    let offset: Int
    let size: Int

    /// Decodes a handle and checks that the block and its trailer end before `limit`.
    init(from cursor: inout ByteCursor, limit: Int) throws(FormatError) {
        let start = cursor.fileOffset + cursor.position
        let rawOffset = try cursor.varint()
        let rawSize = try cursor.varint()
        guard rawOffset <= UInt64(limit), rawSize <= UInt64(limit),
              Int(rawOffset) + Int(rawSize) + TableBlock.trailerByteCount <= limit
        else {
            throw FormatError(path: cursor.path, byteOffset: start, .outOfBounds(
                end: Int(clamping: rawOffset &+ rawSize) &+ TableBlock.trailerByteCount, limit: limit))
        }
        offset = Int(rawOffset)
        size = Int(rawSize)
    }

    init(offset: Int, size: Int) {
        self.offset = offset
        self.size = size
    }
}

/// The fixed 48 bytes that end a table file (leveldb `table_format.md`): the metaindex and index
/// block handles, zero padding, and the 8-byte magic number.
struct TableFooter: Sendable {
    static let byteCount = 48
    /// `kTableMagicNumber` of leveldb and of TensorFlow's `core/lib/io/format.h`.
    static let magic: UInt64 = 0xdb47_7524_8b80_fb57

    let metaindex: BlockHandle
    let index: BlockHandle

    init(file: MappedFile) throws(FormatError) {
        let bytes = file.bytes
        guard bytes.count >= Self.byteCount else {
            throw FormatError(path: file.path, byteOffset: 0,
                              .truncated(neededBytes: Self.byteCount, remainingBytes: bytes.count))
        }
        let start = bytes.count - Self.byteCount
        let found = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
        guard found == Self.magic else {
            throw FormatError(path: file.path, byteOffset: bytes.count - 8,
                              .badMagic(expected: hex64(Self.magic), found: hex64(found)))
        }
        var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: bytes[start..<bytes.count - 8]),
                                fileOffset: start, path: file.path)
        metaindex = try BlockHandle(from: &cursor, limit: start)
        index = try BlockHandle(from: &cursor, limit: start)
    }
}

/// `0x` and 16 hex digits.
func hex64(_ value: UInt64) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: 16 - digits.count) + digits
}
