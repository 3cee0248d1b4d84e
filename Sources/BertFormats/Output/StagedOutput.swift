import BertCore
import Foundation

/// An output (file or directory) built in a temporary sibling and renamed into place by `commit`,
/// so a failed command leaves nothing behind and readers of the old output never see a mix.
/// The sibling is created exclusively; an output path that is a symlink is refused, never followed.
public final class StagedOutput {
    /// Where the output will appear.
    public let finalPath: String
    /// Where it is being built.
    public let stagingPath: String
    private var committed = false

    private init(finalPath: String, stagingPath: String) {
        self.finalPath = finalPath
        self.stagingPath = stagingPath
    }

    /// Stages a directory output at `path`.
    public static func directory(at path: String, force: Bool) throws(OutputError) -> StagedOutput {
        let staging = try stagingName(for: path, force: force)
        guard mkdir(staging, 0o755) == 0 else { throw OutputError(path: path, .writeFailed(errnoText())) }
        return StagedOutput(finalPath: path, stagingPath: staging)
    }

    /// Stages a single-file output at `path`; write the file at `stagingPath`.
    public static func file(at path: String, force: Bool) throws(OutputError) -> StagedOutput {
        StagedOutput(finalPath: path, stagingPath: try stagingName(for: path, force: force))
    }

    /// A path inside a staged directory.
    public func path(_ name: String) -> String { ModelFolder.join(stagingPath, name) }

    /// Moves the staged output into place, replacing an existing one (allowed by `force` at staging).
    /// With durable outputs the staged folder is flushed before the rename and the parent after it.
    public func commit() throws(OutputError) {
        if OutputDurability.syncToDisk { try Self.flush(stagingPath, shownAs: finalPath) }
        var previous: String?
        if Self.exists(finalPath) {
            let aside = stagingPath + ".old"
            guard rename(finalPath, aside) == 0 else { throw OutputError(path: finalPath, .writeFailed(errnoText())) }
            previous = aside
        }
        guard rename(stagingPath, finalPath) == 0 else {
            let reason = errnoText()
            if let previous { _ = rename(previous, finalPath) }
            throw OutputError(path: finalPath, .writeFailed(reason))
        }
        committed = true
        if let previous { try? FileManager.default.removeItem(atPath: previous) }
        if OutputDurability.syncToDisk { try Self.flush(ModelFolder.parent(of: finalPath), shownAs: finalPath) }
    }

    /// fsync of a file or folder (a folder's entries are its data).
    private static func flush(_ path: String, shownAs shown: String) throws(OutputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw OutputError(path: shown, .writeFailed(errnoText())) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw OutputError(path: shown, .writeFailed(errnoText())) }
    }

    deinit {
        if !committed { try? FileManager.default.removeItem(atPath: stagingPath) }
    }

    private static func stagingName(for path: String, force: Bool) throws(OutputError) -> String {
        var info = stat()
        if lstat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFLNK { throw OutputError(path: path, .isSymlink) }
            if !force { throw OutputError(path: path, .exists) }
        }
        let parent = ModelFolder.parent(of: path)
        guard FileBytes.isDirectory(parent) else {
            throw OutputError(path: path, .writeFailed("parent directory '\(parent)' does not exist"))
        }
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        return ModelFolder.join(parent, ".\(ModelFolder.basename(path)).bertconv-\(getpid())-\(token)")
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
