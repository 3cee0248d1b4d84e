/// Builds and validates the canonical graph from a reader's output: name map, config, head,
/// shapes checked against the config, unused tensors skipped with reasons.
public enum GraphBuilder {
    /// The graph for `source` mapped by `map`; `head` overrides detection.
    public static func build(_ source: ModelSource, map: NameMap, head requested: BertHead? = nil)
        throws(GraphError) -> BertModelGraph {
        let path = source.path
        let mapped = try NameMapper.map(source, with: map)
        var tensors = Dictionary(uniqueKeysWithValues: mapped.tensors.map { ($0.name, $0) })
        var skipped = mapped.skipped

        var config: BertConfig
        if let given = source.config {
            config = given
        } else {
            config = try ConfigInference.infer(from: mapped.tensors, path: path)
        }
        if config.numLabels == nil, let labels = tensors["classifier.weight"]?.shape.first {
            config.numLabels = labels
        }
        let head: BertHead
        if let requested {
            head = requested
        } else {
            head = try detectHead(config: config, names: Set(tensors.keys), path: path)
        }
        let hasPooler = head == .base ? tensors["bert.pooler.dense.weight"] != nil : head.usesPooler

        var groups: [CanonicalGroup] = [.embeddings, .layer] + head.headGroups
        if hasPooler { groups.append(.pooler) }
        let specs = groups.flatMap { group -> [CanonicalSpec] in
            group == .layer
                ? (0..<config.numHiddenLayers).flatMap { layer in
                    group.specs.map { CanonicalSpec(template: $0.name(layer: layer), dims: $0.dims) } }
                : group.specs
        }
        try checkLayerCount(config: config, names: tensors.keys, path: path)
        let missing = specs.map(\.template).filter { tensors[$0] == nil }
        guard missing.isEmpty else { throw GraphError(path: path, .missingTensors(missing)) }
        for spec in specs {
            let expected = spec.dims.map { $0.size(config) ?? -1 }
            let actual = tensors[spec.template]!.shape
            guard expected == actual else {
                throw GraphError(path: path, .shapeMismatch(tensor: spec.template, expected: expected, actual: actual))
            }
        }

        let decoderTied = try resolveDecoder(&tensors, head: head, config: config, path: path, skipped: &skipped)
        let required = Set(specs.map(\.template) + (decoderTied ? [] : [CanonicalName.decoderWeight]))
        for name in tensors.keys.sorted() where !required.contains(name) {
            skipped.append(SkippedTensor(source: tensors[name]!.source.name, reason: "not used by \(head.rawValue)"))
            tensors[name] = nil
        }
        return BertModelGraph(
            format: source.format, path: path, inputFiles: source.inputFiles, companionFiles: source.companionFiles,
            config: config, configInferred: source.config == nil, head: head, hasPooler: hasPooler,
            decoderTied: decoderTied, tensors: tensors.values.sorted { $0.name < $1.name },
            skipped: skipped.sorted { $0.source < $1.source })
    }

    /// The head named by `architectures`, else the one the tensors present imply.
    static func detectHead(config: BertConfig, names: Set<String>, path: String) throws(GraphError) -> BertHead {
        if let named = config.architectures.lazy.compactMap(BertHead.init(className:)).first { return named }
        let hasLM = names.contains("cls.predictions.transform.dense.weight")
        let hasNSP = names.contains("cls.seq_relationship.weight")
        switch (hasLM, hasNSP) {
        case (true, true): return .preTraining
        case (true, false): return config.isDecoder ? .causalLM : .maskedLM
        case (false, true): return .nextSentence
        case (false, false): break
        }
        if names.contains("qa_outputs.weight") { return .questionAnswering }
        if names.contains("classifier.weight") {
            return names.contains("bert.pooler.dense.weight") ? .sequenceClassification : .tokenClassification
        }
        return .base
    }

    private static func checkLayerCount(config: BertConfig, names: Dictionary<String, CanonicalTensor>.Keys,
                                        path: String) throws(GraphError) {
        let highest = names.compactMap(CanonicalName.layerIndex(of:)).max() ?? -1
        guard highest < config.numHiddenLayers else {
            throw GraphError(path: path, .invalidConfig(
                field: "num_hidden_layers",
                reason: "config says \(config.numHiddenLayers) but the model has tensors for layer \(highest)"))
        }
    }

    /// Decides whether the LM decoder is tied: a decoder whose bytes equal the word embeddings is an
    /// alias (skipped), a distinct one is kept. Returns whether it is tied.
    private static func resolveDecoder(_ tensors: inout [String: CanonicalTensor], head: BertHead, config: BertConfig,
                                       path: String, skipped: inout [SkippedTensor]) throws(GraphError) -> Bool {
        guard head.usesLMHead else { return true }
        guard let decoder = tensors[CanonicalName.decoderWeight] else { return true }
        let expected = [config.vocabSize, config.hiddenSize]
        guard decoder.shape == expected else {
            throw GraphError(path: path, .shapeMismatch(tensor: decoder.name, expected: expected, actual: decoder.shape))
        }
        let words = tensors[CanonicalName.wordEmbeddings]!
        let same: Bool
        do {
            let a = try decoder.load(), b = try words.load()
            same = a.dtype == b.dtype && a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } }
        } catch {
            throw GraphError(path: path, .invalidConfig(field: "tie_word_embeddings", reason: error.description))
        }
        guard same else { return false }
        skipped.append(SkippedTensor(source: decoder.source.name, reason: "tied to the word embeddings"))
        tensors[CanonicalName.decoderWeight] = nil
        return true
    }
}
