import Foundation
import TestSupport
import Testing

/// `bertconv tf2safetensors` on the goldens' TF checkpoints, and on damaged copies of them: each
/// damage exits 2 with one line naming the file (and tensor) and leaves no output behind.
@Suite struct TF2SafetensorsTests {
    private let dir = TempDirectory()

    /// A copy of a fixture's checkpoint folder, to damage.
    private func copy(_ fixture: String) throws -> String {
        let target = dir.path + "/ckpt"
        try FileManager.default.copyItem(atPath: Fixtures.path(fixture), toPath: target)
        return target
    }

    private func modify(_ path: String, _ change: (inout [UInt8]) -> Void) throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        change(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func convertsAClassifierCheckpointByPrefixAndByFolder() throws {
        let prefix = Fixtures.path("seq-cls/tf1/model.ckpt")
        let byPrefix = try CommandRunner.run(["tf2safetensors", prefix, "-o", dir.path + "/a"])
        #expect(byPrefix.status == 0, "\(byPrefix.stderr)")
        #expect(byPrefix.stdout.contains("BertForSequenceClassification from tf-checkpoint"))
        #expect(TempDirectory.names(dir.path + "/a") == ["config.json", "manifest.json", "model.safetensors", "vocab.txt"])
        let byFolder = try CommandRunner.run(["convert", Fixtures.path("seq-cls/tf1"), "-o", dir.path + "/b", "--json"])
        #expect(byFolder.status == 0, "\(byFolder.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/a/model.safetensors"))
        let b = try Data(contentsOf: URL(fileURLWithPath: dir.path + "/b/model.safetensors"))
        #expect(a == b)
    }

    @Test func flippedDataByteNamesTheTensor() throws {
        let ckpt = try copy("seq-cls/tf1")
        let shard = ckpt + "/model.ckpt.data-00000-of-00001"
        // The shard ends with 'output_weights/adam_v', an optimizer slot: skipped, so never read.
        try modify(shard) { $0[$0.count - 1] ^= 0x01 }
        let slot = try CommandRunner.run(["tf2safetensors", ckpt, "-o", dir.path + "/slot", "--quiet"])
        #expect(slot.status == 0, "\(slot.stderr)")
        // The shard starts with 'bert/embeddings/LayerNorm/beta', a weight.
        try modify(shard) { $0[0] ^= 0x01 }
        let result = try CommandRunner.run(["tf2safetensors", ckpt, "-o", dir.path + "/out"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix(
            "bertconv: error: \(shard): tensor 'bert/embeddings/LayerNorm/beta' at offset 0: checksum mismatch: stored 0x"))
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(dir.contents == ["ckpt", "slot"])
    }

    @Test func missingShardNamesTheShardFile() throws {
        let ckpt = try copy("pretraining/tf1-sharded")
        try FileManager.default.removeItem(atPath: ckpt + "/model.ckpt.data-00001-of-00002")
        let result = try CommandRunner.run(["tf2safetensors", ckpt, "-o", dir.path + "/out"])
        #expect(result.status == 2)
        #expect(result.stderr == "bertconv: error: \(ckpt)/model.ckpt.index: missing file 'model.ckpt.data-00001-of-00002'\n")
        #expect(dir.contents == ["ckpt"])
    }

    @Test func wrongMagicAndTruncatedIndexExitTwo() throws {
        let ckpt = try copy("qa/tf1")
        let index = ckpt + "/model.ckpt.index"
        try modify(index) { $0[$0.count - 8] ^= 0xff }
        let magic = try CommandRunner.run(["tf2safetensors", ckpt + "/model.ckpt", "-o", dir.path + "/out"])
        #expect(magic.status == 2)
        #expect(magic.stderr.hasPrefix("bertconv: error: \(index): at offset "))
        #expect(magic.stderr.contains("bad magic: expected 0xdb4775248b80fb57"))
        try modify(index) { $0 = Array($0.prefix(30)) }
        let truncated = try CommandRunner.run(["tf2safetensors", index, "-o", dir.path + "/out"])
        #expect(truncated.status == 2)
        #expect(truncated.stderr == "bertconv: error: \(index): at offset 0: truncated: needs 48 bytes, only 30 remaining in file\n")
        #expect(dir.contents == ["ckpt"])
    }
}

extension TempDirectory {
    /// The sorted names in `path`.
    static func names(_ path: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
    }
}
