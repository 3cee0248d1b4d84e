#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands fuzz input to readers that take paths, as the CLI does: one file per name in a private
/// directory (under /dev/shm when there is one), rewritten in place for each input. No per-input
/// create, rename or copy on disk, and no stray `config.json` or index from a shared folder.
public enum FuzzFile {
    nonisolated(unsafe) private static var directory: String?
    nonisolated(unsafe) private static var descriptors: [String: Int32] = [:]

    /// Writes the input to the file called `name` and calls `body` with its path.
    public static func with(_ data: UnsafePointer<UInt8>, _ size: Int, name: String, _ body: (String) -> Void) {
        let path = folder() + "/" + name
        let fd = descriptors[name] ?? open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot create \(path)")
        descriptors[name] = fd
        precondition(ftruncate(fd, off_t(size)) == 0 && pwrite(fd, data, size, 0) == size, "cannot write \(path)")
        body(path)
    }

    /// The private directory, made on first use and removed with its files when the process exits.
    /// It is also TMPDIR, so the `.keras` reader's temporary copy of its weights lands in memory too.
    private static func folder() -> String {
        if let directory { return directory }
        let parent = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        var template = Array("\(parent)/bertconv-fuzz-XXXXXX".utf8CString)
        precondition(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) } != nil, "cannot create a directory in \(parent)")
        let made = String(cString: template)
        directory = made
        setenv("TMPDIR", made, 1)
        atexit { FuzzFile.removeFolder() }
        return made
    }

    private static func removeFolder() {
        guard let directory else { return }
        for (name, fd) in descriptors {
            close(fd)
            unlink(directory + "/" + name)
        }
        rmdir(directory)
    }
}
