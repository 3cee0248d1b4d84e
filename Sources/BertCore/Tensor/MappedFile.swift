#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory mapping of a whole file; every tensor view holds a reference, so the mapping
/// outlives them (as candle's `MmapedSafetensors` does with `yoke`).
public final class MappedFile: @unchecked Sendable {
    /// The file's path, for messages.
    public let path: String
    /// The mapped bytes; empty for an empty file.
    public let bytes: UnsafeRawBufferPointer

    /// Maps `path` read-only.
    public init(path: String) throws(FormatError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError(path: path, .unreadable(reason: errnoText())) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FormatError(path: path, .unreadable(reason: errnoText())) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FormatError(path: path, .unreadable(reason: "not a regular file"))
        }
        let size = Int(info.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            throw FormatError(path: path, .unreadable(reason: "mmap failed: \(errnoText())"))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress {
            munmap(UnsafeMutableRawPointer(mutating: base), bytes.count)
        }
    }

    /// The file size in bytes.
    public var byteCount: Int { bytes.count }
}

/// The current `errno` as text.
public func errnoText() -> String { String(cString: strerror(errno)) }
