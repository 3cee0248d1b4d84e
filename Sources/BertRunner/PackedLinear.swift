import BertCore
import BertKernels

/// An fp32 linear layer whose weights were packed once into 16-column panels; the bias,
/// activation and residual run in the GEMM's epilogue. Threads split the output panels, or for
/// many rows (batches) blocks of rows.
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
        let panels = Int32(bk_panel_count(Int32(outFeatures)))
        let small = rows * outFeatures * inFeatures < 1 << 17
        let packed = UnsafePointer(packed.pointer.assumingMemoryBound(to: Float.self))
        let bias = UnsafePointer(bias.pointer.assumingMemoryBound(to: Float.self))
        let (n, k, isa) = (outFeatures, inFeatures, isa.rawValue)
        func multiply(rows range: Range<Int>, panels: Range<Int>) {
            var ep = bk_epilogue(bias: bias, residual: epilogue.residual.map { $0 + range.lowerBound * n },
                                 ld_residual: Int32(n), activation: epilogue.activation.rawValue)
            bk_gemm_packed(isa, Int32(range.count), Int32(n), Int32(k), input + range.lowerBound * k, Int32(k), packed,
                           output + range.lowerBound * n, Int32(n), &ep, Int32(panels.lowerBound), Int32(panels.upperBound))
        }
        if small || rows < Self.rowBlock * 2 * pool.count {
            // Threads split the columns; each packs every row of the input.
            (small ? ThreadPool(count: 1) : pool).forEachChunk(Int(panels)) { _, chunk in
                multiply(rows: 0..<rows, panels: chunk)
            }
        } else {
            // Many rows: threads take blocks of rows, so no two pack the same input rows.
            let blocks = (rows + Self.rowBlock - 1) / Self.rowBlock
            pool.forEachChunk(blocks, chunksPerWorker: blocks) { _, chunk in
                multiply(rows: chunk.lowerBound * Self.rowBlock..<min(chunk.upperBound * Self.rowBlock, rows),
                         panels: 0..<Int(panels))
            }
        }
    }

    /// Rows per chunk when threads split the rows (one row block of the GEMM, at most its MC).
    static let rowBlock = 256
}
