import BertCore

/// The graph as the forward pass sees a quantized model: each tensor in `weights` replaced by its
/// dequantized values (what the runner's embedding lookup and fp32 layers read); Linear layers in
/// `weights` still run in int8 through `Int8LinearBuilder`, which reads the int8 values directly.
public enum DequantizedGraph {
    public static func make(_ graph: BertModelGraph, weights: [String: QuantizedWeight]) -> BertModelGraph {
        let tensors = graph.tensors.map { tensor -> CanonicalTensor in
            guard let weight = weights[tensor.name] else { return tensor }
            let matrix = weight.matrix, shape = tensor.shape
            let source = SourceTensor(name: tensor.source.name, dtype: .f32, shape: shape, byteCount: matrix.values.count * 4) {
                () throws(FormatError) in Tensor(float32: matrix.dequantized(), shape: shape)
            }
            return CanonicalTensor(name: tensor.name, source: source, transform: .identity, shape: shape)
        }
        return BertModelGraph(
            format: graph.format, path: graph.path, inputFiles: graph.inputFiles, companionFiles: graph.companionFiles,
            config: graph.config, configInferred: graph.configInferred, head: graph.head, hasPooler: graph.hasPooler,
            decoderTied: graph.decoderTied, tensors: tensors, skipped: graph.skipped)
    }
}
