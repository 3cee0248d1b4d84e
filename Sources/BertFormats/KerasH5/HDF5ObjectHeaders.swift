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

    static let attributeMessage = 0x0C
    static let continuationMessage = 0x10
    static let symbolTableMessage = 0x11
    static let variableLengthClass: UInt8 = 9
    /// The free-list offset that ends a local heap's free list (`H5HL_FREE_NULL`).
    static let freeListEnd: UInt64 = 1

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
        if type == Self.attributeMessage {
            try checkAttribute(data, size: size, bytes, object)
            return []
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

    /// An attribute message (version, flags, name size, datatype size, dataspace size, [version 3:
    /// name encoding], name, datatype, dataspace, then elements × element size bytes of data; each
    /// part padded to 8 bytes in version 1) whose parts and data fit in its `size` bytes: libhdf5
    /// copies them without comparing with the message.
    private func checkAttribute(_ data: Int, size: Int, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) {
        let version = size > 0 ? bytes[data] : 0
        let fixed = version == 3 ? 9 : 8
        guard (1...3).contains(version), size >= fixed else {
            throw failure(object, data, "attribute message version \(version) of \(size) bytes")
        }
        func field(_ at: Int) -> Int { Int(HDF5Bytes.littleEndian(bytes, at: data + at, width: 2)) }
        func padded(_ count: Int) -> Int { version == 1 ? (count + 7) & ~7 : count }
        let (name, datatype, dataspace) = (padded(field(2)), padded(field(4)), padded(field(6)))
        let parts = fixed + name + datatype + dataspace
        guard parts <= size else {
            throw failure(object, data, "attribute message parts of \(parts) bytes overrun the message (\(size) bytes)")
        }
        // A shared datatype or dataspace (flags bits 0 and 1) is stored elsewhere; libhdf5 resolves it.
        guard version == 1 || bytes[data + 1] & 0x03 == 0, datatype >= 8 else { return }
        let datatypeStart = data + fixed + name
        let elementSize = Int(HDF5Bytes.littleEndian(bytes, at: datatypeStart + 4, width: 4))
        // libhdf5 allocates the stored data by the declared size, then resizes a variable-length
        // type to its descriptor (length, heap address, index) and copies that many bytes per element.
        let descriptorSize = 8 + offsetSize
        guard bytes[datatypeStart] & 0x0F != Self.variableLengthClass || elementSize >= descriptorSize else {
            throw failure(object, datatypeStart, "variable-length attribute type of \(elementSize) bytes (descriptors take \(descriptorSize))")
        }
        let elements = try dataspaceElements(datatypeStart + datatype, size: dataspace, bytes, object)
        let (dataSize, overflow) = elements.multipliedReportingOverflow(by: elementSize)
        guard !overflow, dataSize <= size - parts else {
            throw failure(object, data, "attribute data of \(elements) × \(elementSize) bytes overruns the message (\(size - parts) bytes left)")
        }
    }

    /// The element count of the dataspace message at `start` (`size` bytes): version 1 has 8 bytes
    /// before its dimensions, version 2 has 4 and a type (0 scalar, 1 simple, 2 null).
    private func dataspaceElements(_ start: Int, size: Int, _ bytes: UnsafeRawBufferPointer, _ object: String) throws(FormatError) -> Int {
        guard size >= 4, (1...2).contains(bytes[start]) else {
            throw failure(object, start, "attribute dataspace of \(size) bytes, version \(size > 0 ? bytes[start] : 0)")
        }
        let rank = Int(bytes[start + 1])
        let dimensions = bytes[start] == 1 ? 8 : 4
        if bytes[start] == 2 && bytes[start + 3] == 2 { return 0 }
        guard dimensions + rank * lengthSize <= size else {
            throw failure(object, start, "attribute dataspace of rank \(rank) overruns its \(size) bytes")
        }
        var elements = 1
        for axis in 0..<rank {
            let extent = HDF5Bytes.littleEndian(bytes, at: start + dimensions + axis * lengthSize, width: lengthSize)
            guard let value = Int(exactly: extent), case (let product, false) = elements.multipliedReportingOverflow(by: value) else {
                throw failure(object, start, "attribute dataspace extent \(extent) overflows")
            }
            elements = product
        }
        return elements
    }

    /// A local heap (`HEAP`, version 0, 3 reserved, data size, free list head, data address) whose
    /// data lies inside the file and whose free list (each block: next offset, size; 1 ends it)
    /// ends inside the data. libhdf5 follows the list allocating a node per block, so a cycle
    /// would make it allocate until memory runs out.
    private func checkLocalHeap(_ address: UInt64, _ bytes: UnsafeRawBufferPointer, _ object: String, at offset: Int) throws(FormatError) {
        let prefix = 8 + 2 * lengthSize + offsetSize
        guard let start = Int(exactly: address), start <= bytes.count - prefix,
              bytes[start..<start + 4].elementsEqual("HEAP".utf8)
        else { throw failure(object, offset, "symbol table's local heap at \(address) is not a local heap inside the file") }
        let size = HDF5Bytes.littleEndian(bytes, at: start + 8, width: lengthSize)
        let data = HDF5Bytes.littleEndian(bytes, at: start + 8 + 2 * lengthSize, width: offsetSize)
        let heap = try region(data, size, "local heap data", bytes, object, at: start)
        let block = 2 * lengthSize
        var free = HDF5Bytes.littleEndian(bytes, at: start + 8 + lengthSize, width: lengthSize)
        var blocks = 0
        while free != Self.freeListEnd {
            guard free < size, size - free >= UInt64(block), blocks < Int(size) / block
            else { throw failure(object, start, "local heap free list runs past its data or forms a cycle") }
            free = HDF5Bytes.littleEndian(bytes, at: heap.start + Int(free), width: lengthSize)
            blocks += 1
        }
    }

    private func failure(_ object: String, _ offset: Int?, _ why: String) -> FormatError {
        FormatError(path: path, tensor: object, byteOffset: offset, .malformed(why))
    }
}
