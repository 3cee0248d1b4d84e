import BertCore
import Synchronization

/// `--precision int8`: the caller's chosen linear layers (`options.int8Weights`) as 8-bit weights
/// with dynamic activation quantization per token, as BertQuant's int8 runner computes them.
///
/// onnxruntime's dynamic operators take one activation scale per tensor, so each row is first
/// divided by its absmax; the per-tensor quantization of those rows, laid out as onnxruntime's
/// `quantize_dynamic` does (its optimizer fuses it into DynamicQuantizeMatMul; `--ort-ops` writes
/// that operator directly), then has a row's precision, and the product is scaled back per row.
///
/// Weights come from the caller's quantizer (symmetric int8, one scale per output channel) and
/// are stored `[in, out]` under the canonical name as UINT8 `q + 128` with zero point 128
/// (`<name>_zero_point`) and the scales in `<name>_scale`: the same values, but onnxruntime then
/// multiplies u8 × u8, which is exact, where its u8 × s8 kernel for CPUs without VNNI
/// (`vpmaddubsw`) saturates pairs of products at int16 and loses several bits.
extension BertONNXGraph {
    /// The zero point of the stored UINT8 weights.
    static let weightZeroPoint: UInt8 = 128

    mutating func quantizedProduct(_ x: String, _ name: String) -> String {
        let weight = quantizedWeight(name)
        let rows = rowNormalization(of: x)
        let product: String
        if options.ortOps {
            product = builder.op("DynamicQuantizeMatMul", [rows.normalized, weight.values, weight.scales, weight.zeroPoint],
                                 domain: Self.microsoft)
        } else {
            let quantized = builder.shared("DynamicQuantizeLinear", [rows.normalized], outputs: 3)
            let integers = builder.op("MatMulInteger", [quantized[0], weight.values, quantized[2], weight.zeroPoint])
            let scale = builder.op("Mul", [quantized[1], weight.scales])
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

    /// The UINT8 `[in, out]` initializer of `name`, its FLOAT `[out]` scales and UINT8 zero point.
    private mutating func quantizedWeight(_ name: String) -> (values: String, scales: String, zeroPoint: String) {
        let canonical = graph.tensor(name)!
        let (outputs, inputs) = (canonical.shape[0], canonical.shape[1])
        let quantize = QuantizedWeights(graph: graph, name: name, quantizer: options.quantizer!)
        let values = builder.initializer(ONNXInitializer(
            name: name, elementType: .uint8, shape: [inputs, outputs], docString: ONNXExporter.transposedMarker,
            payload: .tensor { () throws(FormatError) in try quantize.values() }))
        let scales = builder.initializer(ONNXInitializer(
            name: name + ONNXExporter.scaleSuffix, elementType: .float, shape: [outputs], docString: nil,
            payload: .tensor { () throws(FormatError) in try quantize.scales() }))
        let zeroPoint = builder.initializer(ONNXInitializer(
            name: name + ONNXExporter.zeroPointSuffix, elementType: .uint8, shape: [], docString: nil,
            payload: .constant(ONNXConstant(elementType: .uint8, shape: [], bytes: [Self.weightZeroPoint]))))
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

    /// The values as UINT8 `q + 128` bytes (in an I8 tensor), transposed to `[in, out]`.
    func values() throws(FormatError) -> Tensor {
        let signed = try quantized().values.transposed2D()
        return signed.withUnsafeBytes { q in
            Tensor(dtype: .i8, shape: signed.shape) { out in
                // q + 128 for q in [-127, 127]: flipping the sign bit of the two's complement byte.
                for i in 0..<q.count { out[i] = q[i] ^ 0x80 }
            }
        }
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
