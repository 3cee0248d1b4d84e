import BertCore

/// `BertEmbeddings`: word + absolute position + token type embeddings, then LayerNorm.
struct Embeddings: Sendable {
    let words: FloatBuffer
    let positions: FloatBuffer
    let tokenTypes: FloatBuffer
    let norm: LayerNorm
    let hidden: Int

    init(graph: BertModelGraph, isa: KernelISA) throws(RunnerError) {
        words = FloatBuffer(try WeightLoader.floats("bert.embeddings.word_embeddings.weight", in: graph))
        positions = FloatBuffer(try WeightLoader.floats("bert.embeddings.position_embeddings.weight", in: graph))
        tokenTypes = FloatBuffer(try WeightLoader.floats("bert.embeddings.token_type_embeddings.weight", in: graph))
        norm = try LayerNorm("bert.embeddings.LayerNorm", in: graph, isa: isa)
        hidden = graph.config.hiddenSize
    }

    /// Writes one row per token of `inputs` (validated) into `output`; positions restart at 0 in
    /// every sequence, as HF's default `position_ids` do.
    func apply(_ inputs: RunnerInputs, into output: UnsafeMutablePointer<Float>, pool: ThreadPool) {
        let seq = inputs.sequenceLength, hidden = hidden
        let (words, positions, types) = (words.pointer, positions.pointer, tokenTypes.pointer)
        inputs.inputIds.withUnsafeBufferPointer { ids in
            inputs.tokenTypeIds.withUnsafeBufferPointer { typeIds in
                pool.forEachChunk(ids.count) { _, chunk in
                    for token in chunk {
                        let row = output + token * hidden
                        let word = words + Int(ids[token]) * hidden
                        let position = positions + (token % seq) * hidden
                        let type = types + Int(typeIds[token]) * hidden
                        for j in 0..<hidden { row[j] = word[j] + position[j] + type[j] }
                    }
                }
            }
        }
        norm.apply(output, into: output, rows: inputs.inputIds.count, pool: pool)
    }
}
