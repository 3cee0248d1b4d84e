import BertCore
#if canImport(Glibc)
import Glibc
#endif

/// A file created exclusively and written sequentially; every failure is an `OutputError`.
public final class FileSink {
    private let fd: Int32
    /// The file's path.
    public let path: String
    /// Bytes written so far.
    public private(set) var byteCount = 0

    /// Creates `path`, which must not exist.
    public init(creating path: String) throws(OutputError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw OutputError(path: path, .writeFailed(errnoText())) }
    }

    deinit { close(fd) }

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
        byteCount += bytes.count
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

    /// Flushes to disk, so a rename after it publishes complete bytes.
    public func sync() throws(OutputError) {
        guard fsync(fd) == 0 else { throw OutputError(path: path, .writeFailed(errnoText())) }
    }

    /// Writes `text` as the whole content of a new file at `path`.
    public static func write(_ text: String, to path: String) throws(OutputError) {
        let sink = try FileSink(creating: path)
        try sink.write(text)
    }
}
