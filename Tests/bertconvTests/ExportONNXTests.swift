import Foundation
import TestSupport
import Testing

/// `bertconv export-onnx`: outputs, exit codes, nothing left behind on failure, round trip via `convert`.
@Suite struct ExportONNXTests {
    private let dir = TempDirectory()

    @Test func exportsModelAndManifestThenRefusesToOverwrite() throws {
        let out = dir.path + "/qa.onnx"
        let first = try CommandRunner.run(["export-onnx", Fixtures.path("qa/hf"), "-o", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.hasPrefix("\(out): BertForQuestionAnswering from safetensors, opset 17 fp32"))
        #expect(dir.contents == ["qa.onnx", "qa.onnx.manifest.json"])
        let second = try CommandRunner.run(["export-onnx", Fixtures.path("qa/hf"), "-o", out])
        #expect(second.status == 2)
        #expect(second.stderr == "bertconv: error: \(out): output exists\nhint: pass --force to replace it\n")
    }

    @Test func externalDataGoesBesideTheModel() throws {
        let result = try CommandRunner.run(["export-onnx", Fixtures.path("base/hf"), "-o", dir.path + "/m.onnx", "--external-data"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(dir.contents == ["m.onnx", "m.onnx.data", "m.onnx.manifest.json"])
    }

    @Test func onnxConvertsBackToTheSourceTensors() throws {
        let model = dir.path + "/m.onnx"
        #expect(try CommandRunner.run(["export-onnx", Fixtures.path("token-cls/hf"), "-o", model, "--ort-ops"]).status == 0)
        let back = try CommandRunner.run(["convert", model, "-o", dir.path + "/back"])
        #expect(back.status == 0, "\(back.stderr)")
        #expect(back.stdout.contains("BertForTokenClassification from onnx"))
        let original = FileManager.default.contents(atPath: Fixtures.path("token-cls/hf/model.safetensors"))
        #expect(FileManager.default.contents(atPath: dir.path + "/back/model.safetensors") == original)
    }

    @Test func badInputAndUnwritableOutputLeaveNothing() throws {
        let corrupt = dir.write("bad.onnx", [0x3A, 100, 1])
        let bad = try CommandRunner.run(["export-onnx", corrupt, "-o", dir.path + "/out.onnx"])
        #expect(bad.status == 2)
        #expect(bad.stderr == "bertconv: error: \(corrupt): at offset 2: truncated: needs 100 bytes, only 1 remaining in file\n")
        let opset = try CommandRunner.run(["export-onnx", Fixtures.path("base/hf"), "-o", dir.path + "/out.onnx", "--opset", "16"])
        #expect(opset.status == 2)
        let exclude = try CommandRunner.run(["export-onnx", Fixtures.path("base/hf"), "-o", dir.path + "/out.onnx", "--exclude", "cls.*"])
        #expect(exclude.status == 2)
        #expect(exclude.stderr.contains("--exclude needs --precision int8"))
        let unwritable = try CommandRunner.run(["export-onnx", Fixtures.path("base/hf"), "-o", dir.path + "/no/such/out.onnx"])
        #expect(unwritable.status == 3)
        #expect(dir.contents == ["bad.onnx"])
    }
}
