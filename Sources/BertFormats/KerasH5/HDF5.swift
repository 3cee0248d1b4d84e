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

/// The HDF5 superblock fields bertconv checks before handing a file to libhdf5 (versions 0–3, at
/// offset 0, where the file's addresses are offsets in it).
struct HDF5Superblock {
    static let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Bytes per file address and per length.
    let offsetSize: Int
    let lengthSize: Int
    /// The end-of-file address: a file shorter than this was truncated.
    let endOfFileAddress: UInt64
    /// The object headers libhdf5 reads when it opens the file: the root group's and, from
    /// version 2, the superblock extension's when there is one.
    let objectHeaders: [UInt64]

    /// Whether `bytes` start with the HDF5 signature.
    static func hasSignature(_ bytes: UnsafeRawBufferPointer) -> Bool {
        bytes.count >= 8 && bytes.prefix(8).elementsEqual(signature)
    }

    /// The superblock at the start of `bytes`, or nil if its version is unknown or it is cut short.
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 16 else { return nil }
        let addresses: Int  // where base address, …, end-of-file address, … begin
        let (offsetSize, lengthSize): (Int, Int)
        switch bytes[8] {
        case 0, 1:
            // sig, 4 version bytes, reserved, sizes at 13/14, reserved, two K values, flags (4);
            // version 1 adds indexed-storage K and 2 reserved bytes. Then base, free-space, EOF and
            // driver addresses, and the root group's symbol table entry (link name offset, header).
            (offsetSize, lengthSize, addresses) = (Int(bytes[13]), Int(bytes[14]), bytes[8] == 0 ? 24 : 28)
        case 2, 3:
            // sig, version, sizes at 9/10, flags; then base, extension, EOF and root header addresses.
            (offsetSize, lengthSize, addresses) = (Int(bytes[9]), Int(bytes[10]), 12)
        default:
            return nil
        }
        let rootField = bytes[8] < 2 ? 5 : 3
        guard [2, 4, 8].contains(offsetSize), [2, 4, 8].contains(lengthSize),
              addresses + (rootField + 1) * offsetSize <= bytes.count
        else { return nil }
        func address(_ field: Int) -> UInt64 { HDF5Bytes.littleEndian(bytes, at: addresses + field * offsetSize, width: offsetSize) }
        self.offsetSize = offsetSize
        self.lengthSize = lengthSize
        endOfFileAddress = address(2)
        let undefined = offsetSize == 8 ? UInt64.max : (1 << UInt64(8 * offsetSize)) - 1
        objectHeaders = [address(rootField)] + (bytes[8] >= 2 && address(1) != undefined ? [address(1)] : [])
    }
}
