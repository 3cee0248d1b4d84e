import BertConvKit
import BertCore
import Foundation
import TestSupport
import Testing

/// `quantize --int8` end to end on the goldens fixtures: int8 output verified by the int8 runner,
/// the accuracy gate, deterministic bytes, bad input.
@Suite struct QuantizeUseCaseTests {
    static func fixture(_ name: String) -> String { Fixtures.root + "/\(name)/hf" }
    static func goldens(_ name: String) -> String { Fixtures.root + "/\(name)/goldens.safetensors" }

    static func quantize(_ name: String, into dir: TempDirectory, _ configure: (inout QuantizeOptions) -> Void = { _ in })
        throws -> QuantizationSummary {
        var options = QuantizeOptions(input: fixture(name), output: dir.path + "/int8", calibration: goldens(name), threads: 2)
        configure(&options)
        return try QuantizeUseCase.run(options)
    }

    @Test(arguments: ["seq-cls", "base", "masked-lm", "qa", "multiple-choice", "token-cls"])
    func int8OutputPassesTheInt8Profile(fixture: String) throws {
        let dir = TempDirectory()
        let summary = try Self.quantize(fixture, into: dir)
        #expect(summary.report.layers.allSatisfy { $0.int8 })
        let report = try VerifyUseCase.run(model: summary.output, goldens: Self.goldens(fixture),
                                           options: VerifyOptions(profile: .int8, threads: 2))
        #expect(report.passed, "\(report.outputs.compactMap(\.failure))")
        for output in report.outputs where output.top1Agreement != nil { #expect(output.top1Agreement! >= 0.99) }
    }

    @Test func int8WeightsAreStoredAsCompressedTensorsLayout() throws {
        let dir = TempDirectory()
        let summary = try Self.quantize("seq-cls", into: dir)
        let config = try FileBytes.json(summary.output + "/config.json")
        #expect(config["quantization_config"]?["quant_method"]?.stringValue == "compressed-tensors")
        #expect(config["quantization_config"]?["config_groups"]?["group_0"]?["weights"]?["strategy"]?.stringValue == "channel")
        let manifest = try FileBytes.json(summary.output + "/manifest.json")
        #expect(manifest["quantization"]?["gate"] != nil)
        let tensors = manifest["tensors"]?.arrayValue ?? []
        let query = tensors.first { $0["canonical"]?.stringValue == "bert.encoder.layer.0.attention.self.query.weight" }
        #expect(query?["dtype"]?.stringValue == "I8")
        #expect(summary.report.int8Bytes * 100 < summary.report.fp32Bytes * 40)
    }

    @Test func sameInputGivesIdenticalBytes() throws {
        let (a, b) = (TempDirectory(), TempDirectory())
        _ = try Self.quantize("seq-cls", into: a)
        _ = try Self.quantize("seq-cls", into: b)
        for name in ["model.safetensors", "config.json", "manifest.json"] {
            let x = try FileBytes.read(a.path + "/int8/" + name), y = try FileBytes.read(b.path + "/int8/" + name)
            #expect(x == y, "\(name)")
        }
    }

    // The gate either reaches 0.9999 through fp32 fallbacks (listed) or fails with exit 1 naming
    // the best figures, leaving no output behind.
    @Test func strictGateFallsBackOrFailsWithTheBestReached() throws {
        let dir = TempDirectory()
        do {
            let summary = try Self.quantize("seq-cls", into: dir) { $0.minCosine = 0.9999; $0.maxFallbacks = 11 }
            #expect(summary.report.gatePassed == true)
            #expect(summary.report.endToEnd!.cosineMean >= 0.9999)
        } catch let error as QuantizeError {
            #expect(error.exitCategory == .verificationFailed)
            #expect(error.description.contains("best mean cosine"))
        }
        let failing = #expect(throws: QuantizeError.self) {
            try Self.quantize("seq-cls", into: dir) { $0.minCosine = 0.99999999; $0.maxFallbacks = 2; $0.force = true }
        }
        #expect(failing?.exitCategory == .verificationFailed)
        #expect(failing?.description.contains("accuracy gate not reached") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/int8") || FileManager.default.fileExists(atPath: dir.path + "/int8/model.safetensors"))
    }

