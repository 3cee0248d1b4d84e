import BertCore
import TestSupport
import Testing
@testable import BertFormats

/// Damaged indexes must be refused with a `FormatError` (or read, when the damage is harmless),
/// never crash, hang or load a tensor whose bytes fail their checksum.
@Suite struct TFCheckpointHostileTests {
    private let dir = TempDirectory()

    @Test(arguments: 0..<40)
    func randomlyDamagedIndexIsReadOrRefused(seed: Int) {
        var random = SplitMix64(state: UInt64(seed))
        let tensors = (0..<9).map {
            TFCheckpointBundleWriter.Tensor("bert/encoder/layer_\($0)/output/dense/kernel", floats: [1, 2, 3, 4], shape: [2, 2])
        }
        var bytes = TFCheckpointBundleWriter.bundle(tensors, snappy: seed % 2 == 1)
        for _ in 0..<(1 + seed % 4) {
            let position = Int.random(in: 0..<bytes.index.count, using: &random)
            bytes.index[position] = UInt8.random(in: 0...255, using: &random)
        }
        if seed % 5 == 0 { bytes.index.removeLast(Int.random(in: 1..<bytes.index.count, using: &random)) }
        let prefix = TFCheckpointBundleWriter.write(index: bytes.index, shards: bytes.shards, in: dir.path)
        do {
            let source = try TFCheckpointReader.read(prefix)
            for tensor in source.tensors {
                if let loaded = try? tensor.load() { #expect(loaded.floats() == [1, 2, 3, 4]) }
            }
        } catch {
            #expect(error.path.hasSuffix("model.ckpt.index"))
        }
    }
}
