import BertCore
import TestSupport
import Testing
@testable import BertFormats

/// The int8 export with a stand-in quantizer (absmax per row, as BertQuant's default): the graph
/// shape, and the reader dequantizing the int8 weights back.
@Suite struct ONNXInt8Tests {
    private let dir = TempDirectory()

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
        let options = ONNXExportOptions(precision: .int8, ortOps: ortOps, producerVersion: "test", quantizer: Self.absmaxPerRow)
        let path = try ONNXFixtures.export(source, to: dir, options: options)
        let nodes = try ONNXFile(path: path).nodes.map(\.opType)
        #expect(nodes.contains(ortOps ? "DynamicQuantizeMatMul" : "MatMulInteger"))
        let back = try ONNXFixtures.readBack(path)
        #expect(back.tensors.map(\.name) == source.tensors.map(\.name))
        for (original, restored) in zip(source.tensors, back.tensors) {
            let a = try original.load().floats(), b = try restored.load().floats()
            #expect(restored.shape == original.shape)
            if BertONNXGraph.isQuantized(original.name) && original.shape.count == 2 {
                let limit = (a.map(abs).max() ?? 0) / 127
                #expect(zip(a, b).allSatisfy { abs($0 - $1) <= limit }, "\(original.name)")
            } else {
                #expect(a == b, "\(original.name)")
            }
        }
    }

    @Test func int8WithoutQuantizerIsUnsupported() throws {
        let source = try ONNXFixtures.graph("base")
        #expect(throws: FormatError.self) {
            try ONNXExporter.model(for: source, options: ONNXExportOptions(precision: .int8, producerVersion: "test"))
        }
    }
}
