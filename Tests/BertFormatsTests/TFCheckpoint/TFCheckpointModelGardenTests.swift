import BertCore
import BertNameMaps
import Foundation
import TestSupport
import Testing
@testable import BertFormats

/// TF Model Garden encoder checkpoints (`tf.train.Checkpoint(encoder=...)`, names as HF's
/// `convert_bert_token_dropping_original_tf2_checkpoint_to_pytorch.py` reads them): einsum
/// attention kernels are merged to 2-D, then transposed.
@Suite struct TFCheckpointModelGardenTests {
    private let dir = TempDirectory()
    private static let hidden = 4, heads = 2, intermediate = 3, vocab = 5, positions = 6

    /// Every variable of a one-layer encoder with its shape.
    private static var variables: [(String, [Int])] {
        let h = hidden, n = heads, s = hidden / heads, i = intermediate
        let layer = "encoder/_transformer_layers/0/", attention = layer + "_attention_layer/"
        var list: [(String, [Int])] = [
            ("encoder/_embedding_layer/embeddings", [vocab, h]),
            ("encoder/_position_embedding_layer/embeddings", [positions, h]),
            ("encoder/_type_embedding_layer/embeddings", [2, h]),
            ("encoder/_embedding_norm_layer/gamma", [h]), ("encoder/_embedding_norm_layer/beta", [h]),
            ("encoder/_pooler_layer/kernel", [h, h]), ("encoder/_pooler_layer/bias", [h]),
            (attention + "_output_dense/kernel", [n, s, h]), (attention + "_output_dense/bias", [h]),
            (layer + "_attention_layer_norm/gamma", [h]), (layer + "_attention_layer_norm/beta", [h]),
            (layer + "_intermediate_dense/kernel", [h, i]), (layer + "_intermediate_dense/bias", [i]),
            (layer + "_output_dense/kernel", [i, h]), (layer + "_output_dense/bias", [h]),
            (layer + "_output_layer_norm/gamma", [h]), (layer + "_output_layer_norm/beta", [h]),
        ]
        for projection in ["query", "key", "value"] {
            list.append((attention + "_\(projection)_dense/kernel", [h, n, s]))
            list.append((attention + "_\(projection)_dense/bias", [n, s]))
        }
        return list.map { ($0.0 + "/.ATTRIBUTES/VARIABLE_VALUE", $0.1) }
    }

    @Test func encoderCheckpointBuildsABaseModelWithMergedAttentionKernels() throws {
        let tensors = Self.variables.map { name, shape in
            let count = shape.reduce(1, *)
            return TFCheckpointBundleWriter.Tensor(name, floats: (0..<count).map(Float.init), shape: shape)
        }
        let bytes = TFCheckpointBundleWriter.bundle(tensors)
        let prefix = TFCheckpointBundleWriter.write(index: bytes.index, shards: bytes.shards, in: dir.path)
        let config = """
            {"vocab_size": 5, "hidden_size": 4, "num_hidden_layers": 1, "num_attention_heads": 2,
             "intermediate_size": 3, "max_position_embeddings": 6, "type_vocab_size": 2, "hidden_act": "gelu"}
            """
        _ = dir.write("bert_config.json", text: config)
        let source = try TFCheckpointReader.read(prefix)
        #expect(source.nameMap == "tf2-object")
        let graph = try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
        #expect(graph.head == .base && graph.hasPooler && graph.tensors.count == 23)
        // Stored [in, heads, head_size] (query) or [heads, head_size, in] (output), values 4·in + out:
        // merged to [in, out], transposed to [out, in].
        let expected: [Float] = [0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15]
        for name in ["bert.encoder.layer.0.attention.self.query.weight", "bert.encoder.layer.0.attention.output.dense.weight"] {
            let tensor = try #require(graph.tensor(name)).load()
            #expect(tensor.shape == [4, 4] && tensor.floats() == expected, "\(name)")
        }
        let bias = try #require(graph.tensor("bert.encoder.layer.0.attention.self.key.bias")).load()
        #expect(bias.shape == [4] && bias.floats() == [0, 1, 2, 3])
        let intermediate = try #require(graph.tensor("bert.encoder.layer.0.intermediate.dense.weight")).load()
        #expect(intermediate.shape == [3, 4] && intermediate.floats() == [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
    }

    @Test func unknownObjectLayoutListsTheUnmappedNames() throws {
        let stray = TFCheckpointBundleWriter.Tensor("net/dense_7/kernel/.ATTRIBUTES/VARIABLE_VALUE", floats: [1], shape: [1, 1])
        let bytes = TFCheckpointBundleWriter.bundle([stray])
        let source = try TFCheckpointReader.read(TFCheckpointBundleWriter.write(index: bytes.index, shards: bytes.shards, in: dir.path))
        #expect(throws: GraphError(path: source.path, .unmappedTensors(["net/dense_7/kernel/.ATTRIBUTES/VARIABLE_VALUE"]))) {
            try NameMapper.map(source, with: NameMaps.load(source.nameMap))
        }
    }
}
