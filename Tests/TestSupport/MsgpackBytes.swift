// MessagePack test bytes, shared by the flax reader tests and the CLI tests.

/// A minimal MessagePack writer for inline test bytes, picking the formats flax's msgpack-python
/// writes (smallest header that fits), plus helpers for flax's ndarray and chunked-array forms.
public enum Pack {
    public static func uint(_ value: UInt64) -> [UInt8] {
        switch value {
        case 0...0x7f: [UInt8(value)]
        case 0...0xff: [0xcc, UInt8(value)]
        case 0...0xffff: [0xcd] + be(value, 2)
        case 0...0xffff_ffff: [0xce] + be(value, 4)
        default: [0xcf] + be(value, 8)
        }
    }

    public static func str(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        return (utf8.count < 32 ? [0xa0 | UInt8(utf8.count)] : [0xd9, UInt8(utf8.count)]) + utf8
    }

    public static func bin(_ bytes: [UInt8]) -> [UInt8] {
        (bytes.count <= 0xff ? [0xc4, UInt8(bytes.count)] : [0xc5] + be(UInt64(bytes.count), 2)) + bytes
    }

    public static func array(_ items: [[UInt8]]) -> [UInt8] {
        precondition(items.count < 16)
        return [0x90 | UInt8(items.count)] + items.flatMap { $0 }
    }

    public static func map(_ entries: [(String, [UInt8])]) -> [UInt8] {
        precondition(entries.count < 16)
        return [0x80 | UInt8(entries.count)] + entries.flatMap { str($0.0) + $0.1 }
    }

    public static func ext(_ type: Int8, _ payload: [UInt8]) -> [UInt8] {
        let code = UInt8(bitPattern: type)
        if payload.count <= 0xff { return [0xc7, UInt8(payload.count), code] + payload }
        return [0xc8] + be(UInt64(payload.count), 2) + [code] + payload
    }

    /// flax's ndarray extension: ext 1 holding msgpack `(shape, dtype name, buffer)`.
    public static func ndarray(_ shape: [Int], _ dtype: String, _ data: [UInt8], type: Int8 = 1) -> [UInt8] {
        ext(type, array([array(shape.map { uint(UInt64($0)) }), str(dtype), bin(data)]))
    }

    /// An F32 ndarray holding `values`.
    public static func floats(_ values: [Float], shape: [Int]) -> [UInt8] {
        ndarray(shape, "float32", values.flatMap { le($0.bitPattern) })
    }

    /// flax's chunked-array map for a float32 array split into `chunks`.
    public static func chunked(shape: [Int], chunks: [[Float]]) -> [UInt8] {
        map([
            ("__msgpack_chunked_array__", [0xc3]),
            ("shape", map(shape.enumerated().map { (String($0.offset), uint(UInt64($0.element))) })),
            ("chunks", map(chunks.enumerated().map { (String($0.offset), floats($0.element, shape: [$0.element.count])) })),
        ])
    }

    public static func be(_ value: UInt64, _ width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    public static func le(_ value: UInt32) -> [UInt8] {
        (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * UInt32($0))) }
    }
}

/// Where `needle` first occurs in `bytes` (test bytes are built so that the first hit is the one meant).
public func offset(of needle: [UInt8], in bytes: [UInt8]) -> Int {
    (0...(bytes.count - needle.count)).first { Array(bytes[$0..<$0 + needle.count]) == needle }!
}
