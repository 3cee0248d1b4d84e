import BertCore
import Foundation
import TestSupport
import Testing
@testable import BertFormats

@Suite struct ONNXRoundTripTests {
    private let dir = TempDirectory()

    @Test(arguments: ONNXFixtures.names)
    func fp32ExportReadsBackIdentical(_ fixture: String) throws {
        let source = try ONNXFixtures.graph(fixture)
        let back = try ONNXFixtures.readBack(ONNXFixtures.export(source, to: dir))
        #expect(back.head == source.head && back.hasPooler == source.hasPooler && back.decoderTied == source.decoderTied)
        #expect(back.config.hiddenAct == source.config.hiddenAct && back.config.numLabels == source.config.numLabels)
        #expect(try ONNXFixtures.identicalTensors(source, back))
    }

    @Test func fusedExportWithExternalDataReadsBackIdentical() throws {
        let source = try ONNXFixtures.graph("pretraining")
        let options = ONNXExportOptions(ortOps: true, producerVersion: "test")
        let path = try ONNXFixtures.export(source, to: dir, options: options, external: true)
        #expect(dir.contents == ["model.onnx", "model.onnx.data"])
        #expect(try ONNXFixtures.identicalTensors(source, ONNXFixtures.readBack(path)))
    }

    @Test func fp16ExportReadsBackAsHalfPrecision() throws {
        let source = try ONNXFixtures.graph("qa")
        let options = ONNXExportOptions(precision: .fp16, producerVersion: "test")
        let back = try ONNXFixtures.readBack(ONNXFixtures.export(source, to: dir, options: options))
        let original = try source.load("qa_outputs.weight")!, half = try back.load("qa_outputs.weight")!
        #expect(half.dtype == .f16 && half.shape == original.shape)
        #expect(half.converted(to: .f32).floats() == original.converted(to: .f16).converted(to: .f32).floats())
    }

    @Test func exportIsDeterministic() throws {
        let source = try ONNXFixtures.graph("masked-lm")
        let first = try ONNXFixtures.export(source, to: dir, name: "a.onnx")
        let second = try ONNXFixtures.export(source, to: dir, name: "b.onnx")
        #expect(FileManager.default.contents(atPath: first) == FileManager.default.contents(atPath: second))
    }

    @Test func metadataNamesProducerHeadAndConfig() throws {
        let path = try ONNXFixtures.export(ONNXFixtures.graph("seq-cls"), to: dir,
                                           options: ONNXExportOptions(producerVersion: "9.9", metadata: [("bertconv.source_sha256", "abc")]))
        let file = try ONNXFile(path: path)
        #expect(file.metadata.map(\.key) == ["bertconv.head", "bertconv.precision", "bertconv.config", "bertconv.source_sha256"])
        #expect(file.metadata[0].value == "BertForSequenceClassification")
    }
}
