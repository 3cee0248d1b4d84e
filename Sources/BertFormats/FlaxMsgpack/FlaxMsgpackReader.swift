import BertCore
import BertNameMaps

/// Reads Hugging Face Flax checkpoints: `flax_model.msgpack` (flax's `to_bytes` of the params
/// tree), a directory holding it, or a sharded checkpoint (`flax_model.msgpack.index.json`).
/// Tensors are named by their `/`-joined key paths and read, one at a time, into owned buffers
/// (a chunked array's pieces concatenated).
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
                let (file, arrays) = try readFile(shard, checkedAgainst: map)
                arraysByShard.append((shard, arrays))
                tensors += arrays.map { sourceTensor($0, in: file) }
            }
            try index.check(arraysByShard)
            files = index.shards + [indexPath]
        } else {
            let single = FileBytes.isDirectory(path) ? ModelFolder.join(path, singleName) : path
            let (file, arrays) = try readFile(single, checkedAgainst: map)
            tensors = arrays.map { sourceTensor($0, in: file) }
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

    /// One msgpack file, opened for reading tensors, and its arrays, validated, each key path
    /// checked against the name map so an unknown key is reported with its offset. The mapping
    /// used for parsing is dropped on return.
    static func readFile(_ path: String, checkedAgainst map: NameMap) throws(FormatError) -> (file: PositionedFile, arrays: [FlaxArray]) {
        let mapped = try MappedFile(path: path)
        let arrays = try FlaxStateDict(bytes: mapped.bytes, file: path).arrays
        if let unknown = arrays.first(where: { map.resolve($0.name) == nil }) {
            throw FormatError(path: path, tensor: unknown.name, byteOffset: unknown.byteOffset,
                              .unsupported("key matches no entry of the flax name map (formats/maps/flax.json)"))
        }
        return (try PositionedFile(path: path), arrays)
    }

    /// A lazily loaded tensor: its bytes (every piece of a chunked array, in order) read into one
    /// owned buffer when loaded.
    static func sourceTensor(_ array: FlaxArray, in file: PositionedFile) -> SourceTensor {
        SourceTensor(name: array.name, dtype: array.dtype, shape: array.shape, byteCount: array.byteCount) {
            () throws(FormatError) in
            let buffer = OwnedBuffer(uninitializedByteCount: array.byteCount)
            var cursor = 0
            for chunk in array.chunks {
                // SAFETY: the chunk lengths add up to the buffer's size (shape × dtype), checked by
                // FlaxChunkedArray; each read fills exactly its slice or throws.
                try file.read(into: UnsafeMutableRawBufferPointer(start: buffer.pointer + cursor, count: chunk.count),
                              at: chunk.lowerBound, tensor: array.name)
                cursor += chunk.count
            }
            return Tensor(dtype: array.dtype, shape: array.shape, storage: TensorStorage(buffer: buffer))
        }
    }
}
