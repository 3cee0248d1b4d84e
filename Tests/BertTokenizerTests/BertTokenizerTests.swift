import Testing

@testable import BertTokenizer

@Suite struct BertTokenizerTests {
    @Test func splitsIntoLongestWordPieces() throws {
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.tokenize("unaffable") == ["un", "##aff", "##able"])
        #expect(tokenizer.tokenize("Hello, WORLD!") == ["hello", ",", "world", "!"])
        #expect(tokenizer.tokenize("unaffablez") == ["[UNK]"])
    }

    @Test func wordsOverOneHundredCodePointsAreUnknown() throws {
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.tokenize(String(repeating: "x", count: 100)) == ["[UNK]"])
        #expect(tokenizer.tokenize("a" + String(repeating: "b", count: 99)) == ["a"] + Array(repeating: "##b", count: 99))
        #expect(tokenizer.tokenize("a" + String(repeating: "b", count: 100)) == ["[UNK]"])
    }

    @Test func findsSpecialTokensInsideTextButNotTheirLowerCase() throws {
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.tokenize("a[MASK]a [mask]") == ["a", "[MASK]", "a", "[", "mask", "]"])
        // A zero-width space removed by cleaning leaves "[MASK]" after special tokens were
        // found; HF lower-cases it first when uncased.
        #expect(tokenizer.tokenize("[MA\u{200B}SK]") == ["[", "mask", "]"])
        let cased = try smallTokenizer { $0.doLowerCase = false }
        #expect(cased.tokenize("[MA\u{200B}SK]") == ["[MASK]"])
    }

    @Test func lowerCasesEachCodePointOnItsOwn() throws {
        // Python's "ΣΑΣ".lower() would end in final sigma; HF lower-cases one code point at a time.
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.tokenize("ΣΑΣ") == ["σ", "##α", "##σ"])
    }

    @Test func casedKeepsCaseAndAccents() throws {
        let cased = try smallTokenizer { $0.doLowerCase = false }
        #expect(cased.tokenize("Hello café") == ["Hello", "café"])
        #expect(cased.tokenize("cafe\u{301}") == ["café"])
        let uncased = try smallTokenizer()
        #expect(uncased.tokenize("Café") == ["cafe"])
        let casedStripped = try smallTokenizer {
            $0.doLowerCase = false
            $0.stripAccents = true
        }
        #expect(casedStripped.tokenize("café") == ["cafe"])
    }

    @Test func comparesVocabularyEntriesByCodePoint() throws {
        // Accent stripping leaves Hangul decomposed into jamo, which must not match "한".
        #expect(try smallTokenizer().tokenize("한") == ["ᄒ", "##ᅡ", "##ᆫ"])
        #expect(try smallTokenizer { $0.doLowerCase = false }.tokenize("한") == ["한"])
    }

    @Test func cleansControlsAndSpacesAndSplitsChineseCharacters() throws {
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.tokenize("hel\u{0}lo\u{FFFD}\u{3000}中中\u{2028}a") == ["hello", "中", "中", "a"])
        let noChinese = try smallTokenizer { $0.tokenizeChineseChars = false }
        #expect(noChinese.tokenize("中中") == ["[UNK]"])
    }

    @Test func neverSplitWordsStayWhole() throws {
        let tokenizer = try smallTokenizer { $0.neverSplit = ["a!", "hello"] }
        #expect(tokenizer.tokenize("a! hello") == ["[UNK]", "hello"])
    }

    @Test func encodesPairsWithTypesMasksAndPadding() throws {
        let tokenizer = try smallTokenizer()
        let encoding = tokenizer.encode("hello world", pair: "a", truncation: .longestFirst, maxLength: 8, padding: .maxLength)
        #expect(encoding.inputIDs == [2, 8, 9, 3, 12, 3, 0, 0])
        #expect(encoding.tokenTypeIDs == [0, 0, 0, 0, 1, 1, 0, 0])
        #expect(encoding.attentionMask == [1, 1, 1, 1, 1, 1, 0, 0])
        #expect(encoding.specialTokensMask == [1, 0, 0, 1, 0, 1, 1, 1])
        #expect(tokenizer.encode("", pair: "").inputIDs == [2, 3, 3])
    }

    @Test func truncatesLikeHuggingFace() {
        let first = [1, 2, 3, 4, 5], second = [6, 7]
        // longest_first takes the length difference from the longer one, then splits the rest.
        #expect(BertTokenizer.truncate(first, second, removing: 4, strategy: .longestFirst) == ([1, 2], [6]))
        #expect(BertTokenizer.truncate(first, second, removing: 3, strategy: .longestFirst) == ([1, 2], [6, 7]))
        #expect(BertTokenizer.truncate(second, first, removing: 4, strategy: .longestFirst) == ([6, 7], [1]))
        #expect(BertTokenizer.truncate(first, second, removing: 1, strategy: .onlySecond) == (first, [6]))
        // Not enough tokens in the chosen sequence: HF logs an error and leaves both.
        #expect(BertTokenizer.truncate(first, second, removing: 2, strategy: .onlySecond) == (first, second))
        #expect(BertTokenizer.truncate(first, nil, removing: 5, strategy: .onlyFirst) == (first, nil))
        #expect(BertTokenizer.truncate(first, nil, removing: 2, strategy: .onlySecond) == (first, nil))
        #expect(BertTokenizer.truncate(first, second, removing: 9, strategy: .longestFirst) == ([], []))
    }

    @Test func buildsSpecialTokenLayouts() throws {
        let tokenizer = try smallTokenizer()
        #expect(tokenizer.buildInputsWithSpecialTokens([7], [8, 9]) == [2, 7, 3, 8, 9, 3])
        #expect(tokenizer.createTokenTypeIDs([7], [8, 9]) == [0, 0, 0, 1, 1, 1])
        #expect(tokenizer.specialTokensMask([7]) == [1, 0, 1])
    }
}

private func == (lhs: ([Int], [Int]?), rhs: ([Int], [Int]?)) -> Bool { lhs.0 == rhs.0 && lhs.1 == rhs.1 }
