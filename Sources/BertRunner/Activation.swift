import BertKernels

/// An elementwise activation the runner applies, by its kernel code.
public enum Activation: Int32, Sendable {
    case identity = 0
    /// `gelu`: 0.5·x·(1 + erf(x/√2)).
    case geluErf = 1
    /// `gelu_new`, `gelu_fast`, `gelu_pytorch_tanh`: the tanh approximation (one formula, three names in HF).
    case geluTanh = 2
    case relu = 3
    /// `silu` / `swish`: x·sigmoid(x).
    case silu = 4
    case tanh = 5

    /// The activation HF's `ACT2FN[name]` computes, or nil for a name the runner lacks.
    public init?(hiddenAct name: String) {
        switch name {
        case "gelu": self = .geluErf
        case "gelu_new", "gelu_fast", "gelu_pytorch_tanh": self = .geluTanh
        case "relu": self = .relu
        case "silu", "swish": self = .silu
        default: return nil
        }
    }
}
