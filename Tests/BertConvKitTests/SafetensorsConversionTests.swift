import Foundation
import TestSupport
import Testing
import BertCore
import BertFormats
@testable import BertConvKit

@Suite struct SafetensorsConversionTests {
    private let dir = TempDirectory()

    private func convert(_ fixture: String, dtype: DType? = nil, to name: String = "out") throws -> ConversionSummary {
        try SafetensorsConversion.run(ConvertOptions(input: Fixtures.path(fixture), output: dir.path + "/" + name, dtype: dtype))
    }

    @Test(arguments: ["base", "pretraining", "masked-lm", "seq-cls", "qa", "multiple-choice", "token-cls", "causal-lm"])
    func convertsEveryHeadBitForBit(fixture: String) throws {
        let summary = try convert(fixture + "/hf")
        let written = try SafetensorsReader.read(summary.output)
        let original = try SafetensorsReader.read(Fixtures.path(fixture + "/hf"))
        let byName = Dictionary(uniqueKeysWithValues: written.tensors.map { ($0.name, $0) })
        for tensor in original.tensors {
            let copy = try #require(byName[tensor.name], "missing \(tensor.name)")
            let a = try tensor.load(), b = try copy.load()
            #expect(a.shape == b.shape && a.dtype == b.dtype)
            #expect(a.withUnsafeBytes { x in b.withUnsafeBytes { y in x.elementsEqual(y) } })
        }
        #expect(written.tensors.count == original.tensors.count)
        #expect(written.config?.architectures == original.config?.architectures)
    }

    @Test func sentenceTransformersNamesGainNothingAndLosePositionIds() throws {
        let summary = try convert("variants/st-noprefix")
        #expect(summary.head == .base)
        #expect(summary.manifest.skipped.map(\.source) == ["embeddings.position_ids"])
        let names = try SafetensorsReader.read(summary.output).tensors.map(\.name)
        #expect(names.contains("embeddings.word_embeddings.weight") && !names.contains { $0.contains("position_ids") })
    }

    @Test func halfPrecisionIsKeptOrWidened() throws {
        let kept = try convert("variants/st-f16", to: "kept")
        #expect(kept.manifest.tensors.allSatisfy { $0.outputDType == .f16 })
        let widened = try convert("variants/st-f16", dtype: .f32, to: "wide")
        #expect(widened.manifest.tensors.allSatisfy { $0.outputDType == .f32 && $0.sourceDType == .f16 })
        let config = try FileBytes.json(widened.output + "/config.json")
        let dtypes = ["dtype", "torch_dtype"].compactMap { config[$0]?.stringValue }
        #expect(!dtypes.isEmpty && dtypes.allSatisfy { $0 == "float32" })
    }

    @Test func outputIsDeterministic() throws {
        let a = try convert("pretraining/hf", to: "a"), b = try convert("pretraining/hf", to: "b")
        for name in ["model.safetensors", "config.json", "vocab.txt"] {
            #expect(try FileDigest.sha256(a.output + "/" + name).hex == FileDigest.sha256(b.output + "/" + name).hex)
        }
        #expect(a.manifest.outputs == b.manifest.outputs)
        #expect(JSONWriter.pretty(a.manifest.json) == String(decoding: try FileBytes.read(b.output + "/manifest.json"), as: UTF8.self))
    }

    @Test func manifestRecordsHashesTransformsAndTies() throws {
        let summary = try convert("masked-lm/hf")
        let manifest = summary.manifest
        #expect(manifest.outputs.map(\.path) == ["model.safetensors", "config.json", "vocab.txt", "tokenizer_config.json"])
        #expect(manifest.inputs.first?.sha256 == (try FileDigest.sha256(Fixtures.path("masked-lm/hf/model.safetensors")).hex))
        #expect(manifest.decoderTied && manifest.head == .maskedLM)
        #expect(manifest.tensors.allSatisfy { $0.transform == "none" })
    }

    @Test func failedConversionLeavesNothing() throws {
        let bad = dir.write("bad/model.safetensors", [1, 2, 3])
        #expect(throws: BertCoreError.self) {
            try SafetensorsConversion.run(ConvertOptions(input: ModelFolder.parent(of: bad), output: dir.path + "/out"))
        }
        #expect(dir.contents == ["bad"])
    }

    @Test func shapeMismatchWithConfigIsNamed() throws {
        let source = Fixtures.path("base/hf")
        let copy = dir.path + "/m"
        try FileManager.default.copyItem(atPath: source, toPath: copy)
        let config = try String(contentsOfFile: copy + "/config.json", encoding: .utf8)
        try config.replacing("\"intermediate_size\": 37", with: "\"intermediate_size\": 38")
            .write(toFile: copy + "/config.json", atomically: true, encoding: .utf8)
        #expect {
            try SafetensorsConversion.run(ConvertOptions(input: copy, output: dir.path + "/out"))
        } throws: { error in
            (error as! BertCoreError).description.contains("has shape [37, 32], config expects [38, 32]")
        }
        #expect(!FileBytes.isDirectory(dir.path + "/out"))
    }
}
