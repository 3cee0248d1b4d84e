import BertCore

/// Reads Hugging Face `tf_model.h5` as `TFBert*.save_pretrained` writes it (the Keras 2 HDF5
/// weights layout), single or sharded (`tf_model.h5.index.json`). Datasets are read lazily.
///
/// Source names follow transformers' `load_tf_weights_from_h5`: the weight name with its `:0`
/// dropped and the model-name scope stripped (`tf_bert_for_masked_lm/bert/…/kernel:0` becomes
/// `bert/…/kernel`). A weight a layer holds but does not own (Keras saves the embeddings again
/// under `mlm___cls`, whose decoder is tied to them) is named under that layer:
/// `mlm___cls/bert/embeddings/…`.
public enum KerasH5Reader: ModelReader {
    public static let format = SourceFormat.kerasH5
    static let singleName = "tf_model.h5"
    static let indexName = "tf_model.h5.index.json"

    public static func canRead(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) {
            return FileBytes.exists(ModelFolder.join(path, indexName)) || FileBytes.exists(ModelFolder.join(path, singleName))
        }
        return (path.hasSuffix(".h5") && !path.hasSuffix(Keras3Reader.weightsSuffix)) || path.hasSuffix(".h5.index.json")
    }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        let directory = FileBytes.isDirectory(path) ? path : ModelFolder.parent(of: path)
        var files: [String]
        var tensors: [SourceTensor]
        if let index = indexPath(path) {
            (files, tensors) = try readSharded(index: index, directory: directory)
        } else {
            let file = FileBytes.isDirectory(path) ? ModelFolder.join(path, singleName) : path
            guard FileBytes.exists(file) else { throw FormatError(path: path, .missingFile(singleName)) }
            tensors = try readFile(file)
            files = [file]
        }
        tensors.sort { $0.name < $1.name }
        let configPath = ModelFolder.join(directory, "config.json")
        let config = FileBytes.exists(configPath) ? try BertConfig(contentsOf: configPath) : nil
        if config != nil { files.append(configPath) }
        return ModelSource(format: format, path: path, inputFiles: files, tensors: tensors, config: config,
                           companionFiles: ModelFolder.companions(in: directory), nameMap: "keras-hf")
    }

    private static func indexPath(_ path: String) -> String? {
        if path.hasSuffix(".index.json") { return path }
        let candidate = ModelFolder.join(path, indexName)
        return FileBytes.isDirectory(path) && FileBytes.exists(candidate) ? candidate : nil
    }

    /// The tensors of one unsharded file: `layer_names` at the root (or under `model_weights` for a
    /// whole-model save), then each layer group's `weight_names`.
    static func readFile(_ path: String) throws(FormatError) -> [SourceTensor] {
        let file = try HDF5File(file: path)
        var root = "/"
        var layers = try file.chunkedStrings("layer_names", of: root)
        if layers == nil, try file.children(of: root).contains(where: { $0.name == "model_weights" && $0.kind == .group }) {
            root = "model_weights"
            layers = try file.chunkedStrings("layer_names", of: root)
        }
        guard let layers else {
            throw FormatError(path: path, .malformed("no 'layer_names' attribute: not Keras HDF5 weights"))
        }
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for layer in layers {
            let group = root == "/" ? layer : "\(root)/\(layer)"
            for weight in try file.chunkedStrings("weight_names", of: group) ?? [] {
                guard let scoped = variableName(weight) else {
                    throw FormatError(path: path, tensor: "\(group)/\(weight)", .malformed("weight name has no ':N' suffix"))
                }
                var name = strippingModelScope(scoped)
                if name.split(separator: "/").first.map(String.init) != layer { name = "\(layer)/\(name)" }
                guard seen.insert(name).inserted else { throw FormatError(path: path, tensor: name, .duplicateTensor) }
                tensors.append(try file.sourceTensor(name, at: "\(group)/\(weight)"))
            }
        }
        return tensors
    }

    /// `scope/…/kernel` from `scope/…/kernel:0`, or nil without a `:N` suffix.
    static func variableName(_ weight: String) -> String? {
        guard let colon = weight.lastIndex(of: ":") else { return nil }
        let index = weight[weight.index(after: colon)...]
        guard !index.isEmpty, index.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return String(weight[..<colon])
    }

    /// The name without its first scope, as `load_tf_weights_from_h5` strips the model name.
    static func strippingModelScope(_ name: String) -> String {
        guard let slash = name.firstIndex(of: "/") else { return name }
        return String(name[name.index(after: slash)...])
    }

    /// A sharded checkpoint: each shard lists its datasets (already stripped of the model scope) in
    /// a root `layer_names` attribute; the index maps full weight names to shard files.
    private static func readSharded(index: String, directory: String) throws(FormatError) -> ([String], [SourceTensor]) {
        var shardOf: [String: String] = [:]
        for (weight, shard) in try ShardIndex.weightMap(index, directory: directory) {
            guard let scoped = variableName(weight) else {
                throw FormatError(path: index, tensor: weight, .malformed("weight name has no ':N' suffix"))
            }
            shardOf[strippingModelScope(scoped)] = shard
        }
        let shards = Set(shardOf.values).sorted()
        var tensors: [SourceTensor] = []
        var seen = Set<String>()
        for shard in shards {
            guard FileBytes.exists(shard) else { throw FormatError(path: index, .missingFile(ModelFolder.basename(shard))) }
            let file = try HDF5File(file: shard)
            guard let datasets = try file.chunkedStrings("layer_names", of: "/") else {
                throw FormatError(path: shard, .malformed("no 'layer_names' attribute: not a tf_model.h5 shard"))
            }
            for dataset in datasets {
                guard let name = variableName(dataset) else {
                    throw FormatError(path: shard, tensor: dataset, .malformed("weight name has no ':N' suffix"))
                }
                guard seen.insert(name).inserted else { throw FormatError(path: shard, tensor: name, .duplicateTensor) }
                guard shardOf[name] == shard else {
                    throw FormatError(path: shard, tensor: name, .malformed("tensor is not listed for this shard in \(ModelFolder.basename(index))"))
                }
                tensors.append(try file.sourceTensor(name, at: dataset))
            }
        }
        if let missing = shardOf.keys.sorted().first(where: { !seen.contains($0) }) {
            throw FormatError(path: index, tensor: missing, .malformed("listed in the index but absent from \(ModelFolder.basename(shardOf[missing]!))"))
        }
        return (shards + [index], tensors)
    }
}
