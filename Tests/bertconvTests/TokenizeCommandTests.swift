import BertCore
import Foundation
import TestSupport
import Testing

/// `bertconv tokenize`: ids as HF's BertTokenizer gives them, exit codes of DESIGN.md.
@Suite struct TokenizeCommandTests {
    private let dir = TempDirectory()

    @Test func printsTokensAndIds() throws {
        let result = try CommandRunner.run(["tokenize", "--vocab", Fixtures.path("minilm"), "Hello, World! [MASK] café"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "[CLS] hello , world ! [MASK] cafe [SEP]\n101 7592 1010 2088 999 103 7668 102\n")
    }

    @Test func printsOneIdLinePerInputLineAndJSON() throws {
        let lines = dir.write("lines.txt", text: "a\nb c\n")
        let result = try CommandRunner.run(["tokenize", "--vocab", Fixtures.path("minilm/vocab.txt"), "--lines", lines])
        #expect(result.stdout == "101 1037 102\n101 1038 1039 102\n")
        let json = try CommandRunner.run(["tokenize", "--vocab", Fixtures.path("minilm"), "a", "--pair", "b", "--json"])
        #expect(json.stdout.contains(#""token_type_ids": [\#n        0,\#n        0,\#n        0,\#n        1,\#n        1\#n      ]"#))
    }

    @Test func missingVocabularyAndTextExitTwo() throws {
        let missing = try CommandRunner.run(["tokenize", "--vocab", dir.path + "/nope", "x"])
        #expect(missing.status == 2)
        #expect(missing.stderr == "bertconv: error: \(dir.path)/nope: cannot read: No such file or directory\n")
        let noText = try CommandRunner.run(["tokenize", "--vocab", Fixtures.path("minilm")])
        #expect(noText.status == 2 && noText.stderr.hasPrefix("bertconv: error: give texts to tokenize"))
    }

    @Test func runTokenizesTextWithTheFilesNextToTheModel() throws {
        let result = try CommandRunner.run(["run", Fixtures.path("base/hf"), "--text", "hello world", "--pair", "x"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("on --text") && result.stdout.contains("last_hidden_state [1, "))
        let both = try CommandRunner.run(["run", Fixtures.path("base/hf"), "--text", "a", "--inputs", "x"])
        #expect(both.status == 2 && both.stderr.hasPrefix("bertconv: error: give exactly one of --inputs and --text"))
        let model = dir.write("model.safetensors", try FileBytes.read(Fixtures.path("base/hf/model.safetensors")))
        _ = dir.write("config.json", try FileBytes.read(Fixtures.path("base/hf/config.json")))
        let noVocab = try CommandRunner.run(["run", model, "--text", "a"])
        #expect(noVocab.status == 2)
        #expect(noVocab.stderr == "bertconv: error: \(dir.path): no vocab.txt or tokenizer.json\nhint: put the model's vocab.txt or tokenizer.json (and tokenizer_config.json) in that folder\n")
    }
}
