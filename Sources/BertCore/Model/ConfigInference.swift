/// Infers a `BertConfig` from canonical tensor shapes when the source ships no config.
///
/// Every field follows from a shape except the attention head count, which no tensor records:
/// it is taken as hidden/64 (BERT's head size in every published size) and the manifest says so.
public enum ConfigInference {
    public static let assumedHeadSize = 64

    public static func infer(from tensors: [CanonicalTensor], path: String) throws(GraphError) -> BertConfig {
        func shape(_ name: String) throws(GraphError) -> [Int] {
            guard let tensor = tensors.first(where: { $0.name == name }) else {
                throw GraphError(path: path, .missingTensors([name]))
            }
            return tensor.shape
        }
        let words = try shape("bert.embeddings.word_embeddings.weight")
        let positions = try shape("bert.embeddings.position_embeddings.weight")
        let types = try shape("bert.embeddings.token_type_embeddings.weight")
        let intermediate = try shape("bert.encoder.layer.0.intermediate.dense.weight")
        guard words.count == 2, positions.count == 2, types.count == 2, intermediate.count == 2 else {
            throw GraphError(path: path, .invalidConfig(field: "(inferred)", reason: "embedding tensors are not 2-D"))
        }
        let hidden = words[1]
        let layers = (tensors.compactMap { CanonicalName.layerIndex(of: $0.name) }.max() ?? -1) + 1
        let heads = hidden % assumedHeadSize == 0 ? hidden / assumedHeadSize : 1
        let labels = tensors.first { $0.name == "classifier.weight" }?.shape.first
        let config = BertConfig(
            vocabSize: words[0], hiddenSize: hidden, numHiddenLayers: layers, numAttentionHeads: heads,
            intermediateSize: intermediate[0], maxPositionEmbeddings: positions[0], typeVocabSize: types[0],
            numLabels: labels)
        try config.validate(path: path)
        return config
    }
}
