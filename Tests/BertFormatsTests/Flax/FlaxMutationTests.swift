import TestSupport
import Testing
@testable import BertFormats
import BertCore
import TestSupport

@Suite("flax state dict under mutation")
struct FlaxMutationTests {
    static let model = Pack.map([
        ("bert", Pack.map([
            ("embeddings", Pack.map([("word_embeddings", Pack.map([("embedding", Pack.floats([1, 2, 3, 4], shape: [2, 2]))]))])),
            ("pooler", Pack.map([("dense", Pack.map([("kernel", Pack.floats([5, 6, 7, 8], shape: [2, 2])),
                                                     ("bias", Pack.ndarray([2], "bfloat16", [0, 0x3f, 0, 0x40]))]))])),
        ])),
        ("emb", Pack.chunked(shape: [3], chunks: [[1, 2], [3]])),
    ])

    @Test("flipped, inserted and cut bytes decode or throw FormatError, never trap", arguments: 0..<64)
    func mutations(seed: UInt64) {
        var random = SplitMix64(state: seed)
        for _ in 0..<200 {
            var bytes = Self.model
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let at = Int.random(in: 0..<bytes.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: bytes[at] = UInt8.random(in: 0...255, using: &random)
                case 1: bytes[at] ^= 1 << UInt8.random(in: 0..<8, using: &random)
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &random), at: at)
                default: bytes.removeSubrange(at...)
                }
                if bytes.isEmpty { break }
            }
            if let arrays = try? stateDict(bytes).arrays {
                for array in arrays {
                    #expect(array.chunks.allSatisfy { $0.upperBound <= bytes.count })
                    #expect(ShapeMath.byteCount(array.shape, array.dtype) == array.byteCount)
                }
            }
        }
    }
}
