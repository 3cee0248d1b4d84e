import BertCore
import TestSupport
import Testing

@testable import BertTokenizer

/// The committed parity data of goldens/tokenizer (written by generate.py with HF's BertTokenizer).
enum ParityData {
    static let tokenizerDir = ModelFolder.parent(of: Fixtures.root) + "/tokenizer"
    static let uncasedVocab = Fixtures.path("minilm/vocab.txt")
    static let casedDir = tokenizerDir + "/cased"

    /// One corpus line: a text or pair and the call options.
    struct Entry {
        var text: String
        var pair: String?
        var truncation: TruncationStrategy
        var maxLength: Int?
        var padding: PaddingStrategy
    }

    static func corpus() throws -> [Entry] {
        let bytes = try FileBytes.read(tokenizerDir + "/corpus.jsonl")
        return try bytes.split(separator: 0x0A).map { line in
            let json = try StrictJSONParser.parse(line)
            return Entry(
                text: json["text"]!.stringValue!, pair: json["pair"]?.stringValue,
                truncation: json["truncation"].flatMap { TruncationStrategy(rawValue: $0.stringValue!) } ?? .doNotTruncate,
                maxLength: json["max_length"]?.intValue,
                padding: json["padding"].flatMap { PaddingStrategy(rawValue: $0.stringValue!) } ?? .doNotPad)
        }
    }

    /// The expected encodings of `expected-<name>.bin` (format in goldens/tokenizer/README.md).
    static func expected(_ name: String) throws -> [BertEncoding] {
        let bytes = try FileBytes.read(tokenizerDir + "/expected-\(name).bin")
        #expect(Array(bytes[0..<4]) == Array("BTKX".utf8))
        var offset = 4
        func u16() -> Int {
            defer { offset += 2 }
            return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
        }
        func u32() -> Int { u16() | u16() << 16 }
        #expect(u32() == 1)
        let count = u32()
        return (0..<count).map { _ in
            let tokens = u16()
            let ids = (0..<tokens).map { _ in u16() }
            let flags = bytes[offset..<offset + tokens].map(Int.init)
            offset += tokens
            return BertEncoding(
                inputIDs: ids, tokenTypeIDs: flags.map { $0 & 1 }, attentionMask: flags.map { $0 >> 1 & 1 },
                specialTokensMask: flags.map { $0 >> 2 & 1 })
        }
    }
}

@Suite struct CorpusParityTests {
    static let cases: [(name: String, path: String)] = [
        ("uncased", ParityData.uncasedVocab), ("cased", ParityData.casedDir),
    ]

    @Test(arguments: cases.map(\.name))
    func matchesHuggingFaceOnEveryCorpusLine(name: String) throws {
        let tokenizer = try BertTokenizer.load(Self.cases.first { $0.name == name }!.path)
        #expect(tokenizer.options.doLowerCase == (name == "uncased"))
        let corpus = try ParityData.corpus()
        let expected = try ParityData.expected(name)
        #expect(corpus.count >= 10_000)
        #expect(corpus.count == expected.count)
        var mismatches = 0
        for (index, (entry, want)) in zip(corpus, expected).enumerated() {
            let got = tokenizer.encode(
                entry.text, pair: entry.pair, truncation: entry.truncation, maxLength: entry.maxLength, padding: entry.padding)
            guard got != want else { continue }
            mismatches += 1
            if mismatches == 1 {
                Issue.record("""
                    \(name): line \(index + 1) differs: text \(entry.text.debugDescription) pair \(entry.pair.debugDescription)
                    expected ids \(want.inputIDs) types \(want.tokenTypeIDs) special \(want.specialTokensMask)
                    got      ids \(got.inputIDs) types \(got.tokenTypeIDs) special \(got.specialTokensMask)
                    tokens \(got.inputIDs.map { tokenizer.vocabulary.tokens[$0] })
                    """)
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(corpus.count) lines differ")
    }
}
