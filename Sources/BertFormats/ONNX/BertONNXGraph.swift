import BertCore

/// The BERT forward pass as ONNX nodes, following Hugging Face's `modeling_bert.py`: embeddings
/// (word + token type, then + position, LayerNorm), post-LN encoder layers, pooler and head.
struct BertONNXGraph {
    let graph: BertModelGraph
    let options: ONNXExportOptions
    var builder = ONNXGraphBuilder()
    private(set) var inputs: [ONNXValueInfo] = []
    private(set) var outputs: [ONNXValueInfo] = []
    /// The element type of weights and activations.
    let float: ONNXElementType

    init(graph: BertModelGraph, options: ONNXExportOptions) {
        self.graph = graph
        self.options = options
        float = options.precision == .fp16 ? .float16 : .float
    }

    var config: BertConfig { graph.config }

    /// The dynamic axes of the token inputs.
    var tokenDims: [ONNXDim] {
        graph.head == .multipleChoice
            ? [.param("batch"), .param("choices"), .param("sequence")] : [.param("batch"), .param("sequence")]
    }

    mutating func build() {
        inputs = ["input_ids", "attention_mask", "token_type_ids"].map {
            ONNXValueInfo(name: $0, elementType: .int64, dims: tokenDims)
        }
        var ids = "input_ids", mask = "attention_mask", types = "token_type_ids"
        if graph.head == .multipleChoice {
            builder.scope = "/bert/flatten_choices"
            let flat = ONNXAttribute("axis", .int(2))
            ids = builder.op("Flatten", [ids], [flat])
            mask = builder.op("Flatten", [mask], [flat])
            types = builder.op("Flatten", [types], [flat])
        }
        // The fused Attention operator takes float weights only; int8 keeps the plain attention core.
        let fusedAttention = options.ortOps && options.precision != .int8
        let maskIndex = fusedAttention ? fusedMaskIndex(mask) : ""
        let bias = fusedAttention ? "" : attentionBias(mask, ids: ids)
        var hidden = options.ortOps ? fusedEmbeddings(ids: ids, types: types) : embeddings(ids: ids, types: types)
        for layer in 0..<config.numHiddenLayers {
            let attention = fusedAttention
                ? fusedSelfAttention(layer, hidden, maskIndex: maskIndex) : selfAttention(layer, hidden, attentionBias: bias)
            hidden = options.ortOps
                ? fusedLayerTail(layer, hidden, context: attention) : layerTail(layer, hidden, context: attention)
        }
        heads(hidden)
    }

    // MARK: - Weights and common pieces

    /// The canonical tensor `name` as an initializer in the export precision, transposed to
    /// `[in, out]` for MatMul when `transposed`.
    mutating func weight(_ name: String, transposed: Bool = false) -> String {
        let canonical = graph.tensor(name)!
        let target: DType = float == .float16 ? .f16 : .f32
        let source = graph
        let shape = transposed ? [canonical.shape[1], canonical.shape[0]] : canonical.shape
        let load = { @Sendable () throws(FormatError) -> Tensor in try source.load(name)!.converted(to: target) }
        return builder.initializer(ONNXInitializer(
            name: name, elementType: float, shape: shape,
            docString: transposed ? ONNXExporter.transposedMarker : nil,
            payload: transposed ? .transposed(load) : .tensor(load)))
    }

    /// A scalar in the activation type.
    mutating func scalar(_ value: Float) -> String { builder.constant(.scalar(value, float)) }

    /// `x · Wᵀ + b` for the canonical linear layer `prefix` (`.weight`, `.bias`).
    mutating func linear(_ x: String, _ prefix: String) -> String {
        builder.op("Add", [product(x, prefix + ".weight"), weight(prefix + ".bias")])
    }

    /// `x · Wᵀ` for the canonical linear weight `name`: MatMul, or dynamically quantized for int8.
    mutating func product(_ x: String, _ name: String) -> String {
        if options.precision == .int8, options.int8Weights.contains(name) { return quantizedProduct(x, name) }
        return builder.op("MatMul", [x, weight(name, transposed: true)])
    }

    mutating func layerNorm(_ x: String, _ prefix: String) -> String {
        builder.op("LayerNormalization", [x, weight(prefix + ".weight"), weight(prefix + ".bias")],
                   [ONNXAttribute("axis", .int(-1)), ONNXAttribute("epsilon", .float(Float(config.layerNormEps)))])
    }

    /// `[1]`-shaped INT64 length of the last axis of `ids`.
    mutating func sequenceLength(_ ids: String) -> String {
        builder.op("Shape", [ids], [ONNXAttribute("start", .int(-1))])
    }

    // MARK: - Plain ONNX operators

