import BertCore
import Crypto
#if canImport(Glibc)
import Glibc
#endif

/// The sha256 and size of a file, as the manifest records them. Files this process wrote through a
/// `FileSink`, or hashed ahead with `prefetch`, are answered from `DigestCache` without rereading.
public struct FileDigest: Sendable, Equatable {
    /// Lower-case hex sha256.
    public let hex: String
    /// Size in bytes.
    public let byteCount: Int

    init(_ hasher: SHA256, byteCount: Int) {
        hex = hasher.finalize().map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        self.byteCount = byteCount
    }

    /// The digest of `path`: remembered if its identity is unchanged since it was hashed, else computed.
    public static func sha256(_ path: String) throws(FormatError) -> FileDigest {
        if let known = DigestCache.shared.digest(of: path) { return known }
        return try computed(path)
    }

    /// Starts hashing `paths` on a background thread, so a later `sha256` finds them ready; used by
    /// commands that write a manifest while the main thread converts.
    public static func prefetch(_ paths: [String]) {
        DigestCache.shared.prefetch(paths)
    }

    /// Reads `path` in 8 MiB steps into one buffer (BoringSSL's SHA-NI path). Not mapped: the pages
    /// of a mapping stay resident until it is unmapped, which would lift peak memory to the file's size.
    static func computed(_ path: String) throws(FormatError) -> FileDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw FormatError(path: path, .unreadable(reason: errnoText())) }
        defer { close(fd) }
        let identity = FileIdentity(fd)
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
        let digest = FileDigest(hasher, byteCount: total)
        if let identity, identity == FileIdentity(fd) { DigestCache.shared.remember(digest, of: path, identity: identity) }
        return digest
    }
}
