import BertCore
import CZlib
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ZipArchive {
    /// Bytes handed to the sink per call while inflating.
    static let chunkByteCount = 1 << 20

    /// Passes the member's uncompressed bytes to `sink` in chunks (stored members as views of the
    /// mapping, deflated ones inflated with zlib), then checks the size and CRC-32 it declared.
    func stream(_ entry: Entry, into sink: (UnsafeRawBufferPointer) throws(FormatError) -> Void) throws(FormatError) {
        let path = file.path
        // SAFETY: the central directory check put dataOffset + compressedSize inside the mapping.
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[entry.dataOffset..<entry.dataOffset + entry.compressedSize])
        var crc = crc32(0, nil, 0)
        var produced = 0
        func emit(_ chunk: UnsafeRawBufferPointer) throws(FormatError) {
            produced += chunk.count
            guard produced <= entry.uncompressedSize else {
                throw FormatError(path: path, tensor: entry.name, .sizeMismatch(expectedBytes: entry.uncompressedSize, actualBytes: produced))
            }
            if let base = chunk.baseAddress {
                crc = crc32(crc, base.assumingMemoryBound(to: Bytef.self), uInt(chunk.count))
            }
            try sink(chunk)
        }
        if entry.method == 0 {
            var offset = 0
            while offset < source.count {
                let end = min(offset + Self.chunkByteCount, source.count)
                try emit(UnsafeRawBufferPointer(rebasing: source[offset..<end]))
                releasePages(of: entry, consumed: end)
                offset = end
            }
        } else {
            try inflate(source, entry: entry, emit: emit)
        }
        guard produced == entry.uncompressedSize else {
            throw FormatError(path: path, tensor: entry.name, .sizeMismatch(expectedBytes: entry.uncompressedSize, actualBytes: produced))
        }
        guard UInt32(crc) == entry.crc32 else {
            throw FormatError(path: path, tensor: entry.name, .checksumMismatch(expected: entry.crc32, actual: UInt32(crc)))
        }
    }

    /// Drops the mapped pages of the member's first `consumed` bytes once they are streamed, so
    /// copying a large member does not keep the archive resident (peak RSS stays at one chunk).
    private func releasePages(of entry: Entry, consumed: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard let base = file.bytes.baseAddress, page > 0 else { return }
        let start = (entry.dataOffset + page - 1) / page * page
        let end = (entry.dataOffset + consumed) / page * page
        guard end > start else { return }
        // SAFETY: a read-only private mapping; dropped pages are read again from the file if touched.
        madvise(UnsafeMutableRawPointer(mutating: base + start), end - start, MADV_DONTNEED)
    }

    /// The whole member, for small ones (configs); refuses members over `limit` bytes.
    func data(_ entry: Entry, limit: Int) throws(FormatError) -> [UInt8] {
        guard entry.uncompressedSize <= limit else {
            throw FormatError(path: file.path, tensor: entry.name, .headerTooLarge(byteCount: entry.uncompressedSize, limit: limit))
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(entry.uncompressedSize)
        try stream(entry) { (chunk) throws(FormatError) in bytes += chunk }
        return bytes
    }

    private func inflate(_ source: UnsafeRawBufferPointer, entry: Entry,
                         emit: (UnsafeRawBufferPointer) throws(FormatError) -> Void) throws(FormatError) {
        let path = file.path
        var stream = z_stream()
        guard bertconv_inflate_init_raw(&stream) == Z_OK else {
            throw FormatError(path: path, tensor: entry.name, .unreadable(reason: "zlib inflateInit2 failed"))
        }
        defer { inflateEnd(&stream) }
        let output = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkByteCount, alignment: 16)
        defer { output.deallocate() }
        // SAFETY: zlib reads only `avail_in` bytes from `next_in`; the source is the mapped member.
        stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(source.count)
        var status = Z_OK
        repeat {
            stream.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(output.count)
            status = CZlib.inflate(&stream, Z_NO_FLUSH)
            if status == Z_BUF_ERROR {
                throw FormatError(path: path, tensor: entry.name,
                                  .truncated(neededBytes: entry.uncompressedSize, remainingBytes: Int(stream.total_out)))
            }
            guard status == Z_OK || status == Z_STREAM_END else {
                let reason = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw FormatError(path: path, tensor: entry.name, .malformed("corrupt deflate data: \(reason)"))
            }
            let written = output.count - Int(stream.avail_out)
            try emit(UnsafeRawBufferPointer(rebasing: output[0..<written]))
            releasePages(of: entry, consumed: source.count - Int(stream.avail_in))
        } while status != Z_STREAM_END
    }
}