    mutating func embeddings(ids: String, types: String) -> String {
        builder.scope = "/bert/embeddings"
        let words = builder.op("Gather", [weight("bert.embeddings.word_embeddings.weight"), ids])
        let tokenTypes = builder.op("Gather", [weight("bert.embeddings.token_type_embeddings.weight"), types])
        let positions = builder.op("Slice", [
            weight("bert.embeddings.position_embeddings.weight"), builder.ints([0]), sequenceLength(ids), builder.ints([0]),
        ])
        let sum = builder.op("Add", [builder.op("Add", [words, tokenTypes]), positions])
        return layerNorm(sum, "bert.embeddings.LayerNorm")
    }

    /// HF's extended attention mask, `(1 - mask) · float32.min`, shaped `[batch, 1, 1|seq, seq]`;
    /// decoder configs multiply the causal lower triangle in first. Always FLOAT: softmax runs in fp32.
    mutating func attentionBias(_ mask: String, ids: String) -> String {
        builder.scope = "/bert/extended_attention_mask"
        var keep = builder.op("Unsqueeze", [
            builder.op("Cast", [mask], [ONNXAttribute("to", .int(Int(ONNXElementType.float.rawValue)))]),
            builder.ints([1, 2]),
        ])
        if config.isDecoder {
            let length = sequenceLength(ids)
            let square = builder.op("Concat", [length, length], [ONNXAttribute("axis", .int(0))])
            let one = ONNXConstant(elementType: .float, shape: [1], bytes: ONNXConstant.scalar(1, .float).bytes)
            let ones = builder.op("ConstantOfShape", [square], [ONNXAttribute("value", .tensor(one))])
            let lower = builder.op("Trilu", [ones], [ONNXAttribute("upper", .int(0))])
            keep = builder.op("Mul", [keep, lower])
        }
        let dropped = builder.op("Sub", [builder.constant(.scalar(1, .float)), keep])
        return builder.op("Mul", [dropped, builder.constant(.scalar(-Float.greatestFiniteMagnitude, .float))])
    }

    /// The self-attention context `[batch, sequence, hidden]` of encoder layer `layer`.
    mutating func selfAttention(_ layer: Int, _ x: String, attentionBias: String) -> String {
        let prefix = "bert.encoder.layer.\(layer)"
        builder.scope = "/bert/encoder/layer.\(layer)/attention/self"
        let heads = config.numAttentionHeads, headSize = config.headSize
        let split = builder.ints([0, 0, heads, headSize])
        func perm(_ p: [Int]) -> [ONNXAttribute] { [ONNXAttribute("perm", .ints(p))] }
        let query = builder.op("Transpose", [builder.op("Reshape", [linear(x, prefix + ".attention.self.query"), split])], perm([0, 2, 1, 3]))
        let key = builder.op("Transpose", [builder.op("Reshape", [linear(x, prefix + ".attention.self.key"), split])], perm([0, 2, 3, 1]))
        let value = builder.op("Transpose", [builder.op("Reshape", [linear(x, prefix + ".attention.self.value"), split])], perm([0, 2, 1, 3]))
        var scores = builder.op("Div", [builder.op("MatMul", [query, key]), scalar(Float(headSize).squareRoot())])
        if float != .float { scores = cast(scores, to: .float) }
        var probs = builder.op("Softmax", [builder.op("Add", [scores, attentionBias])], [ONNXAttribute("axis", .int(-1))])
        if float != .float { probs = cast(probs, to: float) }
        return builder.op("Reshape", [
            builder.op("Transpose", [builder.op("MatMul", [probs, value])], perm([0, 2, 1, 3])),
            builder.ints([0, 0, config.hiddenSize]),
        ])
    }

    /// The rest of encoder layer `layer` after self-attention: output dense + LayerNorm, feed-forward.
    mutating func layerTail(_ layer: Int, _ x: String, context: String) -> String {
        let prefix = "bert.encoder.layer.\(layer)"
        builder.scope = "/bert/encoder/layer.\(layer)/attention/output"
        let attended = layerNorm(builder.op("Add", [linear(context, prefix + ".attention.output.dense"), x]),
                                 prefix + ".attention.output.LayerNorm")
        builder.scope = "/bert/encoder/layer.\(layer)/intermediate"
        let intermediate = activation(linear(attended, prefix + ".intermediate.dense"))
        builder.scope = "/bert/encoder/layer.\(layer)/output"
        return layerNorm(builder.op("Add", [linear(intermediate, prefix + ".output.dense"), attended]),
                         prefix + ".output.LayerNorm")
    }

    mutating func cast(_ x: String, to type: ONNXElementType) -> String {
        builder.op("Cast", [x], [ONNXAttribute("to", .int(Int(type.rawValue)))])
    }

    /// Registers a graph output named `name` computing `value`, in FLOAT whatever the precision.
    mutating func output(_ name: String, _ value: String, dims: [ONNXDim]) {
        if float == .float {
            builder.op("Identity", [value], output: name)
        } else {
            builder.op("Cast", [value], [ONNXAttribute("to", .int(Int(ONNXElementType.float.rawValue)))], output: name)
        }
        outputs.append(ONNXValueInfo(name: name, elementType: .float, dims: dims))
    }
}
