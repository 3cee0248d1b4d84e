import BertCore
import BertQuant
import Testing

/// SplitMix64 (as swift-argument-parser's `Examples/roll`): fixed seeds, reproducible cases.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The scalar definition the kernels must match bit for bit: per-row absmax scales, round to
/// nearest even, int32 dot products, then `acc · (sa · sw) + bias + residual` in that order.
enum Reference {
    static func quantize(_ x: [Float], rows: Int, k: Int, staticScale: Float?) -> (q: [Int8], scales: [Float]) {
        var q = [Int8](repeating: 0, count: rows * k), scales = [Float](repeating: 0, count: rows)
        for r in 0..<rows {
            let row = x[r * k..<(r + 1) * k]
            let scale = staticScale ?? (row.map(abs).max() ?? 0) / 127
            let inverse: Float = scale > 0 ? 1 / scale : 0
            scales[r] = scale
            for (j, v) in row.enumerated() { q[r * k + j] = Int8(min(max((v * inverse).rounded(.toNearestOrEven), -127), 127)) }
        }
        return (q, scales)
    }

    static func gemm(_ q: [Int8], scales: [Float], rows: Int, _ w: QuantizedMatrix, bias: [Float], residual: [Float]?) -> [Float] {
        let (n, k) = (w.rows, w.cols)
        let ws = w.channelScales
        var c = [Float](repeating: 0, count: rows * n)
        for i in 0..<rows {
            for j in 0..<n {
                var acc: Int32 = 0
                for t in 0..<k { acc += Int32(q[i * k + t]) * Int32(w.values[j * k + t]) }
                var v = Float(acc) * (scales[i] * ws[j])
                v += bias[j]
                if let residual { v += residual[i * n + j] }
                c[i * n + j] = v
            }
        }
        return c
    }
}

/// Runs the kernels on `isa` through the Swift wrappers.
func runKernels(_ isa: Int8ISA, x: [Float], rows: Int, weights: QuantizedMatrix, bias: [Float], residual: [Float]?,
                staticScale: Float? = nil) -> (q: [Int8], scales: [Float], c: [Float]) {
    let packed = PackedInt8Weights(weights, bias: bias)
    let k = weights.cols, ldq = packed.paddedDepth, n = weights.rows
    var q = [Int8](repeating: 99, count: rows * ldq), scales = [Float](repeating: 0, count: rows)
    var c = [Float](repeating: .nan, count: rows * n)
    x.withUnsafeBufferPointer { xp in
        q.withUnsafeMutableBufferPointer { qp in
            scales.withUnsafeMutableBufferPointer { sp in
                Int8GEMM.quantizeRows(isa, xp.baseAddress!, ldx: k, k: k, staticScale: staticScale, into: qp.baseAddress!,
                                      ldq: ldq, scales: sp.baseAddress!, rows: 0..<rows)
            }
        }
    }
    c.withUnsafeMutableBufferPointer { cp in
        q.withUnsafeBufferPointer { qp in
            scales.withUnsafeBufferPointer { sp in
                let res = residual?.withUnsafeBufferPointer { $0.baseAddress! }
                Int8GEMM.multiply(isa, rows: rows, qp.baseAddress!, ldq: ldq, scales: sp.baseAddress!, packed,
                                  residual: res, ldResidual: n, into: cp.baseAddress!, ldc: n, panels: 0..<packed.panelCount)
            }
        }
    }
    let unpadded = (0..<rows).flatMap { r in q[r * ldq..<r * ldq + k] }
    #expect((0..<rows).allSatisfy { r in q[r * ldq + k..<(r + 1) * ldq].allSatisfy { $0 == 0 } }, "depth padding is zeroed")
    return (unpadded, scales, c)
}

