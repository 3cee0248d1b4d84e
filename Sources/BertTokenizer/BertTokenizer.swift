/// A WordPiece tokenizer that gives the same ids as Hugging Face's (slow, reference)
/// `BertTokenizer` (transformers 4.57): special tokens found in the text, HF's pre-lower-casing,
/// `BasicTokenizer`, then `WordpieceTokenizer`.
public struct BertTokenizer: Sendable {
    public let vocabulary: WordPieceVocabulary
    public let options: BertTokenizerOptions
    let basic: BasicTokenizer
    /// Special tokens in `all_special_tokens` order: UTF-8 bytes and id.
    let specials: [(bytes: [UInt8], id: Int32)]
    /// Whether every special token changes when lower-cased, so lower-cased text can never spell
    /// one and special tokens may be found before lower-casing.
    let specialsSurviveLowering: Bool
    public let unknownID: Int
    public let sepID: Int
    public let padID: Int
    public let clsID: Int
    public let maskID: Int

    /// A tokenizer over `vocabulary`; `path` names the vocabulary in errors.
    public init(vocabulary: WordPieceVocabulary, options: BertTokenizerOptions = .init(), path: String) throws(TokenizerError) {
        var ids: [Int] = []
        for (role, token) in options.specialTokens {
            guard let id = vocabulary.id(of: token) else {
                throw TokenizerError(path: path, .missingSpecialToken(role: role, token: token))
            }
            ids.append(id)
        }
        self.vocabulary = vocabulary
        self.options = options
        (unknownID, sepID, padID, clsID, maskID) = (ids[0], ids[1], ids[2], ids[3], ids[4])
        specials = zip(options.specialTokens, ids).map { (Array($0.token.utf8), Int32($1)) }
        specialsSurviveLowering = options.specialTokens.allSatisfy { $0.token.lowercased() != $0.token }
        let neverSplit = Set(options.neverSplit.map { Array($0.unicodeScalars) })
        basic = BasicTokenizer(
            doLowerCase: options.doLowerCase, stripsAccents: options.stripsAccents,
            tokenizeChineseChars: options.tokenizeChineseChars, doBasicTokenize: options.doBasicTokenize,
            neverSplit: neverSplit,
            keptWhole: neverSplit.union(options.specialTokens.map { Array($0.token.unicodeScalars) }))
    }

    /// The ids of `text` without special tokens added (`tokenize` + `convert_tokens_to_ids`).
    public func tokenIDs(_ text: String) -> [Int] {
        ids32(text).map(Int.init)
    }

    /// The tokens of `text` (HF `tokenize`).
    public func tokenize(_ text: String) -> [String] {
        ids32(text).map { vocabulary.tokens[Int($0)] }
    }

    func ids32(_ text: String) -> [Int32] {
        var writer = WordPieceWriter(
            vocabulary: vocabulary, unknownID: Int32(unknownID), maxInputCharsPerWord: options.maxInputCharsPerWord)
        var text = options.doLowerCase && !specialsSurviveLowering ? lowercasedKeepingSpecials(text) : text
        text.withUTF8 { utf8 in
            // SAFETY: `utf8` is valid for the closure; segments are sub-ranges of it.
            let bytes = UnsafeRawBufferPointer(utf8)
            var segmentStart = 0
            var index = 0
            while index < bytes.count {
                if let special = special(at: index, in: bytes) {
                    writeSegment(UnsafeRawBufferPointer(rebasing: bytes[segmentStart..<index]), into: &writer)
                    writer.ids.append(special.id)
                    index += special.bytes.count
                    segmentStart = index
                } else {
                    index += 1
                }
            }
            writeSegment(UnsafeRawBufferPointer(rebasing: bytes[segmentStart...]), into: &writer)
        }
        return writer.ids
    }

    /// The longest special token starting at `index` (HF's added-tokens trie).
    @inline(__always)
    private func special(at index: Int, in bytes: UnsafeRawBufferPointer) -> (bytes: [UInt8], id: Int32)? {
        var best: (bytes: [UInt8], id: Int32)?
        for special in specials where special.bytes.first == bytes[index] && special.bytes.count <= bytes.count - index {
            if (best?.bytes.count ?? 0) < special.bytes.count,
               special.bytes.indices.allSatisfy({ special.bytes[$0] == bytes[index + $0] }) {
                best = special
            }
        }
        return best
    }

    private func writeSegment(_ bytes: UnsafeRawBufferPointer, into writer: inout WordPieceWriter) {
        guard !bytes.isEmpty else { return }
        if basic.canUseASCIIPath(bytes) {
            basic.write(ascii: bytes, into: &writer)
        } else {
            basic.write(UTF8Scalars(bytes: bytes), into: &writer)
        }
    }

    /// HF's pre-lower-casing in `PreTrainedTokenizer.tokenize`: each code point not inside a
    /// special token is lower-cased on its own (so U+03A3 never takes its final form).
    private func lowercasedKeepingSpecials(_ text: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let specialScalars = options.specialTokens.map { Array($0.token.unicodeScalars) }
        var out: [Unicode.Scalar] = []
        out.reserveCapacity(scalars.count)
        var index = 0
        while index < scalars.count {
            if let special = specialScalars.first(where: { scalars[index...].starts(with: $0) && !$0.isEmpty }) {
                out.append(contentsOf: special)
                index += special.count
            } else {
                CharacterRules.appendLowercased(scalars[index], to: &out)
                index += 1
            }
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: out)
        return String(view)
    }
}
