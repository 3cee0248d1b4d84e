import BertCore
import TestSupport
import Testing

@testable import BertTokenizer

@Suite struct TokenizerFilesTests {
    private let dir = TempDirectory()
    private let specials = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\n"

    @Test func readsVocabTxtWithUniversalNewlinesAndRepeatedTokens() throws {
        let path = dir.write("vocab.txt", text: specials + "a\r\nb\rb\n\nc")
        let tokenizer = try BertTokenizer.load(path)
        #expect(tokenizer.vocabulary.tokens == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "b", "", "c"])
        #expect(tokenizer.vocabulary.id(of: "b") == 7)
        #expect(tokenizer.vocabulary.id(of: "") == 8)
        // save_vocabulary writes each distinct token once, by id.
        #expect(tokenizer.saveVocabularyBytes() == Array((specials + "a\nb\n\nc\n").utf8))
    }

    @Test func readsOptionsFromTokenizerConfigAndSpecialTokensMap() throws {
        _ = dir.write("vocab.txt", text: "<pad>\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nA\n")
        _ = dir.write("tokenizer_config.json", text: #"{"do_lower_case": false, "strip_accents": null, "model_max_length": 1e30, "never_split": ["A"], "pad_token": {"content": "[PAD]"}}"#)
        _ = dir.write("special_tokens_map.json", text: #"{"pad_token": "<pad>"}"#)
        let tokenizer = try BertTokenizer.load(dir.path)
        #expect(!tokenizer.options.doLowerCase && !tokenizer.options.stripsAccents)
        #expect(tokenizer.options.modelMaxLength == nil && tokenizer.options.neverSplit == ["A"])
        #expect(tokenizer.padID == 0 && tokenizer.tokenize("A") == ["A"])
    }

    @Test func readsVocabularyAndNormalizerFromTokenizerJSON() throws {
        _ = dir.write("tokenizer.json", text: """
            {"normalizer": {"type": "BertNormalizer", "lowercase": false, "strip_accents": null, "handle_chinese_chars": true},
             "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 3,
                       "vocab": {"[UNK]": 1, "[PAD]": 0, "[CLS]": 2, "[SEP]": 3, "[MASK]": 4, "Ab": 5, "##c": 6}}}
            """)
        let tokenizer = try BertTokenizer.load(dir.path)
        #expect(tokenizer.tokenize("Abc Abcc") == ["Ab", "##c", "[UNK]"])
        #expect(!tokenizer.options.doLowerCase)
    }

    // Error paths: each names the file and the line, field or token.

    @Test func invalidUTF8LineNamesLineAndOffset() throws {
        let path = dir.write("vocab.txt", Array(specials.utf8) + [0x61, 0x0A, 0xFF, 0x0A])
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(path) }
        #expect(error.kind == .invalidUTF8 && error.line == 7 && error.byteOffset == 33)
        #expect(error.description == "\(path): line 7 at offset 33: token is not valid UTF-8")
    }

    @Test func emptyVocabularyIsRejected() throws {
        let path = dir.write("vocab.txt", [])
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(path) }
        #expect(error.kind == .emptyVocabulary && error.description == "\(path): vocabulary holds no token")
    }

    @Test func missingSpecialTokenNamesRoleAndToken() throws {
        let path = dir.write("vocab.txt", text: "[PAD]\n[UNK]\n[CLS]\n[SEP]\n")
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(path) }
        #expect(error.kind == .missingSpecialToken(role: "mask", token: "[MASK]"))
        #expect(error.description == "\(path): mask token '[MASK]' is not in the vocabulary")
    }

    @Test func folderWithoutVocabularyHasAHint() throws {
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path) }
        #expect(error.kind == .noVocabulary && error.description == "\(dir.path): no vocab.txt or tokenizer.json")
        #expect(error.hint == "hint: put the model's vocab.txt or tokenizer.json (and tokenizer_config.json) in that folder")
    }

    @Test func missingVocabFileNamesIt() throws {
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path + "/vocab.txt") }
        #expect(error.description.hasSuffix("vocab.txt: cannot read: No such file or directory"))
    }

    @Test func nonWordPieceTokenizerJSONIsRejected() throws {
        let path = dir.write("tokenizer.json", text: #"{"model": {"type": "BPE", "vocab": {}}}"#)
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path) }
        #expect(error.description == "\(path): model type 'BPE' is not WordPiece")
    }

    @Test(arguments: [#"{"a": 0, "b": 0}"#, #"{"a": 0, "b": 2}"#, #"{"a": -1}"#])
    func tokenizerJSONIdsMustBeDense(vocab: String) throws {
        _ = dir.write("tokenizer.json", text: #"{"model": {"type": "WordPiece", "vocab": "# + vocab + "}}")
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path) }
        guard case .invalidTokenID = error.kind else { Issue.record("unexpected \(error)"); return }
        #expect(error.description.contains("which is negative, repeated or leaves a gap"))
    }

    @Test func wrongConfigFieldTypeNamesTheField() throws {
        _ = dir.write("vocab.txt", text: specials)
        let config = dir.write("tokenizer_config.json", text: #"{"do_lower_case": "yes"}"#)
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path) }
        #expect(error.description == "\(config): field 'do_lower_case' must be true, false or null")
    }

    @Test func invalidConfigJSONNamesTheOffset() throws {
        _ = dir.write("vocab.txt", text: specials)
        let config = dir.write("tokenizer_config.json", text: #"{"do_lower_case": tru}"#)
        let error = try #require(throws: TokenizerError.self) { try BertTokenizer.load(dir.path) }
        #expect(error.byteOffset == 21 && error.description.hasPrefix("\(config): at offset 21: invalid JSON"))
    }
}
