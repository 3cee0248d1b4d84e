import BertCore
import BertFormats
import BertQuant
import BertRunner

/// Running int8 checkpoints: `ModelLoader` reads them as dequantized graphs (so every use case
/// accepts them); this gives the runner their int8 values so the Linear layers run in int8.
public enum Int8Model {
    /// The int8 weights of the model at `graph.path`, by canonical name (empty for a float model).
    public static func weights(of graph: BertModelGraph) throws(BertCoreError) -> [String: QuantizedWeight] {
        guard let reader = Readers.detect(graph.path) else { return [:] }
        let bySource: [String: QuantizedWeight]
        do { bySource = try Int8Checkpoint.unpack(reader.read(graph.path)).weights } catch { throw .format(error) }
        var weights: [String: QuantizedWeight] = [:]
        for tensor in graph.tensors {
            if let weight = bySource[tensor.source.name] { weights[tensor.name] = weight }
        }
        return weights
    }

    /// Runner options for `graph`: int8 Linear layers where the checkpoint has int8 weights.
    public static func runnerOptions(_ graph: BertModelGraph, threads: Int, kernels: Kernels = .best) throws(BertCoreError) -> RunnerOptions {
        let weights = try weights(of: graph)
        let fp32 = Float32LinearBuilder(kernels: kernels)
        return RunnerOptions(threads: threads, kernels: kernels,
                             linearBuilder: weights.isEmpty ? nil : Int8LinearBuilder(weights: weights, fallback: fp32))
    }
}
