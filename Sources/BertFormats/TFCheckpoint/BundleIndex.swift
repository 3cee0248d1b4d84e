import BertCore
import BertProtos

/// A tensor bundle's `.index` (`tensorflow/core/util/tensor_bundle`): an `SSTable` whose empty
/// key holds a `BundleHeaderProto` and whose other keys are tensor names holding a
/// `BundleEntryProto` (dtype, shape, shard, offset, size, masked CRC-32C). Validated whole
/// before any data shard is opened.
struct BundleIndex: Sendable {
    /// One tensor's entry.
    struct Entry: Sendable {
        let name: String
        let dataType: TFDataType
        let shape: [Int]
        let shardID: Int
        let byteOffset: Int
        let byteCount: Int
        /// The CRC-32C of the tensor's bytes (unmasked).
        let crc32c: UInt32
    }

    /// TensorFlow names shards `%05d`, so no bundle has more.
    static let maxShardCount = 99_999
    /// No TensorFlow tensor has a higher rank (`TensorShape::MaxDimensions`).
    static let maxRank = 254

    let shardCount: Int
    let entries: [Entry]

    init(file: MappedFile) throws(FormatError) {
        let path = file.path
        let records = try SSTable(file: file).records
        guard let first = records.first, first.key.isEmpty else {
            throw FormatError(path: path, .malformed("no bundle header (the entry with the empty key)"))
        }
        shardCount = try Self.header(first, path: path)
        var entries: [Entry] = []
        entries.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            guard let name = String(validating: record.key, as: UTF8.self) else {
                throw FormatError(path: path, byteOffset: record.blockOffset, .malformed("tensor name is not UTF-8"))
            }
            entries.append(try Self.entry(name: name, record, shardCount: shardCount, path: path))
        }
        self.entries = entries
    }

    private static func header(_ record: SSTable.Record, path: String) throws(FormatError) -> Int {
        let parsed = record.value.withUnsafeBufferPointer {
            // SAFETY: protobuf-c reads `count` bytes from the array's storage and copies what it keeps.
            tensorflow__bundle_header_proto__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let header = parsed else {
            throw FormatError(path: path, byteOffset: record.blockOffset, .malformed("bundle header is not a BundleHeaderProto"))
        }
        defer { tensorflow__bundle_header_proto__free_unpacked(header, nil) }
        guard header.pointee.endianness == TENSORFLOW__BUNDLE_HEADER_PROTO__ENDIANNESS__LITTLE else {
            throw FormatError(path: path, byteOffset: record.blockOffset, .unsupported("big-endian tensor bundle"))
        }
        let count = Int(header.pointee.num_shards)
        guard (1...maxShardCount).contains(count) else {
            throw FormatError(path: path, byteOffset: record.blockOffset,
                              .malformed("bundle header declares \(count) shards (1...\(maxShardCount) allowed)"))
        }
        return count
    }

    private static func entry(name: String, _ record: SSTable.Record, shardCount: Int, path: String)
        throws(FormatError) -> Entry {
        func fail(_ kind: FormatError.Kind) -> FormatError {
            FormatError(path: path, tensor: name, byteOffset: record.blockOffset, kind)
        }
        let parsed = record.value.withUnsafeBufferPointer {
            // SAFETY: protobuf-c reads `count` bytes from the array's storage and copies what it keeps.
            tensorflow__bundle_entry_proto__unpack(nil, $0.count, $0.baseAddress)
        }
        guard let proto = parsed else { throw fail(.malformed("entry is not a BundleEntryProto")) }
        defer { tensorflow__bundle_entry_proto__free_unpacked(proto, nil) }
        let message = proto.pointee
        guard message.n_slices == 0 else {
            throw fail(.unsupported("partitioned variable stored in \(message.n_slices) slices"))
        }
        var shape: [Int] = []
        if let shapeProto = message.shape?.pointee {
            guard shapeProto.unknown_rank == 0 else { throw fail(.malformed("shape has unknown rank")) }
            guard shapeProto.n_dim <= maxRank else { throw fail(.malformed("rank \(shapeProto.n_dim) exceeds \(maxRank)")) }
            for index in 0..<shapeProto.n_dim {
                shape.append(Int(shapeProto.dim[index]!.pointee.size))
            }
        }
        let dataType = TFDataType(code: Int(message.dtype.rawValue))
        guard ShapeMath.elementCount(shape) != nil else { throw fail(.invalidShape(shape)) }
        let shardID = Int(message.shard_id)
        guard (0..<shardCount).contains(shardID) else {
            throw fail(.malformed("shard id \(shardID) is not below the header's \(shardCount) shards"))
        }
        guard message.offset >= 0, message.size >= 0 else {
            throw fail(.malformed("negative data offset \(message.offset) or size \(message.size)"))
        }
        let byteCount = Int(message.size)
        if let dtype = dataType.dtype {
            guard let expected = ShapeMath.byteCount(shape, dtype) else { throw fail(.invalidShape(shape)) }
            guard expected == byteCount else { throw fail(.sizeMismatch(expectedBytes: expected, actualBytes: byteCount)) }
        }
        return Entry(name: name, dataType: dataType, shape: shape, shardID: shardID, byteOffset: Int(message.offset),
                     byteCount: byteCount, crc32c: CRC32C.unmask(message.crc32c))
    }
}
