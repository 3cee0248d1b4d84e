import BertCore
import BertNameMaps
import Foundation
import TestSupport
import Testing
@testable import BertFormats

private typealias Writer = TFCheckpointBundleWriter

private let kernel = Writer.Tensor("bert/pooler/dense/kernel", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
private let step = Writer.Tensor("global_step", int64: 1234)

@Suite struct TFCheckpointReaderTests {
    private let dir = TempDirectory()

    /// Writes `bytes` as `model.ckpt` and returns the prefix.
    private func write(_ bytes: (index: [UInt8], shards: [[UInt8]])) -> String {
        Writer.write(index: bytes.index, shards: bytes.shards, in: dir.path)
    }

    /// The reader's error for the checkpoint `bytes`.
    private func readError(_ bytes: (index: [UInt8], shards: [[UInt8]])) -> FormatError? {
        do { _ = try TFCheckpointReader.read(write(bytes)) } catch { return error }
        return nil
    }

    @Test func crc32cMatchesKnownVectors() {
        // RFC 3720 B.4 and the common "123456789" check value.
        let zeros = [UInt8](repeating: 0, count: 32)
        #expect(zeros.withUnsafeBytes { CRC32C.checksum($0) } == 0x8A91_36AA)
        #expect(Array("123456789".utf8).withUnsafeBytes { CRC32C.checksum($0) } == 0xE306_9283)
        let odd = (0..<1001).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let whole = odd.withUnsafeBytes { CRC32C.checksum($0) }
        let split = odd.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[5...]),
                            extending: CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[..<5])))
        }
        #expect(whole == split)
        #expect(CRC32C.unmask(CRC32C.mask(whole)) == whole)
    }

    @Test func readsTensorsDtypesAndValues() throws {
        let source = try TFCheckpointReader.read(write(Writer.bundle([kernel, step])))
        #expect(source.format == .tfCheckpoint)
        #expect(source.nameMap == "tf1-google")
        #expect(source.tensors.map(\.name) == ["bert/pooler/dense/kernel", "global_step"])
        let weights = try source.tensors[0].load()
        #expect(weights.dtype == .f32 && weights.shape == [2, 3])
        #expect(weights.floats() == [1, 2, 3, 4, 5, 6])
        let counter = try source.tensors[1].load()
        #expect(counter.dtype == .i64 && counter.shape == [] && counter.int64s() == [1234])
    }

    @Test func readsPrefixCompressedKeysAcrossBlocksAndSnappyBlocks() throws {
        let tensors = (0..<11).map { Writer.Tensor("bert/encoder/layer_\($0)/output/dense/bias", floats: [Float($0)], shape: [1]) }
        for snappy in [false, true] {
            let bytes = Writer.bundle(tensors, snappy: snappy)
            let source = try TFCheckpointReader.read(write(bytes))
            #expect(source.tensors.map(\.name) == tensors.map(\.name).sorted())
            for tensor in source.tensors {
                let layer = Float(tensor.name.split(separator: "_")[1].split(separator: "/")[0])!
                #expect(try tensor.load().floats() == [layer])
            }
        }
    }

    @Test func readsMultipleShards() throws {
        var second = kernel
        second.name = "bert/pooler/dense/bias"
        second.shard = 1
        let bytes = Writer.bundle([kernel, second], shards: 2)
        let source = try TFCheckpointReader.read(write(bytes))
        #expect(source.inputFiles.map { ModelFolder.basename($0) } ==
            ["model.ckpt.index", "model.ckpt.data-00000-of-00002", "model.ckpt.data-00001-of-00002"])
        #expect(try source.tensors.map { try $0.load().floats() } == [[1, 2, 3, 4, 5, 6], [1, 2, 3, 4, 5, 6]])
    }

    @Test func flippedDataByteIsAChecksumErrorNamingTheTensor() throws {
        var bytes = Writer.bundle([step, kernel])
        bytes.shards[0][5] ^= 0x40
        let source = try TFCheckpointReader.read(write(bytes))
        let error = #expect(throws: FormatError.self) { try source.tensors[0].load() }
        guard case .checksumMismatch = error?.kind else { Issue.record("wrong kind \(String(describing: error))"); return }
        #expect(error?.tensor == "bert/pooler/dense/kernel")
        #expect(error?.byteOffset == 0)
        #expect(error?.path.hasSuffix("model.ckpt.data-00000-of-00001") == true)
        #expect(error?.description.contains("tensor 'bert/pooler/dense/kernel' at offset 0: checksum mismatch") == true)
        #expect(try source.tensors[1].load().int64s() == [1234])
    }

    @Test func missingShardNamesTheShardFile() {
        var second = step
        second.shard = 1
        let bytes = Writer.bundle([kernel, second], shards: 2)
        let prefix = write(bytes)
        try? FileManager.default.removeItem(atPath: prefix + ".data-00001-of-00002")
        let error = #expect(throws: FormatError.self) { try TFCheckpointReader.read(prefix) }
        #expect(error?.kind == .missingFile("model.ckpt.data-00001-of-00002"))
        #expect(error?.path.hasSuffix("model.ckpt.index") == true)
    }

    @Test func wrongMagicIsBadMagicAtTheFooter() {
        var bytes = Writer.bundle([kernel])
        bytes.index[bytes.index.count - 1] = 0
        let error = readError(bytes)
        guard case .badMagic(let expected, _) = error?.kind else { Issue.record("wrong kind \(String(describing: error))"); return }
        #expect(expected == "0xdb4775248b80fb57")
        #expect(error?.byteOffset == bytes.index.count - 8)
    }

    @Test(arguments: [0, 20, 47])
    func indexShorterThanAFooterIsTruncated(length: Int) {
        var bytes = Writer.bundle([kernel])
        bytes.index = Array(bytes.index.prefix(length))
        #expect(readError(bytes)?.kind == .truncated(neededBytes: 48, remainingBytes: length))
    }

    @Test func indexCutShortLosesItsFooter() {
        var bytes = Writer.bundle([kernel])
        bytes.index.removeLast(10)
        guard case .badMagic = readError(bytes)?.kind else { Issue.record("expected bad magic"); return }
    }

    @Test func blockHandlePastTheEndIsOutOfBounds() {
        var bytes = Writer.bundle([kernel])
        let footer = bytes.index.count - 48
        // The metaindex handle is the footer's first varint pair; point its size far past the end.
        bytes.index.replaceSubrange(footer..<footer + 40, with: Writer.varint(0) + Writer.varint(1 << 20)
            + [UInt8](repeating: 0, count: 40 - 1 - Writer.varint(1 << 20).count))
        guard case .outOfBounds = readError(bytes)?.kind else { Issue.record("expected out of bounds"); return }
    }

    @Test func corruptIndexBlockIsABlockChecksumError() {
        var bytes = Writer.bundle([kernel, step])
        bytes.index[3] ^= 0x01
        let error = readError(bytes)
        guard case .checksumMismatch = error?.kind else { Issue.record("wrong kind \(String(describing: error))"); return }
        #expect(error?.byteOffset == 0)
    }

    @Test func unknownBlockCompressionIsRefused() {
        var file: [UInt8] = []
        let contents = Writer.blockContents([([], Writer.headerProto(shards: 1))])
        let handle = Writer.varint(0) + Writer.varint(UInt64(contents.count))
        let crc = (contents + [7]).withUnsafeBytes { CRC32C.checksum($0) }
        file += contents + [7] + Writer.fixed32(CRC32C.mask(crc))
        let index = Writer.appendBlock(Writer.blockContents([([0x7f], handle)]), to: &file)
        let footer = Writer.varint(0) + Writer.varint(0) + index
        file += footer + [UInt8](repeating: 0, count: 40 - footer.count) + Writer.fixed64(0xdb47_7524_8b80_fb57)
        #expect(readError((file, [[]]))?.kind == .unsupported("block compression type 7"))
    }

    @Test func restartCountLargerThanTheBlockIsMalformed() {
        var file: [UInt8] = []
        let index = Writer.appendBlock([1, 2, 3, 4] + Writer.fixed32(1000), to: &file)
        let footer = Writer.varint(0) + Writer.varint(0) + index
        file += footer + [UInt8](repeating: 0, count: 40 - footer.count) + Writer.fixed64(0xdb47_7524_8b80_fb57)
        let error = readError((file, [[]]))
        #expect(error?.description.contains("block claims 1000 restart points in 8 bytes") == true)
    }

    @Test func entryPastTheShardEndIsOutOfBoundsNamingTheTensor() {
        var bad = kernel
        bad.sizeOverride = 24
        bad.offsetOverride = 8
        let error = readError(Writer.bundle([bad]))
        #expect(error?.kind == .outOfBounds(end: 32, limit: 24))
        #expect(error?.tensor == "bert/pooler/dense/kernel")
        #expect(error?.byteOffset == 8)
    }

    @Test func entrySizeDisagreeingWithShapeIsASizeMismatch() {
        var bad = kernel
        bad.sizeOverride = 20
        let error = readError(Writer.bundle([bad]))
        #expect(error?.kind == .sizeMismatch(expectedBytes: 24, actualBytes: 20))
        #expect(error?.tensor == "bert/pooler/dense/kernel")
    }

    @Test func partitionedVariableIsRefused() {
        var bad = kernel
        bad.sliceCount = 2
        let error = readError(Writer.bundle([bad]))
        #expect(error?.kind == .unsupported("partitioned variable stored in 2 slices"))
        #expect(error?.tensor == "bert/pooler/dense/kernel")
    }

    @Test func bigEndianBundleIsRefused() {
        let error = readError(Writer.bundle([kernel], header: Writer.headerProto(shards: 1, bigEndian: true)))
        #expect(error?.kind == .unsupported("big-endian tensor bundle"))
    }

    @Test func headerWithoutShardsIsMalformed() {
        let error = readError(Writer.bundle([kernel], header: Writer.headerProto(shards: 0)))
        #expect(error?.description.contains("declares 0 shards") == true)
    }

    @Test func unparsableEntryNamesTheTensor() {
        var file: [UInt8] = []
        let block = Writer.blockContents([([], Writer.headerProto(shards: 1)), (Array("w".utf8), [0x0a, 0x05, 0x01])])
        let data = Writer.appendBlock(block, to: &file)
        let meta = Writer.appendBlock(Writer.blockContents([]), to: &file)
        let index = Writer.appendBlock(Writer.blockContents([(Array("w".utf8), data)]), to: &file)
        let footer = meta + index
        file += footer + [UInt8](repeating: 0, count: 40 - footer.count) + Writer.fixed64(0xdb47_7524_8b80_fb57)
        let error = readError((file, [[]]))
        #expect(error?.kind == .malformed("entry is not a BundleEntryProto"))
        #expect(error?.tensor == "w")
    }

    @Test func keysOutOfOrderOrRepeatedAreRejected() {
        let header: (key: [UInt8], value: [UInt8]) = ([], Writer.headerProto(shards: 1))
        let entry = Writer.entryProto(kernel, offset: 0)
        let repeated = Writer.table([header, (Array("b".utf8), entry), (Array("b".utf8), entry)])
        #expect(readError((repeated, [kernel.bytes]))?.kind == .duplicateTensor)
        let descending = Writer.table([header, (Array("b".utf8), entry), (Array("a".utf8), entry)])
        #expect(readError((descending, [kernel.bytes]))?.kind == .malformed("keys are not in ascending order"))
    }

    @Test func stringTensorIsListedOpaqueAndFailsOnlyWhenLoaded() throws {
        let graph = Writer.Tensor("_CHECKPOINTABLE_OBJECT_GRAPH", dtypeCode: 7, shape: [], bytes: [1, 2, 3])
        let bytes = Writer.bundle([graph, kernel])
        let source = try TFCheckpointReader.read(write(bytes))
        #expect(source.nameMap == "tf2-object")
        #expect(source.tensors[0].shape == [3])
        let error = #expect(throws: FormatError.self) { try source.tensors[0].load() }
        #expect(error?.kind == .unsupported("dtype DT_STRING"))
    }

    @Test func optimizerSlotsAreSkippedWithoutReadingTheirBytes() throws {
        var slot = Writer.Tensor("bert/pooler/dense/kernel/adam_m", floats: [0, 0, 0, 0, 0, 0], shape: [2, 3])
        slot.shard = 0
        var bytes = Writer.bundle([kernel, slot, step])
        // Corrupt the slot's bytes (stored after the kernel): loading it would be a checksum error.
        bytes.shards[0][24 + 3] ^= 0xff
        let source = try TFCheckpointReader.read(write(bytes))
        let mapped = try NameMapper.map(source, with: NameMaps.load("tf1-google"))
        #expect(mapped.tensors.map(\.name) == ["bert.pooler.dense.weight"])
        #expect(Set(mapped.skipped.map(\.source)) == ["bert/pooler/dense/kernel/adam_m", "global_step"])
        let pooler = try mapped.tensors[0].load()
        #expect(pooler.shape == [3, 2] && pooler.floats() == [1, 4, 2, 5, 3, 6])
    }
}

