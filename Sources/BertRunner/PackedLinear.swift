import BertCore
import BertKernels

/// An fp32 linear layer whose weights were packed once into 16-column panels; the bias,
/// activation and residual run in the GEMM's epilogue. Threads split the output panels.
public struct PackedLinear: Linear {
    public let inFeatures: Int
    public let outFeatures: Int
    let isa: KernelISA
    let packed: OwnedBuffer
    let bias: OwnedBuffer

    /// Packs `weights` (`[outFeatures, inFeatures]`, PyTorch layout).
    public init(weights: [Float], bias: [Float], outFeatures: Int, inFeatures: Int, isa: KernelISA) {
        precondition(weights.count == outFeatures * inFeatures && bias.count == outFeatures)
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        self.isa = isa
        packed = OwnedBuffer(byteCount: bk_packed_floats(Int32(outFeatures), Int32(inFeatures)) * 4)
        self.bias = OwnedBuffer(byteCount: outFeatures * 4)
        let target = packed.pointer.assumingMemoryBound(to: Float.self)
        weights.withUnsafeBufferPointer { w in
            bk_pack_nk(w.baseAddress!, Int32(outFeatures), Int32(inFeatures), Int32(inFeatures), target)
        }
        bias.withUnsafeBytes { self.bias.pointer.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
    }

    public func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                      epilogue: Epilogue, pool: ThreadPool) {
        let panels = Int(bk_panel_count(Int32(outFeatures)))
        let small = rows * outFeatures * inFeatures < 1 << 17
        let packed = UnsafePointer(packed.pointer.assumingMemoryBound(to: Float.self))
        let bias = UnsafePointer(bias.pointer.assumingMemoryBound(to: Float.self))
        let (m, n, k, isa) = (Int32(rows), Int32(outFeatures), Int32(inFeatures), isa.rawValue)
        (small ? ThreadPool(count: 1) : pool).forEachChunk(panels) { _, chunk in
            var ep = bk_epilogue(bias: bias, residual: epilogue.residual, ld_residual: n,
                                 activation: epilogue.activation.rawValue)
            bk_gemm_packed(isa, m, n, k, input, k, packed, output, n, &ep, Int32(chunk.lowerBound), Int32(chunk.upperBound))
        }
    }
}
