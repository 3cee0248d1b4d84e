import BertCore

/// Object headers checked from the file's bytes before libhdf5 reads them: the first chunk, every
/// continuation chunk and every symbol table's local heap must lie inside the file. libhdf5
/// allocates a continuation chunk's or a local heap's declared size before comparing it with the
/// file, so one hostile length field would make it reserve up to 2^64 bytes.
///
/// Version 1 headers: version, reserved, message count (2), reference count (4), chunk size (4),
/// padding to 16; messages are type (2), size (2), flags, 3 reserved, data. Version 2: `OHDR`,
/// version, flags, optional times (16) and attribute phase change values (4), chunk size (1, 2, 4
/// or 8 bytes); messages are type (1), size (2), flags, an optional creation order (2), data; a
/// checksum ends each chunk, and continuation chunks start with `OCHK`.
struct HDF5ObjectHeaders {
    /// The file named in messages.
    let path: String
    /// Bytes per file address and per length.
    let offsetSize: Int
    let lengthSize: Int
    /// Headers already checked, by address.
    private var checked: Set<UInt64> = []
    /// Chunks walked so far; each takes at least 8 bytes of the file, so more than the file's size
    /// over 8 means chunks are shared or cyclic.
    private var walkedChunks = 0

    static let continuationMessage = 0x10
    static let symbolTableMessage = 0x11

    init(path: String, offsetSize: Int, lengthSize: Int) {
        self.path = path
        self.offsetSize = offsetSize
        self.lengthSize = lengthSize
    }

    /// One run of messages: `start..<end` in the file.
    private struct Chunk {
        let start: Int
        let end: Int
    }

    /// Checks the object header at `address` in `bytes`; `object` is named in messages.
    mutating func check(_ address: UInt64, in bytes: UnsafeRawBufferPointer, object: String) throws(FormatError) {
        guard !checked.contains(address) else { return }
        guard let start = Int(exactly: address), start < bytes.count else {
            throw failure(object, nil, "object header address \(address) is past the end of the file (\(bytes.count))")
        }
        let version2 = bytes.count - start >= 4 && bytes[start..<start + 4].elementsEqual("OHDR".utf8)
        var pending = [try version2 ? firstChunk2(start, bytes, object) : firstChunk1(start, bytes, object)]
        let flags = version2 ? bytes[start + 5] : 0
        while let chunk = pending.popLast() {
            walkedChunks += 1
            guard walkedChunks <= bytes.count / 8 else {
                throw failure(object, chunk.start, "object header chunks are shared or form a cycle")
            }
            pending += try version2 ? messages2(chunk, flags: flags, bytes, object) : messages1(chunk, bytes, object)
        }
        checked.insert(address)
    }

    private func firstChunk1(_ start: Int, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) -> Chunk {
        guard bytes.count - start >= 16 else {
            throw FormatError(path: path, tensor: object, byteOffset: start, .truncated(neededBytes: 16, remainingBytes: bytes.count - start))
        }
        guard bytes[start] == 1 else { throw failure(object, start, "object header version \(bytes[start]) (expected 1, or OHDR)") }
        return try region(UInt64(start + 16), HDF5Bytes.littleEndian(bytes, at: start + 8, width: 4), "object header chunk",
                          bytes, object, at: start)
    }

    private func firstChunk2(_ start: Int, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) -> Chunk {
        guard bytes.count - start >= 6 else {
            throw FormatError(path: path, tensor: object, byteOffset: start, .truncated(neededBytes: 6, remainingBytes: bytes.count - start))
        }
        guard bytes[start + 4] == 2 else { throw failure(object, start, "OHDR object header version \(bytes[start + 4])") }
        let flags = bytes[start + 5]
        let sizeField = start + 6 + (flags & 0x20 != 0 ? 16 : 0) + (flags & 0x10 != 0 ? 4 : 0)
        let sizeWidth = 1 << Int(flags & 0x03)
        guard bytes.count - sizeField >= sizeWidth else {
            throw FormatError(path: path, tensor: object, byteOffset: sizeField,
                              .truncated(neededBytes: sizeWidth, remainingBytes: bytes.count - sizeField))
        }
        let size = HDF5Bytes.littleEndian(bytes, at: sizeField, width: sizeWidth)
        return try region(UInt64(sizeField + sizeWidth), size, "object header chunk", bytes, object, at: sizeField, trailer: 4)
    }

