import BertCore
import BertProtos

/// A protobuf-c output buffer that streams packed bytes into a file through a 1 MiB staging
/// buffer, so `protobuf_c_message_pack_to_buffer` never builds the model in memory; large runs
/// (tensor `raw_data`) go straight from the tensor's bytes to the file.
final class ProtoStream {
    private let sink: FileSink
    private var pending: [UInt8] = []
    private let capacity = 1 << 20
    /// The first write failure; later appends are dropped and `finish` throws it.
    private var failure: OutputError?
    /// The C buffer struct protobuf-c appends to, followed by a pointer back to this stream.
    private let buffer: UnsafeMutableRawPointer

    init(sink: FileSink) {
        self.sink = sink
        pending.reserveCapacity(capacity)
        let stride = MemoryLayout<ProtobufCBuffer>.stride
        buffer = .allocate(byteCount: stride + MemoryLayout<UnsafeRawPointer>.size, alignment: 16)
        buffer.initializeMemory(as: ProtobufCBuffer.self, repeating: ProtobufCBuffer(append: appendToStream), count: 1)
        (buffer + stride).storeBytes(of: UnsafeRawPointer(Unmanaged.passUnretained(self).toOpaque()), as: UnsafeRawPointer.self)
    }

    deinit { buffer.deallocate() }

    /// Packs `message` (any protobuf-c message struct) onto the stream.
    func pack<T>(_ message: UnsafeMutablePointer<T>) {
        protobuf_c_message_pack_to_buffer(ProtoStream.base(message), buffer.assumingMemoryBound(to: ProtobufCBuffer.self))
    }

    /// Appends a length-delimited field header: the tag of `field` with wire type 2, then `length`.
    func fieldHeader(_ field: Int, length: Int) {
        append(ProtoStream.varint(UInt64(field << 3 | 2)))
        append(ProtoStream.varint(UInt64(length)))
    }

    /// Appends bytes.
    func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Appends bytes; runs of a MiB or more bypass the staging buffer.
    func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        if pending.count + bytes.count > capacity { flush() }
        if bytes.count >= capacity {
            do throws(OutputError) { try sink.write(bytes) } catch { failure = error }
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    /// Writes what is staged and finishes the file; throws the first failure.
    func finish() throws(OutputError) {
        flush()
        if let failure { throw failure }
        try sink.finish()
    }

    private func flush() {
        guard failure == nil, !pending.isEmpty else { return }
        failure = pending.withUnsafeBytes { raw in
            do throws(OutputError) { try sink.write(raw) } catch { return error }
            return nil
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// The packed size of a protobuf-c message struct.
    static func packedSize<T>(_ message: UnsafeMutablePointer<T>) -> Int {
        protobuf_c_message_get_packed_size(base(message))
    }

    /// Bytes of a length-delimited field holding `length` bytes, header included.
    static func fieldSize(_ field: Int, length: Int) -> Int {
        varint(UInt64(field << 3 | 2)).count + varint(UInt64(length)).count + length
    }

    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = []
        var rest = value
        repeat {
            bytes.append(UInt8(rest & 0x7F) | (rest >= 0x80 ? 0x80 : 0))
            rest >>= 7
        } while rest != 0
        return bytes
    }

    /// Every protobuf-c message struct starts with its `ProtobufCMessage base`.
    private static func base<T>(_ message: UnsafeMutablePointer<T>) -> UnsafePointer<ProtobufCMessage> {
        // SAFETY: protoc-c lays out each message struct with `ProtobufCMessage base` as its first member.
        UnsafeRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self)
    }
}

/// protobuf-c's append callback: finds the stream stored after the buffer struct.
private func appendToStream(_ buffer: UnsafeMutablePointer<ProtobufCBuffer>?, _ length: Int, _ data: UnsafePointer<UInt8>?) {
    guard let buffer else { return }
    // SAFETY: ProtoStream.init stored an unretained pointer to itself right after the struct, and the
    // stream outlives every pack call that can reach this callback.
    let context = UnsafeRawPointer(buffer).load(fromByteOffset: MemoryLayout<ProtobufCBuffer>.stride, as: UnsafeRawPointer.self)
    let stream = Unmanaged<ProtoStream>.fromOpaque(context).takeUnretainedValue()
    stream.append(UnsafeRawBufferPointer(start: data, count: length))
}
