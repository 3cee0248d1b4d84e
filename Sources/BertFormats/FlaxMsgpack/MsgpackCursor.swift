import BertCore

/// One MessagePack value's header, as the spec (github.com/msgpack/msgpack/blob/master/spec.md)
/// defines the type bytes. Strings, binaries and extensions are byte ranges of the input (absolute
/// offsets), never copies; arrays and maps give their element count and the cursor stops at the
/// first element.
enum MsgpackHeader: Equatable, Sendable {
    case `nil`
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case string(Range<Int>)
    case binary(Range<Int>)
    case array(count: Int)
    case map(count: Int)
    case ext(type: Int8, payload: Range<Int>)

    /// The value when it is an integer that fits `Int` and is not negative (a dimension, a count).
    var nonNegativeInt: Int? {
        switch self {
        case .uint(let value): Int(exactly: value)
        case .int(let value): value >= 0 ? Int(exactly: value) : nil
        default: nil
        }
    }

    /// The spec's name of the value's family, for messages.
    var familyName: String {
        switch self {
        case .nil: "nil"
        case .bool: "bool"
        case .int, .uint: "int"
        case .float: "float"
        case .string: "str"
        case .binary: "bin"
        case .array: "array"
        case .map: "map"
        case .ext(let type, _): "ext type \(type)"
        }
    }
}

/// A pull decoder over MessagePack bytes: reads one header at a time, checking every length
/// against the bytes left in its region before anything is allocated. Errors are `FormatError`s
/// naming `file`, the byte offset and the key path the caller keeps in `keyPath`.
struct MsgpackCursor {
    /// The whole input; offsets are absolute within it.
    let bytes: UnsafeRawBufferPointer
    /// The next byte to read.
    private(set) var offset: Int
    /// One past the last byte of this cursor's region (the file, or one extension payload).
    let end: Int
    /// The file being read, for messages.
    let file: String
    /// The map keys leading to the value being read, for messages.
    var keyPath: [String] = []

    init(bytes: UnsafeRawBufferPointer, file: String, region: Range<Int>? = nil) {
        self.bytes = bytes
        self.file = file
        offset = region?.lowerBound ?? 0
        end = region?.upperBound ?? bytes.count
    }

    /// Bytes left in the region.
    var remaining: Int { end - offset }

    /// The key path joined with `/`, as flax's `flatten_dict(sep="/")` and HF's shard index spell it.
    var keyPathText: String? { keyPath.isEmpty ? nil : keyPath.joined(separator: "/") }

    /// An error at `byteOffset` naming the current key path.
    func error(at byteOffset: Int, _ kind: FormatError.Kind) -> FormatError {
        FormatError(path: file, tensor: keyPathText, byteOffset: byteOffset, kind)
    }

    /// Reads the next header and moves past it (and past a str/bin/ext payload).
    mutating func next() throws(FormatError) -> MsgpackHeader {
        let start = offset
        let type = try take(1, at: start).first!
        switch type {
        case 0x00...0x7f: return .uint(UInt64(type))
        case 0x80...0x8f: return try container(.map, count: Int(type & 0x0f), at: start)
        case 0x90...0x9f: return try container(.array, count: Int(type & 0x0f), at: start)
        case 0xa0...0xbf: return .string(try payload(Int(type & 0x1f), at: start))
        case 0xc0: return .nil
        case 0xc2: return .bool(false)
        case 0xc3: return .bool(true)
        case 0xc4, 0xc5, 0xc6:
            let count = try length(width: 1 << (type - 0xc4), at: start)
            return .binary(try payload(count, at: start))
        case 0xc7, 0xc8, 0xc9:
            let count = try length(width: 1 << (type - 0xc7), at: start)
            let code = Int8(bitPattern: try take(1, at: start).first!)
            return .ext(type: code, payload: try payload(count, at: start))
        case 0xca: return .float(Double(Float(bitPattern: UInt32(try bigEndian(4, at: start)))))
        case 0xcb: return .float(Double(bitPattern: try bigEndian(8, at: start)))
        case 0xcc, 0xcd, 0xce, 0xcf: return .uint(try bigEndian(1 << (type - 0xcc), at: start))
        case 0xd0, 0xd1, 0xd2, 0xd3:
            let width = 1 << (type - 0xd0)
            let raw = try bigEndian(width, at: start)
            let shift = UInt64(64 - 8 * width)
            return .int(Int64(bitPattern: raw << shift) >> shift)
        case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8:
            let code = Int8(bitPattern: try take(1, at: start).first!)
            return .ext(type: code, payload: try payload(1 << (type - 0xd4), at: start))
        case 0xd9, 0xda, 0xdb:
            let count = try length(width: 1 << (type - 0xd9), at: start)
            return .string(try payload(count, at: start))
        case 0xdc, 0xdd:
            let count = try length(width: 2 << (type - 0xdc), at: start)
            return try container(.array, count: count, at: start)
        case 0xde, 0xdf:
            let count = try length(width: 2 << (type - 0xde), at: start)
            return try container(.map, count: count, at: start)
        case 0xe0...0xff: return .int(Int64(Int8(bitPattern: type)))
        default: throw error(at: start, .malformed("reserved msgpack type byte 0xc1"))
        }
    }

    /// Skips one whole value, nested arrays and maps included, without recursion.
    mutating func skipValue() throws(FormatError) {
        var pending = 1
        while pending > 0 {
            pending -= 1
            switch try next() {
            case .array(let count): pending += count
            case .map(let count): pending += 2 * count
            default: break
            }
        }
    }

    /// Moves to `byteOffset`, which an earlier header of this cursor returned.
    mutating func seek(to byteOffset: Int) {
        precondition(byteOffset >= 0 && byteOffset <= end)
        offset = byteOffset
    }

    /// The text of a str payload; invalid UTF-8 is an error, not replaced.
    func text(_ range: Range<Int>) throws(FormatError) -> String {
        // SAFETY: `range` came from `payload`, which checked it against the region.
        guard let text = String(validating: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw error(at: range.lowerBound, .malformed("msgpack str is not valid UTF-8"))
        }
        return text
    }

    private enum ContainerKind { case array, map }

    /// An array or map header, after checking that its elements could fit: every element takes at
    /// least one byte, so a count above the bytes left is refused before anyone reserves storage.
    private func container(_ kind: ContainerKind, count: Int, at start: Int) throws(FormatError) -> MsgpackHeader {
        let minimumBytes = kind == .map ? count * 2 : count
        guard minimumBytes <= remaining else {
            throw error(at: start, .truncated(neededBytes: minimumBytes, remainingBytes: remaining))
        }
        return kind == .map ? .map(count: count) : .array(count: count)
    }

    /// Takes `count` bytes, or throws `truncated` naming the header that needed them.
    private mutating func take(_ count: Int, at start: Int) throws(FormatError) -> UnsafeRawBufferPointer.SubSequence {
        guard count <= remaining else {
            throw error(at: start, .truncated(neededBytes: offset - start + count, remainingBytes: end - start))
        }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// A big-endian unsigned integer of `width` bytes.
    private mutating func bigEndian(_ width: Int, at start: Int) throws(FormatError) -> UInt64 {
        try take(width, at: start).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A length field of `width` bytes (at most 4, so it always fits `Int`).
    private mutating func length(width: Int, at start: Int) throws(FormatError) -> Int {
        Int(try bigEndian(width, at: start))
    }

    /// The range of a `count`-byte payload, after checking it lies inside the region.
    private mutating func payload(_ count: Int, at start: Int) throws(FormatError) -> Range<Int> {
        let begin = offset
        _ = try take(count, at: start)
        return begin..<begin + count
    }
}
