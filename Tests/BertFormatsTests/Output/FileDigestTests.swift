import Foundation
import TestSupport
import Testing
import BertCore
@testable import BertFormats

@Suite struct FileDigestTests {
    private let dir = TempDirectory()

    /// sha256("abc"), FIPS 180-2 appendix B.1.
    private let abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    @Test func computesTheStandardDigest() throws {
        let path = dir.write("abc.txt", text: "abc")
        #expect(try FileDigest.sha256(path) == FileDigest.computed(path))
        #expect(try FileDigest.computed(path).hex == abc)
        #expect(try FileDigest.computed(path).byteCount == 3)
    }

    @Test func sinkRemembersWhatItWroteInChunks() throws {
        let path = dir.path + "/written.bin"
        let sink = try FileSink(creating: path)
        try sink.write("a")
        try sink.write([UInt8(ascii: "b"), UInt8(ascii: "c")])
        try sink.finish()
        #expect(DigestCache.shared.digest(of: path)?.hex == abc)
        #expect(try FileDigest.sha256(path).hex == abc)
    }

    @Test func writesOfMixedSizesHashInOrder() throws {
        let path = dir.path + "/mixed.bin"
        let sink = try FileSink(creating: path)
        for (i, size) in [5, 3 << 20, 17, 1 << 20, (1 << 20) - 1, 2 << 20].enumerated() {
            try sink.write((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) })
        }
        try sink.finish()
        #expect(sink.byteCount == 5 + (3 << 20) + 17 + (1 << 20) + (1 << 20) - 1 + (2 << 20))
        #expect(DigestCache.shared.digest(of: path) == (try FileDigest.computed(path)))
    }

    @Test func changedFileIsHashedAgain() throws {
        let path = dir.path + "/changed.txt"
        try FileSink.write("abc", to: path)
        #expect(DigestCache.shared.digest(of: path)?.hex == abc)
        try Data("abd".utf8).write(to: URL(fileURLWithPath: path))
        #expect(DigestCache.shared.digest(of: path) == nil)
        #expect(try FileDigest.sha256(path).hex != abc)
    }

    @Test func prefetchHashesInTheBackground() throws {
        let path = dir.write("prefetched.txt", text: "abc")
        FileDigest.prefetch([path, path])
        #expect(DigestCache.shared.digest(of: path)?.hex == abc)
    }

    @Test func prefetchOfMissingFileLeavesTheErrorToSha256() throws {
        let path = dir.path + "/missing"
        FileDigest.prefetch([path])
        #expect(DigestCache.shared.digest(of: path) == nil)
        #expect(throws: FormatError.self) { try FileDigest.sha256(path) }
    }

    @Test func largeDurableWriteIsHashedAcrossWritebacks() throws {
        OutputDurability.syncToDisk = true
        defer { OutputDurability.syncToDisk = false }
        let path = dir.path + "/large.bin"
        let chunk = [UInt8](repeating: 7, count: 48 << 20)
        let sink = try FileSink(creating: path)
        for _ in 0..<3 { try sink.write(chunk) }
        try sink.finish()
        #expect(DigestCache.shared.digest(of: path) == (try FileDigest.computed(path)))
        #expect(sink.byteCount == 3 * chunk.count)
    }
}
