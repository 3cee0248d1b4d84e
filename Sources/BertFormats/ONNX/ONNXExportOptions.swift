import BertCore

/// Quantizes one canonical linear weight (F32 `[out, in]`) to symmetric int8: the I8 `[out, in]`
/// values and one scale per output channel (`weight ≈ scale[row] · value`).
public typealias ONNXWeightQuantizer = @Sendable (Tensor) -> (values: Tensor, scales: [Float])

/// How `ONNXExporter` builds the graph: opset, precision, fused onnxruntime operators.
public struct ONNXExportOptions: Sendable {
    /// The weight and compute precision of the exported graph.
    public enum Precision: String, Sendable, CaseIterable {
        /// fp32 weights and compute.
        case fp32
        /// fp16 weights and compute; LayerNormalization stashes fp32, masking and softmax run in fp32.
        case fp16
        /// int8 weights of the chosen linear layers with per-token dynamic activation quantization (needs the quantizer).
        case int8
    }

    /// The default-domain opsets bertconv exports.
    public static let supportedOpsets = 17...21
    /// Default-domain opset version.
    public var opset: Int
    public var precision: Precision
    /// Use com.microsoft fused operators (Attention, SkipLayerNormalization, EmbedLayerNormalization, BiasGelu/FastGelu).
    public var ortOps: Bool
    /// The bertconv version recorded as `producer_version`.
    public var producerVersion: String
    /// Extra `metadata_props` (the source's sha256, …), written after bertconv's own.
    public var metadata: [(key: String, value: String)]
    /// The int8 weight quantizer (BertQuant's, passed in by the caller); required for `.int8`.
    public var quantizer: ONNXWeightQuantizer?
    /// The canonical linear weights `.int8` stores as int8 (the caller's choice of units); the
    /// rest stay fp32.
    public var int8Weights: Set<String>

    public init(opset: Int = 17, precision: Precision = .fp32, ortOps: Bool = false,
                producerVersion: String, metadata: [(key: String, value: String)] = [],
                quantizer: ONNXWeightQuantizer? = nil, int8Weights: Set<String> = []) {
        self.quantizer = quantizer
        self.int8Weights = int8Weights
        self.opset = opset
        self.precision = precision
        self.ortOps = ortOps
        self.producerVersion = producerVersion
        self.metadata = metadata
    }

    /// The IR version that goes with `opset` (ONNX's versioning table: opset 17-18 → IR 8, 19-20 → 9, 21 → 10).
    var irVersion: Int {
        switch opset {
        case ...18: 8
        case 19...20: 9
        default: 10
        }
    }
}
