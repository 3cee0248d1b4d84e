import BertCore
import TestSupport
import Testing
@testable import BertFormats

/// The int8 export with a stand-in quantizer (absmax per row, as BertQuant's default): the graph
/// shape (dynamic quantization, the attention context per token, INT8 weights with zero point 0,
/// only the chosen weights), and the reader dequantizing the weights back.
@Suite struct ONNXInt8Tests {
    private let dir = TempDirectory()

    /// Every encoder linear weight of `graph` (what `export-onnx` quantizes by default).
    static func encoderWeights(_ graph: BertModelGraph) -> Set<String> {
        Set(graph.tensors.filter { $0.name.hasPrefix("bert.encoder.") && $0.name.hasSuffix(".weight") && $0.shape.count == 2 }.map(\.name))
    }

    static func options(_ graph: BertModelGraph, ortOps: Bool = false, opset: Int = 17,
                        weights: Set<String>? = nil) -> ONNXExportOptions {
        ONNXExportOptions(opset: opset, precision: .int8, ortOps: ortOps, producerVersion: "test", quantizer: absmaxPerRow,
                          int8Weights: weights ?? encoderWeights(graph))
    }

    static let absmaxPerRow: ONNXWeightQuantizer = { weight in
        let rows = weight.shape[0], cols = weight.shape[1], values = weight.floats()
        var scales: [Float] = []
        var quantized = [Int8](repeating: 0, count: values.count)
        for r in 0..<rows {
            let row = values[(r * cols)..<((r + 1) * cols)]
            let scale = max(row.map(abs).max() ?? 0, .leastNormalMagnitude) / 127
            scales.append(scale)
            for c in 0..<cols { quantized[r * cols + c] = Int8((row[r * cols + c] / scale).rounded()) }
        }
        let tensor = Tensor(dtype: .i8, shape: [rows, cols]) { out in quantized.withUnsafeBytes { out.copyMemory(from: $0) } }
        return (tensor, scales)
    }

    @Test(arguments: [false, true])
    func int8ExportReadsBackDequantized(ortOps: Bool) throws {
        let source = try ONNXFixtures.graph("seq-cls")
        let path = try ONNXFixtures.export(source, to: dir, options: Self.options(source, ortOps: ortOps))
        let file = try ONNXFile(path: path)
        let nodes = file.nodes.map(\.opType)
        let products = nodes.filter { $0 == (ortOps ? "MatMulIntegerToFloat" : "MatMulInteger") }
        #expect(products.count == Self.encoderWeights(source).count)
        // Per layer: one dynamic quantization shared by Q, K and V, one each for the feed-forward
        // Linears, and the attention context quantized per token (one row normalization).
        let layers = source.config.numHiddenLayers
        #expect(nodes.filter { $0 == "DynamicQuantizeLinear" }.count == 3 * layers)
        #expect(nodes.filter { $0 == "ReduceMax" }.count == layers)
        #expect(nodes.filter { $0 == "QuantizeLinear" }.count == layers)
        let perToken = file.nodes.filter { $0.opType == "QuantizeLinear" }.flatMap(\.outputs)
        let perTokenWeights = file.nodes.filter { $0.inputs.first.map(perToken.contains) ?? false }.map { $0.inputs[1] }
        #expect(perTokenWeights == (0..<layers).map { "bert.encoder.layer.\($0).attention.output.dense.weight" })
        let query = try #require(file.initializers.first { $0.name == "bert.encoder.layer.0.attention.self.query.weight" })
        #expect(query.dataType == ONNXElementType.int8.rawValue)
        #expect(file.initializers.contains { $0.name == "bert.encoder.layer.0.attention.self.query.weight_zero_point" })
        let back = try ONNXFixtures.readBack(path)
        #expect(back.tensors.map(\.name) == source.tensors.map(\.name))
        for (original, restored) in zip(source.tensors, back.tensors) {
            let a = try original.load().floats(), b = try restored.load().floats()
            #expect(restored.shape == original.shape)
            if Self.encoderWeights(source).contains(original.name) {
                let limit = (a.map(abs).max() ?? 0) / 127
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= limit }, "\(original.name)")
            } else {
                #expect(a == b, "\(original.name)")
            }
        }
    }

    @Test func onlyTheChosenWeightsAreQuantized() throws {
        let source = try ONNXFixtures.graph("seq-cls")
        let chosen: Set = ["bert.encoder.layer.1.output.dense.weight"]
        let path = try ONNXFixtures.export(source, to: dir, options: Self.options(source, weights: chosen))
        let file = try ONNXFile(path: path)
        #expect(file.nodes.filter { $0.opType == "MatMulInteger" }.count == 1)
        let quantized = file.initializers.filter { $0.dataType == ONNXElementType.int8.rawValue && !$0.shape.isEmpty }
        #expect(quantized.map(\.name) == Array(chosen))
    }

    @Test(arguments: [17, 18])
    func reduceMaxTakesItsAxesAsTheOpsetWants(opset: Int) throws {
        let source = try ONNXFixtures.graph("base")
        let path = try ONNXFixtures.export(source, to: dir, options: Self.options(source, opset: opset))
        let reduce = try #require(try ONNXFile(path: path).nodes.first { $0.opType == "ReduceMax" })
        #expect(reduce.inputs.count == (opset >= 18 ? 2 : 1))
        #expect(reduce.attributes.contains { $0.name == "axes" } == (opset < 18))
    }

    @Test func int8WithoutQuantizerIsUnsupported() throws {
        let source = try ONNXFixtures.graph("base")
        #expect(throws: FormatError.self) {
            try ONNXExporter.model(for: source, options: ONNXExportOptions(precision: .int8, producerVersion: "test"))
        }
    }
}
