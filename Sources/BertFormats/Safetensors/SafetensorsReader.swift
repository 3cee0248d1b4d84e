import BertCore

/// Reads Hugging Face safetensors: a single file, a directory with `model.safetensors`, or a
/// sharded checkpoint (`model.safetensors.index.json`). Tensors are zero-copy views of the mapping.
public enum SafetensorsReader: ModelReader {
    public static let format = SourceFormat.safetensors
    static let indexName = "model.safetensors.index.json"
    static let singleName = "model.safetensors"

    public static func canRead(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) {
            return FileBytes.exists(ModelFolder.join(path, indexName)) || FileBytes.exists(ModelFolder.join(path, singleName))
        }
        return path.hasSuffix(".safetensors") || path.hasSuffix(".safetensors.index.json")
    }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        let directory = FileBytes.isDirectory(path) ? path : ModelFolder.parent(of: path)
        let files: [String]
        var tensors: [SourceTensor]
        if let index = indexPath(path) {
            (files, tensors) = try readSharded(index: index, directory: directory)
        } else {
            let file = FileBytes.isDirectory(path) ? ModelFolder.join(path, singleName) : path
            tensors = try readFile(file)
            files = [file]
        }
        tensors.sort { $0.name < $1.name }
        let configPath = ModelFolder.join(directory, "config.json")
        let config = FileBytes.exists(configPath) ? try BertConfig(contentsOf: configPath) : nil
        return ModelSource(
            format: .safetensors, path: path, inputFiles: files + (config == nil ? [] : [configPath]),
            tensors: tensors, config: config, companionFiles: ModelFolder.companions(in: directory),
            nameMap: "hf-pytorch")
    }

    private static func indexPath(_ path: String) -> String? {
        if path.hasSuffix(".index.json") { return path }
        let candidate = ModelFolder.join(path, indexName)
        return FileBytes.isDirectory(path) && FileBytes.exists(candidate) ? candidate : nil
    }

    /// The tensors of one file, validated.
    static func readFile(_ path: String) throws(FormatError) -> [SourceTensor] {
        let file = try MappedFile(path: path)
        let header = try SafetensorsHeader(file: file)
        return header.entries.map { entry in
            let offset = header.dataOffset + entry.begin
            let count = entry.end - entry.begin
            return SourceTensor(name: entry.name, dtype: entry.dtype, shape: entry.shape, byteCount: count) { () throws(FormatError) in
                Tensor(dtype: entry.dtype, shape: entry.shape,
                       storage: TensorStorage(file: file, byteOffset: offset, byteCount: count))
            }
        }
    }

    /// The metadata of one file (`__metadata__`), validated along with the header.
    public static func metadata(of path: String) throws(FormatError) -> [(key: String, value: String)] {
        try SafetensorsHeader(file: MappedFile(path: path)).metadata
    }

    private static func readSharded(index: String, directory: String) throws(FormatError) -> ([String], [SourceTensor]) {
        var shardOf: [String: String] = [:]
        for (name, shard) in try ShardIndex.weightMap(index, directory: directory) { shardOf[name] = shard }
        let shards = Set(shardOf.values).sorted()
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for shard in shards {
            guard FileBytes.exists(shard) else { throw FormatError(path: index, .missingFile(ModelFolder.basename(shard))) }
            for tensor in try readFile(shard) {
                guard seen.insert(tensor.name).inserted else {
                    throw FormatError(path: shard, tensor: tensor.name, .duplicateTensor)
                }
                guard shardOf[tensor.name] == shard else {
                    throw FormatError(path: shard, tensor: tensor.name, .malformed("tensor is not listed for this shard in \(ModelFolder.basename(index))"))
                }
                tensors.append(tensor)
            }
        }
        if let missing = shardOf.keys.sorted().first(where: { !seen.contains($0) }) {
            throw FormatError(path: index, tensor: missing, .malformed("listed in the index but absent from \(ModelFolder.basename(shardOf[missing]!))"))
        }
        return (shards + [index], tensors)
    }
}
