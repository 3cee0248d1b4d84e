import BertCore
import BertFormats
import BertTokenizer

/// What `tokenize` reports: per text, the tokens and the model inputs HF's BertTokenizer builds.
public struct TokenizeReport: Sendable {
    /// One encoded text (or pair).
    public struct Item: Sendable {
        public let text: String
        public let pair: String?
        public let tokens: [String]
        public let encoding: BertEncoding
    }

    /// The vocabulary file or model folder the tokenizer was loaded from.
    public let vocabulary: String
    public let items: [Item]

    /// Encodes each of `texts` (each with `pair`, when given) with the tokenizer at `vocabulary`
    /// (a vocab.txt, a tokenizer.json or a model folder).
    public static func tokenize(
        vocabulary: String, texts: [String], pair: String? = nil, truncation: TruncationStrategy = .doNotTruncate,
        maxLength: Int? = nil, padding: PaddingStrategy = .doNotPad
    ) throws(TokenizerError) -> TokenizeReport {
        let tokenizer = try BertTokenizer.load(vocabulary)
        let items = texts.map { text in
            let encoding = tokenizer.encode(text, pair: pair, truncation: truncation, maxLength: maxLength, padding: padding)
            return Item(text: text, pair: pair, tokens: encoding.inputIDs.map { tokenizer.vocabulary.tokens[$0] }, encoding: encoding)
        }
        return TokenizeReport(vocabulary: vocabulary, items: items)
    }

    /// The `--json` document: HF's field names.
    public var json: JSONValue {
        .object([
            ("vocabulary", .string(vocabulary)),
            ("encodings", .array(items.map { item in
                var fields: [(key: String, value: JSONValue)] = [("text", .string(item.text))]
                if let pair = item.pair { fields.append(("pair", .string(pair))) }
                let ints = { (values: [Int]) in JSONValue.array(values.map { .int($0) }) }
                fields += [
                    ("tokens", .array(item.tokens.map { .string($0) })),
                    ("input_ids", ints(item.encoding.inputIDs)),
                    ("token_type_ids", ints(item.encoding.tokenTypeIDs)),
                    ("attention_mask", ints(item.encoding.attentionMask)),
                    ("special_tokens_mask", ints(item.encoding.specialTokensMask)),
                ]
                return .object(fields)
            })),
        ])
    }
}

/// Model inputs for `--text`/`--pair` on commands that run a model: the tokenizer files found next
/// to the model (vocab.txt or tokenizer.json, with tokenizer_config.json).
public enum ModelTextInputs {
    /// The encoding of `text` (and `pair`) by the tokenizer beside `modelPath` (a model folder or
    /// a file inside one); truncated to `maxLength` (longest first) when given.
    public static func encode(
        modelPath: String, text: String, pair: String? = nil, maxLength: Int? = nil
    ) throws(TokenizerError) -> BertEncoding {
        try tokenizer(modelPath: modelPath).encode(text, pair: pair, truncation: maxLength == nil ? .doNotTruncate : .longestFirst, maxLength: maxLength)
    }

    /// The tokenizer beside `modelPath` (a model folder or a file inside one).
    public static func tokenizer(modelPath: String) throws(TokenizerError) -> BertTokenizer {
        try BertTokenizer.load(FileBytes.isDirectory(modelPath) ? modelPath : ModelFolder.parent(of: modelPath))
    }

    /// The encoding as a goldens file's inputs (I64, batch of one) with no outputs.
    public static func goldensInputs(modelPath: String, text: String, pair: String?) throws(TokenizerError) -> GoldensFile {
        let encoding = try encode(modelPath: modelPath, text: text, pair: pair)
        let tensor = { (values: [Int]) in Tensor(int64: values.map(Int64.init), shape: [1, values.count]) }
        return GoldensFile(
            inputs: [
                "input_ids": tensor(encoding.inputIDs), "attention_mask": tensor(encoding.attentionMask),
                "token_type_ids": tensor(encoding.tokenTypeIDs),
            ],
            outputs: [], metadata: [("format", GoldensFile.formatName), ("version", "1")])
    }
}
