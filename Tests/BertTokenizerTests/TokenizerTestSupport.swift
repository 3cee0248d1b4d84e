@testable import BertTokenizer

/// A small uncased vocabulary: specials, then words, continuations and single characters.
let smallTokens = [
    "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "un", "##aff", "##able", "hello", "world", ",", "!", "a", "##b",
    "σ", "##α", "##σ", "ς", "中", "ᄒ", "##ᅡ", "##ᆫ", "한", "Hello", "cafe", "café", "##s", "[", "]", "mask", "x",
]

/// A tokenizer over `smallTokens` with `configure` applied to default options.
func smallTokenizer(_ configure: (inout BertTokenizerOptions) -> Void = { _ in }) throws -> BertTokenizer {
    var options = BertTokenizerOptions()
    configure(&options)
    return try BertTokenizer(vocabulary: WordPieceVocabulary(tokens: smallTokens), options: options, path: "vocab.txt")
}
