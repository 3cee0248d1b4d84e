import BertConvKit
import BertCore
import BertFormats
import Foundation
import TestSupport
import Testing

/// `verify` end to end on the goldens fixtures: passing, an edited golden, inputs that do not fit.
@Suite struct VerifyUseCaseTests {
    static let fixtures = Fixtures.root
    private let dir = TempDirectory()
    static let heads = ["base", "base-nopool", "pretraining", "masked-lm", "causal-lm", "next-sentence", "seq-cls",
                        "seq-cls-regression", "token-cls", "qa", "multiple-choice"]

    @Test(arguments: heads)
    func everyFixturePasses(fixture: String) throws {
        let report = try VerifyUseCase.run(model: Self.fixtures + "/\(fixture)/hf",
                                           goldens: Self.fixtures + "/\(fixture)/goldens.safetensors",
                                           options: VerifyOptions(threads: 2))
        #expect(report.passed, "\(report.outputs.compactMap(\.failure))")
        #expect(report.outputs.allSatisfy { $0.maxAbsError <= 1e-4 })
    }

    @Test func anEditedGoldenFailsAndNamesTheOutput() throws {
        let path = try edited("qa", tensor: "outputs.end_logits", element: 1) { bytes, offset in
            let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Float.self) }
            withUnsafeBytes(of: value + 1e-3) { bytes.replaceSubrange(offset..<offset + 4, with: $0) }
        }
        let report = try VerifyUseCase.run(model: Self.fixtures + "/qa/hf", goldens: path, options: VerifyOptions())
        #expect(!report.passed)
        #expect(report.outputs.filter { !$0.passed }.map(\.name) == ["end_logits"])
        #expect(report.outputs.first { $0.name == "end_logits" }?.worstIndex == [0, 1])
    }

    @Test func tokenIdBeyondVocabIsBadInput() throws {
        let path = try edited("base", tensor: "inputs.input_ids", element: 4) { bytes, offset in
            withUnsafeBytes(of: Int64(500).littleEndian) { bytes.replaceSubrange(offset..<offset + 8, with: $0) }
        }
        let error = #expect(throws: RunnerUseCaseError.self) {
            try VerifyUseCase.run(model: Self.fixtures + "/base/hf", goldens: path, options: VerifyOptions())
        }
        #expect(error?.exitCategory == .badInput)
        #expect(error?.description == "\(path): input 'input_ids' at [0, 4] is 500, outside the model's range 0..<128")
    }

    @Test func goldensOfAnotherShapeAreBadInput() {
        let error = #expect(throws: RunnerUseCaseError.self) {
            try VerifyUseCase.run(model: Self.fixtures + "/multiple-choice/hf",
                                  goldens: Self.fixtures + "/seq-cls/goldens.safetensors", options: VerifyOptions(head: .multipleChoice))
        }
        #expect(error?.exitCategory == .badInput)
        #expect(error?.description.contains("expected [batch, choices, seq]") == true)
    }

    @Test func recordedGoldensVerifyExactly() throws {
        let pass = try ForwardPass.run(model: Self.fixtures + "/pretraining/hf",
                                       inputs: Self.fixtures + "/pretraining/goldens.safetensors", head: nil, threads: 1)
        let path = dir.path + "/recorded.safetensors"
        try GoldensRecording.write(pass, to: path, force: false)
        let recorded = try GoldensFile.read(path)
        #expect(recorded[metadata: "head"] == "BertForPreTraining")
        #expect(recorded[metadata: "version"] == "1")
        #expect(recorded.outputs.map(\.name) == ["prediction_logits", "seq_relationship_logits"])
        #expect(recorded.inputs["input_ids"]?.int64s() == pass.goldens.inputs["input_ids"]?.int64s())
        let report = try VerifyUseCase.run(model: Self.fixtures + "/pretraining/hf", goldens: path,
                                           options: VerifyOptions(atol: 0, rtol: 0))
        #expect(report.passed)
        #expect(throws: RunnerUseCaseError.self) { try GoldensRecording.write(pass, to: path, force: false) }
        #expect(dir.contents == ["recorded.safetensors"])
    }

    /// A copy of a fixture's goldens with one element of `tensor` changed by `edit(bytes, byteOffset)`.
    func edited(_ fixture: String, tensor: String, element: Int, _ edit: (inout Data, Int) -> Void) throws -> String {
        var bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixtures + "/\(fixture)/goldens.safetensors"))
        let headerLength = Int(bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        let header = try JSONSerialization.jsonObject(with: bytes[8..<8 + headerLength]) as! [String: Any]
        let entry = header[tensor] as! [String: Any]
        let begin = (entry["data_offsets"] as! [Int])[0]
        let width = entry["dtype"] as! String == "I64" ? 8 : 4
        edit(&bytes, 8 + headerLength + begin + element * width)
        return dir.write("edited.safetensors", [UInt8](bytes))
    }
}
