import BertCore

/// Why `bertconv build` stopped: a step's own error, or a gate that did not hold.
public enum BuildError: BertConvError {
    /// A step failed on bad input or could not write.
    case step(BuildTarget?, any BertConvError)
    /// Verification ran and an artifact's output was out of tolerance; the failed report is at `report`.
    case gateFailed(target: BuildTarget, output: String, report: String)
    /// The request itself is unusable.
    case invalidRequest(String)

    public var exitCategory: ExitCategory {
        switch self {
        case .step(_, let error): error.exitCategory
        case .gateFailed: .verificationFailed
        case .invalidRequest: .badInput
        }
    }

    public var description: String {
        switch self {
        case .step(_, let error): error.description
        case .gateFailed(let target, let output, let report):
            "\(report): artifact '\(target.rawValue)' failed verification: output '\(output)' out of tolerance"
        case .invalidRequest(let why): why
        }
    }

    public var hint: String? {
        if case .step(_, let error) = self { return error.hint }
        return nil
    }
}
