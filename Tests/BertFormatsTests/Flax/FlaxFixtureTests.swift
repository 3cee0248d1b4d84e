import Testing
@testable import BertFormats
import BertCore
import BertNameMaps
import TestSupport

let fixtureRoot = Fixtures.root

/// The canonical graph of the model at `path` read by `reader` and mapped by its name map.
func graph(_ reader: any ModelReader.Type, _ path: String) throws -> BertModelGraph {
    let source = try reader.read(path)
    return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
}

/// The tensor's bytes, for bit-for-bit comparison.

@Suite("flax fixtures")
struct FlaxFixtureTests {
    static let heads = [
        "base", "base-nopool", "causal-lm", "masked-lm", "multiple-choice", "next-sentence", "pretraining",
        "qa", "seq-cls", "seq-cls-regression", "token-cls",
    ]

    @Test("every Flax head maps onto the same canonical tensors as its PyTorch twin, bit for bit", arguments: heads)
    func matchesPyTorch(head: String) throws {
        let flax = try graph(FlaxMsgpackReader.self, "\(fixtureRoot)/\(head)/flax")
        let torch = try graph(SafetensorsReader.self, "\(fixtureRoot)/\(head)/hf")
        #expect(flax.head == torch.head)
        #expect(flax.hasPooler == torch.hasPooler)
        #expect(flax.decoderTied == torch.decoderTied)
        #expect(flax.tensors.map(\.name) == torch.tensors.map(\.name))
        for tensor in flax.tensors {
            let mine = try tensor.load()
            let theirs = try #require(try torch.load(tensor.name))
            #expect(mine.shape == theirs.shape, "\(tensor.name)")
            #expect(bytes(mine) == bytes(theirs), "\(tensor.name)")
        }
    }

    @Test("arrays are read into owned buffers, so no mapping keeps the file resident")
    func ownedBuffers() throws {
        let source = try FlaxMsgpackReader.read("\(fixtureRoot)/masked-lm/flax/flax_model.msgpack")
        #expect(source.format == .flaxMsgpack)
        #expect(source.config != nil)
        #expect(try source.tensors.allSatisfy { try !$0.load().storage.isMapped })
        #expect(source.tensors.contains { $0.name == "bert/encoder/layer/1/attention/self/query/kernel" })
    }

    @Test("a bf16 checkpoint (model.to_bf16) keeps BF16 tensors equal to the f32 ones rounded")
    func bf16() throws {
        let half = try graph(FlaxMsgpackReader.self, "\(fixtureRoot)/variants/flax-bf16")
        let full = try graph(FlaxMsgpackReader.self, "\(fixtureRoot)/base/flax")
        #expect(half.tensors.map(\.name) == full.tensors.map(\.name))
        for tensor in half.tensors {
            let mine = try tensor.load()
            #expect(mine.dtype == .bf16)
            let rounded = try #require(try full.load(tensor.name)).converted(to: .bf16)
            #expect(bytes(mine) == bytes(rounded), "\(tensor.name)")
        }
    }

    @Test("a sharded checkpoint reads as the single-file one")
    func sharded() throws {
        let path = "\(fixtureRoot)/variants/flax-sharded"
        #expect(Readers.detect(path).map(ObjectIdentifier.init) == ObjectIdentifier(FlaxMsgpackReader.self))
        let source = try FlaxMsgpackReader.read(path)
        #expect(source.inputFiles.filter { $0.hasSuffix(".msgpack") }.count > 1)
        let shardedGraph = try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
        let single = try graph(FlaxMsgpackReader.self, "\(fixtureRoot)/base/flax")
        #expect(shardedGraph.tensors.map(\.name) == single.tensors.map(\.name))
        for tensor in shardedGraph.tensors {
            #expect(bytes(try tensor.load()) == bytes(try #require(try single.load(tensor.name))), "\(tensor.name)")
        }
    }
}
