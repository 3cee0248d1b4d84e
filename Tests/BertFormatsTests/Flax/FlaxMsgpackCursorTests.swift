import Testing
@testable import BertFormats
import BertCore
import TestSupport

/// One header decoded from inline bytes, and where the cursor stops.
private func header(_ bytes: [UInt8]) throws(FormatError) -> (MsgpackHeader, Int) {
    try bytes.withUnsafeBytes { raw in
        Result { () throws(FormatError) in
            var cursor = MsgpackCursor(bytes: raw, file: "inline.msgpack")
            return (try cursor.next(), cursor.offset)
        }
    }.get()
}

@Suite("MessagePack cursor")
struct FlaxMsgpackCursorTests {
    /// Every type byte of the spec, with the smallest and a sign-extending example where it matters.
    static let cases: [([UInt8], MsgpackHeader, Int)] = [
        ([0x00], .uint(0), 1),
        ([0x7f], .uint(127), 1),
        ([0xe0], .int(-32), 1),
        ([0xff], .int(-1), 1),
        ([0xc0], .nil, 1),
        ([0xc2], .bool(false), 1),
        ([0xc3], .bool(true), 1),
        ([0xcc, 0xff], .uint(255), 2),
        ([0xcd, 0x01, 0x00], .uint(256), 3),
        ([0xce, 0x00, 0x01, 0x00, 0x00], .uint(65536), 5),
        ([0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], .uint(UInt64.max), 9),
        ([0xd0, 0x80], .int(-128), 2),
        ([0xd1, 0xff, 0x00], .int(-256), 3),
        ([0xd2, 0x80, 0x00, 0x00, 0x00], .int(Int64(Int32.min)), 5),
        ([0xd3, 0x80, 0, 0, 0, 0, 0, 0, 0], .int(Int64.min), 9),
        ([0xca, 0x3f, 0xc0, 0x00, 0x00], .float(1.5), 5),
        ([0xcb, 0xc0, 0x04, 0, 0, 0, 0, 0, 0], .float(-2.5), 9),
        ([0xa3, 0x61, 0x62, 0x63], .string(1..<4), 4),
        ([0xd9, 0x01, 0x61], .string(2..<3), 3),
        ([0xda, 0x00, 0x01, 0x61], .string(3..<4), 4),
        ([0xdb, 0x00, 0x00, 0x00, 0x01, 0x61], .string(5..<6), 6),
        ([0xc4, 0x02, 0x01, 0x02], .binary(2..<4), 4),
        ([0xc5, 0x00, 0x01, 0x09], .binary(3..<4), 4),
        ([0xc6, 0x00, 0x00, 0x00, 0x01, 0x09], .binary(5..<6), 6),
        ([0x92, 0x01, 0x02], .array(count: 2), 1),
        ([0xdc, 0x00, 0x01, 0xc0], .array(count: 1), 3),
        ([0xdd, 0x00, 0x00, 0x00, 0x01, 0xc0], .array(count: 1), 5),
        ([0x81, 0xa1, 0x61, 0xc0], .map(count: 1), 1),
        ([0xde, 0x00, 0x01, 0xa1, 0x61, 0xc0], .map(count: 1), 3),
        ([0xdf, 0x00, 0x00, 0x00, 0x01, 0xa1, 0x61, 0xc0], .map(count: 1), 5),
        ([0xd4, 0x01, 0xaa], .ext(type: 1, payload: 2..<3), 3),
        ([0xd5, 0x02, 0xaa, 0xbb], .ext(type: 2, payload: 2..<4), 4),
        ([0xd6, 0xff] + [UInt8](repeating: 0, count: 4), .ext(type: -1, payload: 2..<6), 6),
        ([0xd7, 0x03] + [UInt8](repeating: 0, count: 8), .ext(type: 3, payload: 2..<10), 10),
        ([0xd8, 0x03] + [UInt8](repeating: 0, count: 16), .ext(type: 3, payload: 2..<18), 18),
        ([0xc7, 0x01, 0x05, 0xaa], .ext(type: 5, payload: 3..<4), 4),
        ([0xc8, 0x00, 0x01, 0x05, 0xaa], .ext(type: 5, payload: 4..<5), 5),
        ([0xc9, 0x00, 0x00, 0x00, 0x01, 0x05, 0xaa], .ext(type: 5, payload: 6..<7), 7),
    ]

    @Test("every type byte decodes", arguments: cases)
    func decodes(bytes: [UInt8], expected: MsgpackHeader, endOffset: Int) throws {
        let (decoded, offset) = try header(bytes)
        #expect(decoded == expected)
        #expect(offset == endOffset)
    }

    @Test("every scalar, str, bin and ext cut by one byte is truncated at offset 0",
          arguments: cases.filter { $0.0.count > 1 && $0.2 == $0.0.count })
    func truncated(bytes: [UInt8], expected: MsgpackHeader, endOffset: Int) {
        let cut = Array(bytes.dropLast())
        #expect {
            _ = try header(cut)
        } throws: { error in
            guard let error = error as? FormatError, case .truncated = error.kind else { return false }
            return error.byteOffset == 0
        }
    }

    @Test("reserved type byte 0xc1 is refused with its offset")
    func reserved() {
        #expect(throws: FormatError(path: "inline.msgpack", byteOffset: 0, .malformed("reserved msgpack type byte 0xc1"))) {
            _ = try header([0xc1])
        }
    }

    @Test("an array count above the bytes left is refused before allocation")
    func hugeCount() {
        #expect(throws: FormatError(path: "inline.msgpack", byteOffset: 0, .truncated(neededBytes: 0xffff_ffff, remainingBytes: 0))) {
            _ = try header([0xdd, 0xff, 0xff, 0xff, 0xff])
        }
        #expect(throws: FormatError(path: "inline.msgpack", byteOffset: 0, .truncated(neededBytes: 2 * 0xffff, remainingBytes: 1))) {
            _ = try header([0xde, 0xff, 0xff, 0xc0])
        }
    }

    @Test("a str with a length past the end is truncated, naming the bytes needed")
    func longString() {
        #expect(throws: FormatError(path: "inline.msgpack", byteOffset: 0, .truncated(neededBytes: 2 + 200, remainingBytes: 4))) {
            _ = try header([0xd9, 200, 0x61, 0x62])
        }
    }

    @Test("skipValue skips nested containers whole")
    func skip() throws {
        let bytes: [UInt8] = Pack.map([("a", Pack.array([Pack.uint(1), Pack.map([("b", Pack.bin([1, 2]))])]))]) + [0xc3]
        try bytes.withUnsafeBytes { raw throws in
            var cursor = MsgpackCursor(bytes: raw, file: "inline.msgpack")
            try cursor.skipValue()
            #expect(try cursor.next() == .bool(true))
            #expect(cursor.remaining == 0)
        }
    }

    @Test("invalid UTF-8 in a str is refused")
    func invalidUTF8() throws {
        try ([0xa2, 0xc3, 0x28] as [UInt8]).withUnsafeBytes { raw throws in
            var cursor = MsgpackCursor(bytes: raw, file: "inline.msgpack")
            guard case .string(let range) = try cursor.next() else { Issue.record("not a str"); return }
            #expect(throws: FormatError(path: "inline.msgpack", byteOffset: 1, .malformed("msgpack str is not valid UTF-8"))) {
                _ = try cursor.text(range)
            }
        }
    }
}
