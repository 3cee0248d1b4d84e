import BertCore

/// The arrays of one `flax.serialization.msgpack_serialize` file (what HF's `save_pretrained`
/// writes as `flax_model.msgpack`): nested str-keyed maps whose leaves are ndarray extensions,
/// flattened to `/`-joined key paths. Nothing is copied: each array is a byte range of the input.
struct FlaxStateDict {
    /// Maps nested deeper than this are refused before the walk recurses further.
    static let depthLimit = 64
    /// The key flax puts in a map that stands for one array split into chunks (`_chunk`).
    static let chunkedMarker = "__msgpack_chunked_array__"

    /// The arrays, in file order.
    let arrays: [FlaxArray]

    /// Decodes and validates the whole of `bytes`.
    init(bytes: UnsafeRawBufferPointer, file: String) throws(FormatError) {
        var cursor = MsgpackCursor(bytes: bytes, file: file)
        guard case .map(let count) = try cursor.next() else {
            throw cursor.error(at: 0, .malformed("top level is not a msgpack map (flax state dict)"))
        }
        var arrays: [FlaxArray] = []
        try Self.walkMap(count: count, keyOffset: 0, depth: 1, &cursor, into: &arrays)
        guard cursor.remaining == 0 else {
            throw cursor.error(at: cursor.offset, .malformed("\(cursor.remaining) bytes after the end of the state dict"))
        }
        var seen = Set<String>()
        for array in arrays where !seen.insert(array.name).inserted {
            throw FormatError(path: file, tensor: array.name, byteOffset: array.byteOffset, .duplicateTensor)
        }
        self.arrays = arrays
    }

    /// Walks a map's values in one pass: nested maps recurse, array extensions become arrays.
    /// A map whose first key is `__msgpack_chunked_array__` (where flax's `_chunk` puts it) is
    /// one array, named by the path to it.
    private static func walkMap(count: Int, keyOffset: Int, depth: Int, _ cursor: inout MsgpackCursor,
                                into arrays: inout [FlaxArray]) throws(FormatError) {
        let firstKey = cursor.offset
        var keys = Set<String>()
        for index in 0..<count {
            let entry = try cursor.entryKey(distinctFrom: &keys)
            if entry.key == chunkedMarker {
                guard index == 0 else {
                    throw cursor.error(at: entry.keyOffset, .malformed("\(chunkedMarker) is not the map's first key"))
                }
                cursor.seek(to: firstKey)
                let entries = try cursor.entries(count: count)
                let end = cursor.offset
                arrays.append(try FlaxChunkedArray.array(entries: entries, keyOffset: keyOffset, &cursor))
                cursor.seek(to: end)
                return
            }
            cursor.keyPath.append(entry.key)
            switch try cursor.next() {
            case .map(let count):
                guard depth < depthLimit else {
                    throw cursor.error(at: entry.valueOffset, .malformed("maps nested deeper than \(depthLimit) levels"))
                }
                try walkMap(count: count, keyOffset: entry.keyOffset, depth: depth + 1, &cursor, into: &arrays)
            case .ext(let type, let payload):
                arrays.append(try leaf(type: type, payload: payload, entry: entry, cursor))
            case let other:
                throw cursor.error(at: entry.valueOffset, .malformed(
                    "value is a msgpack \(other.familyName), flax parameters are arrays or maps"))
            }
            cursor.keyPath.removeLast()
        }
    }

    /// The array an extension value holds: an ndarray, or a numpy scalar (a 0-d array).
    private static func leaf(type: Int8, payload: Range<Int>, entry: MsgpackCursor.Entry, _ cursor: MsgpackCursor)
        throws(FormatError) -> FlaxArray {
        switch type {
        case FlaxExtension.ndarray, FlaxExtension.numpyScalar:
            let array = try FlaxExtension.array(in: payload, of: cursor)
            if type == FlaxExtension.numpyScalar && !array.shape.isEmpty {
                throw cursor.error(at: payload.lowerBound, .malformed("numpy scalar has shape \(array.shape)"))
            }
            return FlaxArray(name: cursor.keyPathText ?? "", byteOffset: entry.keyOffset, dtype: array.dtype,
                             shape: array.shape, chunks: [array.data])
        case FlaxExtension.nativeComplex:
            throw cursor.error(at: entry.valueOffset, .unsupported("complex scalar (msgpack extension type 2)"))
        default:
            throw cursor.error(at: entry.valueOffset, .malformed(
                "unknown msgpack extension type \(type); flax arrays are type 1 (ndarray) or 3 (numpy scalar)"))
        }
    }
}
