@testable import BertCore

/// Builds in-memory sources shaped like a tiny BERT, for name-map and graph tests.
enum TestGraphs {
    static let config = BertConfig(
        vocabSize: 10, hiddenSize: 8, numHiddenLayers: 2, numAttentionHeads: 2, intermediateSize: 12,
        maxPositionEmbeddings: 16, typeVocabSize: 2)

    /// A source tensor of zeros, or of `fill` when given.
    static func tensor(_ name: String, _ shape: [Int], fill: Float = 0) -> SourceTensor {
        let count = ShapeMath.elementCount(shape)!
        let value = Tensor(float32: Array(repeating: fill, count: count), shape: shape)
        return SourceTensor(name: name, dtype: .f32, shape: shape, byteCount: value.byteCount) { () throws(FormatError) in value }
    }

    /// HF-named tensors for `groups` under `config`, every one present.
    static func hfTensors(_ groups: [CanonicalGroup], config: BertConfig = config) -> [SourceTensor] {
        groups.flatMap { group -> [SourceTensor] in
            let layers = group == .layer ? Array(0..<config.numHiddenLayers) : [0]
            return layers.flatMap { layer in
                group.specs.map { spec in
                    tensor(group == .layer ? spec.name(layer: layer) : spec.name(), spec.dims.map { $0.size(config) ?? 3 })
                }
            }
        }
    }

    static func source(_ tensors: [SourceTensor], config: BertConfig? = config) -> ModelSource {
        ModelSource(format: .safetensors, path: "model.safetensors", inputFiles: [], tensors: tensors,
                    config: config, companionFiles: [], nameMap: "test")
    }

    /// A map with the identity spelling for every canonical name plus an unprefixed one.
    static let map: NameMap = {
        var entries: [JSONValue] = CanonicalGroup.allCases.flatMap(\.specs).map { spec in
            var sources: [JSONValue] = [.string(spec.template)]
            if spec.template.hasPrefix("bert.") { sources.append(.string(String(spec.template.dropFirst(5)))) }
            return .object([("canonical", .string(spec.template)), ("sources", .array(sources))])
        }
        entries.append(.object([("canonical", .string("cls.predictions.decoder.weight")),
                                ("sources", .array([.string("cls.predictions.decoder.weight")]))]))
        let json: JSONValue = .object([
            ("tensors", .array(Array(Dictionary(entries.map { ($0["canonical"]!.stringValue!, $0) }, uniquingKeysWith: { a, _ in a }).values))),
            ("skip", .array([.object([("pattern", .string("*position_ids")), ("reason", .string("buffer"))])])),
        ])
        return try! NameMap(json: json, name: "test")
    }()
}
