import BertCore

/// Turns an int8 or uint8 initializer back into F32 with its scale and zero point, checked when
/// the model is read.
struct ONNXDequantizer: Sendable {
    let values: ONNXTensorData
    /// UINT8 values (and zero point) rather than INT8.
    let unsigned: Bool
    let shape: [Int]
    let scale: ONNXTensorData
    let scaleType: DType
    let zeroPoint: ONNXTensorData?
    /// 1 (one zero point for all groups) or `groupCount`.
    let zeroPointCount: Int
    /// The axis scales run along, or nil for one scale.
    let axis: Int?
    let groupCount: Int

    /// Whether `record` holds 8-bit integers a dequantization may turn back into floats.
    static func isQuantized(_ record: ONNXTensorRecord) -> Bool {
        record.dataType == ONNXElementType.int8.rawValue || record.dataType == ONNXElementType.uint8.rawValue
    }

    /// Checks the scale and zero point of `record` against its shape.
    init(_ record: ONNXTensorRecord, _ dequantization: ONNXWeightResolver.Dequantization,
         records: [String: ONNXTensorRecord], locate: (ONNXTensorRecord, DType) throws(FormatError) -> ONNXTensorData,
         path: String) throws(FormatError) {
        func bad(_ why: String) -> FormatError { FormatError(path: path, tensor: record.name, byteOffset: record.byteOffset, .malformed(why)) }
        guard record.shape.count == 2 else { throw bad("int8 weight is not 2-D") }
        guard let scaleRecord = records[dequantization.scale], let scaleType = scaleRecord.dtype, scaleType.isFloatingPoint else {
            throw bad("scale '\(dequantization.scale)' is not a float initializer")
        }
        let count = ShapeMath.elementCount(scaleRecord.shape) ?? 0
        var axis = dequantization.axis ?? (scaleRecord.shape.count == 2 && scaleRecord.shape[1] == 1 ? 0 : 1)
        if axis < 0 { axis += 2 }
        guard count == 1 || (0...1).contains(axis) && count == record.shape[axis] else {
            throw bad("scale '\(dequantization.scale)' has \(count) elements for shape \(record.shape)")
        }
        values = try locate(record, .i8)
        shape = record.shape
        scale = try locate(scaleRecord, scaleType)
        self.scaleType = scaleType
        unsigned = record.dataType == ONNXElementType.uint8.rawValue
        if let name = dequantization.zeroPoint {
            guard let zero = records[name], zero.dataType == record.dataType,
                  [1, count].contains(ShapeMath.elementCount(zero.shape)) else {
                throw bad("zero point '\(name)' is not an initializer of the weight's type with one element or one per scale")
            }
            zeroPoint = try locate(zero, .i8)
            zeroPointCount = ShapeMath.elementCount(zero.shape)!
        } else {
            zeroPoint = nil
            zeroPointCount = 0
        }
        self.axis = count == 1 ? nil : axis
        groupCount = count
    }

    /// `(q − zeroPoint) · scale`, F32, in the stored orientation.
    func tensor() -> Tensor {
        let q = values.tensor(dtype: .i8, shape: shape)
        let scales = scale.tensor(dtype: scaleType, shape: [groupCount]).floats()
        let zeros = zeroPoint.map { stored in
            let bytes = stored.tensor(dtype: .i8, shape: [zeroPointCount])
            let values = bytes.withUnsafeBytes { raw in raw.map { unsigned ? Float($0) : Float(Int8(bitPattern: $0)) } }
            return values.count == 1 ? [Float](repeating: values[0], count: groupCount) : values
        } ?? [Float](repeating: 0, count: groupCount)
        let cols = shape[1]
        return q.withUnsafeBytes { raw in
            Tensor(dtype: .f32, shape: shape) { out in
                for i in 0..<(shape[0] * cols) {
                    let group = axis == nil ? 0 : (axis == 0 ? i / cols : i % cols)
                    let q = unsigned ? Float(raw[i]) : Float(Int8(bitPattern: raw[i]))
                    let value = (q - zeros[group]) * scales[group]
                    out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            }
        }
    }
}
