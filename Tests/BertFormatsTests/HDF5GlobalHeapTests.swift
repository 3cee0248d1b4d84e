import BertCore
import Testing
@testable import BertFormats

/// Global heap collections built byte by byte (8-byte addresses and lengths, as h5py writes them).
@Suite("HDF5 global heap collections are walked with every size checked")
struct HDF5GlobalHeapTests {
    /// Where the collection starts in the test file: after some unrelated bytes.
    static let start = 24

    /// A file of `start` filler bytes and one collection of `size` bytes holding `objects`, ended
    /// by free space that declares `freeSize` bytes (by default exactly the rest).
    static func file(_ objects: [(index: UInt16, bytes: [UInt8])], size: Int = 256, freeSize: UInt64? = nil,
                     version: UInt8 = 1, signature: String = "GCOL") -> [UInt8] {
        var out = [UInt8](repeating: 0xEE, count: start) + Array(signature.utf8) + [version, 0, 0, 0] + le(UInt64(size), 8)
        for (index, bytes) in objects {
            out += le(UInt64(index), 2) + [1, 0, 0, 0, 0, 0] + le(UInt64(bytes.count), 8) + bytes
            out += [UInt8](repeating: 0, count: (8 - bytes.count % 8) % 8)
        }
        let left = start + size - out.count
        out += [0, 0, 0, 0, 0, 0, 0, 0] + le(freeSize ?? UInt64(left), 8)
        return out + [UInt8](repeating: 0, count: max(0, start + size - out.count))
    }

    static func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A stored descriptor: length, collection address, object index.
    static func descriptor(length: Int, address: Int = start, index: UInt32) -> [UInt8] {
        le(UInt64(length), 4) + le(UInt64(address), 8) + le(UInt64(index), 4)
    }

    /// The strings `descriptors` name in `file`, or the error.
    static func resolve(_ file: [UInt8], _ descriptors: [[UInt8]]) throws(FormatError) -> [String] {
        var heap = HDF5GlobalHeap(path: "w.h5", offsetSize: 8, lengthSize: 8)
        let raw = descriptors.flatMap { $0 }
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: file.count, alignment: 8)
        defer { bytes.deallocate() }
        bytes.copyBytes(from: file)
        return try (0..<descriptors.count).map { (i) throws(FormatError) -> String in
            let object = try heap.object(raw, at: i * heap.descriptorSize, in: UnsafeRawBufferPointer(bytes), attribute: "layer_names")
            return String(decoding: object, as: UTF8.self)
        }
    }

    static func error(_ file: [UInt8], _ descriptors: [UInt8]...) -> FormatError? { error(file, all: descriptors) }

    static func error(_ file: [UInt8], all descriptors: [[UInt8]]) -> FormatError? {
        do { _ = try resolve(file, descriptors) } catch { return error }
        return nil
    }

    @Test("strings resolve from their objects; an empty string needs no heap")
    func resolves() throws {
        let file = Self.file([(1, Array("bert".utf8)), (2, Array("nsp___cls".utf8))])
        let names = try Self.resolve(file, [Self.descriptor(length: 9, index: 2), Self.descriptor(length: 4, index: 1),
                                            Self.descriptor(length: 0, address: 1 << 40, index: 7)])
        #expect(names == ["nsp___cls", "bert", ""])
    }

    @Test("free space declared empty (libhdf5 1.10 loops forever on it) is refused")
    func emptyFreeSpace() {
        let error = Self.error(Self.file([(1, Array("bert".utf8))], freeSize: 0), Self.descriptor(length: 4, index: 1))
        #expect(error?.kind == .malformed("global heap collection at 24: free space of 0 bytes does not reach its end (216 bytes left)"))
        #expect(error?.tensor == "layer_names")
        #expect(error?.byteOffset == 64)
    }

    @Test("an object larger than its collection is refused", arguments: [UInt64(300), 1 << 63, UInt64.max])
    func objectPastEnd(_ size: UInt64) {
        var file = Self.file([(1, Array("bert".utf8))])
        file.replaceSubrange(Self.start + 24..<Self.start + 32, with: Self.le(size, 8))
        let error = Self.error(file, Self.descriptor(length: 4, index: 1))
        #expect(error?.kind == .malformed("global heap collection at 24: object 1 of \(size) bytes runs past its end (224 bytes left)"))
        #expect(error?.byteOffset == Self.start + 16)
    }

    @Test("an object index used twice is refused")
    func duplicateIndex() {
        let error = Self.error(Self.file([(1, [0x61]), (1, [0x62])]), Self.descriptor(length: 1, index: 1))
        #expect(error?.kind == .malformed("global heap collection at 24: object 1 appears twice"))
    }

    @Test("a descriptor must name an object of its own length inside the file")
    func descriptorChecks() {
        let file = Self.file([(1, Array("bert".utf8))])
        #expect(Self.error(file, Self.descriptor(length: 4, index: 3))?.kind
            == .malformed("string points at object 3, absent from global heap collection at 24"))
        #expect(Self.error(file, Self.descriptor(length: 5, index: 1))?.kind
            == .malformed("string of 5 bytes points at a global heap object of 4"))
        #expect(Self.error(file, Self.descriptor(length: 4, address: 1 << 40, index: 1))?.kind
            == .malformed("string points at global heap address 1099511627776, past the end of the file (280)"))
        #expect(Self.error(file, Self.descriptor(length: 4, address: file.count - 4, index: 1))?.kind
            == .truncated(neededBytes: 16, remainingBytes: 4))
    }

    @Test("the collection header is checked: signature, version, size")
    func header() {
        let descriptor = Self.descriptor(length: 1, index: 1)
        #expect(Self.error(Self.file([(1, [0x61])], signature: "GCOX"), descriptor)?.kind
            == .badMagic(expected: "global heap signature GCOL", found: "47434f58"))
        #expect(Self.error(Self.file([(1, [0x61])], version: 2), descriptor)?.kind == .unsupported("global heap collection version 2"))
        var file = Self.file([(1, [0x61])])
        file.replaceSubrange(Self.start + 8..<Self.start + 16, with: Self.le(1 << 62, 8))
        #expect(Self.error(file, descriptor)?.kind
            == .malformed("global heap collection of 4611686018427387904 bytes does not fit in the file (280 bytes)"))
    }

    @Test("collections nested in each other's objects cannot make the walks quadratic")
    func nestedCollections() {
        // A collection whose every object's data is the header of another collection running to the
        // end of the file: each walks the rest, k²/2 object headers in a file of 32k bytes.
        let count = 64
        let size = 32 + 32 * count
        func header(_ at: Int) -> [UInt8] { Array("GCOL".utf8) + [1, 0, 0, 0] + Self.le(UInt64(size - at), 8) }
        var file = header(0)
        for unit in 0..<count {
            file += Self.le(UInt64(unit + 1), 2) + [1, 0, 0, 0, 0, 0] + Self.le(16, 8) + header(file.count + 16)
        }
        file += [0, 0, 0, 0, 0, 0, 0, 0] + Self.le(16, 8)
        let descriptors = (0..<count - 1).map { Self.descriptor(length: 16, address: 32 + 32 * $0, index: UInt32($0 + 2)) }
        #expect(Self.error(file, descriptors[0])?.kind == nil)
        #expect(Self.error(file, descriptors[count - 2])?.kind == nil)
        let error = Self.error(file, all: [Self.descriptor(length: 16, address: 0, index: 1)] + descriptors)
        #expect(error?.kind == .malformed("global heap collection at 64: collections claim more objects than the file holds"))
    }
}
