import BertCore

/// An initializer's elements, located and size-checked when the model is read, materialized on load:
/// a view of the model or an external data file, or a buffer decoded from integer fields.
enum ONNXTensorData: Sendable {
    case view(MappedFile, byteOffset: Int, byteCount: Int)
    case integers([Int64])

    /// Checks `record`'s data against its shape × dtype and the file it lies in.
    static func locate(_ record: ONNXTensorRecord, dtype: DType, in file: MappedFile, externals: [String: MappedFile],
                       path: String) throws(FormatError) -> ONNXTensorData {
        guard let expected = ShapeMath.byteCount(record.shape, dtype) else {
            throw FormatError(path: path, tensor: record.name, .invalidShape(record.shape))
        }
        func mismatch(_ actual: Int) -> FormatError {
            FormatError(path: path, tensor: record.name, byteOffset: record.byteOffset,
                        .sizeMismatch(expectedBytes: expected, actualBytes: actual))
        }
        switch record.data {
        case .raw(let range):
            guard range.count == expected else { throw mismatch(range.count) }
            return .view(file, byteOffset: range.lowerBound, byteCount: expected)
        case .external(let location, let offset, let length):
            let data = externals[location]!
            guard (length ?? expected) == expected else { throw mismatch(length ?? 0) }
            guard offset <= data.byteCount, expected <= data.byteCount - offset else {
                throw FormatError(path: data.path, tensor: record.name, byteOffset: offset,
                                  .outOfBounds(end: offset + expected, limit: data.byteCount))
            }
            return .view(data, byteOffset: offset, byteCount: expected)
        case .integers(let values):
            guard values.count * dtype.byteWidth == expected else { throw mismatch(values.count * dtype.byteWidth) }
            return .integers(values)
        case .none:
            guard expected == 0 else { throw mismatch(0) }
            return .integers([])
        }
    }

    /// The tensor these elements make.
    func tensor(dtype: DType, shape: [Int]) -> Tensor {
        switch self {
        case .view(let file, let offset, let count):
            return Tensor(dtype: dtype, shape: shape, storage: TensorStorage(file: file, byteOffset: offset, byteCount: count))
        case .integers(let values):
            return Tensor(dtype: dtype, shape: shape) { out in
                for (i, value) in values.enumerated() {
                    switch dtype.byteWidth {
                    case 1: out.storeBytes(of: UInt8(truncatingIfNeeded: value), toByteOffset: i, as: UInt8.self)
                    case 2: out.storeBytes(of: UInt16(truncatingIfNeeded: value).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
                    case 4: out.storeBytes(of: UInt32(truncatingIfNeeded: value).littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                    default: out.storeBytes(of: value.littleEndian, toByteOffset: 8 * i, as: Int64.self)
                    }
                }
            }
        }
    }
}
