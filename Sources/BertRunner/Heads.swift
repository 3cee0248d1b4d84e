import BertCore

/// One output field of a forward pass, named as HF's `ModelOutput` field.
public struct RunnerOutput: Sendable {
    public let name: String
    public let tensor: Tensor
}

/// The layers on top of the encoder: `BertPooler`, the masked-LM prediction head
/// (transform, LayerNorm, decoder tied to the word embeddings) and the task projection.
struct HeadLayers: Sendable {
    let head: BertHead
    let pooler: (any Linear)?
    let transform: (any Linear)?
    let transformNorm: LayerNorm?
    let decoder: (any Linear)?
    /// `cls.seq_relationship`, `classifier` or `qa_outputs`.
    let projection: (any Linear)?

    init(graph: BertModelGraph, builder: any LinearBuilder, isa: KernelISA) throws(RunnerError) {
        head = graph.head
        pooler = graph.hasPooler ? try builder.linear(.named("bert.pooler.dense"), in: graph) : nil
        if head.usesLMHead {
            transform = try builder.linear(.named("cls.predictions.transform.dense"), in: graph)
            transformNorm = try LayerNorm("cls.predictions.transform.LayerNorm", in: graph, isa: isa)
            decoder = try builder.linear(
                LinearSpec(weights: [CanonicalName.decoderWeight], biases: ["cls.predictions.bias"]), in: graph)
        } else {
            (transform, transformNorm, decoder) = (nil, nil, nil)
        }
        let projectionName: String? = switch head {
        case .preTraining, .nextSentence: "cls.seq_relationship"
        case .sequenceClassification, .tokenClassification, .multipleChoice: "classifier"
        case .questionAnswering: "qa_outputs"
        case .base, .maskedLM, .causalLM: nil
        }
        projection = try projectionName.map { name throws(RunnerError) in try builder.linear(.named(name), in: graph) }
    }

    /// The head's outputs from the final hidden states in `work`, shaped as HF returns them.
    func outputs(_ work: Workspace, batchShape: [Int], activation: Activation, pool: ThreadPool) -> [RunnerOutput] {
        let shape = work.shape
        let (tokens, seq, hidden, sequences) = (shape.tokens, shape.sequence, shape.hidden, shape.sequences)
        let pooled = pooler.map { pooler in
            let first = FloatBuffer(count: sequences * hidden)
            for s in 0..<sequences {
                (first.pointer + s * hidden).update(from: work.hidden.pointer + s * seq * hidden, count: hidden)
            }
            return run(pooler, first, rows: sequences, activation: .tanh, pool: pool)
        }
        let perToken = batchShape + [seq]
        switch head {
        case .base:
            let last = FloatBuffer(count: tokens * hidden)
            last.pointer.update(from: work.hidden.pointer, count: tokens * hidden)
            var outputs = [RunnerOutput(name: "last_hidden_state", tensor: last.tensor(perToken + [hidden]))]
            if let pooled { outputs.append(RunnerOutput(name: "pooler_output", tensor: pooled.tensor(batchShape + [hidden]))) }
            return outputs
        case .preTraining:
            let logits = predictionLogits(work, activation: activation, pool: pool)
            let relationship = run(projection!, pooled!, rows: sequences, pool: pool)
            return [RunnerOutput(name: "prediction_logits", tensor: logits.tensor(perToken + [decoder!.outFeatures])),
                    RunnerOutput(name: "seq_relationship_logits", tensor: relationship.tensor(batchShape + [2]))]
        case .maskedLM, .causalLM:
            let logits = predictionLogits(work, activation: activation, pool: pool)
            return [RunnerOutput(name: "logits", tensor: logits.tensor(perToken + [decoder!.outFeatures]))]
        case .nextSentence, .sequenceClassification:
            let logits = run(projection!, pooled!, rows: sequences, pool: pool)
            return [RunnerOutput(name: "logits", tensor: logits.tensor(batchShape + [projection!.outFeatures]))]
        case .multipleChoice:
            let logits = run(projection!, pooled!, rows: sequences, pool: pool)
            return [RunnerOutput(name: "logits", tensor: logits.tensor(batchShape))]
        case .tokenClassification:
            let logits = run(projection!, work.hidden, rows: tokens, pool: pool)
            return [RunnerOutput(name: "logits", tensor: logits.tensor(perToken + [projection!.outFeatures]))]
        case .questionAnswering:
            let logits = run(projection!, work.hidden, rows: tokens, pool: pool)
            let start = FloatBuffer(count: tokens), end = FloatBuffer(count: tokens)
            for t in 0..<tokens {
                start.pointer[t] = logits.pointer[2 * t]
                end.pointer[t] = logits.pointer[2 * t + 1]
            }
            return [RunnerOutput(name: "start_logits", tensor: start.tensor(perToken)),
                    RunnerOutput(name: "end_logits", tensor: end.tensor(perToken))]
        }
    }

    /// `BertLMPredictionHead`: dense + activation, LayerNorm, decoder + bias, over every token.
    private func predictionLogits(_ work: Workspace, activation: Activation, pool: ThreadPool) -> FloatBuffer {
        let tokens = work.shape.tokens
        let transformed = run(transform!, work.hidden, rows: tokens, activation: activation, pool: pool)
        transformNorm!.apply(transformed.pointer, into: transformed.pointer, rows: tokens, pool: pool)
        return run(decoder!, transformed, rows: tokens, pool: pool)
    }

    private func run(_ linear: any Linear, _ input: FloatBuffer, rows: Int, activation: Activation = .identity,
                     pool: ThreadPool) -> FloatBuffer {
        let output = FloatBuffer(count: rows * linear.outFeatures)
        linear.apply(input.pointer, rows: rows, into: output.pointer, epilogue: Epilogue(activation: activation), pool: pool)
        return output
    }
}
