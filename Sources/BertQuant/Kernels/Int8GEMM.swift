import BertInt8Kernels

/// How an int8 layer stores its quantized activations (chosen by its weights' range and the
/// layer's activation bits).
public enum Int8ActivationEncoding: Int32, Sendable, CaseIterable {
    /// Symmetric, `q` in [-127, 127]: multiplies any int8 weights, with the sign trick.
    case signed = 0
    /// Asymmetric, `q` in [0, 255] with a per-row zero point: weights must lie in [-64, 64].
    case unsigned = 1
    /// Asymmetric in 7 bits, `q` in [0, 127]: weights in [-64, 64], and the kernel adds two depth
    /// groups in int16 before widening (a quarter fewer multiply-pipe instructions).
    case unsigned7 = 2

    /// The largest weight magnitude `.unsigned` and `.unsigned7` multiply exactly.
    public static let unsignedWeightLimit = Int(BI8_U8_WEIGHT_LIMIT)

    /// The fastest encoding for weights of largest magnitude `largestWeight` and activations of
    /// `activationBits` (7 or 8) bits.
    public static func fastest(largestWeight: Int, activationBits: Int) -> Self {
        guard largestWeight <= unsignedWeightLimit else { return .signed }
        return activationBits == 7 ? .unsigned7 : .unsigned
    }
}

/// Swift entry points of BertInt8Kernels over raw pointers; callers own the buffers.
public enum Int8GEMM {
    /// Quantizes rows `rows` of `x` (`[*, k]`, stride `ldx`) into `q` (stride `ldq`) in `encoding`,
    /// with their scales (and zero points for the unsigned encodings): per row from its range, or with
    /// `staticScale` for every row when given.
    public static func quantizeRows(_ isa: Int8ISA, _ encoding: Int8ActivationEncoding, _ x: UnsafePointer<Float>,
                                    ldx: Int, k: Int, staticScale: Float?, into q: UnsafeMutablePointer<UInt8>, ldq: Int,
                                    scales: UnsafeMutablePointer<Float>, zeroPoints: UnsafeMutablePointer<Int32>,
                                    rows: Range<Int>) {
        bi8_quantize_rows(isa.rawValue, encoding.rawValue, x, Int32(ldx), Int32(k), staticScale ?? 0, q, Int32(ldq),
                          scales, zeroPoints, Int32(rows.lowerBound), Int32(rows.upperBound))
    }

    /// `c = a_scales ⊗ w.scales · (q · wᵀ − zeroPoints ⊗ Σw) + w.bias (+ residual)` for the output
    /// panels `panels`, with `q` in `weights.encoding`.
    public static func multiply(_ isa: Int8ISA, rows: Int, _ q: UnsafePointer<UInt8>, ldq: Int,
                                scales: UnsafePointer<Float>, zeroPoints: UnsafePointer<Int32>, _ weights: PackedInt8Weights,
                                residual: UnsafePointer<Float>?, ldResidual: Int,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, panels: Range<Int>) {
        bi8_gemm(isa.rawValue, weights.encoding.rawValue, Int32(rows), Int32(weights.outFeatures),
                 Int32(weights.inFeatures), q, Int32(ldq), scales, zeroPoints,
                 weights.packed.pointer.assumingMemoryBound(to: Int8.self),
                 weights.columnSums.pointer.assumingMemoryBound(to: Int32.self),
                 weights.scales.pointer.assumingMemoryBound(to: Float.self),
                 weights.bias.pointer.assumingMemoryBound(to: Float.self),
                 residual, Int32(ldResidual), c, Int32(ldc), Int32(panels.lowerBound), Int32(panels.upperBound))
    }
}
