import BertCore
import BertFormats
import Crypto
import Foundation

/// A content-addressed cache of build steps: a step whose inputs (source and goldens sha256, the
/// target, bertconv's version) match an earlier run is restored instead of redone.
struct BuildCache {
    let directory: String

    /// The cache key of `target` for these input digests.
    static func key(target: BuildTarget, inputDigests: [String]) -> String {
        let material = ([BertConvVersion.current, target.rawValue] + inputDigests).joined(separator: "\n")
        return SHA256.hash(data: Data(material.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Copies a cached step's artifact folder to `destination` and returns its step record, or nil.
    func restore(key: String, to destination: String) -> JSONValue? {
        let entry = ModelFolder.join(directory, key)
        guard let record = try? FileBytes.json(ModelFolder.join(entry, "step.json")),
              (try? FileManager.default.copyItem(atPath: ModelFolder.join(entry, "artifact"), toPath: destination)) != nil
        else { return nil }
        return record
    }

    /// Stores a finished step (artifact folder and record); a cache that cannot be written is skipped.
    func store(key: String, artifact: String, record: JSONValue) {
        let entry = ModelFolder.join(directory, key)
        let staging = entry + ".tmp-\(getpid())"
        let manager = FileManager.default
        try? manager.removeItem(atPath: staging)
        guard (try? manager.createDirectory(atPath: staging, withIntermediateDirectories: true)) != nil,
              (try? manager.copyItem(atPath: artifact, toPath: ModelFolder.join(staging, "artifact"))) != nil,
              (try? FileSink.write(JSONWriter.pretty(record), to: ModelFolder.join(staging, "step.json"))) != nil
        else { try? manager.removeItem(atPath: staging); return }
        try? manager.removeItem(atPath: entry)
        try? manager.moveItem(atPath: staging, toPath: entry)
    }
}
