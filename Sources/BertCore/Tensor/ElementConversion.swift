/// Converts between float encodings; F16 and BF16 narrowing rounds to nearest even, as PyTorch does.
enum ElementConversion {
    static func toFloat32(_ raw: UnsafeRawBufferPointer, dtype: DType, count: Int, into out: UnsafeMutablePointer<Float>) {
        switch dtype {
        case .f32:
            UnsafeMutableRawPointer(out).copyMemory(from: raw.baseAddress!, byteCount: count * 4)
        case .f16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                out[i] = Float(Float16(bitPattern: bits))
            }
        case .bf16:
            for i in 0..<count {
                let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: i * 2, as: UInt16.self))
                out[i] = Float(bitPattern: UInt32(bits) << 16)
            }
        case .i8:
            for i in 0..<count { out[i] = Float(raw.load(fromByteOffset: i, as: Int8.self)) }
        case .i32:
            for i in 0..<count {
                out[i] = Float(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
            }
        case .i64:
            for i in 0..<count {
                out[i] = Float(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self)))
            }
        }
    }

    static func fromFloat32(_ values: [Float], to dtype: DType, into out: UnsafeMutableRawBufferPointer) {
        switch dtype {
        case .f16:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: Float16(v).bitPattern.littleEndian, toByteOffset: i * 2, as: UInt16.self)
            }
        case .bf16:
            for (i, v) in values.enumerated() {
                out.storeBytes(of: bfloat16Bits(v).littleEndian, toByteOffset: i * 2, as: UInt16.self)
            }
        case .f32:
            values.withUnsafeBytes { out.copyMemory(from: $0) }
        case .i8, .i32, .i64:
            preconditionFailure("integer targets are the quantizer's business")
        }
    }

    /// BF16 bits of `value`, rounded to nearest even; NaN stays a quiet NaN.
    static func bfloat16Bits(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40) }
        let rounding = UInt32(0x7FFF) + ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }
}