    @Test func sensitivityIsReportedWhenTheGateNeedsFallbacks() throws {
        let dir = TempDirectory()
        let summary = try Self.quantize("seq-cls", into: dir) { $0.minCosine = 0.999999; $0.maxFallbacks = 11 }
        let fallbacks = summary.report.layers.filter { $0.fp32Reason == "accuracy gate" }
        #expect(!fallbacks.isEmpty)
        #expect(summary.report.layers.allSatisfy { $0.sensitivityCosine != nil || $0.fp32Reason == "excluded" })
        #expect(summary.report.fallbacks == Array(Set(fallbacks.map(\.unit))).sorted())
    }

    @Test func excludedLayersStayFP32() throws {
        let dir = TempDirectory()
        let summary = try Self.quantize("seq-cls", into: dir) { $0.exclude = ["classifier", "bert.encoder.layer.1.*"] }
        let fp32 = summary.report.layers.filter { !$0.int8 }.map(\.weight)
        #expect(fp32.contains("classifier.weight"))
        #expect(fp32.contains("bert.encoder.layer.1.attention.self.key.weight"))
        #expect(!fp32.contains("bert.encoder.layer.0.output.dense.weight"))
    }

    @Test func textLinesCalibrateThroughTheModelsTokenizer() throws {
        let dir = TempDirectory()
        let text = dir.write("calibration.txt", text: "the cat sat on the mat.\n\n  \nit is a test, and it was fine!\nhe is in\n")
        let inputs = try CalibrationInputs.read(text, modelPath: Self.fixture("seq-cls"), maxLength: 8, batchSize: 2)
        #expect(inputs.sequenceCount == 3)
        #expect(inputs.batches.map(\.shape) == [[2, 8], [1, 5]])
        let first = inputs.batches[0]
        #expect(first.inputIds.first == 2 && first.inputIds[7] == 3, "[CLS] … [SEP] truncated to 8")
        #expect(first.attentionMask.allSatisfy { $0 == 1 })
        let summary = try Self.quantize("seq-cls", into: dir) { $0.calibration = text; $0.minCosine = 0.9 }
        #expect(summary.report.calibrationSequences == 3)
        #expect(summary.report.gatePassed == true)
    }

    @Test func calibrationTextThatIsNotUTF8OrEmptyIsBadInput() throws {
        let dir = TempDirectory()
        for (name, bytes) in [("latin1.txt", [UInt8(0xE9), 0x0A]), ("blank.txt", Array(" \n\n".utf8))] {
            let path = dir.write(name, bytes)
            let error = #expect(throws: QuantizeError.self) {
                try CalibrationInputs.read(path, modelPath: Self.fixture("seq-cls"), maxLength: 8)
            }
            #expect(error?.exitCategory == .badInput)
            #expect(error?.description.contains(path) == true)
        }
    }

    @Test func notABertModelIsBadInput() throws {
        let dir = TempDirectory()
        let junk = dir.write("junk/model.safetensors", Array("not safetensors".utf8))
        let error = #expect(throws: QuantizeError.self) {
            try QuantizeUseCase.run(QuantizeOptions(input: junk, output: dir.path + "/out"))
        }
        #expect(error?.exitCategory == .badInput)
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/out"))
    }

    @Test func quantizingAnInt8ModelIsBadInput() throws {
        let dir = TempDirectory()
        let summary = try Self.quantize("seq-cls", into: dir)
        let error = #expect(throws: QuantizeError.self) {
            try QuantizeUseCase.run(QuantizeOptions(input: summary.output, output: dir.path + "/again"))
        }
        #expect(error?.description.contains("already int8") == true)
    }
}
