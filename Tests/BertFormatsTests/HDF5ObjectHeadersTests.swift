import BertCore
import Testing
@testable import BertFormats

/// Object headers built byte by byte (8-byte addresses and lengths).
@Suite("HDF5 object headers are checked before libhdf5 reads them")
struct HDF5ObjectHeadersTests {
    static func le(_ value: UInt64, _ width: Int) -> [UInt8] { (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }

    /// A version 1 message of `type` with `data` padded to 8 bytes.
    static func message1(_ type: UInt16, _ data: [UInt8]) -> [UInt8] {
        let padded = data + [UInt8](repeating: 0, count: (8 - data.count % 8) % 8)
        return le(UInt64(type), 2) + le(UInt64(padded.count), 2) + [0, 0, 0, 0] + padded
    }

    /// A version 1 header at offset 0 holding `messages`, then `tail` bytes.
    static func header1(_ messages: [UInt8], tail: [UInt8] = []) -> [UInt8] {
        [1, 0] + le(1, 2) + le(1, 4) + le(UInt64(messages.count), 4) + [0, 0, 0, 0] + messages + tail
    }

    static func continuation(_ address: UInt64, _ length: UInt64) -> [UInt8] { le(address, 8) + le(length, 8) }

    static func error(_ file: [UInt8], at address: UInt64 = 0) -> FormatError? {
        var headers = HDF5ObjectHeaders(path: "w.h5", offsetSize: 8, lengthSize: 8)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: file.count, alignment: 8)
        defer { bytes.deallocate() }
        bytes.copyBytes(from: file)
        do { try headers.check(address, in: UnsafeRawBufferPointer(bytes), object: "bert") } catch { return error }
        return nil
    }

    @Test("a header whose continuation lies inside the file passes")
    func valid() {
        // Header (16) + continuation message (24) = 40; the continuation chunk holds one null message.
        let file = Self.header1(Self.message1(0x10, Self.continuation(40, 16)), tail: Self.message1(0, [0, 0, 0, 0, 0, 0, 0, 0]))
        #expect(Self.error(file) == nil)
    }

    @Test("a continuation length past the file (libhdf5 allocates it first) is refused")
    func continuationPastEnd() {
        let length: UInt64 = 0x6B00_0000_0000_02D8  // what FuzzKerasH5 found in a tf_model.h5
        let error = Self.error(Self.header1(Self.message1(0x10, Self.continuation(40, length))))
        #expect(error?.kind == .malformed("object header continuation of \(length) bytes at 40 runs past the end of the file (40)"))
        #expect(error?.tensor == "bert")
        #expect(error?.byteOffset == 24)
    }

    @Test("a first chunk, a message or an address past the end is refused")
    func bounds() {
        var file = Self.header1(Self.message1(0, [0, 0, 0, 0, 0, 0, 0, 0]))
        file.replaceSubrange(8..<12, with: Self.le(1 << 20, 4))
        #expect(Self.error(file)?.kind == .malformed("object header chunk of 1048576 bytes at 16 runs past the end of the file (32)"))
        var message = Self.header1(Self.message1(0, [0, 0, 0, 0, 0, 0, 0, 0]))
        message.replaceSubrange(18..<20, with: Self.le(64, 2))
        #expect(Self.error(message)?.kind == .malformed("object header message of 64 bytes runs past its chunk (8 bytes left)"))
        #expect(Self.error(file, at: 1 << 40)?.kind == .malformed("object header address 1099511627776 is past the end of the file (32)"))
        #expect(Self.error([2] + [UInt8](repeating: 0, count: 15))?.kind == .malformed("object header version 2 (expected 1, or OHDR)"))
    }

    @Test("a continuation back to its own chunk is refused, not walked forever")
    func cycle() {
        let error = Self.error(Self.header1(Self.message1(0x10, Self.continuation(16, 24))))
        #expect(error?.kind == .malformed("object header chunks are shared or form a cycle"))
    }

