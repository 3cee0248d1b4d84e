import Testing
@testable import BertCore

@Suite struct NameMapTests {
    private func map(_ json: String) throws -> NameMap {
        try NameMap(json: StrictJSONParser.parse(Array(json.utf8)), name: "t")
    }

    @Test func resolvesExactTemplatedAndSkippedNames() throws {
        let m = try map(#"""
        {"tensors": [
          {"canonical": "bert.encoder.layer.{layer}.output.dense.weight",
           "sources": ["bert/encoder/layer_{layer}/output/dense/kernel"], "transform": ["transpose"]},
          {"canonical": "cls.predictions.bias", "sources": ["cls/predictions/output_bias", "alt_bias"], "tied": true}],
         "skip": [{"pattern": "*/adam_*", "reason": "optimizer slot"}]}
        """#)
        #expect(m.resolve("bert/encoder/layer_11/output/dense/kernel")
                == .mapped(canonical: "bert.encoder.layer.11.output.dense.weight", transform: TensorTransform([.transpose]), tied: false, preference: 0))
        #expect(m.resolve("alt_bias") == .mapped(canonical: "cls.predictions.bias", transform: .identity, tied: true, preference: 1))
        #expect(m.resolve("bert/encoder/layer_1/output/dense/kernel/adam_m") == .skipped(reason: "optimizer slot"))
        #expect(m.resolve("bert/encoder/layer_x/output/dense/kernel") == nil)
        #expect(m.resolve("bert/encoder/layer_/output/dense/kernel") == nil)
    }

    @Test func rejectsInvalidMaps() {
        #expect(throws: GraphError.self) { try map(#"{"tensors": [{"canonical": "a"}]}"#) }
        #expect(throws: GraphError.self) { try map(#"{"tensors": [{"canonical": "a", "sources": ["x"], "transform": ["flip"]}]}"#) }
        #expect(throws: GraphError.self) { try map(#"{"tensors": [{"canonical": "a", "sources": ["x"]}, {"canonical": "b", "sources": ["x"]}]}"#) }
    }

    @Test func globMatchesAnywhere() {
        #expect(Glob.matches("a/b/adam_m", pattern: "*adam_m"))
        #expect(Glob.matches("global_step", pattern: "global_step"))
        #expect(Glob.matches("x/AdamWeightDecayOptimizer_1/y", pattern: "*AdamWeightDecayOptimizer*"))
        #expect(!Glob.matches("adam", pattern: "*adam_m"))
    }

    @Test func mapperReportsUnmappedAndDuplicateTensors() {
        let tensors = TestGraphs.hfTensors([.embeddings, .layer]) + [TestGraphs.tensor("mystery.weight", [2])]
        #expect {
            try NameMapper.map(TestGraphs.source(tensors), with: TestGraphs.map)
        } throws: { error in
            (error as! GraphError).kind == .unmappedTensors(["mystery.weight"])
        }
        let twice = TestGraphs.hfTensors([.embeddings, .layer]) + [TestGraphs.tensor("embeddings.LayerNorm.bias", [8])]
        #expect {
            try NameMapper.map(TestGraphs.source(twice), with: TestGraphs.map)
        } throws: { error in
            (error as! GraphError).description.contains("all map to 'bert.embeddings.LayerNorm.bias'")
        }
    }

    @Test func transformsComposeOnShapes() {
        #expect(TensorTransform([.mergeLast2, .transpose]).apply(to: [32, 4, 8]) == [32, 32])
        #expect(TensorTransform([.mergeFirst2, .transpose]).apply(to: [4, 8, 32]) == [32, 32])
        #expect(TensorTransform([.transpose]).apply(to: [3]) == nil)
    }
}
