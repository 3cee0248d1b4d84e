import BertCore
import CHDF5
import Foundation

/// Serialized access to libhdf5: Debian's serial build is not thread-safe, so every call runs under
/// one lock, with the library's own error-stack printing turned off.
enum HDF5 {
    private static let lock = NSRecursiveLock()

    /// Whether the conversion that reads variable-length string descriptors without resolving them
    /// (`bertconv_keep_vlen_descriptors` in shim.h) is registered; first read under the lock.
    static let keepsVlenDescriptors = bertconv_register_vlen_descriptors() >= 0

    /// Runs `body` holding the HDF5 lock.
    static func locked<R>(_ body: () throws(FormatError) -> R) throws(FormatError) -> R {
        lock.lock()
        defer { lock.unlock() }
        H5open()
        // The error stack is per-thread in thread-safe builds, so silence it on every entry.
        H5Eset_auto2(hid_t(H5E_DEFAULT), nil, nil)
        return try body()
    }

    /// The innermost message on libhdf5's error stack (the most specific one), or a fallback.
    static func lastMessage(_ fallback: String) -> String {
        final class Box { var message: String? }
        let box = Box()
        let walker: H5E_walk2_t = { _, error, context in
            guard let error, let context, let description = error.pointee.desc else { return 0 }
            let text = String(cString: description)
            if !text.isEmpty {
                Unmanaged<Box>.fromOpaque(context).takeUnretainedValue().message = text
            }
            return 0
        }
        // SAFETY: the box outlives the walk, which calls `walker` synchronously.
        withExtendedLifetime(box) {
            _ = H5Ewalk2(hid_t(H5E_DEFAULT), H5E_WALK_DOWNWARD, walker, Unmanaged.passUnretained(box).toOpaque())
        }
        H5Eclear2(hid_t(H5E_DEFAULT))
        return box.message.map { "\(fallback): \($0)" } ?? fallback
    }

    /// A FormatError for a failed libhdf5 call on `object` in `path`, quoting HDF5's own reason.
    static func failure(_ path: String, object: String?, _ what: String) -> FormatError {
        FormatError(path: path, tensor: object, .malformed("hdf5: " + lastMessage(what)))
    }
}

/// The HDF5 superblock fields bertconv checks before handing a file to libhdf5.
enum HDF5Superblock {
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `bytes` start with the HDF5 signature.
    static func hasSignature(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 8 && bytes.prefix(8).elementsEqual(signature)
    }

    /// The end-of-file address the superblock records (versions 0–3), or nil if it cannot be read.
    /// A file shorter than this was truncated.
    static func endOfFileAddress(_ bytes: UnsafeRawBufferPointer) -> Int? {
        guard bytes.count > 16 else { return nil }
        let version = bytes[8]
        let offsetSize: Int
        let eofOffset: Int
        switch version {
        case 0, 1:
            // sig, 4 version bytes, reserved, sizes at 13/14, reserved, two K values, flags (4);
            // version 1 adds indexed-storage K and 2 reserved bytes; then base, free-space, EOF.
            offsetSize = Int(bytes[13])
            eofOffset = (version == 0 ? 24 : 28) + 2 * offsetSize
        case 2, 3:
            // sig, version, offset size at 9, length size, flags; then base, extension, EOF.
            offsetSize = Int(bytes[9])
            eofOffset = 12 + 2 * offsetSize
        default:
            return nil
        }
        guard [2, 4, 8].contains(offsetSize), eofOffset + offsetSize <= bytes.count else { return nil }
        return Int(exactly: HDF5Bytes.littleEndian(bytes, at: eofOffset, width: offsetSize))
    }
}
