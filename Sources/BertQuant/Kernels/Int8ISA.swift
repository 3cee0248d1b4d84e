import BertInt8Kernels

/// The instruction set a BertInt8Kernels call runs with.
public enum Int8ISA: Int32, Sendable, CaseIterable {
    /// Plain C: the reference the other paths match bit for bit.
    case portable = 0
    /// vpmaddubsw + vpmaddwd, exact in both activation encodings (no 16-bit saturation).
    case avx2 = 1
    /// vpdpbusd on 256-bit registers; chosen only where the CPU reports AVX512-VNNI + VL.
    case avx512vnni = 2

    /// The best one this CPU supports.
    public static var best: Int8ISA { Int8ISA(rawValue: bi8_best_isa()) ?? .portable }

    /// Whether this CPU can run `self`.
    public var isSupported: Bool { rawValue <= Int8ISA.best.rawValue }
}
