import BertCore
import BertFormats
import BertRunner

/// What `bertconv verify` checks and how strictly.
public struct VerifyOptions: Sendable {
    public var profile: VerifyProfile
    /// Overrides of the profile's element tolerance.
    public var atol: Double?
    public var rtol: Double?
    /// Compare padding positions of per-token outputs too.
    public var allPositions: Bool
    public var threads: Int
    /// The head to build; nil takes the goldens' `head`, else detection.
    public var head: BertHead?
    /// Replaces the fp32 linear layers (e.g. the quantizer's int8 layers, with `profile: .int8`).
    public var linearBuilder: (any LinearBuilder)?

    public init(profile: VerifyProfile = .fp32, atol: Double? = nil, rtol: Double? = nil, allPositions: Bool = false,
                threads: Int = 1, head: BertHead? = nil, linearBuilder: (any LinearBuilder)? = nil) {
        self.profile = profile
        self.atol = atol
        self.rtol = rtol
        self.allPositions = allPositions
        self.threads = threads
        self.head = head
        self.linearBuilder = linearBuilder
    }
}

/// The outcome of `verify`: one comparison per golden output.
public struct VerificationReport: Sendable, Codable, Equatable {
    public var model: String
    public var goldens: String
    public var head: String
    public var profile: VerifyProfile
    public var allPositions: Bool
    public var outputs: [OutputComparison]
    /// Whether every output passed.
    public var passed: Bool
}

/// `verify`: runs the goldens' inputs through the built-in runner and compares every golden output.
public enum VerifyUseCase {
    /// The report; bad input (unreadable files, inputs that do not fit the model) throws.
    public static func run(model: String, goldens goldensPath: String, options: VerifyOptions,
                           kernels: Kernels = .best) throws(RunnerUseCaseError) -> VerificationReport {
        let pass = try ForwardPass.run(model: model, inputs: goldensPath, head: options.head, threads: options.threads,
                                       kernels: kernels, linearBuilder: options.linearBuilder)
        let tolerance = options.profile.tolerance.overriding(atol: options.atol, rtol: options.rtol)
        let mask = PositionMask(shape: pass.inputs.shape, values: pass.inputs.attentionMask)
        let comparisons = pass.goldens.outputs.map { golden in
            let isPerToken = !options.allPositions && perToken(golden.name, head: pass.graph.head)
            return Comparison.compare(
                name: golden.name, actual: pass.outputs.first { $0.name == golden.name }?.tensor, expected: golden.tensor,
                mask: isPerToken ? mask : nil, tolerance: tolerance)
        }
        return VerificationReport(
            model: model, goldens: goldensPath, head: pass.graph.head.rawValue, profile: options.profile,
            allPositions: options.allPositions, outputs: comparisons, passed: comparisons.allSatisfy(\.passed))
    }

    /// Whether HF's output `name` has one entry per token for `head`.
    static func perToken(_ name: String, head: BertHead) -> Bool {
        switch name {
        case "last_hidden_state", "prediction_logits", "start_logits", "end_logits": true
        case "logits": head == .maskedLM || head == .causalLM || head == .tokenClassification
        default: false
        }
    }
}
