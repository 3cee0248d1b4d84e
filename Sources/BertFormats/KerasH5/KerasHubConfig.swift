import BertCore

/// A KerasHub BERT model's serialized config (`config.json` of a `.keras` archive or preset):
/// the root class name and the `BertConfig` it implies.
///
/// KerasHub's `BertBackbone` uses the tanh GELU (`gelu_approximate`, HF `gelu_new`) and LayerNorm
/// epsilon 1e-12 in every block; `BertTextClassifier` puts dropout and `Dense(num_classes)` on the
/// pooled output, which is `BertForSequenceClassification`'s classifier.
struct KerasHubConfig {
    /// The root Keras class (`BertBackbone`, `BertTextClassifier`); source names start with it.
    let className: String
    let bert: BertConfig

    /// The Keras classes bertconv reads, with the HF class each one is.
    static let heads = ["BertBackbone": "BertModel", "BertTextClassifier": "BertForSequenceClassification"]

    init(json: JSONValue, path: String) throws(FormatError) {
        func bad(_ field: String, _ why: String) -> FormatError {
            FormatError(path: path, tensor: field, .malformed("KerasHub config: \(why)"))
        }
        guard let className = json["class_name"]?.stringValue else { throw bad("class_name", "missing 'class_name'") }
        guard let head = Self.heads[className] else {
            throw FormatError(path: path, .unsupported("KerasHub class '\(className)' (bertconv reads \(Self.heads.keys.sorted().joined(separator: ", ")))"))
        }
        var backbone = json["config"]
        if className == "BertTextClassifier" {
            if let activation = backbone?["activation"]?.stringValue, activation != "linear" {
                throw FormatError(path: path, .unsupported("classifier activation '\(activation)' (logits need 'linear')"))
            }
            backbone = backbone?["backbone"]?["config"]
        }
        guard let backbone, backbone.objectValue != nil else { throw bad("config", "missing the backbone's 'config' object") }
        func int(_ key: String, default value: Int? = nil) throws(FormatError) -> Int {
            if let number = backbone[key]?.intValue, number > 0 { return number }
            if backbone[key] == nil, let value { return value }
            throw bad(key, "'\(key)' must be a positive integer")
        }
        let dropout = backbone["dropout"]?.doubleValue ?? 0.1
        var fields: [(key: String, value: JSONValue)] = [
            ("architectures", .array([.string(head)])),
            ("model_type", .string("bert")),
            ("vocab_size", .int(try int("vocabulary_size"))),
            ("hidden_size", .int(try int("hidden_dim"))),
            ("num_hidden_layers", .int(try int("num_layers"))),
            ("num_attention_heads", .int(try int("num_heads"))),
            ("intermediate_size", .int(try int("intermediate_dim"))),
            ("max_position_embeddings", .int(try int("max_sequence_length", default: 512))),
            ("type_vocab_size", .int(try int("num_segments", default: 2))),
            ("hidden_act", .string("gelu_new")),
            ("layer_norm_eps", .double(1e-12)),
            ("hidden_dropout_prob", .double(dropout)),
            ("attention_probs_dropout_prob", .double(dropout)),
        ]
        if className == "BertTextClassifier" {
            guard let classes = json["config"]?["num_classes"]?.intValue, classes > 0 else {
                throw bad("num_classes", "'num_classes' must be a positive integer")
            }
            fields.append(("num_labels", .int(classes)))
        }
        do {
            bert = try BertConfig(json: .object(fields), path: path)
        } catch {
            throw FormatError(path: path, .malformed(error.kind.message))
        }
        self.className = className
    }
}
