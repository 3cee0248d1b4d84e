import Testing
@testable import BertCore

@Suite struct GraphBuilderTests {
    private func build(_ tensors: [SourceTensor], config: BertConfig? = TestGraphs.config, head: BertHead? = nil) throws -> BertModelGraph {
        try GraphBuilder.build(TestGraphs.source(tensors, config: config), map: TestGraphs.map, head: head)
    }

    @Test(arguments: [
        ([CanonicalGroup.embeddings, .layer], BertHead.base, false),
        ([.embeddings, .layer, .pooler], .base, true),
        ([.embeddings, .layer, .pooler, .lmHead, .nextSentence], .preTraining, true),
        ([.embeddings, .layer, .lmHead], .maskedLM, false),
        ([.embeddings, .layer, .pooler, .nextSentence], .nextSentence, true),
        ([.embeddings, .layer, .pooler, .classifier], .sequenceClassification, true),
        ([.embeddings, .layer, .classifier], .tokenClassification, false),
        ([.embeddings, .layer, .questionAnswering], .questionAnswering, false),
    ])
    func detectsHeadFromTensors(groups: [CanonicalGroup], head: BertHead, pooler: Bool) throws {
        var config = TestGraphs.config
        config.numLabels = 3
        let graph = try build(TestGraphs.hfTensors(groups, config: config), config: config)
        #expect(graph.head == head)
        #expect(graph.hasPooler == pooler)
        #expect(graph.skipped.isEmpty)
    }

    @Test func architecturesNameTheHead() throws {
        var config = TestGraphs.config
        config.architectures = ["BertForMultipleChoice"]
        let tensors = TestGraphs.hfTensors([.embeddings, .layer, .pooler, .choiceClassifier], config: config)
        let graph = try build(tensors, config: config)
        #expect(graph.head == .multipleChoice)
        #expect(graph.outputs == ["logits"])
    }

    @Test func missingTensorIsNamed() {
        let tensors = TestGraphs.hfTensors([.embeddings, .layer]).filter { $0.name != "bert.encoder.layer.1.output.dense.bias" }
        #expect {
            try build(tensors)
        } throws: { error in
            (error as! GraphError).kind == .missingTensors(["bert.encoder.layer.1.output.dense.bias"])
        }
    }

    @Test func shapeMismatchNamesTensorExpectedAndActual() {
        var tensors = TestGraphs.hfTensors([.embeddings, .layer]).filter { $0.name != "bert.encoder.layer.0.intermediate.dense.weight" }
        tensors.append(TestGraphs.tensor("bert.encoder.layer.0.intermediate.dense.weight", [8, 12]))
        #expect {
            try build(tensors)
        } throws: { error in
            (error as! GraphError).description
                == "model.safetensors: tensor 'bert.encoder.layer.0.intermediate.dense.weight' has shape [8, 12], config expects [12, 8]"
        }
    }

    @Test func extraLayerContradictsConfig() {
        var config = TestGraphs.config
        config.numHiddenLayers = 1
        #expect {
            try build(TestGraphs.hfTensors([.embeddings, .layer]), config: config)
        } throws: { error in
            (error as! GraphError).description.contains("config says 1 but the model has tensors for layer 1")
        }
    }

    @Test func infersConfigFromShapes() throws {
        let graph = try build(TestGraphs.hfTensors([.embeddings, .layer, .pooler]), config: nil)
        #expect(graph.configInferred)
        #expect(graph.config.vocabSize == 10 && graph.config.numHiddenLayers == 2 && graph.config.intermediateSize == 12)
        #expect(graph.config.numAttentionHeads == 1)
    }

    @Test func unusedHeadTensorsAreSkippedWithReason() throws {
        let tensors = TestGraphs.hfTensors([.embeddings, .layer, .pooler, .lmHead])
        let graph = try build(tensors, head: .maskedLM)
        #expect(graph.skipped.map(\.source) == ["bert.pooler.dense.bias", "bert.pooler.dense.weight"])
        #expect(graph.skipped.allSatisfy { $0.reason == "not used by BertForMaskedLM" })
        #expect(graph.tensor("bert.pooler.dense.weight") == nil)
    }

    @Test func decoderEqualToEmbeddingsIsTiedAndDistinctOneKept() throws {
        let base = TestGraphs.hfTensors([.embeddings, .layer, .lmHead])
        let tied = try build(base + [TestGraphs.tensor("cls.predictions.decoder.weight", [10, 8])], head: .maskedLM)
        #expect(tied.decoderTied && tied.tensor(CanonicalName.decoderWeight) == nil)
        #expect(tied.skipped.map(\.reason) == ["tied to the word embeddings"])
        let distinct = try build(base + [TestGraphs.tensor("cls.predictions.decoder.weight", [10, 8], fill: 1)], head: .maskedLM)
        #expect(!distinct.decoderTied && distinct.tensor(CanonicalName.decoderWeight) != nil)
    }

    @Test func skipRulesApplyBeforeMapping() throws {
        let graph = try build(TestGraphs.hfTensors([.embeddings, .layer]) + [TestGraphs.tensor("embeddings.position_ids", [1, 16])])
        #expect(graph.skipped == [SkippedTensor(source: "embeddings.position_ids", reason: "buffer")])
    }

    @Test func stateDictNamesDropPrefixOnlyForBaseModel() {
        #expect(CanonicalName.stateDictName("bert.pooler.dense.weight", head: .base) == "pooler.dense.weight")
        #expect(CanonicalName.stateDictName("bert.pooler.dense.weight", head: .sequenceClassification) == "bert.pooler.dense.weight")
    }
}
