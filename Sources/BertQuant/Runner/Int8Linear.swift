import BertCore
import BertInt8Kernels
import BertKernels
import BertRunner
import Synchronization

/// A Linear layer in int8: each call quantizes its input rows (7 or 8 bits) in its weights'
/// encoding (per token from each row's range, or with a calibrated static scale), multiplies with
/// the packed int8 weights in int32 and requantizes with bias (and residual) fused; an activation
/// runs as a separate epilogue.
public final class Int8Linear: Linear {
    public let weights: PackedInt8Weights
    /// The calibrated activation scale, or nil for dynamic per-token scales.
    public let staticScale: Float?
    let isa: Int8ISA
    let epilogueISA: KernelISA
    private let scratch = Mutex<OwnedBuffer?>(nil)

    public init(weights: PackedInt8Weights, staticScale: Float? = nil, isa: Int8ISA = .best) {
        self.weights = weights
        self.staticScale = staticScale
        self.isa = isa
        epilogueISA = isa == .portable ? .portable : .best
    }

    public var inFeatures: Int { weights.inFeatures }
    public var outFeatures: Int { weights.outFeatures }

    public func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
                      epilogue: Epilogue, pool: ThreadPool) {
        let ldq = weights.paddedDepth
        let scalesOffset = (rows * ldq + 63) / 64 * 64
        let needed = scalesOffset + rows * 8
        let taken = scratch.withLock { cached in
            defer { cached = nil }
            return cached
        }
        let buffer = taken.flatMap { $0.byteCount >= needed ? $0 : nil } ?? OwnedBuffer(byteCount: needed)
        // SAFETY: the buffer holds rows × ldq quantized bytes, then (64-byte aligned) rows scales
        // and rows zero points.
        let q = buffer.pointer.assumingMemoryBound(to: UInt8.self)
        let scales = (buffer.pointer + scalesOffset).assumingMemoryBound(to: Float.self)
        let zeroPoints = (buffer.pointer + scalesOffset + rows * 4).assumingMemoryBound(to: Int32.self)
        let (k, isa, staticScale, encoding) = (inFeatures, isa, staticScale, weights.encoding)
        let small = rows * outFeatures * inFeatures < 1 << 17
        let workers = small ? ThreadPool(count: 1) : pool
        workers.forEachChunk(rows) { _, chunk in
            Int8GEMM.quantizeRows(isa, encoding, input, ldx: k, k: k, staticScale: staticScale, into: q, ldq: ldq,
                                  scales: scales, zeroPoints: zeroPoints, rows: chunk)
        }
        let fusedResidual = epilogue.activation == .identity ? epilogue.residual : nil
        let n = outFeatures
        workers.forEachChunk(weights.panelCount) { _, panels in
            Int8GEMM.multiply(isa, rows: rows, q, ldq: ldq, scales: scales, zeroPoints: zeroPoints, weights,
                              residual: fusedResidual,
                              ldResidual: n, into: output, ldc: n, panels: panels)
            guard epilogue.activation != .identity else { return }
            let panel = Int(BI8_PANEL_WIDTH)
            let first = panels.lowerBound * panel, width = min(panels.upperBound * panel, n) - first
            var ep = bk_epilogue(bias: nil, residual: epilogue.residual.map { $0 + first }, ld_residual: Int32(n),
                                 activation: epilogue.activation.rawValue)
            bk_epilogue_apply(epilogueISA.rawValue, output + first, Int32(rows), Int32(width), Int32(n), &ep)
        }
        scratch.withLock { $0 = buffer }
    }
}