    @Test("a symbol table's local heap must hold its data inside the file")
    func localHeap() {
        let heap = Array("HEAP".utf8) + [0, 0, 0, 0] + Self.le(1 << 30, 8) + Self.le(0, 8) + Self.le(88, 8)
        let file = Self.header1(Self.message1(0x11, Self.le(0, 8) + Self.le(40, 8)), tail: heap)
        #expect(Self.error(file)?.kind == .malformed("local heap data of 1073741824 bytes at 88 runs past the end of the file (72)"))
        #expect(Self.error(Self.header1(Self.message1(0x11, Self.le(0, 8) + Self.le(16, 8))))?.kind
            == .malformed("symbol table's local heap at 16 is not a local heap inside the file"))
    }

    @Test("version 2 headers: the first chunk and OCHK continuations are checked")
    func version2() {
        // OHDR, version 2, flags 0 (1-byte chunk size), chunk of one continuation message, checksum.
        func ohdr(_ continuation: [UInt8], tail: [UInt8] = []) -> [UInt8] {
            let message = [0x10] + Self.le(16, 2) + [0] + continuation
            return Array("OHDR".utf8) + [2, 0, UInt8(message.count)] + message + [0, 0, 0, 0] + tail
        }
        let ochk = Array("OCHK".utf8) + [0, 0, 0, 0] + [0, 0, 0, 0]  // signature, one 4-byte gap, checksum
        #expect(Self.error(ohdr(Self.continuation(31, 12), tail: ochk)) == nil)
        #expect(Self.error(ohdr(Self.continuation(31, 12), tail: [UInt8](repeating: 0, count: 12)))?.kind
            == .malformed("object header continuation chunk lacks its OCHK signature"))
        #expect(Self.error(ohdr(Self.continuation(31, 1 << 40)))?.kind
            == .malformed("object header continuation of 1099511627776 bytes at 31 runs past the end of the file (31)"))
        var big = ohdr(Self.continuation(31, 12), tail: ochk)
        big[6] = 200
        #expect(Self.error(big)?.kind == .malformed("object header chunk of 200 bytes at 7 runs past the end of the file (43)"))
    }

    /// A version 1 attribute message named "a" with a 4-byte float datatype, a simple dataspace of
    /// `extent` elements (rank 1) and `data` bytes of data.
    static func attribute(extent: UInt64, data: Int, dataspaceSize: UInt16 = 16) -> [UInt8] {
        let datatype: [UInt8] = [0x11, 0x20, 0x1F, 0x00] + le(4, 4)
        let dataspace: [UInt8] = [1, 1, 0, 0, 0, 0, 0, 0] + le(extent, 8)
        let body = [1, 0] + le(2, 2) + le(UInt64(datatype.count), 2) + le(UInt64(dataspaceSize), 2)
            + [0x61, 0, 0, 0, 0, 0, 0, 0] + datatype + dataspace + [UInt8](repeating: 0, count: data)
        return message1(0x0C, body)
    }

    @Test("an attribute message's parts and data must fit in it (libhdf5 copies them unchecked)")
    func attributes() {
        #expect(Self.error(Self.header1(Self.attribute(extent: 2, data: 8))) == nil)
        #expect(Self.error(Self.header1(Self.attribute(extent: 3, data: 8)))?.kind
            == .malformed("attribute data of 3 × 4 bytes overruns the message (8 bytes left)"))
        #expect(Self.error(Self.header1(Self.attribute(extent: 2, data: 8, dataspaceSize: 7679)))?.kind
            == .malformed("attribute message parts of 7704 bytes overrun the message (48 bytes)"))
        #expect(Self.error(Self.header1(Self.attribute(extent: UInt64(Int.max), data: 8)))?.kind
            == .malformed("attribute data of \(Int.max) × 4 bytes overruns the message (8 bytes left)"))
    }
}
