import BertCore

/// A WordPiece vocabulary: tokens by id, with byte-exact lookup of whole tokens and of `##`
/// continuations.
public struct WordPieceVocabulary: Sendable {
    /// The token of each id, in file order (a repeated token appears at each of its lines).
    public let tokens: [String]
    /// Every token, by its UTF-8 bytes.
    let whole: TokenTable
    /// Tokens that start with `##`, by the UTF-8 bytes after the prefix.
    let continuations: TokenTable

    /// A vocabulary of `tokens`, id = position; a repeated token maps to its last position, as
    /// HF's `load_vocab` fills its dict.
    public init(tokens: [String]) {
        self.tokens = tokens
        var whole = TokenTable(expectedCount: tokens.count)
        var continuations = TokenTable(expectedCount: tokens.count / 4)
        for (id, token) in tokens.enumerated() {
            let bytes = Array(token.utf8)
            whole.insert(bytes, id: Int32(id))
            if bytes.starts(with: Self.continuationPrefix) {
                continuations.insert(bytes.dropFirst(2), id: Int32(id))
            }
        }
        self.whole = whole
        self.continuations = continuations
    }

    static let continuationPrefix: [UInt8] = Array("##".utf8)

    /// The number of ids.
    public var count: Int { tokens.count }

    /// The id of `token`, comparing code points exactly (no canonical equivalence).
    public func id(of token: String) -> Int? {
        let bytes = Array(token.utf8)
        // SAFETY: the pointer is used only during the lookup.
        return bytes.withUnsafeBytes { whole.id(of: $0) }.map(Int.init)
    }

    /// The token of `id`, or nil when out of range.
    public func token(for id: Int) -> String? {
        tokens.indices.contains(id) ? tokens[id] : nil
    }

    /// The bytes HF's `save_vocabulary` writes: each distinct token once, by id, one per line.
    public var vocabTxtBytes: [UInt8] {
        var out: [UInt8] = []
        for (id, token) in tokens.enumerated() where self.id(of: token) == id {
            out.append(contentsOf: token.utf8)
            out.append(0x0A)
        }
        return out
    }
}

extension WordPieceVocabulary {
    /// Reads a vocab.txt: one token per line, lines ended by `\n`, `\r\n` or `\r` (Python's
    /// universal newlines, which HF's `load_vocab` reads through).
    public init(vocabTxt bytes: [UInt8], path: String) throws(TokenizerError) {
        var tokens: [String] = []
        var start = 0
        var index = 0
        func take(_ end: Int) throws(TokenizerError) {
            guard let token = String(validating: bytes[start..<end], as: UTF8.self) else {
                throw TokenizerError(path: path, line: tokens.count + 1, byteOffset: start, .invalidUTF8)
            }
            tokens.append(token)
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x0A || byte == 0x0D {
                try take(index)
                index += (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) ? 2 : 1
                start = index
            } else {
                index += 1
            }
        }
        if start < bytes.count { try take(bytes.count) }
        guard !tokens.isEmpty else { throw TokenizerError(path: path, .emptyVocabulary) }
        self.init(tokens: tokens)
    }

    /// Reads `model.vocab` of a tokenizer.json whose model is WordPiece with the `##` prefix.
    public init(tokenizerJSON json: JSONValue, path: String) throws(TokenizerError) {
        let model = json["model"]
        guard let type = model?["type"]?.stringValue else {
            throw TokenizerError(path: path, .invalidField(field: "model.type", expected: "a string"))
        }
        guard type == "WordPiece" else { throw TokenizerError(path: path, .notWordPiece(modelType: type)) }
        if let prefix = model?["continuing_subword_prefix"], prefix.stringValue != "##" {
            throw TokenizerError(path: path, .invalidField(field: "model.continuing_subword_prefix", expected: "\"##\""))
        }
        guard let entries = model?["vocab"]?.objectValue else {
            throw TokenizerError(path: path, .invalidField(field: "model.vocab", expected: "an object"))
        }
        guard !entries.isEmpty else { throw TokenizerError(path: path, .emptyVocabulary) }
        var tokens = [String?](repeating: nil, count: entries.count)
        for (token, value) in entries {
            guard let id = value.intValue else {
                throw TokenizerError(path: path, .invalidField(field: "model.vocab.\(token)", expected: "an integer"))
            }
            guard tokens.indices.contains(id), tokens[id] == nil else {
                throw TokenizerError(path: path, .invalidTokenID(token: token, id: id))
            }
            tokens[id] = token
        }
        self.init(tokens: tokens.compactMap { $0 })
    }
}
