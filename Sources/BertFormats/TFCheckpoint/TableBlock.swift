import BertCore
import CSnappy

/// One key/value pair of a table block.
struct TableEntry: Sendable {
    let key: [UInt8]
    let value: [UInt8]
}

/// One block of a table (leveldb `table_format.md`): prefix-compressed entries and restart
/// points, followed by a 5-byte trailer holding the compression type and the masked CRC-32C of
/// the contents plus that type byte.
struct TableBlock {
    static let trailerByteCount = 5
    /// Snappy blocks may not claim more than this once decompressed (TensorFlow writes 4 KiB
    /// blocks; the cap keeps a hostile length from allocating).
    static let maxUncompressedByteCount = 64 << 20

    /// The block's bytes, decompressed.
    let contents: [UInt8]
    let handle: BlockHandle
    let path: String
    /// Whether the block was stored snappy-compressed (offsets inside it are then not file offsets).
    let wasCompressed: Bool

    /// Reads the block at `handle`, verifying its checksum; `handle` has been bounds-checked.
    init(file: MappedFile, handle: BlockHandle) throws(FormatError) {
        path = file.path
        self.handle = handle
        let stored = UnsafeRawBufferPointer(rebasing: file.bytes[handle.offset..<handle.offset + handle.size])
        let trailerOffset = handle.offset + handle.size
        let type = file.bytes[trailerOffset]
        let storedCRC = UInt32(littleEndian: file.bytes.loadUnaligned(fromByteOffset: trailerOffset + 1, as: UInt32.self))
        let actual = withUnsafeBytes(of: type) { CRC32C.checksum($0, extending: CRC32C.checksum(stored)) }
        guard CRC32C.mask(actual) == storedCRC else {
            throw FormatError(path: path, byteOffset: handle.offset,
                              .checksumMismatch(expected: CRC32C.unmask(storedCRC), actual: actual))
        }
        switch type {
        case 0:
            contents = Array(stored)
            wasCompressed = false
        case 1:
            contents = try Self.snappyDecompress(stored, path: path, offset: handle.offset)
            wasCompressed = true
        default:
            throw FormatError(path: path, byteOffset: trailerOffset, .unsupported("block compression type \(type)"))
        }
    }

    private static func snappyDecompress(_ stored: UnsafeRawBufferPointer, path: String, offset: Int)
        throws(FormatError) -> [UInt8] {
        let input = stored.baseAddress?.assumingMemoryBound(to: CChar.self)
        var length = 0
        // SAFETY: snappy reads only the `stored.count` bytes of the mapped block.
        guard let input, snappy_uncompressed_length(input, stored.count, &length) == SNAPPY_OK else {
            throw FormatError(path: path, byteOffset: offset, .malformed("snappy block has no valid length header"))
        }
        guard length <= maxUncompressedByteCount else {
            throw FormatError(path: path, byteOffset: offset,
                              .headerTooLarge(byteCount: length, limit: maxUncompressedByteCount))
        }
        var output = [UInt8](repeating: 0, count: length)
        var written = length
        // SAFETY: snappy writes at most `written` bytes into `output`, which holds exactly that many.
        let status = output.withUnsafeMutableBufferPointer { out in
            out.baseAddress!.withMemoryRebound(to: CChar.self, capacity: length) {
                snappy_uncompress(input, stored.count, $0, &written)
            }
        }
        guard status == SNAPPY_OK, written == length else {
            throw FormatError(path: path, byteOffset: offset, .malformed("snappy block does not decompress"))
        }
        return output
    }

    /// The entries in stored order. Each entry is `shared`, `non_shared` and `value_length`
    /// varints, the key bytes after the `shared` prefix of the previous key, then the value;
    /// `num_restarts` fixed32 restart offsets and their count close the block.
    func entries() throws(FormatError) -> [TableEntry] {
        // Offsets inside a decompressed block are not file offsets: report the block's start then.
        let base = wasCompressed ? 0 : handle.offset
        return try contents.withFormatBytes { raw throws(FormatError) -> [TableEntry] in
            guard raw.count >= 4 else {
                throw FormatError(path: path, byteOffset: handle.offset, .truncated(neededBytes: 4, remainingBytes: raw.count))
            }
            let restartCount = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self)))
            guard restartCount <= (raw.count - 4) / 4 else {
                throw FormatError(path: path, byteOffset: handle.offset + raw.count - 4,
                                  .malformed("block claims \(restartCount) restart points in \(raw.count) bytes"))
            }
            let entryBytes = raw.count - 4 - 4 * restartCount
            var cursor = ByteCursor(UnsafeRawBufferPointer(rebasing: raw[0..<entryBytes]), fileOffset: base, path: path)
            var entries: [TableEntry] = []
            var key: [UInt8] = []
            while !cursor.isAtEnd {
                let shared = try cursor.length(limit: key.count, maxBytes: 5, field: "shared key length")
                let unshared = try cursor.length(limit: cursor.remaining, maxBytes: 5, field: "key length")
                let valueLength = try cursor.length(limit: cursor.remaining, maxBytes: 5, field: "value length")
                key.removeSubrange(shared...)
                key.append(contentsOf: try cursor.take(unshared))
                let value = try cursor.take(valueLength)
                entries.append(TableEntry(key: key, value: Array(value)))
            }
            return entries
        }
    }
}
