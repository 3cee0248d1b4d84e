import BertCore
import BertInt8Kernels

/// An int8 weight matrix packed once into BertInt8Kernels' 16-column panels, with its per-output-
/// channel scales, column sums and fp32 bias, and the activation encoding its range allows.
public struct PackedInt8Weights: @unchecked Sendable {
    public let outFeatures: Int
    public let inFeatures: Int
    /// `.unsigned` (or `.unsigned7`) when every weight lies in [-64, 64] (the faster kernels), else `.signed`.
    public let encoding: Int8ActivationEncoding
    let packed: OwnedBuffer
    let columnSums: OwnedBuffer
    let scales: OwnedBuffer
    let bias: OwnedBuffer

    /// Packs `matrix` (`[outFeatures, inFeatures]`, values in [-127, 127]) with `bias`, for the
    /// fastest encoding that fits its range and `activationBits`; `encoding` forces one instead
    /// (the unsigned ones only for weights in [-64, 64]).
    public init(_ matrix: QuantizedMatrix, bias: [Float], activationBits: Int = 8, encoding: Int8ActivationEncoding? = nil) {
        precondition(bias.count == matrix.rows)
        let (n, k) = (Int32(matrix.rows), Int32(matrix.cols))
        outFeatures = matrix.rows
        inFeatures = matrix.cols
        let sums = OwnedBuffer(byteCount: Int(bi8_panel_count(n)) * Int(BI8_PANEL_WIDTH) * 4)
        let largest = matrix.values.withUnsafeBufferPointer { w in
            Int(bi8_column_sums(w.baseAddress!, n, k, sums.pointer.assumingMemoryBound(to: Int32.self)))
        }
        columnSums = sums
        let fitsUnsigned = largest <= Int8ActivationEncoding.unsignedWeightLimit
        precondition(encoding == nil || encoding == .signed || fitsUnsigned, "weights beyond ±64 need signed activations")
        self.encoding = encoding ?? .fastest(largestWeight: largest, activationBits: activationBits)
        scales = Self.buffer(matrix.channelScales)
        self.bias = Self.buffer(bias)
        let panels = OwnedBuffer(byteCount: bi8_packed_bytes(n, k))
        let target = panels.pointer.assumingMemoryBound(to: Int8.self)
        matrix.values.withUnsafeBufferPointer { w in bi8_pack_weights(w.baseAddress!, n, k, target) }
        packed = panels
    }

    /// The row stride of quantized activations this matrix multiplies.
    public var paddedDepth: Int { Int(bi8_padded_depth(Int32(inFeatures))) }

    /// The number of 16-column panels (the unit threads split).
    public var panelCount: Int { Int(bi8_panel_count(Int32(outFeatures))) }

    /// Bytes the packed weights occupy.
    public var byteCount: Int { packed.byteCount + columnSums.byteCount + scales.byteCount + bias.byteCount }

    private static func buffer(_ values: [Float]) -> OwnedBuffer {
        let buffer = OwnedBuffer(byteCount: values.count * 4)
        values.withUnsafeBytes { buffer.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return buffer
    }
}
