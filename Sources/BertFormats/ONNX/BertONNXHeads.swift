import BertCore

extension BertONNXGraph {
    /// `config.hidden_act` as Hugging Face's `ACT2FN` computes it; opset 20's `Gelu` where it exists.
    mutating func activation(_ x: String) -> String {
        switch config.hiddenAct {
        case "gelu":
            if options.opset >= 20 { return builder.op("Gelu", [x]) }
            // x · ½ · (1 + erf(x / √2)), in torch.onnx.export's node order.
            let erf = builder.op("Erf", [builder.op("Div", [x, scalar(Float(2).squareRoot())])])
            return builder.op("Mul", [builder.op("Mul", [x, builder.op("Add", [erf, scalar(1)])]), scalar(0.5)])
        case "gelu_new", "gelu_fast", "gelu_pytorch_tanh":
            if options.opset >= 20 { return builder.op("Gelu", [x], [ONNXAttribute("approximate", .string("tanh"))]) }
            // ½ · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))
            let cube = builder.op("Mul", [builder.op("Mul", [x, x]), x])
            let inner = builder.op("Add", [x, builder.op("Mul", [cube, scalar(0.044715)])])
            let tanh = builder.op("Tanh", [builder.op("Mul", [inner, scalar((2 / Float.pi).squareRoot())])])
            return builder.op("Mul", [builder.op("Mul", [x, scalar(0.5)]), builder.op("Add", [tanh, scalar(1)])])
        case "relu":
            return builder.op("Relu", [x])
        default:  // silu, swish (BertConfig.validate admits nothing else)
            return builder.op("Mul", [x, builder.op("Sigmoid", [x])])
        }
    }

    /// The pooler (`tanh(dense(hidden[:, 0]))`), head layers and graph outputs.
    mutating func heads(_ hidden: String) {
        let batch = ONNXDim.param("batch"), sequence = ONNXDim.param("sequence")
        let tokens = graph.head == .multipleChoice ? [ONNXDim.param("batch_choices"), sequence] : [batch, sequence]
        var pooled = ""
        if graph.hasPooler {
            builder.scope = "/bert/pooler"
            let first = builder.op("Gather", [hidden, builder.constant(.int64([0], scalar: true))], [ONNXAttribute("axis", .int(1))])
            pooled = builder.op("Tanh", [linear(first, "bert.pooler.dense")])
        }
        let labels = ONNXDim.value(config.numLabels ?? 1)
        switch graph.head {
        case .base:
            output("last_hidden_state", hidden, dims: tokens + [.value(config.hiddenSize)])
            if graph.hasPooler { output("pooler_output", pooled, dims: [batch, .value(config.hiddenSize)]) }
        case .preTraining:
            output("prediction_logits", lmHead(hidden), dims: tokens + [.value(config.vocabSize)])
            builder.scope = "/cls/seq_relationship"
            output("seq_relationship_logits", linear(pooled, "cls.seq_relationship"), dims: [batch, .value(2)])
        case .maskedLM, .causalLM:
            output("logits", lmHead(hidden), dims: tokens + [.value(config.vocabSize)])
        case .nextSentence:
            builder.scope = "/cls/seq_relationship"
            output("logits", linear(pooled, "cls.seq_relationship"), dims: [batch, .value(2)])
        case .sequenceClassification:
            builder.scope = "/classifier"
            output("logits", linear(pooled, "classifier"), dims: [batch, labels])
        case .tokenClassification:
            builder.scope = "/classifier"
            output("logits", linear(hidden, "classifier"), dims: tokens + [labels])
        case .questionAnswering:
            builder.scope = "/qa_outputs"
            let logits = linear(hidden, "qa_outputs")
            for (index, name) in ["start_logits", "end_logits"].enumerated() {
                let part = builder.op("Gather", [logits, builder.constant(.int64([index], scalar: true))], [ONNXAttribute("axis", .int(2))])
                output(name, part, dims: tokens)
            }
        case .multipleChoice:
            builder.scope = "/classifier"
            let flat = linear(pooled, "classifier")
            let batchChoices = builder.op("Shape", ["input_ids"], [ONNXAttribute("start", .int(0)), ONNXAttribute("end", .int(2))])
            output("logits", builder.op("Reshape", [flat, batchChoices]), dims: [batch, .param("choices")])
        }
    }

    /// `cls.predictions`: dense, activation, LayerNorm, then the decoder (the word embeddings,
    /// transposed in the graph, when tied) plus `cls.predictions.bias`.
    mutating func lmHead(_ hidden: String) -> String {
        builder.scope = "/cls/predictions/transform"
        let transformed = layerNorm(activation(linear(hidden, "cls.predictions.transform.dense")),
                                    "cls.predictions.transform.LayerNorm")
        builder.scope = "/cls/predictions/decoder"
        let decoder = graph.decoderTied
            ? builder.op("Transpose", [weight(CanonicalName.wordEmbeddings)], [ONNXAttribute("perm", .ints([1, 0]))])
            : weight(CanonicalName.decoderWeight, transposed: true)
        return builder.op("Add", [builder.op("MatMul", [transformed, decoder]), weight("cls.predictions.bias")])
    }
}
