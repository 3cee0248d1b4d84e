import BertCore

/// The settings of HF's `BertTokenizer.__init__`, as tokenizer_config.json spells them.
public struct BertTokenizerOptions: Sendable, Equatable {
    public var doLowerCase = true
    public var doBasicTokenize = true
    public var neverSplit: [String] = []
    public var tokenizeChineseChars = true
    /// nil: strip accents exactly when lower-casing (original BERT).
    public var stripAccents: Bool?
    public var unkToken = "[UNK]"
    public var sepToken = "[SEP]"
    public var padToken = "[PAD]"
    public var clsToken = "[CLS]"
    public var maskToken = "[MASK]"
    public var maxInputCharsPerWord = 100
    /// The default `max_length` for truncation and padding; nil when the config sets none.
    public var modelMaxLength: Int?

    public init() {}

    /// Whether `_run_strip_accents` runs: `strip_accents`, or when nil, `do_lower_case`.
    public var stripsAccents: Bool { stripAccents ?? doLowerCase }

    /// The special tokens in HF's `all_special_tokens` order, with their roles.
    var specialTokens: [(role: String, token: String)] {
        [("unk", unkToken), ("sep", sepToken), ("pad", padToken), ("cls", clsToken), ("mask", maskToken)]
    }
}

extension BertTokenizerOptions {
    /// Applies the fields of a tokenizer_config.json (unknown fields are ignored, as HF does).
    mutating func apply(tokenizerConfig json: JSONValue, path: String) throws(TokenizerError) {
        let reader = ConfigFields(json: json, path: path)
        doLowerCase = try reader.bool("do_lower_case") ?? doLowerCase
        doBasicTokenize = try reader.bool("do_basic_tokenize") ?? doBasicTokenize
        tokenizeChineseChars = try reader.bool("tokenize_chinese_chars") ?? tokenizeChineseChars
        if json["strip_accents"] != nil { stripAccents = try reader.bool("strip_accents") }
        neverSplit = try reader.strings("never_split") ?? neverSplit
        if let length = json["model_max_length"] {
            // HF writes int(1e30) (a float in JSON) for "no limit".
            guard let number = length.doubleValue else {
                throw TokenizerError(path: path, .invalidField(field: "model_max_length", expected: "a number"))
            }
            modelMaxLength = number < 1e18 ? Int(number) : nil
        }
        try apply(specialTokens: json, path: path)
    }

    /// Applies the token fields of tokenizer_config.json or special_tokens_map.json; each is a
    /// string or an AddedToken object with `content`.
    mutating func apply(specialTokens json: JSONValue, path: String) throws(TokenizerError) {
        let reader = ConfigFields(json: json, path: path)
        unkToken = try reader.token("unk_token") ?? unkToken
        sepToken = try reader.token("sep_token") ?? sepToken
        padToken = try reader.token("pad_token") ?? padToken
        clsToken = try reader.token("cls_token") ?? clsToken
        maskToken = try reader.token("mask_token") ?? maskToken
    }

    /// Applies the BertNormalizer and WordPiece settings of a tokenizer.json.
    mutating func apply(tokenizerJSON json: JSONValue, path: String) throws(TokenizerError) {
        if let normalizer = json["normalizer"], normalizer != .null {
            guard normalizer["type"]?.stringValue == "BertNormalizer" else {
                throw TokenizerError(path: path, .invalidField(field: "normalizer.type", expected: "\"BertNormalizer\""))
            }
            let reader = ConfigFields(json: normalizer, path: path, prefix: "normalizer.")
            doLowerCase = try reader.bool("lowercase") ?? doLowerCase
            tokenizeChineseChars = try reader.bool("handle_chinese_chars") ?? tokenizeChineseChars
            if normalizer["strip_accents"] != nil { stripAccents = try reader.bool("strip_accents") }
        }
        if let model = json["model"] {
            let reader = ConfigFields(json: model, path: path, prefix: "model.")
            unkToken = try reader.token("unk_token") ?? unkToken
            maxInputCharsPerWord = try reader.int("max_input_chars_per_word") ?? maxInputCharsPerWord
        }
    }
}

/// Typed access to optional configuration fields, naming the field when its type is wrong.
private struct ConfigFields {
    let json: JSONValue
    let path: String
    var prefix = ""

    private func wrong(_ key: String, _ expected: String) -> TokenizerError {
        TokenizerError(path: path, .invalidField(field: prefix + key, expected: expected))
    }

    /// nil when absent or null.
    func bool(_ key: String) throws(TokenizerError) -> Bool? {
        guard let value = json[key], value != .null else { return nil }
        guard let bool = value.boolValue else { throw wrong(key, "true, false or null") }
        return bool
    }

    func int(_ key: String) throws(TokenizerError) -> Int? {
        guard let value = json[key], value != .null else { return nil }
        guard let int = value.intValue, int > 0 else { throw wrong(key, "a positive integer") }
        return int
    }

    func strings(_ key: String) throws(TokenizerError) -> [String]? {
        guard let value = json[key], value != .null else { return nil }
        guard let items = value.arrayValue?.compactMap(\.stringValue), items.count == value.arrayValue?.count else {
            throw wrong(key, "a list of strings or null")
        }
        return items
    }

    func token(_ key: String) throws(TokenizerError) -> String? {
        guard let value = json[key], value != .null else { return nil }
        guard let token = value.stringValue ?? value["content"]?.stringValue else {
            throw wrong(key, "a string or an object with 'content'")
        }
        return token
    }
}
