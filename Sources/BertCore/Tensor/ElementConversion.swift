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

/// Cache-blocked 2-D transpose for any element width; 1, 2, 4 and 8-byte elements move as one
/// load and store each (a `copyMemory` per element costs a `memmove` call per element).
enum Transpose {
    /// Writes source columns `columns` of `src` (`[rows, cols]`) as the rows of `dst`
    /// (`[columns.count, rows]`): the whole transpose, or a slab of it.
    static func blocked(_ src: UnsafeRawBufferPointer, into dst: UnsafeMutableRawBufferPointer,
                        rows: Int, cols: Int, width: Int, columns: Range<Int>? = nil) {
        guard let s = src.baseAddress, let d = dst.baseAddress else { return }
        let columns = columns ?? 0..<cols
        switch width {
        case 1: blocked(s, d, rows: rows, cols: cols, columns: columns, as: UInt8.self)
        case 2: blocked(s, d, rows: rows, cols: cols, columns: columns, as: UInt16.self)
        case 4: blocked(s, d, rows: rows, cols: cols, columns: columns, as: UInt32.self)
        case 8: blocked(s, d, rows: rows, cols: cols, columns: columns, as: UInt64.self)
        default:
            forEachBlock(rows: rows, columns: columns) { r, c in
                (d + ((c - columns.lowerBound) * rows + r) * width).copyMemory(from: s + (r * cols + c) * width, byteCount: width)
            }
        }
    }

    @inline(__always)
    private static func blocked<T: FixedWidthInteger>(_ s: UnsafeRawPointer, _ d: UnsafeMutableRawPointer,
                                                      rows: Int, cols: Int, columns: Range<Int>, as type: T.Type) {
        let width = MemoryLayout<T>.size, first = columns.lowerBound
        // SAFETY: callers pass rows × cols source and columns.count × rows destination elements;
        // unaligned loads and stores are allowed.
        forEachBlock(rows: rows, columns: columns) { r, c in
            d.storeBytes(of: s.loadUnaligned(fromByteOffset: (r * cols + c) * width, as: T.self),
                         toByteOffset: ((c - first) * rows + r) * width, as: T.self)
        }
    }

    /// Visits every (row, column) in 32 × 32 tiles, so both sides stay in cache; rows vary
    /// fastest, so writes to the destination are sequential (measured 1.5-2× faster than
    /// sequential reads on BERT kernel shapes).
    @inline(__always)
    private static func forEachBlock(rows: Int, columns: Range<Int>, _ body: (Int, Int) -> Void) {
        let block = 32
        for r0 in stride(from: 0, to: rows, by: block) {
            for c0 in stride(from: columns.lowerBound, to: columns.upperBound, by: block) {
                for c in c0..<min(c0 + block, columns.upperBound) {
                    for r in r0..<min(r0 + block, rows) { body(r, c) }
                }
            }
        }
    }
}
