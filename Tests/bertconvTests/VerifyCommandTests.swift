import Foundation
import TestSupport
import Testing

/// `verify`, `run` and `goldens` as processes: exit codes 0/1/2/3, the failing output named.
@Suite struct VerifyCommandTests {
    private let dir = TempDirectory()

    @Test func verifyPassesOnAFixture() throws {
        let result = try CommandRunner.run(["verify", Fixtures.path("token-cls/hf"), "--goldens",
                                            Fixtures.path("token-cls/goldens.safetensors")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasSuffix("verification passed\n"))
    }

    @Test func editedGoldenExitsOneAndNamesTheOutput() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Fixtures.path("base/goldens.safetensors"))))
        let end = bytes.count - 4  // last float of the last tensor (outputs.pooler_output, sorted last)
        let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: end, as: Float.self) } + 0.01
        withUnsafeBytes(of: value) { bytes.replaceSubrange(end..<end + 4, with: $0) }
        let goldens = dir.write("edited.safetensors", bytes)
        let result = try CommandRunner.run(["verify", Fixtures.path("base/hf"), "--goldens", goldens])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL pooler_output: element [2, 31] differs"))
        #expect(result.stdout.hasSuffix("verification failed\n"))
        let json = try CommandRunner.run(["verify", Fixtures.path("base/hf"), "--goldens", goldens, "--json"])
        #expect(json.status == 1)
        let report = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [String: Any]
        #expect(report["passed"] as? Bool == false)
        let outputs = report["outputs"] as! [[String: Any]]
        #expect(outputs.map { $0["name"] as! String } == ["last_hidden_state", "pooler_output"])
        #expect(outputs.map { $0["passed"] as! Bool } == [true, false])
    }

    @Test func goldensForAnotherModelExitTwo() throws {
        let result = try CommandRunner.run(["verify", Fixtures.path("multiple-choice/hf"), "--goldens",
                                            Fixtures.path("seq-cls/goldens.safetensors"), "--head", "BertForMultipleChoice"])
        #expect(result.status == 2)
        #expect(result.stderr == "bertconv: error: \(Fixtures.path("seq-cls/goldens.safetensors")): input 'input_ids' "
                + "has shape [3, 12], expected [batch, choices, seq]\n")
    }

    @Test func negativeToleranceIsUsage() throws {
        let result = try CommandRunner.run(["verify", Fixtures.path("base/hf"), "--goldens",
                                            Fixtures.path("base/goldens.safetensors"), "--atol", "-1"])
        #expect(result.status == 2)
    }

    @Test func goldensThenVerifyRoundTrips() throws {
        let out = dir.path + "/qa.goldens.safetensors"
        let recorded = try CommandRunner.run(["goldens", Fixtures.path("qa/hf"), "-o", out, "--inputs",
                                              Fixtures.path("qa/goldens.safetensors")])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(recorded.stdout == "\(out): BertForQuestionAnswering goldens, outputs start_logits, end_logits\n")
        let again = try CommandRunner.run(["goldens", Fixtures.path("qa/hf"), "-o", out, "--inputs",
                                           Fixtures.path("qa/goldens.safetensors")])
        #expect(again.status == 2)
        let verified = try CommandRunner.run(["verify", Fixtures.path("qa/hf"), "--goldens", out, "--atol", "0", "--rtol", "0"])
        #expect(verified.status == 0, "\(verified.stdout)")
        let unwritable = try CommandRunner.run(["goldens", Fixtures.path("qa/hf"), "-o", dir.path + "/no/such/dir/g.safetensors",
                                                "--inputs", Fixtures.path("qa/goldens.safetensors")])
        #expect(unwritable.status == 3)
    }

    @Test func runPrintsJSONAndSavesGoldens() throws {
        let result = try CommandRunner.run(["run", Fixtures.path("seq-cls/hf"), "--inputs",
                                            Fixtures.path("seq-cls/goldens.safetensors"), "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        let outputs = json["outputs"] as! [[String: Any]]
        #expect(outputs.first?["name"] as? String == "logits")
        #expect(outputs.first?["shape"] as? [Int] == [3, 3])
        #expect((outputs.first?["values"] as? [Double])?.count == 9)
        let saved = try CommandRunner.run(["run", Fixtures.path("seq-cls/hf"), "--inputs",
                                           Fixtures.path("seq-cls/goldens.safetensors"), "-o", dir.path + "/out.safetensors"])
        #expect(saved.status == 0)
        #expect(dir.contents == ["out.safetensors"])
    }
}
