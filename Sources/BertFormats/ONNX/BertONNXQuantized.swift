import BertCore
import Synchronization

/// `--precision int8`: the caller's chosen linear layers (`options.int8Weights`) as 8-bit weights
/// with activations quantized per token, as BertQuant's int8 runner quantizes them.
///
/// Each input row is divided by its absmax (shared by Q, K and V), so it lies in [-1, 1]; a static
/// `QuantizeLinear` (scale 1/63, zero point 64) then gives each row 7-bit u8 values in [1, 127],
/// `MatMulInteger` multiplies them with the INT8 weights (zero point 0), and the product is scaled
/// by `w_scale / 63` and multiplied back by the row's absmax. `--ort-ops` writes the product as
/// com.microsoft `MatMulIntegerToFloat`. 7-bit activations keep onnxruntime's u8 × s8 kernel
/// exact on CPUs without VNNI, which add pairs of products in int16 (`vpmaddubsw`):
/// 2 · 127 · 127 = 32258 < 32767, where full-range u8 activations saturate.
///
/// Weights come from the caller's quantizer (symmetric int8, one scale per output channel) and
/// are stored `[in, out]` under the canonical name as INT8 with zero point 0 (`<name>_zero_point`)
/// and the scales in `<name>_scale`.
extension BertONNXGraph {
    /// The zero point of the stored INT8 weights.
    static let weightZeroPoint: Int8 = 0
    /// The 7-bit activation grid: u8 values `activationZeroPoint ± activationSteps`.
    static let activationSteps: Float = 63
    static let activationZeroPoint: UInt8 = 64

    mutating func quantizedProduct(_ x: String, _ name: String) -> String {
        let weight = quantizedWeight(name)
        let rows = rowNormalization(of: x)
        let step = builder.constant(.scalar(1 / Self.activationSteps, .float))
        let zeroPoint = builder.constant(ONNXConstant(elementType: .uint8, shape: [], bytes: [Self.activationZeroPoint]))
        let quantized = builder.shared("QuantizeLinear", [rows.normalized, step, zeroPoint])[0]
        let product: String
        if options.ortOps {
            product = builder.op("MatMulIntegerToFloat", [quantized, weight.values, step, weight.scales, zeroPoint, weight.zeroPoint],
                                 domain: Self.microsoft)
        } else {
            let integers = builder.op("MatMulInteger", [quantized, weight.values, zeroPoint, weight.zeroPoint])
            let scale = builder.op("Mul", [weight.scales, step])
            product = builder.op("Mul", [cast(integers, to: .float), scale])
        }
        return builder.op("Mul", [product, rows.absmax])
    }

    /// `x` divided row by row by its largest magnitude (at least the smallest normal float, so a
    /// zero row stays zero), and that `[…, 1]` absmax; shared by every product of the same input
    /// (Q, K and V).
    private mutating func rowNormalization(of x: String) -> (normalized: String, absmax: String) {
        let magnitudes = builder.shared("Abs", [x])[0]
        let keep = ONNXAttribute("keepdims", .int(1))
        // opset 18 moved ReduceMax's axes from an attribute to an input.
        let largest = options.opset >= 18
            ? builder.shared("ReduceMax", [magnitudes, builder.ints([-1])], [keep])[0]
            : builder.shared("ReduceMax", [magnitudes], [ONNXAttribute("axes", .ints([-1])), keep])[0]
        let absmax = builder.shared("Max", [largest, builder.constant(.scalar(.leastNormalMagnitude, .float))])[0]
        return (builder.shared("Div", [x, absmax])[0], absmax)
    }

    /// The INT8 `[in, out]` initializer of `name`, its FLOAT `[out]` scales and INT8 zero point.
    private mutating func quantizedWeight(_ name: String) -> (values: String, scales: String, zeroPoint: String) {
        let canonical = graph.tensor(name)!
        let (outputs, inputs) = (canonical.shape[0], canonical.shape[1])
        let quantize = QuantizedWeights(graph: graph, name: name, quantizer: options.quantizer!)
        let values = builder.initializer(ONNXInitializer(
            name: name, elementType: .int8, shape: [inputs, outputs], docString: ONNXExporter.transposedMarker,
            payload: .tensor { () throws(FormatError) in try quantize.values() }))
        let scales = builder.initializer(ONNXInitializer(
            name: name + ONNXExporter.scaleSuffix, elementType: .float, shape: [outputs], docString: nil,
            payload: .tensor { () throws(FormatError) in try quantize.scales() }))
        let zeroPoint = builder.initializer(ONNXInitializer(
            name: name + ONNXExporter.zeroPointSuffix, elementType: .int8, shape: [], docString: nil,
            payload: .constant(ONNXConstant(elementType: .int8, shape: [], bytes: [UInt8(bitPattern: Self.weightZeroPoint)]))))
        return (values, scales, zeroPoint)
    }
}

/// Quantizes one weight once for its two initializers (values, then scales, written in that order).
final class QuantizedWeights: Sendable {
    private let graph: BertModelGraph
    private let name: String
    private let quantizer: ONNXWeightQuantizer
    private let result = Mutex<(values: Tensor, scales: [Float])?>(nil)

    init(graph: BertModelGraph, name: String, quantizer: @escaping ONNXWeightQuantizer) {
        self.graph = graph
        self.name = name
        self.quantizer = quantizer
    }

    /// The INT8 values, transposed to `[in, out]`.
    func values() throws(FormatError) -> Tensor {
        try quantized().values.transposed2D()
    }

    /// The per-output-channel scales; releases the cached values.
    func scales() throws(FormatError) -> Tensor {
        let scales = try quantized().scales
        result.withLock { $0 = nil }
        return Tensor(float32: scales, shape: [scales.count])
    }

    private func quantized() throws(FormatError) -> (values: Tensor, scales: [Float]) {
        if let cached = result.withLock({ $0 }) { return cached }
        let made = quantizer(try graph.load(name)!.converted(to: .f32))
        result.withLock { $0 = made }
        return made
    }
}
