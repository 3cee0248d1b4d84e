import BertCore

/// Writes a safetensors file tensor by tensor: the header is computed from shapes and dtypes, then
/// each tensor is loaded (the next one while the current one is written), written and dropped, so
/// peak memory is about the two largest neighbouring tensors.
/// Output is deterministic: `__metadata__` first, tensors sorted by name, header padded to 8 bytes.
public enum SafetensorsWriter {
    /// A tensor to write: its name, dtype and shape up front, its bytes on demand.
    public struct Entry: Sendable {
        public let name: String
        public let dtype: DType
        public let shape: [Int]
        public let load: @Sendable () throws(FormatError) -> Tensor

        public init(name: String, dtype: DType, shape: [Int], load: @escaping @Sendable () throws(FormatError) -> Tensor) {
            self.name = name
            self.dtype = dtype
            self.shape = shape
            self.load = load
        }

        /// An entry for a tensor already in memory.
        public init(name: String, tensor: Tensor) {
            self.init(name: name, dtype: tensor.dtype, shape: tensor.shape) { () throws(FormatError) in tensor }
        }
    }

    /// Writes `entries` and `metadata` to a new file at `path`.
    public static func write(_ entries: [Entry], metadata: [(key: String, value: String)], to path: String)
        throws(BertCoreError) {
        let sorted = entries.sorted { $0.name < $1.name }
        let header = headerBytes(sorted, metadata: metadata)
        let sink: FileSink
        do { sink = try FileSink(creating: path) } catch { throw .output(error) }
        let length = UInt64(header.count)
        let prefix = (0..<8).map { UInt8(truncatingIfNeeded: length >> (8 * $0)) }
        do { try sink.write(prefix + header) } catch { throw .output(error) }
        let tensors = TensorLookAhead(sorted.map(\.load))
        for (index, entry) in sorted.enumerated() {
            let tensor: Tensor
            do { tensor = try tensors.tensor(index) } catch { throw .format(error) }
            precondition(tensor.dtype == entry.dtype && tensor.shape == entry.shape, "entry \(entry.name) changed shape")
            let failure: OutputError? = tensor.withUnsafeBytes { raw in
                do throws(OutputError) { try sink.write(raw) } catch { return error }
                return nil
            }
            if let failure { throw .output(failure) }
        }
        do { try sink.finish() } catch { throw .output(error) }
    }

    /// The JSON header, space-padded to a multiple of 8 bytes (as the reference writer does).
    static func headerBytes(_ entries: [Entry], metadata: [(key: String, value: String)]) -> [UInt8] {
        var members: [(key: String, value: JSONValue)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(metadata.map { ($0.key, .string($0.value)) })))
        }
        var offset = 0
        for entry in entries {
            let byteCount = ShapeMath.byteCount(entry.shape, entry.dtype)!
            members.append((entry.name, .object([
                ("dtype", .string(entry.dtype.rawValue)),
                ("shape", .array(entry.shape.map { .int($0) })),
                ("data_offsets", .array([.int(offset), .int(offset + byteCount)])),
            ])))
            offset += byteCount
        }
        var bytes = Array(JSONWriter.compact(.object(members)).utf8)
        while bytes.count % 8 != 0 { bytes.append(UInt8(ascii: " ")) }
        return bytes
    }
}
