import BertCore
import BertKernels

/// HF `nn.LayerNorm` over the hidden dimension, rows split across the pool.
struct LayerNorm: Sendable {
    let gamma: FloatBuffer
    let beta: FloatBuffer
    let eps: Float
    let isa: KernelISA

    init(_ prefix: String, in graph: BertModelGraph, isa: KernelISA) throws(RunnerError) {
        gamma = FloatBuffer(try WeightLoader.floats(prefix + ".weight", in: graph))
        beta = FloatBuffer(try WeightLoader.floats(prefix + ".bias", in: graph))
        eps = Float(graph.config.layerNormEps)
        self.isa = isa
    }

    /// Normalizes `rows` rows of `x` into `y` (in place when they are the same).
    func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, rows: Int, pool: ThreadPool) {
        let width = gamma.count
        let (gamma, beta) = (UnsafePointer(gamma.pointer), UnsafePointer(beta.pointer))
        pool.forEachChunk(rows) { _, chunk in
            let offset = chunk.lowerBound * width
            bk_layer_norm(isa.rawValue, x + offset, y + offset, Int32(chunk.count), Int32(width), Int32(width),
                          gamma, beta, eps)
        }
    }
}
