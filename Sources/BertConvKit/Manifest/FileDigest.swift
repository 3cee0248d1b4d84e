import BertCore
import Crypto

/// sha256 of files, read through a mapping in 8 MiB steps (BoringSSL's SHA-NI path).
public enum FileDigest {
    /// The lower-case hex sha256 of `path` and its size.
    public static func sha256(_ path: String) throws(FormatError) -> (hex: String, byteCount: Int) {
        let file = try MappedFile(path: path)
        var hasher = SHA256()
        let step = 8 << 20
        var offset = 0
        while offset < file.byteCount {
            let end = min(offset + step, file.byteCount)
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: file.bytes[offset..<end]))
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
