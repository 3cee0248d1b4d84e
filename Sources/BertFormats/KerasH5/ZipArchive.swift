import BertCore

/// A zip archive's central directory (APPNOTE 4.3), validated before any member is read: names
/// stay inside the archive, data ranges lie inside the file, and declared sizes are bounded.
struct ZipArchive {
    /// One member: where its data starts and how it is stored.
    struct Entry {
        let name: String
        /// 0 stored, 8 deflated.
        let method: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        /// Offset of the member's data (past its local header) in the archive.
        let dataOffset: Int
    }

    /// A member may expand to at most this multiple of the archive's size (zip bombs).
    static let maxExpansion = 8
    static let maxEntries = 1 << 16

    let file: MappedFile
    let entries: [Entry]

    init(file: MappedFile) throws(FormatError) {
        self.file = file
        let bytes = file.bytes
        let path = file.path
        guard bytes.count >= 4, Self.u32(bytes, 0) == 0x0403_4B50 else {
            throw FormatError(path: path, byteOffset: 0,
                              .badMagic(expected: "zip signature 504b0304", found: leadingHex(bytes, count: 4)))
        }
        let end = try Self.endOfCentralDirectory(bytes, path: path)
        let count = Int(Self.u16(bytes, end + 10))
        let directorySize = Int(Self.u32(bytes, end + 12))
        let directoryOffset = Int(Self.u32(bytes, end + 16))
        guard directoryOffset != 0xFFFF_FFFF, count != 0xFFFF else {
            throw FormatError(path: path, byteOffset: end, .unsupported("zip64 archive"))
        }
        guard directoryOffset + directorySize <= end else {
            throw FormatError(path: path, byteOffset: end, .outOfBounds(end: directoryOffset + directorySize, limit: end))
        }
        var entries: [Entry] = []
        var cursor = directoryOffset
        for _ in 0..<min(count, Self.maxEntries) {
            let entry = try Self.entry(bytes, at: &cursor, directoryEnd: directoryOffset + directorySize, path: path)
            guard !entries.contains(where: { $0.name == entry.name }) else {
                throw FormatError(path: path, tensor: entry.name, .duplicateTensor)
            }
            entries.append(entry)
        }
        self.entries = entries
    }

    /// The member called `name`, if present.
    func entry(_ name: String) -> Entry? { entries.first { $0.name == name } }

    private static func endOfCentralDirectory(_ bytes: UnsafeRawBufferPointer, path: String) throws(FormatError) -> Int {
        // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
        let lowest = max(0, bytes.count - 22 - 0xFFFF)
        var offset = bytes.count - 22
        while offset >= lowest {
            if u32(bytes, offset) == 0x0605_4B50 && offset + 22 + Int(u16(bytes, offset + 20)) == bytes.count { return offset }
            offset -= 1
        }
        throw FormatError(path: path, byteOffset: bytes.count, .malformed("not a zip archive: no end-of-central-directory record (truncated?)"))
    }

    private static func entry(_ bytes: UnsafeRawBufferPointer, at cursor: inout Int, directoryEnd: Int,
                              path: String) throws(FormatError) -> Entry {
        let start = cursor
        guard start + 46 <= directoryEnd, u32(bytes, start) == 0x0201_4B50 else {
            throw FormatError(path: path, byteOffset: start, .malformed("bad central directory entry"))
        }
        let flags = u16(bytes, start + 8)
        let method = u16(bytes, start + 10)
        let crc = u32(bytes, start + 16)
        let compressed = Int(u32(bytes, start + 20))
        let uncompressed = Int(u32(bytes, start + 24))
        let nameLength = Int(u16(bytes, start + 28))
        let extraLength = Int(u16(bytes, start + 30))
        let commentLength = Int(u16(bytes, start + 32))
        let localOffset = Int(u32(bytes, start + 42))
        cursor = start + 46 + nameLength + extraLength + commentLength
        guard cursor <= directoryEnd else {
            throw FormatError(path: path, byteOffset: start, .truncated(neededBytes: cursor - start, remainingBytes: directoryEnd - start))
        }
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start + 46..<start + 46 + nameLength]), as: UTF8.self)
        guard !name.hasPrefix("/"), !name.contains("\\"),
              !name.split(separator: "/", omittingEmptySubsequences: false).contains(where: { $0 == ".." })
        else { throw FormatError(path: path, byteOffset: start, .pathEscapes(name)) }
        guard flags & 1 == 0 else { throw FormatError(path: path, tensor: name, .unsupported("encrypted zip entry")) }
        guard method == 0 || method == 8 else {
            throw FormatError(path: path, tensor: name, .unsupported("zip compression method \(method)"))
        }
        guard compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, localOffset != 0xFFFF_FFFF else {
            throw FormatError(path: path, tensor: name, .unsupported("zip64 entry"))
        }
        guard uncompressed <= bytes.count * maxExpansion else {
            throw FormatError(path: path, tensor: name, .malformed(
                "declares \(uncompressed) bytes uncompressed, over \(maxExpansion)× the archive's \(bytes.count) bytes (zip bomb)"))
        }
        guard method == 8 || compressed == uncompressed else {
            throw FormatError(path: path, tensor: name, .sizeMismatch(expectedBytes: uncompressed, actualBytes: compressed))
        }
        guard localOffset + 30 <= bytes.count, u32(bytes, localOffset) == 0x0403_4B50 else {
            throw FormatError(path: path, tensor: name, byteOffset: localOffset, .malformed("bad local file header"))
        }
        let dataOffset = localOffset + 30 + Int(u16(bytes, localOffset + 26)) + Int(u16(bytes, localOffset + 28))
        guard dataOffset + compressed <= bytes.count else {
            throw FormatError(path: path, tensor: name, byteOffset: dataOffset,
                              .truncated(neededBytes: compressed, remainingBytes: max(0, bytes.count - dataOffset)))
        }
        return Entry(name: name, method: method, crc32: crc, compressedSize: compressed,
                     uncompressedSize: uncompressed, dataOffset: dataOffset)
    }

    static func u16(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt16 {
        UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }

    static func u32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
