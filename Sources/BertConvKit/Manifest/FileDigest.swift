#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BertCore
import Crypto

/// sha256 of files, read through a mapping in 8 MiB steps (BoringSSL's SHA-NI path), each step's
/// pages released once hashed.
public enum FileDigest {
    /// The lower-case hex sha256 of `path` and its size.
    public static func sha256(_ path: String) throws(FormatError) -> (hex: String, byteCount: Int) {
        let file = try MappedFile(path: path)
        var hasher = SHA256()
        let step = 8 << 20
        var offset = 0
        while offset < file.byteCount {
            let end = min(offset + step, file.byteCount)
            let chunk = UnsafeRawBufferPointer(rebasing: file.bytes[offset..<end])
            hasher.update(bufferPointer: chunk)
            // SAFETY: a read-only file mapping; dropped pages are re-read from the file if touched
            // again. Hashing a model then holds 8 MiB of it, not all of it, in the resident set.
            madvise(UnsafeMutableRawPointer(mutating: chunk.baseAddress!), chunk.count, MADV_DONTNEED)
            offset = end
        }
        let hex = hasher.finalize().map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
        return (hex, file.byteCount)
    }

    /// A manifest file record for `path`, shown as `displayPath`.
    static func record(_ path: String, as displayPath: String) throws(FormatError) -> Manifest.File {
        let digest = try sha256(path)
        return Manifest.File(path: displayPath, byteCount: digest.byteCount, sha256: digest.hex)
    }
}
