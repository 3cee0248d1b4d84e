import BertCore

/// One array leaf of a flax state dict: its `/`-joined key path, dtype, shape and the byte ranges
/// holding its row-major data (one range, or one per chunk of a chunked array).
struct FlaxArray {
    /// The key path joined with `/` (`bert/encoder/layer/3/attention/self/query/kernel`).
    let name: String
    /// Offset of the map key that names the array.
    let byteOffset: Int
    let dtype: DType
    let shape: [Int]
    /// Absolute byte ranges of the data, in order; their lengths add up to shape × dtype.
    let chunks: [Range<Int>]

    /// The number of data bytes.
    var byteCount: Int { chunks.reduce(0) { $0 + $1.count } }
}

/// flax's ndarray extension payloads (`flax/serialization.py`, `_ndarray_to_bytes`): a msgpack
/// array `(shape tuple, dtype name, row-major bytes)`, written by numpy in native (little-endian)
/// byte order. Extension type 1 holds an ndarray, 3 a numpy scalar (a 0-d array), 2 a Python
/// complex, which no BERT parameter is.
enum FlaxExtension {
    static let ndarray: Int8 = 1
    static let nativeComplex: Int8 = 2
    static let numpyScalar: Int8 = 3

    /// More dimensions than this are refused (numpy's historical `NPY_MAXDIMS`).
    static let maxDimensions = 32

    /// numpy `dtype.name` spellings and the dtypes they become; other names are refused.
    static let dtypes: [String: DType] = [
        "float32": .f32, "float16": .f16, "bfloat16": .bf16, "int8": .i8, "int32": .i32, "int64": .i64,
    ]

    /// The dtype, shape and data range of an ndarray payload, checked: exactly three fields, a
    /// known dtype, a shape whose byte size fits, and a buffer of exactly that many bytes.
    static func array(in payload: Range<Int>, of cursor: MsgpackCursor) throws(FormatError)
        -> (dtype: DType, shape: [Int], data: Range<Int>) {
        var inner = MsgpackCursor(bytes: cursor.bytes, file: cursor.file, region: payload)
        inner.keyPath = cursor.keyPath
        guard case .array(3) = try inner.next() else {
            throw inner.error(at: payload.lowerBound, .malformed("ndarray payload is not a (shape, dtype, buffer) array"))
        }
        let shapeOffset = inner.offset
        guard case .array(let rank) = try inner.next() else {
            throw inner.error(at: shapeOffset, .malformed("ndarray shape is not an array"))
        }
        guard rank <= maxDimensions else {
            throw inner.error(at: shapeOffset, .malformed("ndarray has \(rank) dimensions, more than \(maxDimensions)"))
        }
        var shape: [Int] = []
        for _ in 0..<rank {
            let dimOffset = inner.offset
            guard let dim = try inner.next().nonNegativeInt else {
                throw inner.error(at: dimOffset, .malformed("ndarray dimension is not a non-negative integer"))
            }
            shape.append(dim)
        }
        let dtypeOffset = inner.offset
        guard case .string(let nameRange) = try inner.next() else {
            throw inner.error(at: dtypeOffset, .malformed("ndarray dtype name is not a str"))
        }
        let dtypeName = try inner.text(nameRange)
        guard let dtype = dtypes[dtypeName] else { throw inner.error(at: dtypeOffset, .unknownDType(dtypeName)) }
        guard let expected = ShapeMath.byteCount(shape, dtype) else {
            throw inner.error(at: shapeOffset, .invalidShape(shape))
        }
        let bufferOffset = inner.offset
        guard case .binary(let data) = try inner.next() else {
            throw inner.error(at: bufferOffset, .malformed("ndarray buffer is not a bin"))
        }
        guard data.count == expected else {
            throw inner.error(at: bufferOffset, .sizeMismatch(expectedBytes: expected, actualBytes: data.count))
        }
        guard inner.remaining == 0 else {
            throw inner.error(at: inner.offset, .malformed("\(inner.remaining) bytes after the ndarray buffer"))
        }
        return (dtype, shape, data)
    }
}
