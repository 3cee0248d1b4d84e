/// The hyper-parameters of a BERT model, read from Hugging Face `config.json` or Google's
/// `bert_config.json` (the same snake_case keys), or inferred from tensor shapes.
public struct BertConfig: Sendable, Equatable {
    public var vocabSize: Int
    public var hiddenSize: Int
    public var numHiddenLayers: Int
    public var numAttentionHeads: Int
    public var intermediateSize: Int
    /// The activation's name as HF spells it (`gelu`, `gelu_new`, `relu`, …).
    public var hiddenAct: String
    public var maxPositionEmbeddings: Int
    public var typeVocabSize: Int
    public var layerNormEps: Double
    /// Decoder configs use a causal attention mask.
    public var isDecoder: Bool
    /// Label count for classification heads, from `id2label` or `num_labels`.
    public var numLabels: Int?
    /// HF class names from `architectures`.
    public var architectures: [String]
    /// Every key of the file the config came from, so writing it back loses nothing.
    public var raw: JSONValue

    public init(vocabSize: Int, hiddenSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
                intermediateSize: Int, hiddenAct: String = "gelu", maxPositionEmbeddings: Int,
                typeVocabSize: Int, layerNormEps: Double = 1e-12, isDecoder: Bool = false,
                numLabels: Int? = nil, architectures: [String] = [], raw: JSONValue = .object([])) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.intermediateSize = intermediateSize
        self.hiddenAct = hiddenAct
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.typeVocabSize = typeVocabSize
        self.layerNormEps = layerNormEps
        self.isDecoder = isDecoder
        self.numLabels = numLabels
        self.architectures = architectures
        self.raw = raw
    }

    /// Size of one attention head.
    public var headSize: Int { hiddenSize / numAttentionHeads }

    /// Activations the runner implements, by HF name.
    public static let supportedActivations: Set<String> = [
        "gelu", "gelu_new", "gelu_fast", "gelu_pytorch_tanh", "relu", "silu", "swish",
    ]
}

extension BertConfig {
    /// Reads a config object; `path` names the file in errors.
    public init(json: JSONValue, path: String) throws(GraphError) {
        guard case .object = json else {
            throw GraphError(path: path, .invalidConfig(field: "(root)", reason: "not a JSON object"))
        }
        func int(_ key: String) throws(GraphError) -> Int {
            guard let value = json[key] else {
                throw GraphError(path: path, .invalidConfig(field: key, reason: "missing"))
            }
            guard let number = value.intValue, number > 0 else {
                throw GraphError(path: path, .invalidConfig(field: key, reason: "must be a positive integer"))
            }
            return number
        }
        vocabSize = try int("vocab_size")
        hiddenSize = try int("hidden_size")
        numHiddenLayers = try int("num_hidden_layers")
        numAttentionHeads = try int("num_attention_heads")
        intermediateSize = try int("intermediate_size")
        maxPositionEmbeddings = try int("max_position_embeddings")
        typeVocabSize = try int("type_vocab_size")
        hiddenAct = json["hidden_act"]?.stringValue ?? "gelu"
        layerNormEps = json["layer_norm_eps"]?.doubleValue ?? 1e-12
        isDecoder = json["is_decoder"]?.boolValue ?? false
        if let labels = json["id2label"]?.objectValue {
            numLabels = labels.count
        } else {
            numLabels = json["num_labels"]?.intValue
        }
        architectures = json["architectures"]?.arrayValue?.compactMap(\.stringValue) ?? []
        raw = json
        try validate(path: path)
    }

    /// Reads and validates a config file; a bad field is a format error of that file.
    public init(contentsOf path: String) throws(FormatError) {
        let json = try FileBytes.json(path)
        do { try self.init(json: json, path: path) } catch {
            throw FormatError(path: path, .malformed(error.kind.message))
        }
    }

    /// Checks the relations between fields that every consumer relies on.
    public func validate(path: String) throws(GraphError) {
        guard hiddenSize % numAttentionHeads == 0 else {
            throw GraphError(path: path, .invalidConfig(
                field: "num_attention_heads",
                reason: "hidden_size \(hiddenSize) is not a multiple of \(numAttentionHeads)"))
        }
        guard Self.supportedActivations.contains(hiddenAct) else {
            throw GraphError(path: path, .invalidConfig(field: "hidden_act", reason: "unsupported activation '\(hiddenAct)'"))
        }
        if let kind = raw["position_embedding_type"]?.stringValue, kind != "absolute" {
            throw GraphError(path: path, .invalidConfig(
                field: "position_embedding_type", reason: "only 'absolute' is supported, found '\(kind)'"))
        }
    }

    /// The HF `config.json` for this model with `head`: the source's keys kept, the typed fields
    /// and `architectures` written over them.
    public func huggingFaceJSON(head: BertHead, tieWordEmbeddings: Bool) -> JSONValue {
        var json: JSONValue = raw.objectValue == nil ? .object([]) : raw
        let fields: [(String, JSONValue)] = [
            ("architectures", .array([.string(head.rawValue)])),
            ("model_type", .string("bert")),
            ("vocab_size", .int(vocabSize)),
            ("hidden_size", .int(hiddenSize)),
            ("num_hidden_layers", .int(numHiddenLayers)),
            ("num_attention_heads", .int(numAttentionHeads)),
            ("intermediate_size", .int(intermediateSize)),
            ("hidden_act", .string(hiddenAct)),
            ("max_position_embeddings", .int(maxPositionEmbeddings)),
            ("type_vocab_size", .int(typeVocabSize)),
            ("layer_norm_eps", .double(layerNormEps)),
            ("is_decoder", .bool(isDecoder)),
            ("tie_word_embeddings", .bool(tieWordEmbeddings)),
        ]
        for (key, value) in fields { json = json.setting(key, to: value) }
        if let numLabels, json["id2label"] == nil, head.usesLabels {
            let labels = (0..<numLabels).map { (key: String($0), value: JSONValue.string("LABEL_\($0)")) }
            json = json.setting("id2label", to: .object(labels))
            json = json.setting("label2id", to: .object(labels.map { ($0.value.stringValue!, .int(Int($0.key)!)) }))
        }
        return json
    }
}
