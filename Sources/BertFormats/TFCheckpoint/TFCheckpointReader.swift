import BertCore

/// Reads TensorFlow checkpoints in the V2 tensor-bundle format: TF1 name-based ones (Google
/// BERT's `bert_model.ckpt`, `run_classifier.py` / `run_squad.py` outputs) and TF2 object-based
/// ones (`tf.train.Checkpoint`, names ending in `/.ATTRIBUTES/VARIABLE_VALUE`). The index is
/// validated whole and every data shard checked for presence and size before any tensor byte is
/// read; each tensor's CRC-32C is verified when it is loaded.
public enum TFCheckpointReader: ModelReader {
    public static let format = SourceFormat.tfCheckpoint

    /// The name that marks an object-based (TF2) checkpoint, as do `/.ATTRIBUTES/` names.
    static let objectGraphKey = "_CHECKPOINTABLE_OBJECT_GRAPH"
    /// Config files looked for beside the checkpoint, in this order (HF's, then Google's).
    static let configNames = ["config.json", "bert_config.json"]

    public static func canRead(_ path: String) -> Bool { CheckpointLocation.isCheckpoint(path) }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        let location = try CheckpointLocation.resolve(path)
        let index = try BundleIndex(file: MappedFile(path: location.indexPath))
        var shards: [PositionedFile] = []
        for id in 0..<index.shardCount {
            let shardPath = location.shardPath(id, of: index.shardCount)
            guard FileBytes.exists(shardPath) else {
                throw FormatError(path: location.indexPath, .missingFile(ModelFolder.basename(shardPath)))
            }
            shards.append(try PositionedFile(path: shardPath))
        }
        let tensors = try index.entries.map { entry throws(FormatError) in
            try sourceTensor(entry, shard: shards[entry.shardID])
        }
        let configPath = configNames.map { ModelFolder.join(location.directory, $0) }.first(where: FileBytes.exists)
        let config = try configPath.map { path throws(FormatError) in try BertConfig(contentsOf: path) }
        let objectBased = index.entries.contains { $0.name == objectGraphKey || $0.name.hasSuffix("/.ATTRIBUTES/VARIABLE_VALUE") }
        return ModelSource(
            format: format, path: path,
            inputFiles: [location.indexPath] + shards.map(\.path) + (configPath.map { [$0] } ?? []),
            tensors: tensors, config: config, companionFiles: ModelFolder.companions(in: location.directory),
            nameMap: objectBased ? "tf2-object" : "tf1-google")
    }

    /// The lazy tensor for `entry`, its byte range checked against `shard`. Entries whose dtype
    /// bertconv cannot hold (the object graph's `DT_STRING`, say) are listed as `[byteCount]` I8
    /// so a name map can skip them by name; loading one fails naming its dtype.
    static func sourceTensor(_ entry: BundleIndex.Entry, shard: PositionedFile) throws(FormatError) -> SourceTensor {
        let (end, overflow) = entry.byteOffset.addingReportingOverflow(entry.byteCount)
        guard !overflow, end <= shard.byteCount else {
            throw FormatError(path: shard.path, tensor: entry.name, byteOffset: entry.byteOffset,
                              .outOfBounds(end: overflow ? Int.max : end, limit: shard.byteCount))
        }
        guard let dtype = entry.dataType.dtype else {
            let dataType = entry.dataType
            return SourceTensor(name: entry.name, dtype: .i8, shape: [entry.byteCount], byteCount: entry.byteCount) {
                () throws(FormatError) -> Tensor in
                throw FormatError(path: shard.path, tensor: entry.name, .unsupported("dtype \(dataType.name)"))
            }
        }
        return SourceTensor(name: entry.name, dtype: dtype, shape: entry.shape, byteCount: entry.byteCount) {
            () throws(FormatError) -> Tensor in
            let buffer = OwnedBuffer(uninitializedByteCount: entry.byteCount)
            let bytes = UnsafeMutableRawBufferPointer(start: buffer.pointer, count: entry.byteCount)
            try shard.read(into: bytes, at: entry.byteOffset, tensor: entry.name)
            let actual = CRC32C.checksum(UnsafeRawBufferPointer(bytes))
            guard actual == entry.crc32c else {
                throw FormatError(path: shard.path, tensor: entry.name, byteOffset: entry.byteOffset,
                                  .checksumMismatch(expected: entry.crc32c, actual: actual))
            }
            return Tensor(dtype: dtype, shape: entry.shape, storage: TensorStorage(buffer: buffer))
        }
    }
}
