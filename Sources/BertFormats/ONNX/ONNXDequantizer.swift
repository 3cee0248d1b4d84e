import BertCore

/// Turns an int8 initializer back into F32 with its scale and zero point, checked when the model is read.
struct ONNXDequantizer: Sendable {
    let values: ONNXTensorData
    let shape: [Int]
    let scale: ONNXTensorData
    let scaleType: DType
    let zeroPoint: ONNXTensorData?
    /// The axis scales run along, or nil for one scale.
    let axis: Int?
    let groupCount: Int

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
        if let name = dequantization.zeroPoint {
            guard let zero = records[name], zero.dtype == .i8, ShapeMath.elementCount(zero.shape) == count else {
                throw bad("zero point '\(name)' is not an int8 initializer shaped like the scale")
            }
            zeroPoint = try locate(zero, .i8)
        } else {
            zeroPoint = nil
        }
        self.axis = count == 1 ? nil : axis
        groupCount = count
    }

    /// `(q − zeroPoint) · scale`, F32, in the stored orientation.
    func tensor() -> Tensor {
        let q = values.tensor(dtype: .i8, shape: shape)
        let scales = scale.tensor(dtype: scaleType, shape: [groupCount]).floats()
        let zeros = zeroPoint.map { $0.tensor(dtype: .i8, shape: [groupCount]).int64s().map(Float.init) }
            ?? [Float](repeating: 0, count: groupCount)
        let cols = shape[1]
        return q.withUnsafeBytes { raw in
            Tensor(dtype: .f32, shape: shape) { out in
                for i in 0..<(shape[0] * cols) {
                    let group = axis == nil ? 0 : (axis == 0 ? i / cols : i % cols)
                    let value = (Float(raw.load(fromByteOffset: i, as: Int8.self)) - zeros[group]) * scales[group]
                    out.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
                }
            }
        }
    }
}
