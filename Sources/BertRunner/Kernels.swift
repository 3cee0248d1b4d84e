import BertKernels

/// Which matrix-multiply path the fp32 runner uses.
public enum Kernels: Sendable, Equatable {
    /// Weights packed once at load time for the BertKernels micro-kernel of this instruction set.
    case packed(KernelISA)
    /// OpenBLAS `cblas_sgemm` on unpacked weights: the portable reference path.
    case blas

    /// The fastest path this CPU runs.
    public static var best: Kernels { .packed(.best) }
}

/// The instruction set a BertKernels call runs with.
public enum KernelISA: Int32, Sendable {
    case portable = 0
    case avx2 = 1

    /// The best one this CPU supports (AVX2+FMA when present).
    public static var best: KernelISA { KernelISA(rawValue: bk_best_isa()) ?? .portable }
}

extension Kernels {
    /// A short name for reports: `avx2`, `portable` or `openblas`.
    public var name: String {
        switch self {
        case .packed(let isa): isa == .avx2 ? "avx2" : "portable"
        case .blas: "openblas"
        }
    }
}
