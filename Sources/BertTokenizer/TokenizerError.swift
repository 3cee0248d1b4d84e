import BertCore

/// Tokenizer files (vocab.txt, tokenizer.json, tokenizer_config.json) that cannot be used as a
/// BERT WordPiece tokenizer: names the file, and where known the line or field.
public struct TokenizerError: BertConvError, Equatable {
    /// The file (or directory) being read.
    public var path: String
    /// The 1-based line of a vocab.txt the problem belongs to, if any.
    public var line: Int?
    /// The byte offset in `path` at which the problem was found, if known.
    public var byteOffset: Int?
    /// What is wrong.
    public var kind: Kind

    public init(path: String, line: Int? = nil, byteOffset: Int? = nil, _ kind: Kind) {
        self.path = path
        self.line = line
        self.byteOffset = byteOffset
        self.kind = kind
    }

    /// A file-level failure (unreadable, too large, invalid JSON) reported by `FileBytes`.
    init(_ error: FormatError) {
        self.init(path: error.path, byteOffset: error.byteOffset, .file(error.kind))
    }

    /// The rule tokenizer files broke.
    public enum Kind: Sendable, Equatable {
        /// The file could not be read or parsed at all.
        case file(FormatError.Kind)
        /// A directory holds neither vocab.txt nor tokenizer.json.
        case noVocabulary
        /// The vocabulary holds no token.
        case emptyVocabulary
        /// A vocab.txt line is not valid UTF-8.
        case invalidUTF8
        /// A special token (unk, sep, pad, cls, mask) is not in the vocabulary.
        case missingSpecialToken(role: String, token: String)
        /// tokenizer.json describes a model other than WordPiece.
        case notWordPiece(modelType: String)
        /// A configuration field has the wrong JSON type or value.
        case invalidField(field: String, expected: String)
        /// A tokenizer.json vocabulary entry has an id that is negative, repeated or leaves a gap.
        case invalidTokenID(token: String, id: Int)
    }

    public var exitCategory: ExitCategory { .badInput }

    public var description: String {
        var where_: [String] = []
        if let line { where_.append("line \(line)") }
        if let byteOffset { where_.append("at offset \(byteOffset)") }
        let location = where_.isEmpty ? "" : where_.joined(separator: " ") + ": "
        return "\(path): \(location)\(kind.message)"
    }

    public var hint: String? {
        kind == .noVocabulary ? "hint: put the model's vocab.txt or tokenizer.json (and tokenizer_config.json) in that folder" : nil
    }
}

extension TokenizerError.Kind {
    /// The wording of every kind, in one place.
    public var message: String {
        switch self {
        case .file(let kind): kind.message
        case .noVocabulary: "no vocab.txt or tokenizer.json"
        case .emptyVocabulary: "vocabulary holds no token"
        case .invalidUTF8: "token is not valid UTF-8"
        case .missingSpecialToken(let role, let token): "\(role) token '\(token)' is not in the vocabulary"
        case .notWordPiece(let type): "model type '\(type)' is not WordPiece"
        case .invalidField(let field, let expected): "field '\(field)' must be \(expected)"
        case .invalidTokenID(let token, let id): "token '\(token)' has id \(id), which is negative, repeated or leaves a gap"
        }
    }
}
