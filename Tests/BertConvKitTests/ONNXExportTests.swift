import BertConvKit
import BertCore
import TestSupport
import Testing

/// `export-onnx --precision int8`: which layers are int8 (BertQuant's units, heads kept fp32,
/// `--exclude`), what the manifest records, and that the weights read back pass the int8 profile.
@Suite struct ONNXExportTests {
    private let dir = TempDirectory()

    private func export(_ fixture: String, exclude: [String] = []) throws -> (ONNXExportSummary, [String: String]) {
        let summary = try ONNXExport.run(ONNXExportRequest(
            input: Fixtures.path("\(fixture)/hf"), output: dir.path + "/\(fixture).onnx", precision: .int8, exclude: exclude))
        let manifest = try FileBytes.json(summary.output + ".manifest.json")
        var dtypes: [String: String] = [:]
        for tensor in manifest["tensors"]?.arrayValue ?? [] {
            dtypes[tensor["canonical"]?.stringValue ?? ""] = tensor["dtype"]?.stringValue
        }
        return (summary, dtypes)
    }

    @Test func encoderLinearsAreInt8AndHeadsStayFP32() throws {
        let (_, dtypes) = try export("masked-lm")
        #expect(dtypes["bert.encoder.layer.0.attention.self.query.weight"] == "I8")
        #expect(dtypes["bert.encoder.layer.1.output.dense.weight"] == "I8")
        #expect(dtypes["bert.encoder.layer.1.output.dense.bias"] == "F32")
        #expect(dtypes["cls.predictions.transform.dense.weight"] == "F32")
        #expect(dtypes["bert.embeddings.word_embeddings.weight"] == "F32")
    }

    @Test func excludedUnitsStayFP32() throws {
        let (_, dtypes) = try export("seq-cls", exclude: ["bert.encoder.layer.0.*"])
        #expect(dtypes["bert.encoder.layer.0.attention.self.key.weight"] == "F32")
        #expect(dtypes["bert.encoder.layer.0.intermediate.dense.weight"] == "F32")
        #expect(dtypes["bert.encoder.layer.1.intermediate.dense.weight"] == "I8")
        #expect(dtypes["bert.pooler.dense.weight"] == "F32")
    }

    // The export's weights, dequantized by the ONNX reader and run in fp32 by the runner.
    @Test(arguments: ["masked-lm", "causal-lm", "qa"])
    func weightsReadBackPassTheInt8Profile(fixture: String) throws {
        let (summary, _) = try export(fixture)
        let report = try VerifyUseCase.run(model: summary.output, goldens: Fixtures.path("\(fixture)/goldens.safetensors"),
                                           options: VerifyOptions(profile: .int8, threads: 2))
        #expect(report.passed, "\(report.outputs.compactMap(\.failure))")
    }
}