@Suite struct Int8KernelTests {
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (5, 17, 33), (13, 37, 70), (64, 48, 96), (9, 16, 64)]

    @Test(arguments: [UInt64(1), 2, 3])
    func everyPathMatchesTheScalarDefinition(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for shape in Self.shapes {
            let x = (0..<shape.m * shape.k).map { _ in Float.random(in: -4...4, using: &rng) }
            let values = (0..<shape.n * shape.k).map { _ in Int8.random(in: -127...127, using: &rng) }
            let scales = (0..<shape.n).map { _ in Float.random(in: 0.001...0.1, using: &rng) }
            let w = QuantizedMatrix(rows: shape.n, cols: shape.k, values: values, scales: scales)
            let bias = (0..<shape.n).map { _ in Float.random(in: -1...1, using: &rng) }
            let residual = seed == 2 ? nil : (0..<shape.m * shape.n).map { _ in Float.random(in: -1...1, using: &rng) }
            let expected = Reference.quantize(x, rows: shape.m, k: shape.k, staticScale: nil)
            let c = Reference.gemm(expected.q, scales: expected.scales, rows: shape.m, w, bias: bias, residual: residual)
            for isa in Int8ISA.allCases where isa.isSupported {
                let got = runKernels(isa, x: x, rows: shape.m, weights: w, bias: bias, residual: residual)
                #expect(got.q == expected.q, "\(isa) quantization, shape \(shape)")
                #expect(got.scales == expected.scales, "\(isa) scales, shape \(shape)")
                #expect(got.c == c, "\(isa) gemm, shape \(shape)")
            }
        }
    }

    // Guards the 16-bit saturation of vpmaddubsw: with u8 × s8 operands a pair of 255 · 127
    // products overflows int16; the sign trick keeps every pair at most 2 · 127 · 127.
    @Test func extremeValuesDoNotSaturate() {
        let (m, n, k) = (4, 16, 64)
        let x = (0..<m * k).map { i in i % 3 == 0 ? Float(-1) : 1 }
        let values = (0..<n * k).map { i -> Int8 in i % 2 == 0 ? 127 : -127 }
        let w = QuantizedMatrix(rows: n, cols: k, values: values, scales: [1])
        let bias = [Float](repeating: 0, count: n)
        let expected = Reference.quantize(x, rows: m, k: k, staticScale: nil)
        let c = Reference.gemm(expected.q, scales: expected.scales, rows: m, w, bias: bias, residual: nil)
        for isa in Int8ISA.allCases where isa.isSupported {
            #expect(runKernels(isa, x: x, rows: m, weights: w, bias: bias, residual: nil).c == c, "\(isa)")
        }
        let allPositive = runKernels(.best, x: [Float](repeating: 1, count: k), rows: 1,
                                     weights: QuantizedMatrix(rows: 1, cols: k, values: .init(repeating: 127, count: k), scales: [1]),
                                     bias: [0], residual: nil)
        #expect(allPositive.c == [Float(127 * 127 * k) / 127])
    }

    @Test func staticScaleSaturatesAtPlusMinus127() {
        let x: [Float] = [0.5, -3, 100, -100, 0.25, 0, 1.5, -0.75]
        let w = QuantizedMatrix(rows: 1, cols: 8, values: [1, 1, 1, 1, 1, 1, 1, 1], scales: [1])
        for isa in Int8ISA.allCases where isa.isSupported {
            let got = runKernels(isa, x: x, rows: 1, weights: w, bias: [0], residual: nil, staticScale: 0.5)
            #expect(got.q == [1, -6, 127, -127, 0, 0, 3, -2], "\(isa)")
            #expect(got.scales == [0.5])
        }
    }

    @Test func zeroRowsGiveTheBias() {
        let w = QuantizedMatrix(rows: 2, cols: 3, values: [1, 2, 3, -4, 5, 6], scales: [0.5, 0.25])
        let got = runKernels(.best, x: [0, 0, 0], rows: 1, weights: w, bias: [1.5, -2], residual: nil)
        #expect(got.c == [1.5, -2])
        #expect(got.scales == [0])
    }
}
