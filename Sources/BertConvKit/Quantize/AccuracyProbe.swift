import BertCore
import BertRunner

/// How closely a quantized forward pass follows the fp32 one on the calibration inputs.
public struct AccuracyFigures: Sendable, Equatable {
    /// One output's agreement: per-row cosines (rows as `verify` defines them) and top-1.
    public struct Output: Sendable, Equatable {
        public var name: String
        public var cosineMean: Double
        public var cosineMin: Double
        public var top1Agreement: Double?
    }

    public var outputs: [Output]

    /// The lowest mean row cosine over the outputs.
    public var cosineMean: Double { outputs.map(\.cosineMean).min() ?? 1 }
    /// The lowest row cosine over the outputs.
    public var cosineMin: Double { outputs.map(\.cosineMin).min() ?? 1 }
    /// The lowest top-1 agreement over the logits outputs, if any.
    public var top1Agreement: Double? { outputs.compactMap(\.top1Agreement).min() }

    /// Whether the figures meet `--min-cosine` and `--max-top1-drop` (drop = 1 − agreement).
    public func passes(minCosine: Double?, maxTop1Drop: Double?) -> Bool {
        if let minCosine, !(cosineMean >= minCosine) { return false }
        if let maxTop1Drop, let agreement = top1Agreement, !(1 - agreement <= maxTop1Drop + 1e-12) { return false }
        return true
    }
}

/// Runs the calibration inputs through the fp32 model once, then scores any mix of int8 and fp32
/// layers against those reference outputs.
struct AccuracyProbe {
    let head: BertHead
    let inputs: CalibrationInputs
    let reference: [[RunnerOutput]]
    let threads: Int

    init(graph: BertModelGraph, inputs: CalibrationInputs, builder: any LinearBuilder, threads: Int) throws(QuantizeError) {
        head = graph.head
        self.inputs = inputs
        self.threads = threads
        reference = try Self.run(graph, builder: builder, inputs: inputs, threads: threads)
    }

    /// The same reference restricted to the first batches (for sensitivity passes).
    func prefix(sequences: Int) -> AccuracyProbe {
        let inputs = inputs.prefix(sequences: sequences)
        return AccuracyProbe(head: head, inputs: inputs, reference: Array(reference.prefix(inputs.batches.count)), threads: threads)
    }

    private init(head: BertHead, inputs: CalibrationInputs, reference: [[RunnerOutput]], threads: Int) {
        self.head = head
        self.inputs = inputs
        self.reference = reference
        self.threads = threads
    }

    func figures(_ graph: BertModelGraph, builder: any LinearBuilder) throws(QuantizeError) -> AccuracyFigures {
        let produced = try Self.run(graph, builder: builder, inputs: inputs, threads: threads)
        var sums: [String: (cosine: Double, minimum: Double, top1: Double?, rows: Double)] = [:]
        var order: [String] = []
        for (batch, outputs) in produced.enumerated() {
            let mask = PositionMask(shape: inputs.batches[batch].shape, values: inputs.batches[batch].attentionMask)
            for expected in reference[batch] {
                let perToken = VerifyUseCase.perToken(expected.name, head: head)
                let result = Comparison.compare(
                    name: expected.name, actual: outputs.first { $0.name == expected.name }?.tensor,
                    expected: expected.tensor, mask: perToken ? mask : nil, tolerance: Tolerance())
                let rows = Double(perToken ? mask.values.filter { $0 != 0 }.count : mask.shape[0])
                var entry = sums[expected.name] ?? (0, 1, nil, 0)
                if sums[expected.name] == nil { order.append(expected.name) }
                entry.cosine += result.cosineMean * rows
                entry.minimum = min(entry.minimum, result.cosineMin)
                if let top1 = result.top1Agreement { entry.top1 = (entry.top1 ?? 0) + top1 * rows }
                entry.rows += rows
                sums[expected.name] = entry
            }
        }
        return AccuracyFigures(outputs: order.map { name in
            let s = sums[name]!
            return AccuracyFigures.Output(name: name, cosineMean: s.cosine / max(s.rows, 1), cosineMin: s.minimum,
                                          top1Agreement: s.top1.map { $0 / max(s.rows, 1) })
        })
    }

    static func run(_ graph: BertModelGraph, builder: any LinearBuilder, inputs: CalibrationInputs,
                    threads: Int) throws(QuantizeError) -> [[RunnerOutput]] {
        do {
            let runner = try BertRunner(graph: graph, options: RunnerOptions(threads: threads, linearBuilder: builder))
            var outputs: [[RunnerOutput]] = []
            for batch in inputs.batches { outputs.append(try runner.run(batch)) }
            return outputs
        } catch {
            throw QuantizeError(error)
        }
    }
}
