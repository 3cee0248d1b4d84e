import BertCore
import BertQuant

/// What `quantize` decided and measured: per layer the weight SQNR, the calibrated input range,
/// the sensitivity (end-to-end cosine with only that layer in int8) and the chosen precision; the
/// gate; the final end-to-end figures. Written with `--report` and into the manifest.
public struct QuantizationReport: Sendable {
    /// One quantizable weight.
    public struct Layer: Sendable {
        public var weight: String
        public var unit: String
        public var shape: [Int]
        public var sqnrDecibels: Double
        /// The largest input magnitude seen in calibration (nil without calibration, and for embeddings).
        public var activationAbsmax: Float?
        public var sensitivityCosine: Double?
        public var int8: Bool
        /// Bits of the input quantization the int8 runner uses (ActivationBits); nil for the embeddings.
        public var activationBits: Int?
        /// Why the layer stayed fp32: `excluded` (--exclude) or `accuracy gate`.
        public var fp32Reason: String?
    }

    public var granularity: WeightGranularity
    public var clipping: WeightClipping
    public var staticActivations: Bool
    public var int8Embeddings: Bool
    public var calibration: String?
    public var calibrationSequences: Int
    public var minCosine: Double?
    public var maxTop1Drop: Double?
    public var gatePassed: Bool?
    public var layers: [Layer]
    /// End-to-end figures of the model as written (nil without calibration inputs).
    public var endToEnd: AccuracyFigures?
    public var fp32Bytes: Int
    public var int8Bytes: Int

    /// Layer names kept in fp32 by the gate, most sensitive first.
    public var fallbacks: [String] { Array(Set(layers.filter { $0.fp32Reason == Self.gateReason }.map(\.unit))).sorted() }

    static let gateReason = "accuracy gate"

    public var json: JSONValue {
        func number(_ value: Double?) -> JSONValue {
            guard let value, value.isFinite else { return .null }
            return .double((value * 1e6).rounded() / 1e6)
        }
        var gate: [(key: String, value: JSONValue)] = [
            ("min_cosine", number(minCosine)), ("max_top1_drop", number(maxTop1Drop)),
        ]
        gate.append(("passed", gatePassed.map { .bool($0) } ?? .null))
        gate.append(("fp32_fallbacks", .array(fallbacks.map { .string($0) })))
        return .object([
            ("scheme", .object([
                ("weights", .string("int8 symmetric per \(granularity.rawValue)")),
                ("clipping", .string(clipping.rawValue)),
                ("activations", .string(staticActivations ? "int8 static per tensor" : "int8 dynamic per token")),
                ("embeddings", .string(int8Embeddings ? "int8 per row" : "fp32")),
            ])),
            ("calibration", .object([
                ("inputs", calibration.map { .string($0) } ?? .null), ("sequences", .int(calibrationSequences)),
            ])),
            ("gate", .object(gate)),
            ("layers", .array(layers.map { layer in
                .object([
                    ("weight", .string(layer.weight)), ("unit", .string(layer.unit)),
                    ("shape", .array(layer.shape.map { .int($0) })),
                    ("precision", .string(layer.int8 ? "int8" : "fp32")),
                    ("activation_bits", layer.int8 ? layer.activationBits.map { .int($0) } ?? .null : .null),
                    ("fp32_reason", layer.fp32Reason.map { .string($0) } ?? .null),
                    ("weight_sqnr_db", number(layer.sqnrDecibels)),
                    ("activation_absmax", number(layer.activationAbsmax.map(Double.init))),
                    ("sensitivity_cosine", number(layer.sensitivityCosine)),
                ])
            })),
            ("end_to_end", endToEnd.map { figures in
                .object([
                    ("cosine_mean", number(figures.cosineMean)), ("cosine_min", number(figures.cosineMin)),
                    ("top1_agreement", number(figures.top1Agreement)),
                    ("outputs", .array(figures.outputs.map { output in
                        .object([("name", .string(output.name)), ("cosine_mean", number(output.cosineMean)),
                                 ("cosine_min", number(output.cosineMin)), ("top1_agreement", number(output.top1Agreement))])
                    })),
                ])
            } ?? .null),
            ("bytes", .object([("fp32", .int(fp32Bytes)), ("int8", .int(int8Bytes))])),
        ])
    }
}

/// The gate could not be met by any allowed mix of int8 and fp32 layers (exit 1).
public struct QuantizationGateError: BertConvError {
    public let output: String
    /// The best figures reached and how many layers were in fp32 then.
    public let best: AccuracyFigures
    public let fallbacks: Int
    public let minCosine: Double?
    public let maxTop1Drop: Double?

    public var exitCategory: ExitCategory { .verificationFailed }

    public var description: String {
        var wanted: [String] = []
        if let minCosine { wanted.append("mean cosine ≥ \(minCosine)") }
        if let maxTop1Drop { wanted.append("top-1 drop ≤ \(maxTop1Drop)") }
        let top1 = best.top1Agreement.map { ", top-1 agreement \($0)" } ?? ""
        return "\(output): accuracy gate not reached (\(wanted.joined(separator: ", "))): best mean cosine "
            + "\(best.cosineMean), min \(best.cosineMin)\(top1) with \(fallbacks) layer(s) in fp32"
    }

    public var hint: String? { "hint: raise --max-fallbacks, lower the threshold, or pass --embeddings fp32" }
}