@Suite struct TFCheckpointLocationTests {
    @Test func acceptsPrefixIndexFileAndFolder() throws {
        let bytes = Writer.bundle([kernel])
        let folder = TempDirectory()
        let prefix = Writer.write(index: bytes.index, shards: bytes.shards, in: folder.path)
        for path in [prefix, prefix + ".index", folder.path] {
            #expect(TFCheckpointReader.canRead(path))
            #expect(try CheckpointLocation.resolve(path).prefix == prefix)
        }
        #expect(!TFCheckpointReader.canRead(prefix + ".data-00000-of-00001"))
    }

    @Test func stateFileNamesTheLatestCheckpointEvenWithAStaleAbsolutePath() throws {
        let temp = TempDirectory(), folder = temp.path
        let bytes = Writer.bundle([kernel])
        let prefix = Writer.write(index: bytes.index, shards: bytes.shards, in: folder)
        try Data(bytes.index).write(to: URL(fileURLWithPath: folder + "/older.ckpt.index"))
        let state = folder + "/checkpoint"
        try "model_checkpoint_path: \"/gone/train/model.ckpt\"\nall_model_checkpoint_paths: \"older.ckpt\"\n"
            .write(toFile: state, atomically: true, encoding: .utf8)
        #expect(try CheckpointLocation.resolve(folder).prefix == prefix)
        try "model_checkpoint_path: \"older.ckpt\"\n".write(toFile: state, atomically: true, encoding: .utf8)
        #expect(try CheckpointLocation.resolve(folder).prefix == folder + "/older.ckpt")
        try "model_checkpoint_path: \"../escape.ckpt\"\n".write(toFile: state, atomically: true, encoding: .utf8)
        #expect(throws: FormatError(path: state, .pathEscapes("../escape.ckpt"))) { try CheckpointLocation.resolve(folder) }
    }

    @Test func folderWithSeveralCheckpointsAndNoStateFileIsAmbiguous() throws {
        let temp = TempDirectory(), folder = temp.path
        let bytes = Writer.bundle([kernel])
        Writer.write(index: bytes.index, shards: bytes.shards, in: folder)
        try Data(bytes.index).write(to: URL(fileURLWithPath: folder + "/other.ckpt.index"))
        let error = #expect(throws: FormatError.self) { try CheckpointLocation.resolve(folder) }
        #expect(error?.description.contains("holds 2 checkpoints") == true)
    }

    @Test func missingIndexIsNamed() {
        let temp = TempDirectory(), folder = temp.path
        #expect(throws: FormatError(path: folder + "/model.ckpt", .missingFile("model.ckpt.index"))) {
            try CheckpointLocation.resolve(folder + "/model.ckpt")
        }
        #expect(!TFCheckpointReader.canRead(folder))
    }
}
