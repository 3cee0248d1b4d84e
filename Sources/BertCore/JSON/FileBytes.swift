#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Small whole-file reads (configs, indexes, vocabularies) with a size cap.
public enum FileBytes {
    /// Files read whole are capped here; tensors are mapped, never read this way.
    public static let maxByteCount = 256 << 20

    /// The bytes of `path`, refusing files over `limit`.
    public static func read(_ path: String, limit: Int = maxByteCount) throws(FormatError) -> [UInt8] {
        let file = try MappedFile(path: path)
        guard file.byteCount <= limit else {
            throw FormatError(path: path, .headerTooLarge(byteCount: file.byteCount, limit: limit))
        }
        return Array(file.bytes)
    }

    /// Parses `path` as strict JSON.
    public static func json(_ path: String) throws(FormatError) -> JSONValue {
        let bytes = try read(path)
        do {
            return try StrictJSONParser.parse(bytes)
        } catch {
            throw FormatError(path: path, byteOffset: error.byteOffset, .invalidJSON(error.reason))
        }
    }

    /// Whether a regular file (or a link to one) exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Whether a directory (or a link to one) exists at `path`.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}
