/// A dense, row-major, little-endian tensor: dtype, shape and the bytes behind them.
public struct Tensor: Sendable {
    /// The element type.
    public let dtype: DType
    /// The dimensions, outermost first.
    public let shape: [Int]
    /// The bytes, exactly `elementCount × dtype.byteWidth` of them.
    public let storage: TensorStorage

    /// Wraps storage whose size the caller has checked against shape × dtype.
    public init(dtype: DType, shape: [Int], storage: TensorStorage) {
        precondition(ShapeMath.byteCount(shape, dtype) == storage.byteCount, "tensor size mismatch")
        self.dtype = dtype
        self.shape = shape
        self.storage = storage
    }

    /// A new owned tensor whose bytes `fill` writes, every one of them (the buffer is not zeroed first).
    public init(dtype: DType, shape: [Int], fill: (UnsafeMutableRawBufferPointer) -> Void) {
        let buffer = OwnedBuffer(uninitializedByteCount: ShapeMath.byteCount(shape, dtype)!)
        fill(UnsafeMutableRawBufferPointer(start: buffer.pointer, count: buffer.byteCount))
        self.init(dtype: dtype, shape: shape, storage: TensorStorage(buffer: buffer))
    }

    /// An owned F32 tensor holding `values`.
    public init(float32 values: [Float], shape: [Int]) {
        precondition(ShapeMath.elementCount(shape) == values.count)
        self.init(dtype: .f32, shape: shape) { out in
            values.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// An owned I64 tensor holding `values`.
    public init(int64 values: [Int64], shape: [Int]) {
        precondition(ShapeMath.elementCount(shape) == values.count)
        self.init(dtype: .i64, shape: shape) { out in
            values.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// The number of elements.
    public var elementCount: Int { storage.byteCount / dtype.byteWidth }

    /// The byte length.
    public var byteCount: Int { storage.byteCount }

    /// Calls `body` with the raw little-endian bytes.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try storage.withUnsafeBytes(body)
    }

    /// The same bytes under another shape with the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor? {
        guard ShapeMath.elementCount(newShape) == elementCount else { return nil }
        return Tensor(dtype: dtype, shape: newShape, storage: storage)
    }
}

extension Tensor {
    /// The values widened (or narrowed) to Float; integer tensors convert exactly where they fit.
    public func floats() -> [Float] {
        withUnsafeBytes { raw in
            let count = elementCount
            return [Float](unsafeUninitializedCapacity: count) { out, initialized in
                ElementConversion.toFloat32(raw, dtype: dtype, count: count, into: out.baseAddress!)
                initialized = count
            }
        }
    }

    /// The values as Int64; only for integer tensors.
    public func int64s() -> [Int64] {
        precondition(!dtype.isFloatingPoint)
        return withUnsafeBytes { raw in
            (0..<elementCount).map { i -> Int64 in
                switch dtype {
                case .i8: Int64(raw.load(fromByteOffset: i, as: Int8.self))
                case .i32: Int64(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: Int32.self)))
                default: Int64(littleEndian: raw.loadUnaligned(fromByteOffset: i * 8, as: Int64.self))
                }
            }
        }
    }

    /// This tensor in floating-point type `target` (round to nearest even when narrowing).
    public func converted(to target: DType) -> Tensor {
        precondition(dtype.isFloatingPoint && target.isFloatingPoint)
        if target == dtype { return self }
        return withUnsafeBytes { raw in
            Tensor(dtype: target, shape: shape) { out in
                if target == .f32 {
                    ElementConversion.toFloat32(
                        raw, dtype: dtype, count: elementCount,
                        into: out.baseAddress!.assumingMemoryBound(to: Float.self))
                } else {
                    let wide = floats()
                    ElementConversion.fromFloat32(wide, to: target, into: out)
                }
            }
        }
    }

    /// Rows `rows` of this 2-D tensor's transpose (its columns), written into `out`
    /// (`rows.count × shape[0]` elements): a transpose streamed through a reused buffer.
    public func transposed2D(rows: Range<Int>, into out: UnsafeMutableRawBufferPointer) {
        precondition(shape.count == 2 && rows.clamped(to: 0..<shape[1]) == rows && out.count >= rows.count * shape[0] * dtype.byteWidth)
        withUnsafeBytes { src in
            Transpose.blocked(src, into: out, rows: shape[0], cols: shape[1], width: dtype.byteWidth, columns: rows)
        }
    }

    /// The 2-D transpose of this tensor, in a new owned buffer.
    public func transposed2D() -> Tensor {
        precondition(shape.count == 2)
        let rows = shape[0], cols = shape[1], width = dtype.byteWidth
        return withUnsafeBytes { src in
            Tensor(dtype: dtype, shape: [cols, rows]) { dst in
                Transpose.blocked(src, into: dst, rows: rows, cols: cols, width: width)
            }
        }
    }
}
