import Testing
@testable import BertCore

@Suite struct TensorTests {
    @Test func transposesAnyWidth() {
        let t = Tensor(float32: [1, 2, 3, 4, 5, 6], shape: [2, 3]).transposed2D()
        #expect(t.shape == [3, 2])
        #expect(t.floats() == [1, 4, 2, 5, 3, 6])
        let h = Tensor(float32: [1, 2, 3, 4, 5, 6], shape: [3, 2]).converted(to: .f16).transposed2D()
        #expect(h.dtype == .f16 && h.floats() == [1, 3, 5, 2, 4, 6])
    }

    // Slabs of 1 to 40 rows (across tile edges) put together give the whole transpose, bit for bit.
    @Test(arguments: [DType.f32, .f16])
    func transposeSlabsMakeTheWholeTranspose(dtype: DType) {
        let (rows, cols) = (37, 45)
        let source = Tensor(float32: (0..<(rows * cols)).map(Float.init), shape: [rows, cols]).converted(to: dtype)
        let whole = source.transposed2D()
        for slab in [1, 7, 32, 40] {
            var bytes: [UInt8] = []
            for first in stride(from: 0, to: cols, by: slab) {
                let range = first..<min(first + slab, cols)
                var part = [UInt8](repeating: 0, count: range.count * rows * dtype.byteWidth)
                part.withUnsafeMutableBytes { source.transposed2D(rows: range, into: $0) }
                bytes += part
            }
            #expect(whole.withUnsafeBytes { Array($0) } == bytes, "slab \(slab)")
        }
    }

    @Test(arguments: [(37, 70), (16, 16), (1, 33), (65, 17)])
    func transposesShapesAcrossTileEdges(rows: Int, cols: Int) {
        let values = (0..<rows * cols).map { Float($0) }
        let t = Tensor(float32: values, shape: [rows, cols])
        let expected = (0..<cols).flatMap { c in (0..<rows).map { r in values[r * cols + c] } }
        #expect(t.transposed2D().floats() == expected)
        #expect(t.converted(to: .bf16).transposed2D().floats() == expected.map { Tensor(float32: [$0], shape: [1]).converted(to: .bf16).floats()[0] })
    }

    @Test func narrowsToBFloat16WithRoundToNearestEven() {
        // 1 + 2^-8 is exactly halfway between two bf16 values: ties go to the even mantissa (1.0).
        let halfway = Float(bitPattern: 0x3F80_8000)
        let above = Float(bitPattern: 0x3F80_8001)
        let t = Tensor(float32: [halfway, above, -2.5, .infinity], shape: [4]).converted(to: .bf16)
        #expect(t.floats() == [1.0, Float(bitPattern: 0x3F81_0000), -2.5, .infinity])
        #expect(Tensor(float32: [.nan], shape: [1]).converted(to: .bf16).floats()[0].isNaN)
    }

    @Test func widensHalfPrecision() {
        let t = Tensor(float32: [0.5, -1, 65504], shape: [3]).converted(to: .f16)
        #expect(t.byteCount == 6)
        #expect(t.converted(to: .f32).floats() == [0.5, -1, 65504])
    }

    @Test func shapeMathRefusesOverflowAndNegativeDimensions() {
        #expect(ShapeMath.byteCount([1 << 62, 4], .f32) == nil)
        #expect(ShapeMath.byteCount([-1, 2], .f32) == nil)
        #expect(ShapeMath.byteCount([3, 5], .bf16) == 30)
        #expect(ShapeMath.elementCount([]) == 1)
    }

    @Test func reshapeKeepsBytes() {
        let t = Tensor(float32: [1, 2, 3, 4], shape: [2, 2])
        #expect(t.reshaped([4])?.floats() == [1, 2, 3, 4])
        #expect(t.reshaped([3]) == nil)
    }
}
