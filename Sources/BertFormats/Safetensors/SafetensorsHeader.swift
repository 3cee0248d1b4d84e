import BertCore

/// One safetensors file's validated header: every tensor's dtype, shape and byte range, checked
/// before any tensor byte is read (the rules of safetensors' `Metadata::validate`).
struct SafetensorsHeader {
    struct Entry {
        let name: String
        let dtype: DType
        let shape: [Int]
        /// Byte range relative to the start of the data section.
        let begin: Int
        let end: Int
    }

    /// Headers above this are refused before allocation (safetensors' `MAX_HEADER_SIZE`).
    static let maxHeaderByteCount = 100_000_000

    let entries: [Entry]
    let metadata: [(key: String, value: String)]
    /// Offset of the data section in the file.
    let dataOffset: Int

    init(file: MappedFile) throws(FormatError) {
        let path = file.path
        let bytes = file.bytes
        guard bytes.count >= 8 else {
            throw FormatError(path: path, byteOffset: 0, .truncated(neededBytes: 8, remainingBytes: bytes.count))
        }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderByteCount) else {
            throw FormatError(path: path, byteOffset: 0,
                              .headerTooLarge(byteCount: Int(clamping: declared), limit: Self.maxHeaderByteCount))
        }
        let headerLength = Int(declared)
        guard headerLength <= bytes.count - 8 else {
            throw FormatError(path: path, byteOffset: 8, .truncated(neededBytes: headerLength, remainingBytes: bytes.count - 8))
        }
        let json: JSONValue
        do {
            json = try StrictJSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[8..<8 + headerLength]))
        } catch {
            if let key = error.duplicateKey {
                throw FormatError(path: path, tensor: key, byteOffset: 8 + error.byteOffset, .duplicateTensor)
            }
            throw FormatError(path: path, byteOffset: 8 + error.byteOffset, .invalidJSON(error.reason))
        }
        guard let members = json.objectValue else {
            throw FormatError(path: path, byteOffset: 8, .invalidJSON("header is not an object"))
        }
        dataOffset = 8 + headerLength
        let dataSize = bytes.count - dataOffset
        var entries: [Entry] = []
        var metadata: [(key: String, value: String)] = []
        for (name, value) in members {
            if name == "__metadata__" {
                guard let pairs = value.objectValue else {
                    throw FormatError(path: path, .malformed("__metadata__ is not an object"))
                }
                for (key, item) in pairs {
                    guard let text = item.stringValue else {
                        throw FormatError(path: path, .malformed("__metadata__ value for '\(key)' is not a string"))
                    }
                    metadata.append((key, text))
                }
                continue
            }
            entries.append(try Self.entry(name: name, value, path: path, dataSize: dataSize))
        }
        try Self.checkCoverage(entries, dataSize: dataSize, path: path, dataOffset: dataOffset)
        self.entries = entries
        self.metadata = metadata
    }

    private static func entry(name: String, _ value: JSONValue, path: String, dataSize: Int) throws(FormatError) -> Entry {
        func bad(_ why: String) -> FormatError { FormatError(path: path, tensor: name, .malformed(why)) }
        guard let dtypeName = value["dtype"]?.stringValue else { throw bad("missing 'dtype'") }
        guard let dtype = DType(rawValue: dtypeName) else {
            throw FormatError(path: path, tensor: name, .unknownDType(dtypeName))
        }
        guard let shapeValues = value["shape"]?.arrayValue else { throw bad("missing 'shape'") }
        let shape = shapeValues.map { $0.intValue ?? -1 }
        guard shape.count <= 8, let byteCount = ShapeMath.byteCount(shape, dtype) else {
            throw FormatError(path: path, tensor: name, .invalidShape(shape))
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].intValue, let end = offsets[1].intValue, begin >= 0, end >= begin
        else { throw bad("'data_offsets' must be two ascending non-negative integers") }
        guard end <= dataSize else {
            throw FormatError(path: path, tensor: name, .outOfBounds(end: end, limit: dataSize))
        }
        guard end - begin == byteCount else {
            throw FormatError(path: path, tensor: name, .sizeMismatch(expectedBytes: byteCount, actualBytes: end - begin))
        }
        return Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
    }

    /// Data ranges must tile the data section exactly: ascending, no overlap, no holes.
    private static func checkCoverage(_ entries: [Entry], dataSize: Int, path: String, dataOffset: Int) throws(FormatError) {
        var cursor = 0
        var previous: String?
        for entry in entries.sorted(by: { ($0.begin, $0.end) < ($1.begin, $1.end) }) {
            if entry.begin < cursor {
                throw FormatError(path: path, tensor: entry.name, byteOffset: dataOffset + entry.begin,
                                  .overlapping(previous: previous ?? ""))
            }
            if entry.begin > cursor {
                throw FormatError(path: path, byteOffset: dataOffset + cursor, .hole(byteCount: entry.begin - cursor))
            }
            cursor = entry.end
            previous = entry.name
        }
        guard cursor == dataSize else {
            throw FormatError(path: path, byteOffset: dataOffset + cursor, .hole(byteCount: dataSize - cursor))
        }
    }
}
