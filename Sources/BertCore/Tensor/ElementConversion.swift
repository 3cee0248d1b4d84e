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

/// Cache-blocked 2-D transpose for any element width; 1-, 2-, 4- and 8-byte elements move as
/// integers (a per-element `copyMemory` call made the transpose most of a bert-base conversion).
enum Transpose {
    static let block = 32

    static func blocked(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer,
                        rows: Int, cols: Int, width: Int) {
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        switch width {
        case 1: blocked(s, d, rows: rows, cols: cols, as: UInt8.self)
        case 2: blocked(s, d, rows: rows, cols: cols, as: UInt16.self)
        case 4: blocked(s, d, rows: rows, cols: cols, as: UInt32.self)
        case 8: blocked(s, d, rows: rows, cols: cols, as: UInt64.self)
        default:
            for r0 in stride(from: 0, to: rows, by: block) {
                for c0 in stride(from: 0, to: cols, by: block) {
                    for r in r0..<min(r0 + block, rows) {
                        for c in c0..<min(c0 + block, cols) {
                            (d + (c * rows + r) * width).copyMemory(from: s + (r * cols + c) * width, byteCount: width)
                        }
                    }
                }
            }
        }
    }

    // SAFETY: callers pass buffers of rows × cols elements; loads are unaligned because mapped
    // tensor data (msgpack, HDF5) need not be aligned.
    @_specialize(where Element == UInt32)
    @_specialize(where Element == UInt16)
    private static func blocked<Element: FixedWidthInteger>(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer,
                                                            rows: Int, cols: Int, as: Element.Type) {
        let width = MemoryLayout<Element>.size
        for r0 in stride(from: 0, to: rows, by: block) {
            let r1 = min(r0 + block, rows)
            for c0 in stride(from: 0, to: cols, by: block) {
                let c1 = min(c0 + block, cols)
                for r in r0..<r1 {
                    let row = s + r * cols * width
                    for c in c0..<c1 {
                        d.storeBytes(of: row.loadUnaligned(fromByteOffset: c * width, as: Element.self),
                                     toByteOffset: (c * rows + r) * width, as: Element.self)
                    }
                }
            }
        }
    }
}
