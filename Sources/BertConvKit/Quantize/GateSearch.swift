import BertCore
import BertQuant
import BertRunner

/// Calibration and the accuracy gate: records each layer's input range on the fp32 model, sets
/// static scales when asked, measures each unit's sensitivity (end-to-end cosine with only that
/// unit in int8) and moves the most sensitive units to fp32 until the gate holds.
struct GateSearch {
    let graph: BertModelGraph
    let units: [QuantizationUnit]
    /// Every quantized weight, with static input scales set when asked.
    let weights: [String: QuantizedWeight]
    let options: QuantizeOptions
    let probe: AccuracyProbe
    let ranges: [String: Float]
    let fp32: CachedLinearBuilder
    /// Int8 layers for every weight, packed once and shared by every scored mix.
    let int8: Int8LinearBuilder

    init(graph: BertModelGraph, units: [QuantizationUnit], weights: [String: QuantizedWeight], options: QuantizeOptions,
         inputs: CalibrationInputs) throws(QuantizeError) {
        self.graph = graph
        self.units = units
        self.options = options
        fp32 = CachedLinearBuilder(Float32LinearBuilder(kernels: .best))
        let recorder = RangeRecorder(fp32)
        probe = try AccuracyProbe(graph: graph, inputs: inputs, builder: recorder, threads: options.threads)
        ranges = recorder.absmax
        var weights = weights
        if options.staticActivations {
            for (name, range) in ranges where weights[name] != nil && range > 0 {
                weights[name]!.inputScale = range / WeightQuantizer.activationLimit
            }
        }
        self.weights = weights
        int8 = Int8LinearBuilder(weights: weights, fallback: fp32)
    }

    struct Outcome {
        var units: [QuantizationUnit]
        var figures: AccuracyFigures
        var passed: Bool
        var fallbacks: Int
    }

    /// Scores `int8Units`; with a gate that fails, measures sensitivities and falls back greedily.
    func run(_ int8Units: [QuantizationUnit], report: inout QuantizationReport) throws(QuantizeError) -> Outcome {
        for index in report.layers.indices { report.layers[index].activationAbsmax = ranges[report.layers[index].weight] }
        var current = int8Units
        var figures = try score(current)
        let gate = { (f: AccuracyFigures) in f.passes(minCosine: options.minCosine, maxTop1Drop: options.maxTop1Drop) }
        guard options.hasGate, !gate(figures) else {
            return Outcome(units: current, figures: figures, passed: true, fallbacks: 0)
        }
        let sample = probe.prefix(sequences: options.sensitivitySequences)
        var sensitivity: [String: Double] = [:]
        for unit in int8Units {
            sensitivity[unit.name] = try score([unit], probe: sample).cosineMean
        }
        for index in report.layers.indices { report.layers[index].sensitivityCosine = sensitivity[report.layers[index].unit] }
        let allowed = options.maxFallbacks ?? max(1, units.count / 4)
        let order = int8Units.sorted { (sensitivity[$0.name]!, $0.name) < (sensitivity[$1.name]!, $1.name) }
        var best = figures, fallbacks = 0
        for unit in order.prefix(allowed) {
            current.removeAll { $0.name == unit.name }
            fallbacks += 1
            for index in report.layers.indices where report.layers[index].unit == unit.name {
                report.layers[index].int8 = false
                report.layers[index].fp32Reason = QuantizationReport.gateReason
            }
            figures = try score(current)
            if figures.cosineMean > best.cosineMean { best = figures }
            if gate(figures) { return Outcome(units: current, figures: figures, passed: true, fallbacks: fallbacks) }
        }
        return Outcome(units: current, figures: best, passed: false, fallbacks: fallbacks)
    }

    /// End-to-end figures with exactly `int8Units` in int8.
    func score(_ int8Units: [QuantizationUnit], probe: AccuracyProbe? = nil) throws(QuantizeError) -> AccuracyFigures {
        let names = Set(int8Units.flatMap(\.weights))
        let embeddings = weights.filter { $0.key == CanonicalName.wordEmbeddings && names.contains($0.key) }
        return try (probe ?? self.probe).figures(DequantizedGraph.make(graph, weights: embeddings),
                                                 builder: int8.restricted(to: names))
    }
}
