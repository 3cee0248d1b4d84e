import BertCore
import BertRunner
import Testing

/// The packed GEMM against a plain double-precision product, on shapes that exercise every edge:
/// rows not a multiple of 6, columns not a multiple of 16, depth over one 256-deep block, rows
/// over one 264-row block (600, split by columns), and enough rows (1100) that the threads split
/// row blocks instead of columns.
@Suite struct LinearTests {
    struct Case: Sendable, CustomStringConvertible {
        let rows: Int, outFeatures: Int, inFeatures: Int
        var description: String { "\(rows)x\(outFeatures)x\(inFeatures)" }
    }

    static let cases = [Case(rows: 13, outFeatures: 37, inFeatures: 300), Case(rows: 1, outFeatures: 5, inFeatures: 7),
                        Case(rows: 140, outFeatures: 48, inFeatures: 530), Case(rows: 600, outFeatures: 40, inFeatures: 70),
                        Case(rows: 1100, outFeatures: 40, inFeatures: 70)]
    static let isas: [KernelISA] = KernelISA.best == .avx2 ? [.portable, .avx2] : [.portable]

    /// Deterministic values in [-1, 1).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(state >> 40) / Float(1 << 23) - 1
        }
    }

    @Test(arguments: cases, isas)
    func matchesAPlainProduct(shape: Case, isa: KernelISA) {
        let (m, n, k) = (shape.rows, shape.outFeatures, shape.inFeatures)
        let x = Self.values(m * k, seed: 1), w = Self.values(n * k, seed: 2), b = Self.values(n, seed: 3)
        let residual = Self.values(m * n, seed: 4)
        let linear = PackedLinear(weights: w, bias: b, outFeatures: n, inFeatures: k, isa: isa)
        var y = [Float](repeating: .nan, count: m * n)
        x.withUnsafeBufferPointer { x in
            residual.withUnsafeBufferPointer { r in
                y.withUnsafeMutableBufferPointer { y in
                    linear.apply(x.baseAddress!, rows: m, into: y.baseAddress!,
                                 epilogue: Epilogue(activation: .relu, residual: r.baseAddress), pool: ThreadPool(count: 2))
                }
            }
        }
        var worst = 0.0
        for i in 0..<m {
            for j in 0..<n {
                var sum = Double(b[j])
                for kk in 0..<k { sum += Double(x[i * k + kk]) * Double(w[j * k + kk]) }
                let expected = max(sum, 0) + Double(residual[i * n + j])
                worst = max(worst, abs(expected - Double(y[i * n + j])))
            }
        }
        #expect(worst < 1e-4, "max abs error \(worst)")
    }

    /// A builder that wraps the fp32 one and counts layers: the hook an int8 builder uses.
    struct CountingBuilder: LinearBuilder {
        let inner = Float32LinearBuilder(kernels: .best)
        let specs = Specs()

        final class Specs: @unchecked Sendable {
            var names: [String] = []
        }

        func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear {
            specs.names.append(spec.weights.joined(separator: "+"))
            return try inner.linear(spec, in: graph)
        }
    }

    @Test func everyLinearGoesThroughTheBuilder() throws {
        let builder = CountingBuilder()
        let graph = try RunnerFixtures.graph("pretraining")
        let runner = try BertRunner(graph: graph, options: RunnerOptions(linearBuilder: builder))
        // 4 per layer (fused QKV, attention output, intermediate, output) + pooler, transform, decoder, NSP.
        #expect(builder.specs.names.count == 4 * graph.config.numHiddenLayers + 4)
        #expect(builder.specs.names.first == "bert.encoder.layer.0.attention.self.query.weight"
                + "+bert.encoder.layer.0.attention.self.key.weight+bert.encoder.layer.0.attention.self.value.weight")
        #expect(builder.specs.names.contains("cls.predictions.decoder.weight"))
        let goldens = try RunnerFixtures.goldens("pretraining")
        #expect(try runner.run(RunnerFixtures.inputs(goldens)).count == 2)
    }
}
