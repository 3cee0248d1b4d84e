import BertCore
import Foundation

/// Where a TensorFlow checkpoint's files are: the prefix (`.../model.ckpt`) that its `.index`
/// and its `.data-NNNNN-of-NNNNN` shards share.
struct CheckpointLocation: Sendable, Equatable {
    let prefix: String

    var directory: String { ModelFolder.parent(of: prefix) }
    var indexPath: String { prefix + ".index" }

    /// The path of data shard `id` of `count` (`tensor_bundle.cc` `DataFilename`: `%05d`).
    func shardPath(_ id: Int, of count: Int) -> String {
        "\(prefix).data-\(Self.fiveDigits(id))-of-\(Self.fiveDigits(count))"
    }

    private static func fiveDigits(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    /// Whether `path` names a checkpoint: its prefix, its `.index`, or a folder holding a
    /// `checkpoint` state file or a `.index` file. Names only, no file is read.
    static func isCheckpoint(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) {
            return FileBytes.exists(ModelFolder.join(path, stateFileName)) || !indexFiles(in: path).isEmpty
        }
        return path.hasSuffix(".index") ? FileBytes.exists(path) : FileBytes.exists(path + ".index")
    }

    /// The checkpoint at `path`: a prefix, an `.index` file, or a folder, where the `checkpoint`
    /// state file (written by `tf.train.Saver` and `CheckpointManager`) names the latest prefix,
    /// else the folder must hold exactly one `.index` file.
    static func resolve(_ path: String) throws(FormatError) -> CheckpointLocation {
        if FileBytes.isDirectory(path) {
            let state = ModelFolder.join(path, stateFileName)
            if FileBytes.exists(state) { return try fromStateFile(state, directory: path) }
            let found = indexFiles(in: path)
            guard found.count == 1 else {
                throw FormatError(path: path, found.isEmpty
                    ? .missingFile("*.index")
                    : .malformed("holds \(found.count) checkpoints (\(found.joined(separator: ", "))): name one"))
            }
            return CheckpointLocation(prefix: ModelFolder.join(path, String(found[0].dropLast(".index".count))))
        }
        let prefix = path.hasSuffix(".index") ? String(path.dropLast(".index".count)) : path
        let location = CheckpointLocation(prefix: prefix)
        guard FileBytes.exists(location.indexPath) else {
            throw FormatError(path: path, .missingFile(ModelFolder.basename(location.indexPath)))
        }
        return location
    }

    private static let stateFileName = "checkpoint"

    private static func indexFiles(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".index") && !$0.hasSuffix(".safetensors.index.json") }.sorted()
    }

    /// Reads `model_checkpoint_path: "..."` from the text-format `CheckpointState`. TensorFlow
    /// often records absolute paths of the training machine; when such a path is gone, the same
    /// file name in this folder is used.
    private static func fromStateFile(_ state: String, directory: String) throws(FormatError) -> CheckpointLocation {
        let text = String(decoding: try FileBytes.read(state, limit: 1 << 20), as: UTF8.self)
        let key = "model_checkpoint_path:"
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key) }),
              let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close
        else { throw FormatError(path: state, .malformed("no model_checkpoint_path line")) }
        let named = String(line[line.index(after: open)..<close])
        let location: CheckpointLocation
        if named.hasPrefix("/") {
            let local = CheckpointLocation(prefix: named)
            location = FileBytes.exists(local.indexPath)
                ? local : CheckpointLocation(prefix: ModelFolder.join(directory, ModelFolder.basename(named)))
        } else {
            location = CheckpointLocation(prefix: try ModelFolder.resolve(named, in: directory, referencedBy: state))
        }
        guard FileBytes.exists(location.indexPath) else {
            throw FormatError(path: state, .missingFile(ModelFolder.basename(location.indexPath)))
        }
        return location
    }
}
