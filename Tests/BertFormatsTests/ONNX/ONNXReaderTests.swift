import BertCore
import BertNameMaps
import TestSupport
import Testing
@testable import BertFormats

@Suite struct ONNXReaderTests {
    private let dir = TempDirectory()

    private func read(_ bytes: [UInt8]) throws(FormatError) -> ModelSource {
        try ONNXReader.read(dir.write("m.onnx", bytes))
    }

    private func expectError(_ bytes: [UInt8], _ check: (FormatError) -> Bool) {
        #expect {
            try read(bytes)
        } throws: { error in
            check(error as! FormatError)
        }
    }

    @Test func modelWithoutGraph() {
        expectError(ONNXBytes.int(1, 8)) { $0.kind == .malformed("not an ONNX model: no graph") }
    }

    @Test func lengthPastTheEnd() {
        expectError(ONNXBytes.int(1, 8) + [0x3A, 100, 1, 2, 3]) {
            $0.kind == .truncated(neededBytes: 100, remainingBytes: 3) && $0.byteOffset == 4
        }
    }

    @Test func overlongVarintAndUnknownWireType() {
        expectError([UInt8](repeating: 0xFF, count: 11)) { $0.kind == .malformed("protobuf varint longer than 10 bytes") }
        expectError([0x0B]) { $0.kind == .malformed("unsupported protobuf wire type 3") && $0.byteOffset == 0 }
    }

    @Test func rawDataShorterThanShape() {
        let tensor = ONNXBytes.tensor("bert.embeddings.LayerNorm.weight", dims: [4], raw: ONNXBytes.floats(3))
        expectError(ONNXBytes.model(initializers: [tensor])) {
            $0.kind == .sizeMismatch(expectedBytes: 16, actualBytes: 12) && $0.tensor == "bert.embeddings.LayerNorm.weight"
                && $0.byteOffset != nil
        }
    }

    @Test func externalDataLeavingTheFolder() {
        let external = ONNXBytes.field(13, ONNXBytes.field(1, "location") + ONNXBytes.field(2, "../w.bin")) + ONNXBytes.int(14, 1)
        let tensor = ONNXBytes.int(1, 2) + ONNXBytes.int(2, 1) + ONNXBytes.field(8, "classifier.bias") + external
        expectError(ONNXBytes.model(initializers: [tensor])) { $0.kind == .pathEscapes("../w.bin") }
    }

    @Test func externalDataPastItsFile() {
        dir.write("w.bin", ONNXBytes.floats(1))
        let entries = [("location", "w.bin"), ("offset", "0"), ("length", "8")]
        let external = entries.flatMap { ONNXBytes.field(13, ONNXBytes.field(1, $0.0) + ONNXBytes.field(2, $0.1)) } + ONNXBytes.int(14, 1)
        let tensor = ONNXBytes.int(1, 2) + ONNXBytes.int(2, 1) + ONNXBytes.field(8, "classifier.bias") + external
        expectError(ONNXBytes.model(initializers: [tensor])) {
            $0.kind == .outOfBounds(end: 8, limit: 4) && $0.tensor == "classifier.bias" && $0.path.hasSuffix("w.bin")
        }
    }

    @Test func nodeWithSubgraphIsRefused() {
        let attribute = ONNXBytes.field(1, "then_branch") + ONNXBytes.field(6, ONNXBytes.field(2, "g"))
        expectError(ONNXBytes.model(nodes: [ONNXBytes.node("If", inputs: ["c"], outputs: ["y"], attributes: [attribute])])) {
            $0.kind == .unsupported("a node with a subgraph attribute (If/Loop/Scan)")
        }
    }

    @Test func anonymousMatMulWeightIsNamedAfterItsBias() throws {
        // torch.onnx.export folds `weight.T` into an initializer named `onnx::MatMul_7`, shape [in, out].
        let weight = ONNXBytes.tensor("onnx::MatMul_7", dims: [3, 2], raw: ONNXBytes.floats(6))
        let bias = ONNXBytes.tensor("classifier.bias", dims: [2], raw: ONNXBytes.floats(2))
        let scale = ONNXBytes.tensor("onnx::Div_9", dims: [1], raw: ONNXBytes.floats(1))
        let nodes = [ONNXBytes.node("MatMul", inputs: ["x", "onnx::MatMul_7"], outputs: ["p"]),
                     ONNXBytes.node("Add", inputs: ["classifier.bias", "p"], outputs: ["y"])]
        let source = try read(ONNXBytes.model(nodes: nodes, initializers: [weight, bias, scale]))
        #expect(source.tensors.map(\.name) == ["classifier.bias", "classifier.weight"])
        #expect(source.tensors[1].shape == [2, 3])
    }

    @Test func gemmWithTransBKeepsOrientation() throws {
        let weight = ONNXBytes.tensor("qa_outputs.weight", dims: [2, 3], raw: ONNXBytes.floats(6))
        let transB = ONNXBytes.field(1, "transB") + ONNXBytes.int(20, 2) + ONNXBytes.int(3, 1)
        let nodes = [ONNXBytes.node("Gemm", inputs: ["x", "qa_outputs.weight", "qa_outputs.bias"], outputs: ["y"], attributes: [transB])]
        let source = try read(ONNXBytes.model(nodes: nodes, initializers: [weight]))
        #expect(source.tensors.map(\.shape) == [[2, 3]])
    }

    /// `MatMulInteger(x, W, x_zero, W_zero)`, Cast, Mul by `x_scale · W_scale`: a UINT8 weight
    /// `[3, 2]` (in, out) with zero point `zero` and scales 0.5, 2 per output column.
    private func unsignedProduct(zero: [UInt8], zeroType: Int = 2) -> [UInt8] {
        let weight = ONNXBytes.tensor("classifier.weight", dims: [3, 2], raw: [128, 129, 127, 130, 255, 1], dataType: 2)
        let scale = ONNXBytes.tensor("classifier.weight_scale", dims: [2], raw: [0.5, 2].flatMap { (f: Float) in
            withUnsafeBytes(of: f.bitPattern.littleEndian, Array.init) })
        let zeroPoint = ONNXBytes.tensor("classifier.weight_zero_point", dims: zero.count == 1 ? [] : [zero.count], raw: zero, dataType: zeroType)
        let nodes = [
            ONNXBytes.node("MatMulInteger", inputs: ["xq", "classifier.weight", "xz", "classifier.weight_zero_point"], outputs: ["i"]),
            ONNXBytes.node("Cast", inputs: ["i"], outputs: ["f"]),
            ONNXBytes.node("Mul", inputs: ["xs", "classifier.weight_scale"], outputs: ["s"]),
            ONNXBytes.node("Mul", inputs: ["f", "s"], outputs: ["y"]),
        ]
        return ONNXBytes.model(nodes: nodes, initializers: [weight, scale, zeroPoint])
    }

    @Test(arguments: [[UInt8(128)], [128, 128]])
    func unsignedWeightWithZeroPointIsDequantized(zero: [UInt8]) throws {
        let source = try read(unsignedProduct(zero: zero))
        #expect(source.tensors.map(\.name) == ["classifier.weight"])
        let weight = try source.tensors[0].load()
        // (q - 128) · scale[column], in the stored orientation (no transposed marker).
        #expect(weight.dtype == .f32 && weight.shape == [3, 2])
        #expect(weight.floats() == [0, 2, -0.5, 4, 63.5, -254])
    }

    @Test func zeroPointOfAnotherTypeIsRefused() {
        expectError(unsignedProduct(zero: [0], zeroType: 3)) {
            $0.tensor == "classifier.weight" && $0.byteOffset != nil
                && $0.kind == .malformed("zero point 'classifier.weight_zero_point' is not an initializer of the weight's type with one element or one per scale")
        }
    }

    @Test func graphThatIsNotBertFailsTheNameMap() throws {
        let conv = ONNXBytes.tensor("conv1.weight", dims: [2, 1, 1, 1], raw: ONNXBytes.floats(2))
        let source = try read(ONNXBytes.model(initializers: [conv]))
        #expect(throws: GraphError.self) { try GraphBuilder.build(source, map: NameMaps.load(source.nameMap)) }
    }
}
