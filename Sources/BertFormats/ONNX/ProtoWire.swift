import BertCore

/// A bounds-checked reader of the protobuf wire format over mapped bytes, for walking a model
/// without copying it: each field yields its number and value (varint, fixed, or a byte range
/// that stays a view). Offsets in errors are absolute offsets in the file.
struct ProtoWire {
    /// One field's value.
    enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        /// A length-delimited value: its byte range in the file.
        case bytes(Range<Int>)
    }

    let bytes: UnsafeRawBufferPointer
    let path: String
    private(set) var offset: Int
    let end: Int

    /// Fields of the message occupying `range` of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer, range: Range<Int>, path: String) {
        self.bytes = bytes
        self.path = path
        offset = range.lowerBound
        end = range.upperBound
    }

    /// The next field, or nil at the end of the message.
    mutating func next() throws(FormatError) -> (number: Int, value: Value)? {
        guard offset < end else { return nil }
        let start = offset
        let key = try varint()
        let number = Int(key >> 3)
        guard number > 0, number < 1 << 29 else {
            throw FormatError(path: path, byteOffset: start, .malformed("invalid protobuf field number \(number)"))
        }
        switch key & 7 {
        case 0: return (number, .varint(try varint()))
        case 1: return (number, .fixed64(try fixed(8)))
        case 5: return (number, .fixed32(UInt32(try fixed(4))))
        case 2:
            let length = try varint()
            guard length <= UInt64(end - offset) else {
                throw FormatError(path: path, byteOffset: offset,
                                  .truncated(neededBytes: Int(clamping: length), remainingBytes: end - offset))
            }
            let range = offset..<offset + Int(length)
            offset = range.upperBound
            return (number, .bytes(range))
        default:
            throw FormatError(path: path, byteOffset: start, .malformed("unsupported protobuf wire type \(key & 7)"))
        }
    }

    /// The bytes of a length-delimited value as a string.
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Int64 values of a repeated varint field, packed (`.bytes`) or not (`.varint`).
    func int64s(_ value: Value) throws(FormatError) -> [Int64] {
        switch value {
        case .varint(let v): return [Int64(bitPattern: v)]
        case .bytes(let range):
            var inner = ProtoWire(bytes, range: range, path: path)
            var values: [Int64] = []
            while inner.offset < inner.end { values.append(Int64(bitPattern: try inner.varint())) }
            return values
        default: throw FormatError(path: path, byteOffset: offset, .malformed("expected an integer field"))
        }
    }

    private mutating func varint() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        for shift in stride(from: 0, to: 64, by: 7) {
            guard offset < end else {
                throw FormatError(path: path, byteOffset: offset, .truncated(neededBytes: 1, remainingBytes: 0))
            }
            let byte = bytes[offset]
            offset += 1
            result |= UInt64(byte & 0x7F) << UInt64(shift)
            if byte & 0x80 == 0 { return result }
        }
        throw FormatError(path: path, byteOffset: offset, .malformed("protobuf varint longer than 10 bytes"))
    }

    private mutating func fixed(_ width: Int) throws(FormatError) -> UInt64 {
        guard end - offset >= width else {
            throw FormatError(path: path, byteOffset: offset, .truncated(neededBytes: width, remainingBytes: end - offset))
        }
        var value: UInt64 = 0
        for i in 0..<width { value |= UInt64(bytes[offset + i]) << UInt64(8 * i) }
        offset += width
        return value
    }
}
