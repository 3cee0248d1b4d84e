import BertCore
import BertQuant

/// What `bertconv quantize --int8` is asked to do.
public struct QuantizeOptions: Sendable {
    public var input: String
    public var output: String
    public var force: Bool
    public var head: BertHead?
    /// Per output channel (default) or per tensor weight scales.
    public var granularity: WeightGranularity
    /// Weight clipping; nil picks MSE-optimal with calibration inputs, absmax without.
    public var clipping: WeightClipping?
    /// Quantize the word embeddings per row too.
    public var int8Embeddings: Bool
    /// Globs of layers kept in fp32.
    public var exclude: [String]
    /// Calibration inputs for the gate: text lines, or a `*.safetensors` inputs file (goldens contract `inputs.*`).
    public var calibration: String?
    /// Static per-tensor activation scales from calibration instead of dynamic per-token ones.
    public var staticActivations: Bool
    /// The accuracy gate against the fp32 model on the calibration inputs.
    public var minCosine: Double?
    public var maxTop1Drop: Double?
    /// The most layers the gate may move to fp32; nil allows a quarter of the quantizable ones.
    public var maxFallbacks: Int?
    /// Sequences of the calibration inputs used per sensitivity pass.
    public var sensitivitySequences: Int
    /// Also write the quantization report here.
    public var report: String?
    public var threads: Int
    public var command: [String]

    public init(input: String, output: String, force: Bool = false, head: BertHead? = nil,
                granularity: WeightGranularity = .channel, clipping: WeightClipping? = nil, int8Embeddings: Bool = true,
                exclude: [String] = [], calibration: String? = nil, staticActivations: Bool = false,
                minCosine: Double? = nil, maxTop1Drop: Double? = nil, maxFallbacks: Int? = nil,
                sensitivitySequences: Int = 64, report: String? = nil, threads: Int = 1, command: [String] = []) {
        self.input = input
        self.output = output
        self.force = force
        self.head = head
        self.granularity = granularity
        self.clipping = clipping
        self.int8Embeddings = int8Embeddings
        self.exclude = exclude
        self.calibration = calibration
        self.staticActivations = staticActivations
        self.minCosine = minCosine
        self.maxTop1Drop = maxTop1Drop
        self.maxFallbacks = maxFallbacks
        self.sensitivitySequences = sensitivitySequences
        self.report = report
        self.threads = threads
        self.command = command
    }

    /// Whether an accuracy gate was asked for.
    public var hasGate: Bool { minCosine != nil || maxTop1Drop != nil }

    /// The clipping in effect.
    public var effectiveClipping: WeightClipping { clipping ?? (calibration == nil ? .absmax : .mse) }
}
