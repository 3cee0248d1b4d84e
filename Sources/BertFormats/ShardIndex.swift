import BertCore

/// A Hugging Face sharded checkpoint index (`model.safetensors.index.json`, `tf_model.h5.index.json`,
/// `flax_model.msgpack.index.json`): `weight_map` sends each weight name to a shard file, resolved
/// inside the index's folder and never outside it.
enum ShardIndex {
    /// Every weight name of the index at `path` with its resolved shard path, in file order.
    static func weightMap(_ path: String, directory: String) throws(FormatError) -> [(weight: String, shard: String)] {
        let json = try FileBytes.json(path)
        guard let weightMap = json["weight_map"]?.objectValue else {
            throw FormatError(path: path, .malformed("missing 'weight_map' object"))
        }
        var entries: [(weight: String, shard: String)] = []
        for (weight, value) in weightMap {
            guard let shard = value.stringValue else {
                throw FormatError(path: path, tensor: weight, .malformed("shard name is not a string"))
            }
            entries.append((weight, try ModelFolder.resolve(shard, in: directory, referencedBy: path)))
        }
        return entries
    }
}
