import Foundation
import TestSupport
import Testing

/// Exit codes and one-line errors of the CLI, run as a process (DESIGN.md's contract).
@Suite struct CLITests {
    private let dir = TempDirectory()

    @Test func convertSucceedsAndRefusesToOverwrite() throws {
        let out = dir.path + "/out"
        let first = try CommandRunner.run(["convert", Fixtures.path("seq-cls/hf"), "-o", out])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("BertForSequenceClassification from safetensors"))
        let second = try CommandRunner.run(["convert", Fixtures.path("seq-cls/hf"), "-o", out])
        #expect(second.status == 2)
        #expect(second.stderr == "bertconv: error: \(out): output exists\nhint: pass --force to replace it\n")
        #expect(try CommandRunner.run(["convert", Fixtures.path("seq-cls/hf"), "-o", out, "--force"]).status == 0)
    }

    @Test func fsyncGivesTheSameBytes() throws {
        let plain = try CommandRunner.run(["convert", Fixtures.path("qa/hf"), "-o", dir.path + "/plain"])
        let durable = try CommandRunner.run(["convert", Fixtures.path("qa/hf"), "-o", dir.path + "/durable", "--fsync"])
        #expect(plain.status == 0 && durable.status == 0, "\(durable.stderr)")
        for name in ["model.safetensors", "config.json"] {
            #expect(FileManager.default.contents(atPath: dir.path + "/plain/" + name)
                    == FileManager.default.contents(atPath: dir.path + "/durable/" + name))
        }
        #expect(dir.contents == ["durable", "plain"])
    }

    @Test func truncatedFileExitsTwoWithOneLine() throws {
        let file = dir.write("t.safetensors", [200, 0, 0, 0, 0, 0, 0, 0, 123])
        let result = try CommandRunner.run(["convert", file, "-o", dir.path + "/out"])
        #expect(result.status == 2)
        #expect(result.stderr == "bertconv: error: \(file): at offset 8: truncated: needs 200 bytes, only 1 remaining in file\n")
        #expect(dir.contents == ["t.safetensors"])
    }

    @Test func unknownOptionAndMissingPathExitTwo() throws {
        let unknown = try CommandRunner.run(["convert", "--frobnicate"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("bertconv: error: "))
        let missing = try CommandRunner.run(["inspect", dir.path + "/nope"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "bertconv: error: \(dir.path)/nope: cannot read: no such file or directory\n")
    }

    @Test func unwritableOutputExitsThree() throws {
        let result = try CommandRunner.run(["convert", Fixtures.path("base/hf"), "-o", dir.path + "/missing/parent/out"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("cannot write: parent directory"))
    }

    @Test func outputSymlinkIsNeverFollowed() throws {
        let target = dir.path + "/elsewhere"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/out", withDestinationPath: target)
        let result = try CommandRunner.run(["convert", Fixtures.path("base/hf"), "-o", dir.path + "/out", "--force"])
        #expect(result.status == 2)
        #expect(result.stderr == "bertconv: error: \(dir.path)/out: output is a symlink; refusing to write through it\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
    }

    @Test func inspectJSONDescribesTheModel() throws {
        let result = try CommandRunner.run(["inspect", Fixtures.path("qa/hf"), "--json"])
        #expect(result.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["head"] as? String == "BertForQuestionAnswering")
        #expect(json["outputs"] as? [String] == ["start_logits", "end_logits"])
        #expect((json["tensors"] as? [Any])?.count == 39)
    }

    @Test func helpAndVersionExitZero() throws {
        #expect(try CommandRunner.run(["--version"]).stdout == "0.1.0\n")
        #expect(try CommandRunner.run(["--help"]).status == 0)
    }
}
