/// One quantized Linear (or embedding) weight: its int8 matrix and, with static activation
/// quantization, the calibrated scale of the layer's input.
public struct QuantizedWeight: Sendable, Equatable {
    public var matrix: QuantizedMatrix
    /// The static per-tensor input scale; nil quantizes inputs per token at run time.
    public var inputScale: Float?

    public init(matrix: QuantizedMatrix, inputScale: Float? = nil) {
        self.matrix = matrix
        self.inputScale = inputScale
    }
}