    /// The `what` of `size` bytes at `address`, followed by `trailer` more bytes, all inside the
    /// file; `offset` is where it was declared.
    private func region(_ address: UInt64, _ size: UInt64, _ what: String, _ bytes: UnsafeRawBufferPointer, _ object: String,
                        at offset: Int, trailer: UInt64 = 0) throws(FormatError) -> Chunk {
        let file = UInt64(bytes.count)
        guard address <= file, size <= file - address, trailer <= file - address - size else {
            throw failure(object, offset, "\(what) of \(size) bytes at \(address) runs past the end of the file (\(bytes.count))")
        }
        return Chunk(start: Int(address), end: Int(address + size))
    }

    /// The continuation chunks named by the version 1 messages in `chunk`.
    private func messages1(_ chunk: Chunk, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) -> [Chunk] {
        var found: [Chunk] = []
        var offset = chunk.start
        while chunk.end - offset >= 8 {
            let type = Int(HDF5Bytes.littleEndian(bytes, at: offset, width: 2))
            let size = Int(HDF5Bytes.littleEndian(bytes, at: offset + 2, width: 2))
            found += try message(type, data: offset + 8, size: size, in: chunk, bytes, object, continuationTrailer: 0)
            offset += 8 + size
        }
        return found
    }

    /// The continuation chunks named by the version 2 messages in `chunk` (header `flags` say
    /// whether messages carry a creation order).
    private func messages2(_ chunk: Chunk, flags: UInt8, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) -> [Chunk] {
        let header = flags & 0x04 != 0 ? 6 : 4
        var found: [Chunk] = []
        var offset = chunk.start
        while chunk.end - offset >= header {
            let type = Int(bytes[offset])
            let size = Int(HDF5Bytes.littleEndian(bytes, at: offset + 1, width: 2))
            found += try message(type, data: offset + header, size: size, in: chunk, bytes, object, continuationTrailer: 4)
            offset += header + size
        }
        return found
    }

    /// Checks one message; a continuation yields the chunk it names (past its `OCHK` signature and
    /// before its checksum in version 2), and a symbol table has its local heap checked.
    private func message(_ type: Int, data: Int, size: Int, in chunk: Chunk, _ bytes: UnsafeRawBufferPointer,
                         _ object: String, continuationTrailer trailer: Int) throws(FormatError) -> [Chunk] {
        guard size <= chunk.end - data else {
            throw failure(object, data, "object header message of \(size) bytes runs past its chunk (\(chunk.end - data) bytes left)")
        }
        guard type == Self.continuationMessage || type == Self.symbolTableMessage else { return [] }
        guard size >= (type == Self.continuationMessage ? offsetSize + lengthSize : 2 * offsetSize) else {
            throw failure(object, data, "object header message \(type) of \(size) bytes is too short")
        }
        let first = HDF5Bytes.littleEndian(bytes, at: data, width: offsetSize)
        if type == Self.symbolTableMessage {
            try checkLocalHeap(HDF5Bytes.littleEndian(bytes, at: data + offsetSize, width: offsetSize), bytes, object, at: data)
            return []
        }
        let length = HDF5Bytes.littleEndian(bytes, at: data + offsetSize, width: lengthSize)
        let whole = try region(first, length, "object header continuation", bytes, object, at: data)
        guard trailer > 0 else { return [whole] }
        guard whole.end - whole.start >= 8, bytes[whole.start..<whole.start + 4].elementsEqual("OCHK".utf8) else {
            throw failure(object, whole.start, "object header continuation chunk lacks its OCHK signature")
        }
        return [Chunk(start: whole.start + 4, end: whole.end - trailer)]
    }

    /// A local heap (`HEAP`, version 0, 3 reserved, data size, free list offset, data address)
    /// whose data lies inside the file.
    private func checkLocalHeap(_ address: UInt64, _ bytes: UnsafeRawBufferPointer, _ object: String, at offset: Int) throws(FormatError) {
        let prefix = 8 + 2 * lengthSize + offsetSize
        guard let start = Int(exactly: address), start <= bytes.count - prefix,
              bytes[start..<start + 4].elementsEqual("HEAP".utf8)
        else { throw failure(object, offset, "symbol table's local heap at \(address) is not a local heap inside the file") }
        let size = HDF5Bytes.littleEndian(bytes, at: start + 8, width: lengthSize)
        let data = HDF5Bytes.littleEndian(bytes, at: start + 8 + 2 * lengthSize, width: offsetSize)
        _ = try region(data, size, "local heap data", bytes, object, at: start)
    }

    private func failure(_ object: String, _ offset: Int?, _ why: String) -> FormatError {
        FormatError(path: path, tensor: object, byteOffset: offset, .malformed(why))
    }
}
