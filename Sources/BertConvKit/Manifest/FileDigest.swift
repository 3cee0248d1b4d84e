import BertCore
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// sha256 of files, read in 8 MiB steps into one buffer (BoringSSL's SHA-NI path). Not mapped:
/// the pages of a mapping stay resident until it is unmapped, so hashing a model's data shard
/// through one would lift peak memory to the shard's size.
public enum FileDigest {
    /// The lower-case hex sha256 of `path` and its size.
    public static func sha256(_ path: String) throws(FormatError) -> (hex: String, byteCount: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError(path: path, .unreadable(reason: errnoText())) }
        defer { close(fd) }
        var hasher = SHA256()
        let step = 8 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: step, alignment: 64)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            // SAFETY: read writes at most `step` bytes into the `step`-byte buffer.
            let count = read(fd, buffer.baseAddress, step)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw FormatError(path: path, byteOffset: total, .unreadable(reason: errnoText())) }
            if count == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += count
        }
        let hex = hasher.finalize().map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        return (hex, total)
    }

    /// A manifest file record for `path`, shown as `displayPath`.
    static func record(_ path: String, as displayPath: String) throws(FormatError) -> Manifest.File {
        let digest = try sha256(path)
        return Manifest.File(path: displayPath, byteCount: digest.byteCount, sha256: digest.hex)
    }
}
