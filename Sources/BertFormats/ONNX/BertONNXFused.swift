/// `--ort-ops`: the same forward pass with onnxruntime's com.microsoft fused operators, so
/// onnxruntime runs it without its own fusion pass. Initializers keep their canonical names; the
/// fused QKV weight is a `Concat` of the three canonical ones, folded by onnxruntime at load time.
extension BertONNXGraph {
    static let microsoft = "com.microsoft"

    /// The attention mask as INT32 `[batch, sequence]` (Attention's raw 2-D `mask_index`).
    mutating func fusedMaskIndex(_ mask: String) -> String {
        builder.scope = "/bert/mask_index"
        return cast(mask, to: .int32)
    }

    mutating func fusedEmbeddings(ids: String, types: String) -> String {
        builder.scope = "/bert/embeddings"
        let inputs = [
            cast(ids, to: .int32), cast(types, to: .int32),
            weight("bert.embeddings.word_embeddings.weight"), weight("bert.embeddings.position_embeddings.weight"),
            weight("bert.embeddings.token_type_embeddings.weight"),
            weight("bert.embeddings.LayerNorm.weight"), weight("bert.embeddings.LayerNorm.bias"),
        ]
        // onnxruntime's type inference requires the mask_index output even when no mask is given.
        return builder.ops("EmbedLayerNormalization", inputs, [epsilon], domain: Self.microsoft, outputs: 2)[0]
    }

    /// com.microsoft Attention over the QKV weight concatenated in the graph.
    mutating func fusedSelfAttention(_ layer: Int, _ x: String, maskIndex: String) -> String {
        let prefix = "bert.encoder.layer.\(layer)"
        builder.scope = "/bert/encoder/layer.\(layer)/attention/self"
        let parts = ["query", "key", "value"].map { "\(prefix).attention.self.\($0)" }
        let axis1 = ONNXAttribute("axis", .int(1)), axis0 = ONNXAttribute("axis", .int(0))
        let qkvWeight = builder.op("Concat", parts.map { weight($0 + ".weight", transposed: true) }, [axis1])
        let qkvBias = builder.op("Concat", parts.map { weight($0 + ".bias") }, [axis0])
        return builder.op("Attention", [x, qkvWeight, qkvBias, maskIndex], [
            ONNXAttribute("num_heads", .int(config.numAttentionHeads)),
            ONNXAttribute("unidirectional", .int(config.isDecoder ? 1 : 0)),
        ], domain: Self.microsoft)
    }

    /// Output dense + SkipLayerNormalization, feed-forward with a fused activation.
    mutating func fusedLayerTail(_ layer: Int, _ x: String, context: String) -> String {
        let prefix = "bert.encoder.layer.\(layer)"
        builder.scope = "/bert/encoder/layer.\(layer)/attention/output"
        let attended = skipLayerNorm(context, residual: x, prefix + ".attention.output")
        builder.scope = "/bert/encoder/layer.\(layer)/intermediate"
        let intermediate = fusedActivation(attended, prefix + ".intermediate.dense")
        builder.scope = "/bert/encoder/layer.\(layer)/output"
        return skipLayerNorm(intermediate, residual: attended, prefix + ".output")
    }

    /// `LayerNorm(x · Wᵀ + b + residual)` for `prefix.dense` and `prefix.LayerNorm`.
    private mutating func skipLayerNorm(_ x: String, residual: String, _ prefix: String) -> String {
        builder.op("SkipLayerNormalization", [
            product(x, prefix + ".dense.weight"), residual, weight(prefix + ".LayerNorm.weight"), weight(prefix + ".LayerNorm.bias"),
            weight(prefix + ".dense.bias"),
        ], [epsilon], domain: Self.microsoft)
    }

    /// `act(x · Wᵀ + b)` with BiasGelu (erf) or FastGelu (tanh) where the activation has one.
    private mutating func fusedActivation(_ x: String, _ prefix: String) -> String {
        let projected = product(x, prefix + ".weight")
        let bias = weight(prefix + ".bias")
        switch config.hiddenAct {
        case "gelu": return builder.op("BiasGelu", [projected, bias], domain: Self.microsoft)
        case "gelu_new", "gelu_fast", "gelu_pytorch_tanh": return builder.op("FastGelu", [projected, bias], domain: Self.microsoft)
        default: return activation(builder.op("Add", [projected, bias]))
        }
    }

    private var epsilon: ONNXAttribute { ONNXAttribute("epsilon", .float(Float(config.layerNormEps))) }
}
