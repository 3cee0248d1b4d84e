import BertCore
import Synchronization

/// `--precision int8`: dynamic quantization of the encoder's linear layers, as onnxruntime's
/// `quantize_dynamic` lays it out, so its optimizer turns each into MatMulIntegerToFloat /
/// DynamicQuantizeMatMul; with `--ort-ops` the com.microsoft DynamicQuantizeMatMul is written
/// directly. Weights come from the caller's quantizer (symmetric int8, one scale per output
/// channel), stored `[in, out]` under the canonical name with the scales in `<name>_scale`.
/// Embeddings, LayerNorms, pooler and heads stay fp32.
extension BertONNXGraph {
    /// Whether the int8 export quantizes the linear weight `name`.
    static func isQuantized(_ name: String) -> Bool { name.hasPrefix("bert.encoder.layer.") }

    mutating func quantizedProduct(_ x: String, _ name: String) -> String {
        let (values, scales) = quantizedWeight(name)
        if options.ortOps {
            return builder.op("DynamicQuantizeMatMul", [x, values, scales], domain: Self.microsoft)
        }
        let quantized = dynamicQuantization(of: x)
        let product = builder.op("MatMulInteger", [quantized.values, values, quantized.zeroPoint])
        let scale = builder.op("Mul", [quantized.scale, scales])
        return builder.op("Mul", [cast(product, to: .float), scale])
    }

    /// `DynamicQuantizeLinear(x)`, shared by every product of the same input (Q, K and V).
    private mutating func dynamicQuantization(of x: String) -> (values: String, scale: String, zeroPoint: String) {
        let outputs = builder.shared("DynamicQuantizeLinear", [x], outputs: 3)
        return (outputs[0], outputs[1], outputs[2])
    }

    /// The int8 `[in, out]` initializer of `name` and its FLOAT `[out]` scales.
    private mutating func quantizedWeight(_ name: String) -> (values: String, scales: String) {
        let canonical = graph.tensor(name)!
        let (outputs, inputs) = (canonical.shape[0], canonical.shape[1])
        let quantize = QuantizedWeights(graph: graph, name: name, quantizer: options.quantizer!)
        let values = builder.initializer(ONNXInitializer(
            name: name, elementType: .int8, shape: [inputs, outputs], docString: ONNXExporter.transposedMarker,
            payload: .tensor { () throws(FormatError) in try quantize.values() }))
        let scales = builder.initializer(ONNXInitializer(
            name: name + ONNXExporter.scaleSuffix, elementType: .float, shape: [outputs], docString: nil,
            payload: .tensor { () throws(FormatError) in try quantize.scales() }))
        return (values, scales)
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

    /// The int8 values, transposed to `[in, out]`.
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
