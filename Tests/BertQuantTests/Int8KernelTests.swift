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

/// The scalar definition the kernels must match bit for bit: per-row scales (s8: absmax / 127;
/// u8 and u7: the range widened to 0, over 255 or 127, with a zero point), round to nearest even,
/// int32 dot products, then `(acc − zp · Σw) · (sa · sw) + bias + residual` in that order.
enum Reference {
    /// Quantized rows as their integer values (s8 or u8), with scales and zero points.
    static func quantize(_ x: [Float], rows: Int, k: Int, staticScale: Float?,
                         encoding: Int8ActivationEncoding = .signed) -> (q: [Int32], scales: [Float], zeroPoints: [Int32]) {
        var q = [Int32](repeating: 0, count: rows * k), scales = [Float](repeating: 0, count: rows)
        var zeroPoints = [Int32](repeating: 0, count: rows)
        for r in 0..<rows {
            let row = x[r * k..<(r + 1) * k]
            switch encoding {
            case .signed:
                let scale = staticScale ?? (row.map(abs).max() ?? 0) / 127
                let inverse: Float = scale > 0 ? 1 / scale : 0
                scales[r] = scale
                for (j, v) in row.enumerated() { q[r * k + j] = Int32(min(max((v * inverse).rounded(.toNearestOrEven), -127), 127)) }
            case .unsigned, .unsigned7:
                let top: Float = encoding == .unsigned ? 255 : 127
                var (scale, zeroPoint): (Float, Float) = (staticScale ?? 0, encoding == .unsigned ? 128 : 64)
                if staticScale == nil {
                    let (lo, hi) = (min(row.min() ?? 0, 0), max(row.max() ?? 0, 0))
                    scale = (hi - lo) / top
                    zeroPoint = scale > 0 ? min(max((-lo / scale).rounded(.toNearestOrEven), 0), top) : 0
                }
                let inverse: Float = scale > 0 ? 1 / scale : 0
                scales[r] = scale
                zeroPoints[r] = Int32(zeroPoint)
                for (j, v) in row.enumerated() { q[r * k + j] = Int32(min(max(v * inverse + zeroPoint, 0), top).rounded(.toNearestOrEven)) }
            }
        }
        return (q, scales, zeroPoints)
    }

    static func gemm(_ q: [Int32], scales: [Float], zeroPoints: [Int32], rows: Int, _ w: QuantizedMatrix, bias: [Float],
                     residual: [Float]?) -> [Float] {
        let (n, k) = (w.rows, w.cols)
        let ws = w.channelScales
        var c = [Float](repeating: 0, count: rows * n)
        for i in 0..<rows {
            for j in 0..<n {
                var acc: Int32 = 0, sum: Int32 = 0
                for t in 0..<k {
                    acc += q[i * k + t] * Int32(w.values[j * k + t])
                    sum += Int32(w.values[j * k + t])
                }
                var v = Float(acc - zeroPoints[i] * sum) * (scales[i] * ws[j])
                v += bias[j]
                if let residual { v += residual[i * n + j] }
                c[i * n + j] = v
            }
        }
        return c
    }
}

/// Runs the kernels on `isa` through the Swift wrappers, with `encoding` forced or chosen by the weights.
func runKernels(_ isa: Int8ISA, x: [Float], rows: Int, weights: QuantizedMatrix, bias: [Float], residual: [Float]?,
                staticScale: Float? = nil, encoding: Int8ActivationEncoding? = nil)
    -> (q: [Int32], scales: [Float], zeroPoints: [Int32], c: [Float]) {
    let packed = PackedInt8Weights(weights, bias: bias, encoding: encoding)
    let k = weights.cols, ldq = packed.paddedDepth, n = weights.rows
    var q = [UInt8](repeating: 99, count: rows * ldq), scales = [Float](repeating: 0, count: rows)
    var zeroPoints = [Int32](repeating: -1, count: rows)
    var c = [Float](repeating: .nan, count: rows * n)
    x.withUnsafeBufferPointer { xp in
        q.withUnsafeMutableBufferPointer { qp in
            scales.withUnsafeMutableBufferPointer { sp in
                zeroPoints.withUnsafeMutableBufferPointer { zp in
                    Int8GEMM.quantizeRows(isa, packed.encoding, xp.baseAddress!, ldx: k, k: k, staticScale: staticScale,
                                          into: qp.baseAddress!, ldq: ldq, scales: sp.baseAddress!,
                                          zeroPoints: zp.baseAddress!, rows: 0..<rows)
                }
            }
        }
    }
    c.withUnsafeMutableBufferPointer { cp in
        q.withUnsafeBufferPointer { qp in
            scales.withUnsafeBufferPointer { sp in
                zeroPoints.withUnsafeBufferPointer { zp in
                    let res = residual?.withUnsafeBufferPointer { $0.baseAddress! }
                    Int8GEMM.multiply(isa, rows: rows, qp.baseAddress!, ldq: ldq, scales: sp.baseAddress!,
                                      zeroPoints: zp.baseAddress!, packed, residual: res, ldResidual: n,
                                      into: cp.baseAddress!, ldc: n, panels: 0..<packed.panelCount)
                }
            }
        }
    }
    let values = q.map { packed.encoding == .signed ? Int32(Int8(bitPattern: $0)) : Int32($0) }
    let unpadded = (0..<rows).flatMap { r in values[r * ldq..<r * ldq + k] }
    #expect((0..<rows).allSatisfy { r in q[r * ldq + k..<(r + 1) * ldq].allSatisfy { $0 == 0 } }, "depth padding is zeroed")
    return (unpadded, scales, packed.encoding == .signed ? zeroPoints.map { _ in 0 } : zeroPoints, c)
}

