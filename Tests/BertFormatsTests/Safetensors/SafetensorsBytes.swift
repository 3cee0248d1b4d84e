/// Builds safetensors files byte by byte for hostile-input tests (as candle's gguf tests do).
enum SafetensorsBytes {
    /// `header` (raw JSON text) with its 8-byte little-endian length prefix, then `data`.
    static func file(header: String, data: [UInt8] = [], declaredLength: UInt64? = nil) -> [UInt8] {
        let json = Array(header.utf8)
        let length = declaredLength ?? UInt64(json.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) } + json + data
    }

    /// One F32 tensor entry.
    static func entry(_ name: String, shape: [Int], _ begin: Int, _ end: Int, dtype: String = "F32") -> String {
        #""\#(name)": {"dtype": "\#(dtype)", "shape": \#(shape), "data_offsets": [\#(begin), \#(end)]}"#
    }

    static func floats(_ values: [Float]) -> [UInt8] {
        values.flatMap { v in (0..<4).map { UInt8(truncatingIfNeeded: v.bitPattern >> (8 * $0)) } }
    }
}
