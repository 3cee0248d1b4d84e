import BertCore

/// A sharded checkpoint's index (`flax_model.msgpack.index.json`, written by HF's
/// `flax_shard_checkpoint`): `weight_map` sends each `/`-joined key path to its shard file, which
/// must lie inside the index's folder.
struct FlaxShardIndex {
    /// The index file.
    let path: String
    /// The resolved shard paths, sorted.
    let shards: [String]
    /// Key path → resolved shard path.
    let shardOf: [String: String]

    init(path: String, directory: String) throws(FormatError) {
        var shardOf: [String: String] = [:]
        for (name, shard) in try ShardIndex.weightMap(path, directory: directory) { shardOf[name] = shard }
        self.path = path
        self.shardOf = shardOf
        shards = Set(shardOf.values).sorted()
    }

    /// Checks that the arrays read from every shard are exactly those the index lists for it.
    func check(_ arraysByShard: [(shard: String, arrays: [FlaxArray])]) throws(FormatError) {
        var seen = Set<String>()
        for (shard, arrays) in arraysByShard {
            for array in arrays {
                guard seen.insert(array.name).inserted else {
                    throw FormatError(path: shard, tensor: array.name, byteOffset: array.byteOffset, .duplicateTensor)
                }
                guard shardOf[array.name] == shard else {
                    throw FormatError(path: shard, tensor: array.name, byteOffset: array.byteOffset, .malformed(
                        "key is not listed for this shard in \(ModelFolder.basename(path))"))
                }
            }
        }
        if let missing = shardOf.keys.sorted().first(where: { !seen.contains($0) }) {
            throw FormatError(path: path, tensor: missing, .malformed(
                "listed in the index but absent from \(ModelFolder.basename(shardOf[missing]!))"))
        }
    }
}
