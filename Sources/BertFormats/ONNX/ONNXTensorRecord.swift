import BertCore

/// One `TensorProto` initializer as found in the file: name, type, shape and where its data is
/// (a byte range of the mapping, an external file, or typed repeated fields), checked up front.
struct ONNXTensorRecord {
    /// Where the elements are.
    enum Data {
        /// `raw_data`, or a packed `float_data` (the same little-endian bytes).
        case raw(Range<Int>)
        case external(location: String, offset: Int, length: Int?)
        /// `int32_data` or `int64_data` (one value per element; FLOAT16/BFLOAT16 hold bit patterns).
        case integers([Int64])
        case none
    }

    let name: String
    /// `TensorProto.DataType`; may be one bertconv has no dtype for.
    let dataType: Int32
    let shape: [Int]
    let docString: String?
    let data: Data
    /// Offset of the TensorProto in the file, for messages.
    let byteOffset: Int

    /// The canonical dtype, if bertconv has one for `dataType`.
    var dtype: DType? { ONNXElementType(rawValue: dataType)?.dtype }

    init(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String) throws(FormatError) {
        var fields = ProtoWire(bytes, range: range, path: path)
        var name = "", docString: String?, dataType: Int32 = 0, dims: [Int64] = []
        var data = Data.none, external: [String: String] = [:], isExternal = false
        while let field = try fields.next() {
            switch (field.number, field.value) {
            case (1, _): dims += try fields.int64s(field.value)
            case (2, .varint(let v)): dataType = Int32(truncatingIfNeeded: v)
            case (8, .bytes(let text)): name = fields.string(text)
            case (12, .bytes(let text)): docString = fields.string(text)
            case (9, .bytes(let raw)), (4, .bytes(let raw)): data = .raw(raw)
            case (5, _), (7, _): data = .integers(try fields.int64s(field.value))
            case (13, .bytes(let entry)):
                let pair = try ONNXFile.entry(bytes, entry, path: path)
                external[pair.key] = pair.value
            case (14, .varint(let v)): isExternal = v == 1
            case (6, _), (10, _), (11, _):
                throw FormatError(path: path, tensor: name.isEmpty ? nil : name, byteOffset: range.lowerBound,
                                  .unsupported("tensor data in string, double or uint64 fields"))
            default: continue
            }
        }
        func bad(_ why: String) -> FormatError { FormatError(path: path, tensor: name, byteOffset: range.lowerBound, .malformed(why)) }
        guard dims.count <= 8, dims.allSatisfy({ $0 >= 0 && $0 <= Int64(Int32.max) }) else {
            throw FormatError(path: path, tensor: name, byteOffset: range.lowerBound, .invalidShape(dims.map { Int(clamping: $0) }))
        }
        if isExternal {
            guard let location = external["location"] else { throw bad("external data without a location") }
            guard let offset = Int(external["offset"] ?? "0"), offset >= 0 else { throw bad("invalid external data offset") }
            let length = try external["length"].map { text throws(FormatError) -> Int in
                guard let value = Int(text), value >= 0 else { throw bad("invalid external data length") }
                return value
            }
            data = .external(location: location, offset: offset, length: length)
        }
        self.name = name
        self.dataType = dataType
        shape = dims.map { Int($0) }
        self.docString = docString
        self.data = data
        byteOffset = range.lowerBound
    }
}
