import BertCore
import BertNameMaps
import Foundation
import Testing
@testable import BertFormats

@Suite("KerasHub fixtures")
struct Keras3FixtureTests {
    static let forms = ["model.keras", "model.weights.h5", ""]

    @Test("the backbone reads as BertModel with the pooler, from every form", arguments: forms)
    func backbone(_ form: String) throws {
        let graph = try KerasFixtures.graph(KerasFixtures.path("keras-hub/backbone/\(form)"))
        #expect(graph.format == .keras3)
        #expect(graph.head == .base && graph.hasPooler)
        #expect(graph.config.hiddenAct == "gelu_new" && graph.config.layerNormEps == 1e-12)
        #expect(graph.config.numAttentionHeads == 4 && graph.config.maxPositionEmbeddings == 40)
        #expect(graph.tensors.count == 5 + 2 * 16 + 2)
    }

    @Test("the classifier reads as BertForSequenceClassification; optimizer state is skipped", arguments: forms)
    func classifier(_ form: String) throws {
        let graph = try KerasFixtures.graph(KerasFixtures.path("keras-hub/classifier/\(form)"))
        #expect(graph.head == .sequenceClassification)
        #expect(graph.config.numLabels == 3)
        #expect(graph.tensor("classifier.weight")?.shape == [3, 32])
        let skipped = graph.skipped.filter { $0.source.hasPrefix("BertTextClassifier/optimizer/") }
        #expect(skipped.count == 2 && skipped.allSatisfy { $0.reason.contains("optimizer") })
    }

    @Test("the archive, the weights file and a deflated archive give identical tensors")
    func formsAgree() throws {
        let reference = try KerasFixtures.graph(KerasFixtures.path("keras-hub/backbone/model.weights.h5"))
        for form in ["model.keras", "model-deflated.keras"] {
            try KerasFixtures.expectSameTensors(KerasFixtures.graph(KerasFixtures.path("keras-hub/backbone/\(form)")), reference)
        }
    }

    @Test("EinsumDense kernels [hidden, heads, head_dim] land on [out, in] Q/K/V and attention output")
    func einsumLayout() throws {
        let graph = try KerasFixtures.graph(KerasFixtures.path("keras-hub/backbone"))
        let query = try #require(graph.tensor("bert.encoder.layer.1.attention.self.query.weight"))
        #expect(query.source.name == "BertBackbone/layers/transformer_encoder_1/_self_attention_layer/query_dense/vars/0")
        let kernel = try query.source.load().floats(), canonical = try query.load().floats()
        // kernel[i, h, d] (row-major [32, 4, 8]) is weight[h * 8 + d, i].
        for (i, h, d) in [(0, 0, 0), (5, 1, 3), (31, 3, 7), (17, 2, 6)] {
            #expect(canonical[(h * 8 + d) * 32 + i] == kernel[(i * 4 + h) * 8 + d])
        }
        let output = try #require(graph.tensor("bert.encoder.layer.0.attention.output.dense.weight"))
        #expect(output.source.name == "BertBackbone/layers/transformer_encoder/_self_attention_layer/output_dense/vars/0")
        let outKernel = try output.source.load().floats(), outCanonical = try output.load().floats()
        // kernel[h, d, o] (row-major [4, 8, 32]) is weight[o, h * 8 + d].
        for (h, d, o) in [(0, 0, 0), (1, 3, 5), (3, 7, 31)] {
            #expect(outCanonical[o * 32 + h * 8 + d] == outKernel[(h * 8 + d) * 32 + o])
        }
    }

    @Test("reading a .keras archive leaves no temporary file behind")
    func noTemporaryLeft() throws {
        func leftovers() throws -> [String] {
            let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
            return try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("bertconv-keras-") }
        }
        let graph = try KerasFixtures.graph(KerasFixtures.path("keras-hub/classifier/model.keras"))
        _ = try graph.load("classifier.weight")
        // Other tests open archives concurrently; their copies live for milliseconds.
        var remaining = try leftovers()
        for _ in 0..<20 where !remaining.isEmpty {
            usleep(50_000)
            remaining = try leftovers()
        }
        #expect(remaining.isEmpty)
    }
}
