/// The precision a verification expects, with DESIGN.md's defaults per profile.
public enum VerifyProfile: String, Sendable, Codable, CaseIterable {
    case fp32, fp16, bf16, int8

    /// The profile's default thresholds.
    public var tolerance: Tolerance {
        switch self {
        case .fp32: Tolerance(atol: 1e-4, rtol: 1e-4)
        case .fp16: Tolerance(atol: 1e-2, rtol: 1e-2, cosineMean: 0.9999, top1: 0.999)
        case .bf16: Tolerance(atol: 5e-2, rtol: 2e-2, cosineMean: 0.999, top1: 0.995)
        case .int8: Tolerance(cosineMean: 0.99, cosineMin: 0.95, top1: 0.99)
        }
    }
}

/// What an output must satisfy; a nil threshold is not tested.
public struct Tolerance: Sendable, Codable, Equatable {
    /// Element test `|a − b| ≤ atol + rtol·|b|` (both nil: no element test).
    public var atol: Double?
    public var rtol: Double?
    /// Lower bounds on the per-row cosine similarity.
    public var cosineMean: Double?
    public var cosineMin: Double?
    /// Lower bound on the fraction of rows whose argmax agrees (logits only).
    public var top1: Double?

    public init(atol: Double? = nil, rtol: Double? = nil, cosineMean: Double? = nil, cosineMin: Double? = nil,
                top1: Double? = nil) {
        self.atol = atol
        self.rtol = rtol
        self.cosineMean = cosineMean
        self.cosineMin = cosineMin
        self.top1 = top1
    }

    /// This tolerance with `--atol` / `--rtol` overrides; setting one enables the element test
    /// with 0 for the other.
    public func overriding(atol: Double?, rtol: Double?) -> Tolerance {
        guard atol != nil || rtol != nil else { return self }
        var copy = self
        copy.atol = atol ?? self.atol ?? 0
        copy.rtol = rtol ?? self.rtol ?? 0
        return copy
    }
}
