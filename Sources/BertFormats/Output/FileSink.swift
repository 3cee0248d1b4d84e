import BertCore
import Crypto
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// A file created exclusively and written sequentially; every failure is an `OutputError`.
/// It hashes what it writes, so a manifest never rereads an output; when outputs are durable
/// (`OutputDurability`) it hands every 64 MiB to the disk in the background (`fdatasync` on a
/// helper thread), so the final flush waits only for the tail.
public final class FileSink {
    private let fd: Int32
    /// The file's path.
    public let path: String
    /// Bytes written so far.
    public private(set) var byteCount = 0
    private var hasher = SHA256()
    private var unflushed = 0
    private let writeback = DispatchGroup()

    private static let writebackStep = 64 << 20
    private static let writebackQueue = DispatchQueue(label: "bertconv.writeback", qos: .utility)

    /// Creates `path`, which must not exist.
    public init(creating path: String) throws(OutputError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, .writeFailed(errnoText())) }
    }

    deinit {
        writeback.wait()
        close(fd)
    }

    /// Appends `bytes`.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(OutputError) {
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw OutputError(path: path, .writeFailed(errnoText()))
            }
            offset += written
        }
        hasher.update(bufferPointer: bytes)
        byteCount += bytes.count
        guard OutputDurability.syncToDisk else { return }
        unflushed += bytes.count
        if unflushed >= Self.writebackStep { startWriteback() }
    }

    /// Appends `bytes`.
    public func write(_ bytes: [UInt8]) throws(OutputError) {
        let failure: OutputError? = bytes.withUnsafeBytes { raw in
            do throws(OutputError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    /// Appends the UTF-8 bytes of `text`.
    public func write(_ text: String) throws(OutputError) {
        try write(Array(text.utf8))
    }

    /// Completes the file: flushes it to disk when outputs are durable (so a rename after it
    /// publishes complete bytes), and remembers its digest for the manifest.
    public func finish() throws(OutputError) {
        if OutputDurability.syncToDisk {
            writeback.wait()
            guard fsync(fd) == 0 else { throw OutputError(path: path, .writeFailed(errnoText())) }
        }
        rememberDigest()
    }

    private func rememberDigest() {
        if let identity = FileIdentity(fd) {
            DigestCache.shared.remember(FileDigest(hasher, byteCount: byteCount), of: path, identity: identity)
        }
    }

    /// Starts writing back what is dirty unless a writeback is already under way; its result is
    /// not needed, since `finish` reports any failure.
    private func startWriteback() {
        guard writeback.wait(timeout: .now()) == .success else { return }
        unflushed = 0
        let fd = fd
        writeback.enter()
        Self.writebackQueue.async { [writeback] in
            _ = fdatasync(fd)
            writeback.leave()
        }
    }

    /// Writes `text` as the whole content of a new file at `path`.
    public static func write(_ text: String, to path: String) throws(OutputError) {
        let sink = try FileSink(creating: path)
        try sink.write(text)
        try sink.finish()
    }
}
