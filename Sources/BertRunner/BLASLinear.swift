import COpenBLAS

/// An fp32 linear layer on OpenBLAS (`cblas_sgemm` against the `[out, in]` weights), the
/// portable reference path; the epilogue runs as a separate pass.
public struct BLASLinear: Linear {
    public let inFeatures: Int
    public let outFeatures: Int
    let weights: [Float]
    let bias: [Float]

    public init(weights: [Float], bias: [Float], outFeatures: Int, inFeatures: Int) {
        precondition(weights.count == outFeatures * inFeatures && bias.count == outFeatures)
        self.weights = weights
        self.bias = bias
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
    }

    public func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                      epilogue: Epilogue, pool: ThreadPool) {
        openblas_set_num_threads(Int32(pool.count))
        let (m, n, k) = (Int32(rows), Int32(outFeatures), Int32(inFeatures))
        weights.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, k, 1, input, k, w.baseAddress, k, 0, output, n)
        }
        bias.withUnsafeBufferPointer { b in
            epilogue.apply(to: output, rows: rows, columns: outFeatures, bias: b.baseAddress, pool: pool)
        }
    }
}
