import Foundation
import Testing
@testable import BertFormats
import BertCore
import TestSupport

extension Result {
    /// The failure, if any.
    var error: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

/// Reads the model in `directory` (kept alive until the read is done), expecting an error.
func readError(_ directory: TempDirectory) -> FormatError? {
    withExtendedLifetime(directory) {
        Result { () throws(FormatError) in try FlaxMsgpackReader.read(directory.path) }.error
    }
}

@Suite("flax msgpack reader")
struct FlaxReaderTests {
    static let bias = Pack.floats([1, 2], shape: [2])

    @Test("directories and msgpack paths are recognized, other files are not")
    func recognizes() {
        let directory = temporaryModel(["flax_model.msgpack": Pack.map([])])
        defer { withExtendedLifetime(directory) {} }
        #expect(FlaxMsgpackReader.canRead(directory.path))
        #expect(FlaxMsgpackReader.canRead(directory.path + "/flax_model.msgpack"))
        #expect(FlaxMsgpackReader.canRead("x/flax_model.msgpack.index.json"))
        #expect(!FlaxMsgpackReader.canRead("x/model.safetensors"))
        #expect(!FlaxMsgpackReader.canRead(temporaryModel(["model.safetensors": []]).path))
    }

    @Test("a chunked array loads as its chunks concatenated, in index order")
    func chunkedLoad() throws {
        let tree = Pack.map([("bert", Pack.map([("embeddings", Pack.map([("word_embeddings", Pack.map([
            ("embedding", Pack.chunked(shape: [2, 3], chunks: [[1, 2], [3, 4, 5], [6]])),
        ]))]))]))])
        let directory = temporaryModel(["flax_model.msgpack": tree])
        defer { withExtendedLifetime(directory) {} }
        let source = try FlaxMsgpackReader.read(directory.path)
        let tensor = try #require(source.tensors.first).load()
        #expect(source.tensors.map(\.name) == ["bert/embeddings/word_embeddings/embedding"])
        #expect(tensor.shape == [2, 3])
        #expect(tensor.floats() == [1, 2, 3, 4, 5, 6])
        #expect(!tensor.storage.isMapped)
    }

    @Test("a file truncated between read and load is refused, not read past its end")
    func fileTruncated() throws {
        let tree = Pack.map([("bert", Pack.map([("pooler", Pack.map([("dense", Pack.map([("bias", Self.bias)]))]))]))])
        let directory = temporaryModel(["flax_model.msgpack": tree])
        defer { withExtendedLifetime(directory) {} }
        let source = try FlaxMsgpackReader.read(directory.path)
        #expect(truncate(directory.path + "/flax_model.msgpack", 10) == 0)
        let error = #expect(throws: FormatError.self) { _ = try source.tensors[0].load() }
        #expect(error?.tensor == "bert/pooler/dense/bias")
        guard case .truncated(_, let remaining)? = error?.kind else { Issue.record("\(String(describing: error))"); return }
        #expect(remaining == 0)
    }

    @Test("an unknown key is refused with its key path and offset")
    func unknownKey() throws {
        let tree = Pack.map([("bert", Pack.map([("pooler", Pack.map([("dense", Pack.map([("gamma", Self.bias)]))]))]))])
        let directory = temporaryModel(["flax_model.msgpack": tree])
        let error = try #require(readError(directory))
        #expect(error.tensor == "bert/pooler/dense/gamma")
        #expect(error.byteOffset == offset(of: Pack.str("gamma"), in: tree))
        #expect(error.kind == .unsupported("key matches no entry of the flax name map (formats/maps/flax.json)"))
        #expect(error.exitCategory == .badInput)
    }

    @Test("a truncated file names its path, key path and offset")
    func truncatedFile() throws {
        let tree = Pack.map([("bert", Pack.map([("pooler", Pack.map([("dense", Pack.map([("bias", Self.bias)]))]))]))])
        let directory = temporaryModel(["flax_model.msgpack": Array(tree.dropLast(3))])
        let error = try #require(readError(directory))
        #expect(error.path == directory.path + "/flax_model.msgpack")
        #expect(error.tensor == "bert/pooler/dense/bias")
        #expect(error.byteOffset == offset(of: Pack.str("bias"), in: tree) + 5)
        guard case .truncated = error.kind else { Issue.record("kind \(error.kind)"); return }
    }

    /// A two-shard checkpoint (bias in a.msgpack, kernel in b.msgpack) with an index that places them.
    static func sharded(biasShard: String, kernelShard: String = "b.msgpack") -> TempDirectory {
        let a = Pack.map([("pooler", Pack.map([("dense", Pack.map([("bias", Self.bias)]))]))])
        let b = Pack.map([("pooler", Pack.map([("dense", Pack.map([("kernel", Pack.floats([1, 2, 3, 4], shape: [2, 2]))]))]))])
        let index = """
            {"metadata": {"total_size": 24}, "weight_map": {"pooler/dense/bias": "\(biasShard)", "pooler/dense/kernel": "\(kernelShard)"}}
            """
        return temporaryModel(["a.msgpack": a, "b.msgpack": b, "flax_model.msgpack.index.json": Array(index.utf8)])
    }

    @Test("a sharded checkpoint lists every shard's arrays")
    func shardedRead() throws {
        let directory = Self.sharded(biasShard: "a.msgpack")
        defer { withExtendedLifetime(directory) {} }
        let source = try FlaxMsgpackReader.read(directory.path)
        #expect(source.tensors.map(\.name) == ["pooler/dense/bias", "pooler/dense/kernel"])
        #expect(source.inputFiles.map(ModelFolder.basename) == ["a.msgpack", "b.msgpack", "flax_model.msgpack.index.json"])
    }

    @Test("a shard name that leaves the folder is refused")
    func shardEscapes() throws {
        let error = try #require(readError(Self.sharded(biasShard: "../a.msgpack")))
        #expect(error.kind == .pathEscapes("../a.msgpack"))
    }

    @Test("a key the index lists but no shard holds is refused")
    func shardAbsent() throws {
        let error = try #require(readError(Self.sharded(biasShard: "b.msgpack")))
        #expect(error.tensor == "pooler/dense/bias")
        #expect(error.kind == .malformed("listed in the index but absent from b.msgpack"))
    }

    @Test("a shard the index names but the folder lacks is a missing file")
    func shardMissing() throws {
        let error = try #require(readError(Self.sharded(biasShard: "c.msgpack")))
        #expect(error.kind == .missingFile("c.msgpack"))
    }

    @Test("an array found in another shard than the index says is refused with its offset")
    func shardMismatch() throws {
        let error = try #require(readError(Self.sharded(biasShard: "b.msgpack", kernelShard: "a.msgpack")))
        #expect(error.tensor == "pooler/dense/bias")
        #expect(error.path.hasSuffix("/a.msgpack"))
        #expect(error.byteOffset == 1 + 7 + 1 + 6 + 1)
        #expect(error.kind == .malformed("key is not listed for this shard in flax_model.msgpack.index.json"))
    }
}
