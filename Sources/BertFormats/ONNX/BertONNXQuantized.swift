import BertCore
import Synchronization

/// `--precision int8`: the caller's chosen linear layers (`options.int8Weights`) as INT8 weights
/// (zero point 0, one scale per output channel, ±64) with activations quantized at run time.
///
/// Most inputs take onnxruntime's own dynamic quantization, the graph `quantize_dynamic` writes:
/// `DynamicQuantizeLinear` (u8, one scale and zero point per tensor, shared by Q, K and V) →
/// `MatMulInteger` → `Cast` → `Mul(x_scale · w_scale)`, which onnxruntime fuses into
/// DynamicQuantizeMatMul; `--ort-ops` writes com.microsoft `MatMulIntegerToFloat` directly. The
/// attention context (`perTokenInputs`), whose rows differ in scale, is quantized per token
/// instead: each row is divided by its absmax, a static `QuantizeLinear` (scale 1/127, zero point
/// 128) gives u8 values in [1, 255], and the product is multiplied back by the row's absmax.
///
/// ±64 weights keep onnxruntime's u8 × s8 kernel exact on CPUs without VNNI, which add pairs of
/// products in int16 (`vpmaddubsw`): 2 · 255 · 64 = 32640 < 32767. Weights are stored `[in, out]`
/// under the canonical name as INT8 with zero point `<name>_zero_point` and scales `<name>_scale`.
extension BertONNXGraph {
    /// The zero point of the stored INT8 weights.
    static let weightZeroPoint: Int8 = 0
    /// The per-token activation grid: u8 values `activationZeroPoint ± activationSteps`.
    static let activationSteps: Float = 127
    static let activationZeroPoint: UInt8 = 128
    /// Linear weights whose input is quantized per token: the attention output's (the multiple-choice
    /// fixture's logit cosine is 0.99961 with it per token, 0.99849 with one scale per tensor).
    static let perTokenInputs = [".attention.output.dense.weight"]

    mutating func quantizedProduct(_ x: String, _ name: String) -> String {
        let weight = quantizedWeight(name)
        guard Self.perTokenInputs.contains(where: name.hasSuffix) else {
            let input = builder.shared("DynamicQuantizeLinear", [x], outputs: 3)
            return integerProduct(input[0], weight, inputScale: input[1], inputZeroPoint: input[2])
        }
        let rows = rowNormalization(of: x)
        let step = builder.constant(.scalar(1 / Self.activationSteps, .float))
        let zeroPoint = builder.constant(ONNXConstant(elementType: .uint8, shape: [], bytes: [Self.activationZeroPoint]))
        let quantized = builder.shared("QuantizeLinear", [rows.normalized, step, zeroPoint])[0]
        return builder.op("Mul", [integerProduct(quantized, weight, inputScale: step, inputZeroPoint: zeroPoint), rows.absmax])
    }

    /// The float product of u8 `x` (scale, zero point) and an INT8 weight.
    private mutating func integerProduct(_ x: String, _ weight: (values: String, scales: String, zeroPoint: String),
                                         inputScale: String, inputZeroPoint: String) -> String {
        if options.ortOps {
            return builder.op("MatMulIntegerToFloat",
                              [x, weight.values, inputScale, weight.scales, inputZeroPoint, weight.zeroPoint],
                              domain: Self.microsoft)
        }
        let integers = builder.op("MatMulInteger", [x, weight.values, inputZeroPoint, weight.zeroPoint])
        return builder.op("Mul", [cast(integers, to: .float), builder.op("Mul", [inputScale, weight.scales])])
    }

    /// `x` divided row by row by its largest magnitude (at least the smallest normal float, so a
    /// zero row stays zero), and that `[…, 1]` absmax.
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
