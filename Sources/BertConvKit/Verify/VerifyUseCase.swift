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

    public init(profile: VerifyProfile = .fp32, atol: Double? = nil, rtol: Double? = nil, allPositions: Bool = false,
                threads: Int = 1, head: BertHead? = nil) {
        self.profile = profile
        self.atol = atol
        self.rtol = rtol
        self.allPositions = allPositions
        self.threads = threads
        self.head = head
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
                           kernels: Kernels = .best) throws(UseCaseError) -> VerificationReport {
        let goldens: GoldensFile
        do { goldens = try GoldensFile.read(goldensPath) } catch { throw UseCaseError(error) }
        let head = options.head ?? goldens[metadata: "head"].flatMap(BertHead.init(className:))
        let graph = try ModelLoading.graph(model, head: head)
        let inputs: RunnerInputs, produced: [RunnerOutput]
        let runnerOptions = try Int8Model.runnerOptions(graph, threads: options.threads, kernels: kernels)
        do {
            inputs = try ModelLoading.inputs(goldens, path: goldensPath)
            let runner = try BertRunner(graph: graph, options: runnerOptions)
            produced = try runner.run(inputs)
        } catch {
            throw UseCaseError(error)
        }
        let tolerance = options.profile.tolerance.overriding(atol: options.atol, rtol: options.rtol)
        let mask = PositionMask(shape: inputs.shape, values: inputs.attentionMask)
        let comparisons = goldens.outputs.map { golden in
            let isPerToken = !options.allPositions && perToken(golden.name, head: graph.head)
            return Comparison.compare(
                name: golden.name, actual: produced.first { $0.name == golden.name }?.tensor, expected: golden.tensor,
                mask: isPerToken ? mask : nil, tolerance: tolerance)
        }
        return VerificationReport(
            model: model, goldens: goldensPath, head: graph.head.rawValue, profile: options.profile,
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
