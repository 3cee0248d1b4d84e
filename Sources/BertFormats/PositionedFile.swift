import BertCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A data file (TF data shard, Flax msgpack) opened for positioned reads. Tensors are read one at
/// a time into owned buffers rather than viewed through a mapping: pages of a mapping stay
/// resident until it is unmapped and each costs a fault, whereas one `pread` per tensor is a
/// plain copy into a buffer that is freed as soon as its tensor is written.
final class PositionedFile: @unchecked Sendable {
    let path: String
    let byteCount: Int
    private let descriptor: Int32

    init(path: String) throws(FormatError) {
        self.path = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FormatError(path: path, .unreadable(reason: errnoText())) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw FormatError(path: path, .unreadable(reason: "not a regular file"))
        }
        byteCount = Int(info.st_size)
    }

    deinit { close(descriptor) }

    /// Fills `buffer` from `offset`; `tensor` names the tensor in errors.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int, tensor: String) throws(FormatError) {
        var done = 0
        while done < buffer.count {
            // SAFETY: pread writes at most `buffer.count - done` bytes past `done`, inside the buffer.
            let result = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            if result < 0 && errno == EINTR { continue }
            guard result >= 0 else {
                throw FormatError(path: path, tensor: tensor, byteOffset: offset + done, .unreadable(reason: errnoText()))
            }
            guard result > 0 else {
                throw FormatError(path: path, tensor: tensor, byteOffset: offset + done,
                                  .truncated(neededBytes: buffer.count - done, remainingBytes: 0))
            }
            done += result
        }
    }
}
