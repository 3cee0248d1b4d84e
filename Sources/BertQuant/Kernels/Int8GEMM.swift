import BertInt8Kernels

/// Swift entry points of BertInt8Kernels over raw pointers; callers own the buffers.
public enum Int8GEMM {
    /// Quantizes rows `rows` of `x` (`[*, k]`, stride `ldx`) into `q` (stride `ldq`) and their
    /// scales: per row from its absmax, or `staticScale` for every row when given.
    public static func quantizeRows(_ isa: Int8ISA, _ x: UnsafePointer<Float>, ldx: Int, k: Int, staticScale: Float?,
                                    into q: UnsafeMutablePointer<Int8>, ldq: Int, scales: UnsafeMutablePointer<Float>,
                                    rows: Range<Int>) {
        bi8_quantize_rows(isa.rawValue, x, Int32(ldx), Int32(k), staticScale ?? 0, q, Int32(ldq), scales,
                          Int32(rows.lowerBound), Int32(rows.upperBound))
    }

    /// `c = a_scales ⊗ w.scales · (q · wᵀ) + w.bias (+ residual)` for the output panels `panels`.
    public static func multiply(_ isa: Int8ISA, rows: Int, _ q: UnsafePointer<Int8>, ldq: Int,
                                scales: UnsafePointer<Float>, _ weights: PackedInt8Weights,
                                residual: UnsafePointer<Float>?, ldResidual: Int,
                                into c: UnsafeMutablePointer<Float>, ldc: Int, panels: Range<Int>) {
        bi8_gemm(isa.rawValue, Int32(rows), Int32(weights.outFeatures), Int32(weights.inFeatures), q, Int32(ldq), scales,
                 weights.packed.pointer.assumingMemoryBound(to: Int8.self),
                 weights.scales.pointer.assumingMemoryBound(to: Float.self),
                 weights.bias.pointer.assumingMemoryBound(to: Float.self),
                 residual, Int32(ldResidual), c, Int32(ldc), Int32(panels.lowerBound), Int32(panels.upperBound))
    }
}
