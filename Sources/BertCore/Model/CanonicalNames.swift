/// A dimension of a canonical tensor, in terms of the config.
public enum CanonicalDim: Sendable, Equatable {
    case vocab, hidden, intermediate, positions, tokenTypes, labels
    case fixed(Int)

    /// The size this dimension has under `config`.
    public func size(_ config: BertConfig) -> Int? {
        switch self {
        case .vocab: config.vocabSize
        case .hidden: config.hiddenSize
        case .intermediate: config.intermediateSize
        case .positions: config.maxPositionEmbeddings
        case .tokenTypes: config.typeVocabSize
        case .labels: config.numLabels
        case .fixed(let n): n
        }
    }
}

/// One canonical tensor: its Hugging Face PyTorch name (`{layer}` stands for the layer index) and shape.
public struct CanonicalSpec: Sendable {
    public let template: String
    public let dims: [CanonicalDim]

    /// The name with `{layer}` replaced.
    public func name(layer: Int? = nil) -> String {
        guard let layer else { return template }
        return template.replacing("{layer}", with: String(layer))
    }
}

/// The groups of canonical tensors a BERT graph is made of; the table below is the canonical
/// graph's definition (as gguf-py's `MODEL_TENSORS` is for llama.cpp).
public enum CanonicalGroup: String, Sendable, CaseIterable {
    case embeddings, layer, pooler, lmHead, nextSentence, classifier, choiceClassifier, questionAnswering

    /// The tensors of the group; `layer` entries are templates over `{layer}`.
    public var specs: [CanonicalSpec] {
        switch self {
        case .embeddings: [
            CanonicalSpec(template: "bert.embeddings.word_embeddings.weight", dims: [.vocab, .hidden]),
            CanonicalSpec(template: "bert.embeddings.position_embeddings.weight", dims: [.positions, .hidden]),
            CanonicalSpec(template: "bert.embeddings.token_type_embeddings.weight", dims: [.tokenTypes, .hidden]),
            CanonicalSpec(template: "bert.embeddings.LayerNorm.weight", dims: [.hidden]),
            CanonicalSpec(template: "bert.embeddings.LayerNorm.bias", dims: [.hidden]),
        ]
        case .layer: Self.linear("bert.encoder.layer.{layer}.attention.self.query", .hidden, .hidden)
            + Self.linear("bert.encoder.layer.{layer}.attention.self.key", .hidden, .hidden)
            + Self.linear("bert.encoder.layer.{layer}.attention.self.value", .hidden, .hidden)
            + Self.linear("bert.encoder.layer.{layer}.attention.output.dense", .hidden, .hidden)
            + Self.layerNorm("bert.encoder.layer.{layer}.attention.output.LayerNorm")
            + Self.linear("bert.encoder.layer.{layer}.intermediate.dense", .intermediate, .hidden)
            + Self.linear("bert.encoder.layer.{layer}.output.dense", .hidden, .intermediate)
            + Self.layerNorm("bert.encoder.layer.{layer}.output.LayerNorm")
        case .pooler: Self.linear("bert.pooler.dense", .hidden, .hidden)
        case .lmHead: Self.linear("cls.predictions.transform.dense", .hidden, .hidden)
            + Self.layerNorm("cls.predictions.transform.LayerNorm")
            + [CanonicalSpec(template: "cls.predictions.bias", dims: [.vocab])]
        case .nextSentence: Self.linear("cls.seq_relationship", .fixed(2), .hidden)
        case .classifier: Self.linear("classifier", .labels, .hidden)
        case .choiceClassifier: Self.linear("classifier", .fixed(1), .hidden)
        case .questionAnswering: Self.linear("qa_outputs", .fixed(2), .hidden)
        }
    }

    private static func linear(_ prefix: String, _ out: CanonicalDim, _ inDim: CanonicalDim) -> [CanonicalSpec] {
        [CanonicalSpec(template: prefix + ".weight", dims: [out, inDim]),
         CanonicalSpec(template: prefix + ".bias", dims: [out])]
    }

    private static func layerNorm(_ prefix: String) -> [CanonicalSpec] {
        [CanonicalSpec(template: prefix + ".weight", dims: [.hidden]),
         CanonicalSpec(template: prefix + ".bias", dims: [.hidden])]
    }
}

/// Canonical names that are not part of any group's required set.
public enum CanonicalName {
    /// The masked-LM decoder; an alias of the word embeddings unless the source holds a distinct one.
    public static let decoderWeight = "cls.predictions.decoder.weight"
    /// The word embeddings the decoder is tied to.
    public static let wordEmbeddings = "bert.embeddings.word_embeddings.weight"
    /// The name `transformers` itself saves for `name` under `head`: `BertModel` is the base model,
    /// whose state dict has no `bert.` prefix; every head class keeps it.
    public static func stateDictName(_ name: String, head: BertHead) -> String {
        head == .base && name.hasPrefix("bert.") ? String(name.dropFirst(5)) : name
    }

    /// Layer index of a canonical encoder-layer name, if it is one.
    public static func layerIndex(of name: String) -> Int? {
        let prefix = "bert.encoder.layer."
        guard name.hasPrefix(prefix) else { return nil }
        return Int(name.dropFirst(prefix.count).prefix(while: \.isNumber))
    }
}
