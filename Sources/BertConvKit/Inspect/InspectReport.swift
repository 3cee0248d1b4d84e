import BertCore

/// What `inspect` reports about a model: format, config, head, canonical tensors and skipped ones.
public struct InspectReport: Sendable {
    public let graph: BertModelGraph

    /// Reads and validates the model at `path`.
    public static func inspect(_ path: String, head: BertHead? = nil) throws(BertCoreError) -> InspectReport {
        InspectReport(graph: try ModelLoader.load(path, head: head))
    }

    /// The config fields shown, in order.
    public var configFields: [(key: String, value: JSONValue)] {
        let c = graph.config
        var fields: [(key: String, value: JSONValue)] = [
            ("vocab_size", .int(c.vocabSize)), ("hidden_size", .int(c.hiddenSize)),
            ("num_hidden_layers", .int(c.numHiddenLayers)), ("num_attention_heads", .int(c.numAttentionHeads)),
            ("intermediate_size", .int(c.intermediateSize)), ("hidden_act", .string(c.hiddenAct)),
            ("max_position_embeddings", .int(c.maxPositionEmbeddings)), ("type_vocab_size", .int(c.typeVocabSize)),
            ("layer_norm_eps", .double(c.layerNormEps)), ("is_decoder", .bool(c.isDecoder)),
        ]
        if let labels = c.numLabels { fields.append(("num_labels", .int(labels))) }
        return fields
    }

    /// The `--json` document.
    public var json: JSONValue {
        .object([
            ("path", .string(graph.path)),
            ("format", .string(graph.format.rawValue)),
            ("head", .string(graph.head.rawValue)),
            ("has_pooler", .bool(graph.hasPooler)),
            ("decoder_tied", .bool(graph.decoderTied)),
            ("config_inferred", .bool(graph.configInferred)),
            ("config", .object(configFields)),
            ("outputs", .array(graph.outputs.map { .string($0) })),
            ("parameter_count", .int(parameterCount)),
            ("tensors", .array(graph.tensors.map { t in
                .object([
                    ("name", .string(t.name)), ("source", .string(t.source.name)),
                    ("dtype", .string(t.dtype.rawValue)), ("shape", .array(t.shape.map { .int($0) })),
                    ("transform", .string(t.transform.description)),
                ])
            })),
            ("skipped", .array(graph.skipped.map { .object([("source", .string($0.source)), ("reason", .string($0.reason))]) })),
        ])
    }

    /// Total elements over all canonical tensors.
    public var parameterCount: Int {
        graph.tensors.reduce(0) { $0 + (ShapeMath.elementCount($1.shape) ?? 0) }
    }
}
