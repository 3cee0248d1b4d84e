import BertCore

/// HDF5 global heap collections (`GCOL` blocks, which hold the bytes of variable-length strings),
/// read from the file's bytes with every size checked. libhdf5 1.10 loops forever on a collection
/// whose free space is declared empty, so bertconv never lets it walk one.
///
/// A variable-length descriptor is a 4-byte length, the collection's address and a 4-byte object
/// index; a collection is `GCOL`, version 1, 3 reserved bytes and its size, then objects (2-byte
/// index, 2-byte reference count, 4 reserved bytes, size, data), ended by the free space (index 0),
/// which runs to the collection's end. Headers and data are padded to multiples of 8 bytes.
struct HDF5GlobalHeap {
    /// The file named in messages.
    let path: String
    /// Bytes per file address and per length (the superblock's "size of offsets / lengths").
    let offsetSize: Int
    let lengthSize: Int
    /// Object index → byte range in the file, per collection address already walked.
    private var collections: [Int: [UInt32: Range<Int>]] = [:]
    /// Object headers walked so far: collections of a valid file are disjoint, so this never
    /// exceeds the file's size over the header size; more means collections overlap.
    private var walkedObjects = 0

    static let signature: [UInt8] = Array("GCOL".utf8)

    init(path: String, offsetSize: Int, lengthSize: Int) {
        self.path = path
        self.offsetSize = offsetSize
        self.lengthSize = lengthSize
    }

    /// Bytes per stored variable-length descriptor.
    var descriptorSize: Int { 4 + offsetSize + 4 }
    /// Both headers are padded to 8 bytes, so objects' data stays aligned.
    private var collectionHeaderSize: Int { Self.padded(8 + lengthSize) }
    private var objectHeaderSize: Int { Self.padded(8 + lengthSize) }

    /// The bytes that the descriptor at `offset` in `descriptors` names, from the file's `bytes`;
    /// `attribute` is named in messages.
    mutating func object(_ descriptors: [UInt8], at offset: Int, in bytes: UnsafeRawBufferPointer,
                         attribute: String) throws(FormatError) -> UnsafeRawBufferPointer {
        let (length, address, index) = descriptors.withUnsafeBytes { raw in
            (Int(HDF5Bytes.littleEndian(raw, at: offset, width: 4)),
             HDF5Bytes.littleEndian(raw, at: offset + 4, width: offsetSize),
             UInt32(HDF5Bytes.littleEndian(raw, at: offset + 4 + offsetSize, width: 4)))
        }
        guard length > 0 else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        guard let start = Int(exactly: address), start < bytes.count else {
            throw FormatError(path: path, tensor: attribute,
                              .malformed("string points at global heap address \(address), past the end of the file (\(bytes.count))"))
        }
        let objects = try collection(at: start, in: bytes, attribute: attribute)
        guard let range = objects[index] else {
            throw FormatError(path: path, tensor: attribute, byteOffset: start,
                              .malformed("string points at object \(index), absent from global heap collection at \(start)"))
        }
        guard range.count == length else {
            throw FormatError(path: path, tensor: attribute, byteOffset: range.lowerBound,
                              .malformed("string of \(length) bytes points at a global heap object of \(range.count)"))
        }
        return UnsafeRawBufferPointer(rebasing: bytes[range])
    }

    /// The objects of the collection at `start`, walked once and remembered.
    private mutating func collection(at start: Int, in bytes: UnsafeRawBufferPointer,
                                     attribute: String) throws(FormatError) -> [UInt32: Range<Int>] {
        if let known = collections[start] { return known }
        guard bytes.count - start >= collectionHeaderSize else {
            throw FormatError(path: path, tensor: attribute, byteOffset: start,
                              .truncated(neededBytes: collectionHeaderSize, remainingBytes: bytes.count - start))
        }
        guard bytes[start..<start + 4].elementsEqual(Self.signature) else {
            throw FormatError(path: path, tensor: attribute, byteOffset: start,
                              .badMagic(expected: "global heap signature GCOL",
                                        found: leadingHex(UnsafeRawBufferPointer(rebasing: bytes[start...]), count: 4)))
        }
        guard bytes[start + 4] == 1 else {
            throw FormatError(path: path, tensor: attribute, byteOffset: start,
                              .unsupported("global heap collection version \(bytes[start + 4])"))
        }
        let declared = HDF5Bytes.littleEndian(bytes, at: start + 8, width: lengthSize)
        guard let size = Int(exactly: declared), size >= collectionHeaderSize, size <= bytes.count - start else {
            throw FormatError(path: path, tensor: attribute, byteOffset: start,
                              .malformed("global heap collection of \(declared) bytes does not fit in the file (\(bytes.count) bytes)"))
        }
        let objects = try walk(collection: start, end: start + size, in: bytes, attribute: attribute)
        collections[start] = objects
        return objects
    }

    /// The objects of the collection at `start`, which ends at `end`; every step advances at least
    /// one object header, and the free space (or a tail too short for a header) must end at `end`.
    private mutating func walk(collection start: Int, end: Int, in bytes: UnsafeRawBufferPointer,
                               attribute: String) throws(FormatError) -> [UInt32: Range<Int>] {
        var objects: [UInt32: Range<Int>] = [:]
        var offset = start + collectionHeaderSize
        let collection = "global heap collection at \(start)"
        while end - offset >= objectHeaderSize {
            walkedObjects += 1
            guard walkedObjects <= bytes.count / objectHeaderSize else {
                throw FormatError(path: path, tensor: attribute, byteOffset: offset, .malformed("\(collection): collections claim more objects than the file holds"))
            }
            let index = UInt32(HDF5Bytes.littleEndian(bytes, at: offset, width: 2))
            let declared = HDF5Bytes.littleEndian(bytes, at: offset + 8, width: lengthSize)
            let room = end - offset - objectHeaderSize
            if index == 0 {
                guard declared == UInt64(end - offset) else {
                    throw FormatError(path: path, tensor: attribute, byteOffset: offset,
                                      .malformed("\(collection): free space of \(declared) bytes does not reach its end (\(end - offset) bytes left)"))
                }
                return objects
            }
            guard let size = Int(exactly: declared), size <= room, Self.padded(size) <= room else {
                throw FormatError(path: path, tensor: attribute, byteOffset: offset,
                                  .malformed("\(collection): object \(index) of \(declared) bytes runs past its end (\(room) bytes left)"))
            }
            guard objects[index] == nil else {
                throw FormatError(path: path, tensor: attribute, byteOffset: offset, .malformed("\(collection): object \(index) appears twice"))
            }
            let data = offset + objectHeaderSize
            objects[index] = data..<data + size
            offset = data + Self.padded(size)
        }
        return objects
    }

    /// `size` rounded up to the 8-byte alignment of global heap objects.
    private static func padded(_ size: Int) -> Int { (size + 7) & ~7 }
}

/// Fixed-width little-endian fields of HDF5 metadata, whose addresses and lengths are 2, 4 or 8 bytes.
enum HDF5Bytes {
    /// The `width`-byte little-endian unsigned integer at `offset`; the caller checked the bounds.
    static func littleEndian(_ bytes: UnsafeRawBufferPointer, at offset: Int, width: Int) -> UInt64 {
        var value: UInt64 = 0
        for i in (0..<width).reversed() { value = value << 8 | UInt64(bytes[offset + i]) }
        return value
    }
}
