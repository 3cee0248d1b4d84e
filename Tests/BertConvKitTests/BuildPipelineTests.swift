import Foundation
import TestSupport
import Testing
import BertCore
import BertFormats
@testable import BertConvKit

@Suite struct BuildPipelineTests {
    private let dir = TempDirectory()
    private let source = Fixtures.path("seq-cls/tf1")
    private let goldens = Fixtures.path("seq-cls/goldens.safetensors")

    private func request(_ goldens: String? = nil, cache: String? = nil, force: Bool = false) -> BuildRequest {
        BuildRequest(source: source, output: dir.path + "/out", goldens: goldens ?? self.goldens, cache: cache, force: force)
    }

    private func tree(_ path: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in FileManager.default.subpaths(atPath: path) ?? [] where FileBytes.exists(path + "/" + name) {
            files[name] = FileManager.default.contents(atPath: path + "/" + name)
        }
        return files
    }

    @Test func buildsAndVerifiesEveryArtifact() throws {
        var lines: [String] = []
        let outcome = try BuildPipeline.run(request()) { lines.append($0) }
        #expect(outcome.report["passed"] == .bool(true))
        #expect(outcome.report["artifacts"]?.arrayValue?.map { $0["model"]?.stringValue }
                == ["safetensors", "int8", "onnx/model.onnx", "onnx-int8/model.onnx"])
        #expect(lines.count == 8 && lines[0].hasPrefix("safetensors: built in"))
        let markdown = try String(contentsOfFile: dir.path + "/out/report.md", encoding: .utf8)
        #expect(markdown.hasPrefix("# bertconv build: PASS\n"))
        #expect(markdown.contains("| `onnx/model.onnx` | ✅ pass | fp32 |"))
    }

    @Test func cachedRerunRestoresEveryStepAndIsByteIdentical() throws {
        let cache = dir.path + "/cache"
        _ = try BuildPipeline.run(request(cache: cache))
        let first = try tree(dir.path + "/out")
        let again = try BuildPipeline.run(request(cache: cache, force: true))
        #expect(again.cachedTargets == BuildTarget.allCases)
        #expect(try tree(dir.path + "/out") == first)
    }

    @Test func goldensBeyondToleranceFailWithoutTouchingOut() throws {
        _ = try BuildPipeline.run(request())
        let before = try tree(dir.path + "/out")
        let file = try GoldensFile.read(goldens)
        var bytes = try FileBytes.read(goldens)
        let logits = try #require(file.outputs.first { $0.name == "logits" })
        let value = logits.tensor.floats()[0] + 0.5
        let edited = dir.path + "/edited.safetensors"
        let index = try #require(findFloat(logits.tensor.floats()[0], in: bytes))
        withUnsafeBytes(of: value.bitPattern.littleEndian) { for i in 0..<4 { bytes[index + i] = $0[i] } }
        dir.write("edited.safetensors", bytes)
        #expect {
            try BuildPipeline.run(request(edited, force: true))
        } throws: { error in
            let build = error as! BuildError
            return build.exitCategory == .verificationFailed
                && build.description.contains("artifact 'safetensors' failed verification: output 'logits'")
        }
        #expect(try tree(dir.path + "/out") == before)
        let failed = try FileBytes.json(dir.path + "/out.failed-report.json")
        #expect(failed["passed"] == .bool(false))
    }

    @Test func corruptSourceWritesNothing() throws {
        let corrupt = dir.write("corrupt.safetensors", Array("garbage!".utf8))
        #expect {
            try BuildPipeline.run(BuildRequest(source: corrupt, output: dir.path + "/out", goldens: goldens))
        } throws: { error in
            (error as! BuildError).exitCategory == .badInput
        }
        #expect(dir.contents == ["corrupt.safetensors"])
    }

    @Test func specFileCarriesTheFlags() throws {
        let spec = dir.write("build.json", text: #"{"source": "m", "output": "o", "targets": ["onnx"], "goldens": "g", "threads": 2}"#)
        let request = try BuildRequest(spec: spec, command: [])
        #expect(request.targets == [.onnx] && request.goldens == "g" && request.threads == 2)
        let defaults = try BuildRequest(spec: dir.write("all.json", text: #"{"source": "m", "output": "o"}"#), command: [])
        #expect(defaults.targets == BuildTarget.allCases)
        let bad = dir.write("bad.json", text: #"{"source": "m", "output": "o", "targets": ["tflite"]}"#)
        #expect(throws: FormatError.self) { try BuildRequest(spec: bad, command: []) }
    }

    private func findFloat(_ value: Float, in bytes: [UInt8]) -> Int? {
        let pattern = withUnsafeBytes(of: value.bitPattern.littleEndian) { Array($0) }
        return (0...(bytes.count - 4)).last { Array(bytes[$0..<$0 + 4]) == pattern }
    }
}
