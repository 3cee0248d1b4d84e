import BertCore

/// How many scales a weight matrix gets.
public enum WeightGranularity: String, Sendable, Codable, CaseIterable {
    /// One scale per output channel (row of a `[out, in]` Linear weight, row of an embedding table).
    case channel
    /// One scale for the whole matrix (for comparison with per-tensor quantizers).
    case tensor
}

/// A symmetric int8 matrix: `value ≈ scale · q` with q in [-127, 127] (never -128, which the
/// kernels' sign trick cannot represent) and one scale per row or per tensor.
public struct QuantizedMatrix: Sendable, Equatable {
    public let rows: Int
    public let cols: Int
    /// Row-major `[rows, cols]`.
    public let values: [Int8]
    /// `rows` scales (per channel) or one (per tensor).
    public let scales: [Float]

    public init(rows: Int, cols: Int, values: [Int8], scales: [Float]) {
        precondition(values.count == rows * cols && (scales.count == rows || scales.count == 1))
        self.rows = rows
        self.cols = cols
        self.values = values
        self.scales = scales
    }

    public var granularity: WeightGranularity { scales.count == 1 && rows != 1 ? .tensor : .channel }

    /// One scale per row, repeating a per-tensor scale.
    public var channelScales: [Float] { scales.count == rows ? scales : Array(repeating: scales[0], count: rows) }

    /// `scale · q` for every element, as F32 row-major values.
    public func dequantized() -> [Float] {
        let perRow = channelScales
        var out = [Float](repeating: 0, count: values.count)
        for r in 0..<rows {
            let s = perRow[r]
            for c in 0..<cols { out[r * cols + c] = s * Float(values[r * cols + c]) }
        }
        return out
    }

    /// The values as an I8 tensor `[rows, cols]`.
    public var valuesTensor: Tensor {
        Tensor(dtype: .i8, shape: [rows, cols]) { out in
            values.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// The scales as compressed-tensors stores them: F32 `[rows, 1]` per channel, `[1]` per tensor.
    public var scalesTensor: Tensor {
        Tensor(float32: scales, shape: scales.count == rows && granularity == .channel ? [rows, 1] : [1])
    }
}