@Suite struct Int8KernelTests {
    static let shapes: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (5, 17, 33), (13, 37, 70), (64, 48, 96), (9, 16, 64)]

    @Test(arguments: [UInt64(1), 2, 3], Int8ActivationEncoding.allCases)
    func everyPathMatchesTheScalarDefinition(seed: UInt64, encoding: Int8ActivationEncoding) {
        var rng = SplitMix64(seed: seed)
        let limit: Int8 = encoding == .signed ? 127 : 64
        for shape in Self.shapes {
            let x = (0..<shape.m * shape.k).map { _ in Float.random(in: -4...(seed == 3 ? 9 : 4), using: &rng) }
            let values = (0..<shape.n * shape.k).map { _ in Int8.random(in: -limit...limit, using: &rng) }
            let scales = (0..<shape.n).map { _ in Float.random(in: 0.001...0.1, using: &rng) }
            let w = QuantizedMatrix(rows: shape.n, cols: shape.k, values: values, scales: scales)
            let bias = (0..<shape.n).map { _ in Float.random(in: -1...1, using: &rng) }
            let residual = seed == 2 ? nil : (0..<shape.m * shape.n).map { _ in Float.random(in: -1...1, using: &rng) }
            let expected = Reference.quantize(x, rows: shape.m, k: shape.k, staticScale: nil, encoding: encoding)
            let c = Reference.gemm(expected.q, scales: expected.scales, zeroPoints: expected.zeroPoints, rows: shape.m, w,
                                   bias: bias, residual: residual)
            for isa in Int8ISA.allCases where isa.isSupported {
                let got = runKernels(isa, x: x, rows: shape.m, weights: w, bias: bias, residual: residual, encoding: encoding)
                #expect(got.q == expected.q, "\(isa) \(encoding) quantization, shape \(shape)")
                #expect(got.scales == expected.scales, "\(isa) \(encoding) scales, shape \(shape)")
                #expect(got.zeroPoints == expected.zeroPoints, "\(isa) \(encoding) zero points, shape \(shape)")
                #expect(got.c == c, "\(isa) \(encoding) gemm, shape \(shape)")
            }
        }
    }

    @Test func weightsWithinSixtyFourTakeUnsignedActivations() {
        let narrow = QuantizedMatrix(rows: 1, cols: 3, values: [64, -64, 3], scales: [1])
        let wide = QuantizedMatrix(rows: 1, cols: 3, values: [65, 0, 0], scales: [1])
        #expect(PackedInt8Weights(narrow, bias: [0]).encoding == .unsigned)
        #expect(PackedInt8Weights(narrow, bias: [0], activationBits: 7).encoding == .unsigned7)
        #expect(PackedInt8Weights(wide, bias: [0]).encoding == .signed)
        #expect(PackedInt8Weights(wide, bias: [0], activationBits: 7).encoding == .signed)
    }

    @Test func feedForwardLinearsTakeSevenBitActivations() {
        let layer = "bert.encoder.layer.3."
        #expect(ActivationBits.bits(forLinear: layer + "attention.self.query.weight", staticScale: false) == 8)
        #expect(ActivationBits.bits(forLinear: layer + "attention.output.dense.weight", staticScale: false) == 8)
        for weight in ["intermediate.dense.weight", "output.dense.weight"] {
            #expect(ActivationBits.bits(forLinear: layer + weight, staticScale: false) == 7, "\(weight)")
            #expect(ActivationBits.bits(forLinear: layer + weight, staticScale: true) == 8, "\(weight) static")
        }
        #expect(ActivationBits.bits(forLinear: "bert.pooler.dense.weight", staticScale: false) == 8)
        #expect(ActivationBits.bits(forLinear: "classifier.weight", staticScale: false) == 8)
    }

    // Guards the 16-bit saturation of vpmaddubsw: with u8 × s8 operands a pair of 255 · 127
    // products overflows int16; the sign trick keeps every pair at most 2 · 127 · 127, and u8
    // activations meet weights of at most ±64 (2 · 255 · 64).
    @Test func extremeValuesDoNotSaturate() {
        let (m, n, k) = (4, 16, 64)
        let x = (0..<m * k).map { i in i % 3 == 0 ? Float(-1) : 1 }
        let values = (0..<n * k).map { i -> Int8 in i % 2 == 0 ? 127 : -127 }
        let w = QuantizedMatrix(rows: n, cols: k, values: values, scales: [1])
        let bias = [Float](repeating: 0, count: n)
        let expected = Reference.quantize(x, rows: m, k: k, staticScale: nil)
        let c = Reference.gemm(expected.q, scales: expected.scales, zeroPoints: expected.zeroPoints, rows: m, w, bias: bias,
                               residual: nil)
        for isa in Int8ISA.allCases where isa.isSupported {
            #expect(runKernels(isa, x: x, rows: m, weights: w, bias: bias, residual: nil).c == c, "\(isa)")
        }
        // Each depth pair has one sign, so a pair of products reaches ±2 · 255 · 64.
        let unsignedWeights = QuantizedMatrix(rows: n, cols: k, values: (0..<n * k).map { $0 % 4 < 2 ? 64 : -64 }, scales: [1])
        let highest = (0..<m * k).map { i in i % 5 == 0 ? Float(-0.01) : 1 }
        let unsignedExpected = Reference.quantize(highest, rows: m, k: k, staticScale: nil, encoding: .unsigned)
        #expect(unsignedExpected.q.filter { $0 == 255 }.count > m * k / 2, "most activations sit at 255")
        let unsignedC = Reference.gemm(unsignedExpected.q, scales: unsignedExpected.scales,
                                       zeroPoints: unsignedExpected.zeroPoints, rows: m, unsignedWeights, bias: bias, residual: nil)
        for isa in Int8ISA.allCases where isa.isSupported {
            #expect(runKernels(isa, x: highest, rows: m, weights: unsignedWeights, bias: bias, residual: nil).c == unsignedC, "\(isa) u8")
        }
        // u7 adds two depth groups in int16: with one sign per 8 depth steps a sum reaches ±4 · 127 · 64.
        let sevenBitWeights = QuantizedMatrix(rows: n, cols: k, values: (0..<n * k).map { $0 % 16 < 8 ? 64 : -64 }, scales: [1])
        let sevenBitExpected = Reference.quantize(highest, rows: m, k: k, staticScale: nil, encoding: .unsigned7)
        #expect(sevenBitExpected.q.filter { $0 == 127 }.count > m * k / 2, "most activations sit at 127")
        let sevenBitC = Reference.gemm(sevenBitExpected.q, scales: sevenBitExpected.scales,
                                       zeroPoints: sevenBitExpected.zeroPoints, rows: m, sevenBitWeights, bias: bias, residual: nil)
        for isa in Int8ISA.allCases where isa.isSupported {
            #expect(runKernels(isa, x: highest, rows: m, weights: sevenBitWeights, bias: bias, residual: nil,
                               encoding: .unsigned7).c == sevenBitC, "\(isa) u7")
        }
        let allPositive = runKernels(.best, x: [Float](repeating: 1, count: k), rows: 1,
                                     weights: QuantizedMatrix(rows: 1, cols: k, values: .init(repeating: 127, count: k), scales: [1]),
                                     bias: [0], residual: nil)
        #expect(allPositive.c == [Float(127 * 127 * k) / 127])
    }

    @Test func staticScaleSaturates() {
        let x: [Float] = [0.5, -3, 100, -100, 0.25, 0, 1.5, -0.75]
        let w = QuantizedMatrix(rows: 1, cols: 8, values: [1, 1, 1, 1, 1, 1, 1, 1], scales: [1])
        for isa in Int8ISA.allCases where isa.isSupported {
            let got = runKernels(isa, x: x, rows: 1, weights: w, bias: [0], residual: nil, staticScale: 0.5, encoding: .signed)
            #expect(got.q == [1, -6, 127, -127, 0, 0, 3, -2], "\(isa)")
            #expect(got.scales == [0.5])
            let unsigned = runKernels(isa, x: x, rows: 1, weights: w, bias: [0], residual: nil, staticScale: 0.5, encoding: .unsigned)
            #expect(unsigned.q == [129, 122, 255, 0, 128, 128, 131, 126], "\(isa) u8: zero point 128, saturating at 0 and 255")
            #expect(unsigned.zeroPoints == [128])
            let sevenBit = runKernels(isa, x: x, rows: 1, weights: w, bias: [0], residual: nil, staticScale: 0.5, encoding: .unsigned7)
            #expect(sevenBit.q == [65, 58, 127, 0, 64, 64, 67, 62], "\(isa) u7: zero point 64, saturating at 0 and 127")
            #expect(sevenBit.zeroPoints == [64])
        }
    }

    @Test func zeroRowsGiveTheBias() {
        let w = QuantizedMatrix(rows: 2, cols: 3, values: [1, 2, 3, -4, 5, 6], scales: [0.5, 0.25])
        let got = runKernels(.best, x: [0, 0, 0], rows: 1, weights: w, bias: [1.5, -2], residual: nil)
        #expect(got.c == [1.5, -2])
        #expect(got.scales == [0])
    }
}
