/// HF's `BasicTokenizer.tokenize` (transformers 4.57 `tokenization_bert.py`) feeding each word to a
/// `WordPieceWriter`: cleaning, CJK spacing, NFC, whitespace split, lower-casing, accent stripping,
/// punctuation split. Input is one stretch of text between special tokens.
struct BasicTokenizer: Sendable {
    let doLowerCase: Bool
    let stripsAccents: Bool
    let tokenizeChineseChars: Bool
    let doBasicTokenize: Bool
    /// `never_split` from the configuration: such words become one token each.
    let neverSplit: Set<[Unicode.Scalar]>
    /// `never_split` plus the special tokens, which HF passes to `BasicTokenizer.tokenize`: such
    /// words are neither lower-cased nor split on punctuation.
    let keptWhole: Set<[Unicode.Scalar]>

    /// Whether the byte fast path gives the same result as the scalar path for `bytes`: ASCII
    /// without control characters (after whose removal a special token could appear) and no
    /// configured `never_split`.
    func canUseASCIIPath(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard doBasicTokenize, neverSplit.isEmpty else { return false }
        for byte in bytes where byte >= 0x80 || CharacterRules.ascii[Int(byte)] & CharacterRules.dropped != 0 {
            return false
        }
        return true
    }

    /// The whole pipeline on ASCII bytes accepted by `canUseASCIIPath`.
    func write(ascii bytes: UnsafeRawBufferPointer, into writer: inout WordPieceWriter) {
        for byte in bytes {
            let flags = CharacterRules.ascii[Int(byte)]
            if flags & CharacterRules.whitespace != 0 {
                writer.endWord()
            } else if flags & CharacterRules.punctuation != 0 {
                writer.endWord()
                writer.append(ascii: byte)
                writer.endWord()
            } else {
                writer.append(ascii: doLowerCase && flags & CharacterRules.upper != 0 ? byte | 0x20 : byte)
            }
        }
        writer.endWord()
    }

    /// The whole pipeline on any text.
    func write(_ scalars: some Sequence<Unicode.Scalar>, into writer: inout WordPieceWriter) {
        var text: [Unicode.Scalar] = []
        text.reserveCapacity(scalars.underestimatedCount + 8)
        var lowered: [Unicode.Scalar] = []
        for scalar in scalars {
            guard doLowerCase else {
                clean(scalar, into: &text)
                continue
            }
            lowered.removeAll(keepingCapacity: true)
            CharacterRules.appendLowercased(scalar, to: &lowered)
            for scalar in lowered { clean(scalar, into: &text) }
        }
        guard doBasicTokenize else {
            // Without basic tokenization HF runs WordPiece on the whitespace-split (pre-lowered) text.
            forEachWhitespaceToken(in: text) { word in
                for scalar in word { writer.append(scalar) }
                writer.endWord()
            }
            return
        }
        // NFC runs per whitespace-separated token: no scalar composes or reorders across U+0020,
        // U+2028 or U+2029, and no NFC result contains whitespace left after cleaning.
        forEachWhitespaceToken(in: text) { token in
            let token = Normalization.nfc(token)
            if !keptWhole.isEmpty, keptWhole.contains(Array(token)) {
                for scalar in token { writer.append(scalar) }
                if neverSplit.contains(Array(token)) { writer.endUnsplitWord() } else { writer.endWord() }
                return
            }
            var word = token
            if doLowerCase {
                lowered.removeAll(keepingCapacity: true)
                for scalar in token { CharacterRules.appendLowercased(scalar, to: &lowered) }
                word = lowered[...]
            }
            let stripped = stripsAccents ? Normalization.strippingAccents(word)[...] : word
            splitOnPunctuation(stripped, into: &writer)
        }
    }

    /// `_clean_text` and `_tokenize_chinese_chars` for one scalar (nothing without basic
    /// tokenization).
    @inline(__always)
    private func clean(_ scalar: Unicode.Scalar, into text: inout [Unicode.Scalar]) {
        guard doBasicTokenize else {
            text.append(scalar)
            return
        }
        if CharacterRules.isDropped(scalar) { return }
        if CharacterRules.isWhitespace(scalar) {
            text.append(" ")
        } else if tokenizeChineseChars && CharacterRules.isChinese(scalar.value) {
            text.append(" ")
            text.append(scalar)
            text.append(" ")
        } else {
            text.append(scalar)
        }
    }

    /// `_run_split_on_punc`, then the final `whitespace_tokenize` of the joined pieces.
    private func splitOnPunctuation(_ word: ArraySlice<Unicode.Scalar>, into writer: inout WordPieceWriter) {
        for scalar in word {
            if CharacterRules.isPunctuation(scalar) {
                writer.endWord()
                writer.append(scalar)
                writer.endWord()
            } else if CharacterRules.isPythonSpace(scalar.value) {
                writer.endWord()
            } else {
                writer.append(scalar)
            }
        }
        writer.endWord()
    }

    /// Python's `str.split()`: maximal runs of non-space scalars.
    private func forEachWhitespaceToken(in text: [Unicode.Scalar], _ body: (ArraySlice<Unicode.Scalar>) -> Void) {
        var index = 0
        while index < text.count {
            while index < text.count, CharacterRules.isPythonSpace(text[index].value) { index += 1 }
            let start = index
            while index < text.count, !CharacterRules.isPythonSpace(text[index].value) { index += 1 }
            if index > start { body(text[start..<index]) }
        }
    }
}
