import BertCore
import BertNameMaps

/// Reads Hugging Face Flax checkpoints: `flax_model.msgpack` (flax's `to_bytes` of the params
/// tree), a directory holding it, or a sharded checkpoint (`flax_model.msgpack.index.json`).
/// Tensors are named by their `/`-joined key paths and are views of the mapping, except chunked
/// arrays, whose pieces are concatenated when loaded.
public enum FlaxMsgpackReader: ModelReader {
    public static let format = SourceFormat.flaxMsgpack
    static let singleName = "flax_model.msgpack"
    static let indexName = "flax_model.msgpack.index.json"
    /// The name map under `formats/maps/`.
    static let nameMap = "flax"

    public static func canRead(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) {
            return FileBytes.exists(ModelFolder.join(path, indexName)) || FileBytes.exists(ModelFolder.join(path, singleName))
        }
        return path.hasSuffix(".msgpack") || path.hasSuffix(".msgpack.index.json")
    }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        let directory = FileBytes.isDirectory(path) ? path : ModelFolder.parent(of: path)
        let map: NameMap
        do { map = try NameMaps.load(nameMap) } catch { throw FormatError(path: path, .unreadable(reason: error.description)) }
        var files: [String] = []
        var tensors: [SourceTensor] = []
        if let indexPath = indexPath(path) {
            let index = try FlaxShardIndex(path: indexPath, directory: directory)
            var arraysByShard: [(shard: String, arrays: [FlaxArray])] = []
            for shard in index.shards {
                guard FileBytes.exists(shard) else {
                    throw FormatError(path: indexPath, .missingFile(ModelFolder.basename(shard)))
                }
                let (byteCount, arrays) = try readFile(shard, checkedAgainst: map)
                arraysByShard.append((shard, arrays))
                tensors += arrays.map { sourceTensor($0, in: shard, byteCount: byteCount) }
            }
            try index.check(arraysByShard)
            files = index.shards + [indexPath]
        } else {
            let single = FileBytes.isDirectory(path) ? ModelFolder.join(path, singleName) : path
            let (byteCount, arrays) = try readFile(single, checkedAgainst: map)
            tensors = arrays.map { sourceTensor($0, in: single, byteCount: byteCount) }
            files = [single]
        }
        let configPath = ModelFolder.join(directory, "config.json")
        let config = FileBytes.exists(configPath) ? try BertConfig(contentsOf: configPath) : nil
        return ModelSource(
            format: format, path: path, inputFiles: files + (config == nil ? [] : [configPath]),
            tensors: tensors, config: config, companionFiles: ModelFolder.companions(in: directory),
            nameMap: nameMap)
    }

    private static func indexPath(_ path: String) -> String? {
        if path.hasSuffix(".index.json") { return path }
        let candidate = ModelFolder.join(path, indexName)
        return FileBytes.isDirectory(path) && FileBytes.exists(candidate) ? candidate : nil
    }

    /// The size and arrays of one msgpack file, validated, each key path checked against the name
    /// map so an unknown key is reported with its offset. The mapping is dropped on return.
    static func readFile(_ path: String, checkedAgainst map: NameMap) throws(FormatError) -> (byteCount: Int, arrays: [FlaxArray]) {
        let file = try MappedFile(path: path)
        let arrays = try FlaxStateDict(bytes: file.bytes, file: path).arrays
        if let unknown = arrays.first(where: { map.resolve($0.name) == nil }) {
            throw FormatError(path: path, tensor: unknown.name, byteOffset: unknown.byteOffset,
                              .unsupported("key matches no entry of the flax name map (formats/maps/flax.json)"))
        }
        return (file.byteCount, arrays)
    }

    /// A lazily loaded tensor: a view of a mapping when the data is one range. Each load maps the
    /// file afresh and the tensor holds that mapping, so the pages it touched leave the resident set
    /// when it is dropped: a conversion holds about one tensor's pages, not the whole file's.
    static func sourceTensor(_ array: FlaxArray, in path: String, byteCount fileByteCount: Int) -> SourceTensor {
        SourceTensor(name: array.name, dtype: array.dtype, shape: array.shape, byteCount: array.byteCount) {
            () throws(FormatError) in
            let file = try MappedFile(path: path)
            guard file.byteCount == fileByteCount else {
                throw FormatError(path: path, tensor: array.name, .malformed(
                    "file changed since it was read: \(file.byteCount) bytes, was \(fileByteCount)"))
            }
            if array.chunks.count == 1 {
                return Tensor(dtype: array.dtype, shape: array.shape,
                              storage: TensorStorage(file: file, byteOffset: array.chunks[0].lowerBound,
                                                     byteCount: array.byteCount))
            }
            // The one copy this reader makes: a chunked array's pieces are separate msgpack objects
            // (each under msgpack's 2^31-byte limit), not adjacent bytes, so they are concatenated.
            return Tensor(dtype: array.dtype, shape: array.shape) { out in
                var cursor = 0
                for chunk in array.chunks {
                    // SAFETY: every chunk range was checked against the mapping, and the chunk
                    // lengths add up to `out.count` (shape × dtype), checked by FlaxChunkedArray.
                    UnsafeMutableRawBufferPointer(rebasing: out[cursor..<cursor + chunk.count])
                        .copyMemory(from: UnsafeRawBufferPointer(rebasing: file.bytes[chunk]))
                    cursor += chunk.count
                }
            }
        }
    }
}
