@testable import BertQuant
import BertRunner
import Testing

@Suite struct WeightQuantizerTests {
    static func weights(seed: UInt64, rows: Int, cols: Int) -> [Float] {
        var rng = SplitMix64(seed: seed)
        return (0..<rows * cols).map { i in
            // Row r has magnitude ~ (r + 1), plus one outlier per row, as real Linear weights do.
            let r = i / cols
            return Float.random(in: -1...1, using: &rng) * Float(r + 1) * (i % cols == 3 ? 8 : 1)
        }
    }

    @Test(arguments: [WeightQuantizer.linearLimit, WeightQuantizer.fullLimit])
    func perChannelAbsmaxUsesTheFullRangeOfEveryRow(limit: Float) {
        let (rows, cols) = (6, 40)
        let w = Self.weights(seed: 7, rows: rows, cols: cols)
        let q = WeightQuantizer.quantize(w, rows: rows, cols: cols, granularity: .channel, clipping: .absmax, limit: limit)
        #expect(q.scales.count == rows)
        #expect(q.granularity == .channel)
        #expect(!q.values.contains(-128))
        let restored = q.dequantized()
        for r in 0..<rows {
            let row = q.values[r * cols..<(r + 1) * cols]
            #expect(row.map { abs(Int($0)) }.max() == Int(limit))
            let absmax = w[r * cols..<(r + 1) * cols].map(abs).max()!
            #expect(q.scales[r] == absmax / limit)
            for c in 0..<cols { #expect(abs(restored[r * cols + c] - w[r * cols + c]) <= q.scales[r] / 2 * 1.0001) }
        }
    }

    @Test func perTensorHasOneScaleAndLowerSQNR() {
        let (rows, cols) = (6, 40)
        let w = Self.weights(seed: 8, rows: rows, cols: cols)
        let channel = WeightQuantizer.quantize(w, rows: rows, cols: cols, granularity: .channel, clipping: .absmax,
                                               limit: WeightQuantizer.fullLimit)
        let tensor = WeightQuantizer.quantize(w, rows: rows, cols: cols, granularity: .tensor, clipping: .absmax,
                                              limit: WeightQuantizer.fullLimit)
        #expect(tensor.scales == [w.map(abs).max()! / 127])
        #expect(tensor.granularity == .tensor)
        #expect(tensor.scalesTensor.shape == [1])
        #expect(channel.scalesTensor.shape == [rows, 1])
        #expect(WeightQuantizer.sqnr(w, channel) > WeightQuantizer.sqnr(w, tensor))
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func mseClippingNeverLosesToAbsmax(seed: UInt64) {
        let (rows, cols) = (8, 64)
        let w = Self.weights(seed: seed, rows: rows, cols: cols)
        let absmax = WeightQuantizer.quantize(w, rows: rows, cols: cols, granularity: .channel, clipping: .absmax,
                                               limit: WeightQuantizer.fullLimit)
        let mse = WeightQuantizer.quantize(w, rows: rows, cols: cols, granularity: .channel, clipping: .mse,
                                           limit: WeightQuantizer.fullLimit, pool: ThreadPool(count: 2))
        #expect(WeightQuantizer.sqnr(w, mse) >= WeightQuantizer.sqnr(w, absmax))
        #expect(zip(mse.scales, absmax.scales).allSatisfy { $0 <= $1 })
    }

    @Test func encoderLinearsTakeSixtyFourAndEverythingElseTheFullRange() {
        let unit = { (name: String) in QuantizationUnit(name: name, weights: [name + ".weight"]) }
        #expect(WeightQuantizer.limit(for: unit("bert.encoder.layer.0.attention.self.qkv")) == 64)
        #expect(WeightQuantizer.limit(for: unit("bert.encoder.layer.11.output.dense")) == 64)
        for other in ["bert.pooler.dense", "classifier", "qa_outputs", "cls.predictions.transform.dense",
                      "bert.embeddings.word_embeddings"] {
            #expect(WeightQuantizer.limit(for: unit(other)) == 127, "\(other)")
        }
    }

    @Test func zeroRowGetsScaleOne() {
        let q = WeightQuantizer.quantize([0, 0, 0, 1, -2, 0.5], rows: 2, cols: 3, granularity: .channel, clipping: .absmax,
                                               limit: WeightQuantizer.fullLimit)
        #expect(q.scales[0] == 1)
        #expect(q.values[0..<3].allSatisfy { $0 == 0 })
        #expect(q.values[3..<6] == [64, -127, 32])
        #expect(WeightQuantizer.sqnr([0, 0, 0, 0], QuantizedMatrix(rows: 1, cols: 4, values: [0, 0, 0, 0], scales: [1])) == .infinity)
    }
}
