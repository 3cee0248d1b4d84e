import Dispatch
import Synchronization

/// The process's memory of file digests: filled by `FileSink` as it writes and by background
/// prefetches of input files, consulted by `FileDigest.sha256`. An entry only answers while the
/// file's identity (inode, size, mtime) is the one it was hashed with.
final class DigestCache: Sendable {
    static let shared = DigestCache()

    private enum Entry {
        case pending(DispatchGroup)
        case known(FileDigest, FileIdentity)
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let queue = DispatchQueue(label: "bertconv.digest-prefetch", qos: .utility)

    func remember(_ digest: FileDigest, of path: String, identity: FileIdentity) {
        entries.withLock { $0[path] = .known(digest, identity) }
    }

    /// The remembered digest of `path`, waiting for a prefetch in flight; nil if unknown or stale.
    func digest(of path: String) -> FileDigest? {
        switch entries.withLock({ $0[path] }) {
        case .pending(let group)?:
            group.wait()
            return digest(of: path)
        case .known(let digest, let identity)?:
            return FileIdentity(path: path) == identity ? digest : nil
        case nil:
            return nil
        }
    }

    func prefetch(_ paths: [String]) {
        for path in paths {
            let group = DispatchGroup()
            group.enter()
            let claimed = entries.withLock { entries in
                switch entries[path] {
                case .pending?: return false
                case .known(_, let identity)? where FileIdentity(path: path) == identity: return false
                default:
                    entries[path] = .pending(group)
                    return true
                }
            }
            guard claimed else {
                group.leave()
                continue
            }
            queue.async {
                _ = try? FileDigest.computed(path)
                self.settle(path)
                group.leave()
            }
        }
    }

    /// Drops a pending marker that `computed` did not replace (it remembers only unchanged files).
    private func settle(_ path: String) {
        entries.withLock { entries in
            if case .pending? = entries[path] { entries[path] = nil }
        }
    }
}
