import Foundation
@testable import BertFormats

/// Builds TensorFlow tensor bundles byte by byte (protobuf fields, table blocks, footer) so each
/// reader error path can be tested from inline bytes.
enum TFCheckpointBundleWriter {
    /// A tensor to store: TF dtype code, shape, bytes, shard.
    struct Tensor {
        var name: String
        var dtypeCode = 1
        var shape: [Int]
        var bytes: [UInt8]
        var shard = 0
        /// Overrides for hostile entries.
        var sizeOverride: Int?
        var offsetOverride: Int?
        var sliceCount = 0

        init(_ name: String, floats: [Float], shape: [Int], shard: Int = 0) {
            self.name = name
            self.shape = shape
            self.bytes = floats.withUnsafeBytes { Array($0) }
            self.shard = shard
        }

        init(_ name: String, int64: Int64) {
            self.name = name
            dtypeCode = 9
            shape = []
            bytes = withUnsafeBytes(of: int64.littleEndian) { Array($0) }
        }

        init(_ name: String, dtypeCode: Int, shape: [Int], bytes: [UInt8]) {
            self.name = name
            self.dtypeCode = dtypeCode
            self.shape = shape
            self.bytes = bytes
        }
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var value = value
        var out: [UInt8] = []
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
        return out
    }

    static func fixed32(_ value: UInt32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
    static func fixed64(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }

    /// A varint field (wire type 0).
    static func field(_ number: Int, _ value: Int) -> [UInt8] {
        varint(UInt64(number << 3)) + varint(UInt64(bitPattern: Int64(value)))
    }

    /// A length-delimited field (wire type 2).
    static func field(_ number: Int, bytes: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(bytes.count)) + bytes
    }

    static func headerProto(shards: Int, bigEndian: Bool = false) -> [UInt8] {
        field(1, shards) + (bigEndian ? field(2, 1) : [])
    }

    static func entryProto(_ tensor: Tensor, offset: Int) -> [UInt8] {
        let dims = tensor.shape.flatMap { field(2, bytes: field(1, $0)) }
        let crc = tensor.bytes.withUnsafeBytes { CRC32C.mask(CRC32C.checksum($0)) }
        var out = field(1, tensor.dtypeCode) + field(2, bytes: dims) + field(3, tensor.shard)
        out += field(4, tensor.offsetOverride ?? offset) + field(5, tensor.sizeOverride ?? tensor.bytes.count)
        out += [UInt8(6 << 3 | 5)] + fixed32(crc)
        for _ in 0..<tensor.sliceCount { out += field(7, bytes: field(1, bytes: field(1, 0))) }
        return out
    }

    /// Block contents: prefix-compressed entries, a restart every `restartInterval` entries.
    static func blockContents(_ entries: [(key: [UInt8], value: [UInt8])], restartInterval: Int = 3) -> [UInt8] {
        var out: [UInt8] = []
        var restarts: [UInt32] = []
        var previous: [UInt8] = []
        for (i, entry) in entries.enumerated() {
            var shared = 0
            if i % restartInterval == 0 {
                restarts.append(UInt32(out.count))
            } else {
                while shared < min(previous.count, entry.key.count) && previous[shared] == entry.key[shared] { shared += 1 }
            }
            out += varint(UInt64(shared)) + varint(UInt64(entry.key.count - shared)) + varint(UInt64(entry.value.count))
            out += entry.key[shared...] + entry.value
            previous = entry.key
        }
        if restarts.isEmpty { restarts = [0] }
        return out + restarts.flatMap(fixed32) + fixed32(UInt32(restarts.count))
    }

    /// A snappy stream holding `bytes` as literals only (format_description.txt: length varint,
    /// then literal elements of at most 60 bytes with tag `(length - 1) << 2`).
    static func snappyLiterals(_ bytes: [UInt8]) -> [UInt8] {
        var out = varint(UInt64(bytes.count))
        var start = 0
        while start < bytes.count {
            let end = min(start + 60, bytes.count)
            out.append(UInt8((end - start - 1) << 2))
            out += bytes[start..<end]
            start = end
        }
        return out
    }

    /// Appends a block and its trailer to `file`, returning its handle bytes.
    static func appendBlock(_ contents: [UInt8], to file: inout [UInt8], snappy: Bool = false) -> [UInt8] {
        let stored = snappy ? snappyLiterals(contents) : contents
        let type: UInt8 = snappy ? 1 : 0
        let handle = varint(UInt64(file.count)) + varint(UInt64(stored.count))
        let crc = (stored + [type]).withUnsafeBytes { CRC32C.checksum($0) }
        file += stored + [type] + fixed32(CRC32C.mask(crc))
        return handle
    }

    /// A whole table: data blocks of `perBlock` entries, an empty metaindex, an index, the footer.
    static func table(_ entries: [(key: [UInt8], value: [UInt8])], perBlock: Int = 4, snappy: Bool = false) -> [UInt8] {
        var file: [UInt8] = []
        var index: [(key: [UInt8], value: [UInt8])] = []
        var start = 0
        while start < entries.count {
            let chunk = Array(entries[start..<min(start + perBlock, entries.count)])
            let handle = appendBlock(blockContents(chunk), to: &file, snappy: snappy)
            index.append((chunk.last!.key, handle))
            start += perBlock
        }
        let metaindex = appendBlock(blockContents([]), to: &file)
        let indexHandle = appendBlock(blockContents(index, restartInterval: 1), to: &file)
        var footer = metaindex + indexHandle
        footer += [UInt8](repeating: 0, count: 40 - footer.count)
        return file + footer + fixed64(0xdb47_7524_8b80_fb57)
    }

    /// The `.index` bytes and the data shards for `tensors` (sorted by name, as TF writes them).
    static func bundle(_ tensors: [Tensor], shards: Int = 1, header: [UInt8]? = nil, snappy: Bool = false)
        -> (index: [UInt8], shards: [[UInt8]]) {
        var data = [[UInt8]](repeating: [], count: shards)
        var entries: [(key: [UInt8], value: [UInt8])] = [([], header ?? headerProto(shards: shards))]
        for tensor in tensors.sorted(by: { $0.name < $1.name }) {
            let offset = data[tensor.shard].count
            data[tensor.shard] += tensor.bytes
            entries.append((Array(tensor.name.utf8), entryProto(tensor, offset: offset)))
        }
        return (table(entries, snappy: snappy), data)
    }

    /// Writes `model.ckpt.index` and its shards into `directory`; returns the prefix.
    @discardableResult
    static func write(index: [UInt8], shards: [[UInt8]], in directory: String) -> String {
        let prefix = directory + "/model.ckpt"
        try! Data(index).write(to: URL(fileURLWithPath: prefix + ".index"))
        for (id, bytes) in shards.enumerated() {
            let name = String(format: "%@.data-%05d-of-%05d", prefix, id, shards.count)
            try! Data(bytes).write(to: URL(fileURLWithPath: name))
        }
        return prefix
    }
}
