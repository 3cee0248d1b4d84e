/// Collects one word at a time and appends its WordPiece ids: greedy longest-match-first over
/// code points, `##` continuations, and one unknown token for a word that does not split or
/// that has more than `maxInputCharsPerWord` code points (HF `WordpieceTokenizer.tokenize`).
struct WordPieceWriter {
    let vocabulary: WordPieceVocabulary
    let unknownID: Int32
    let maxInputCharsPerWord: Int
    /// The ids so far.
    var ids: [Int32] = []
    /// The current word's UTF-8 bytes.
    private var bytes: [UInt8] = []
    /// The byte offset where each code point of the current word starts.
    private var starts: [Int32] = []

    init(vocabulary: WordPieceVocabulary, unknownID: Int32, maxInputCharsPerWord: Int) {
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.maxInputCharsPerWord = maxInputCharsPerWord
        bytes.reserveCapacity(64)
        starts.reserveCapacity(64)
    }

    @inline(__always)
    mutating func append(ascii byte: UInt8) {
        starts.append(Int32(bytes.count))
        bytes.append(byte)
    }

    @inline(__always)
    mutating func append(_ scalar: Unicode.Scalar) {
        starts.append(Int32(bytes.count))
        if scalar.value < 0x80 {
            bytes.append(UInt8(scalar.value))
        } else {
            UTF8.encode(scalar) { bytes.append($0) }
        }
    }

    /// Whether a word is being collected.
    var hasWord: Bool { !starts.isEmpty }

    /// Ends the current word (if any) and appends its pieces.
    mutating func endWord() {
        guard !starts.isEmpty else { return }
        defer {
            bytes.removeAll(keepingCapacity: true)
            starts.removeAll(keepingCapacity: true)
        }
        let charCount = starts.count
        guard charCount <= maxInputCharsPerWord else {
            ids.append(unknownID)
            return
        }
        starts.append(Int32(bytes.count))
        var out: [Int32] = []
        swap(&out, &ids)
        defer { swap(&out, &ids) }
        let firstPiece = out.count
        // SAFETY: every range below lies within `bytes`, which is not mutated during the loop.
        let complete = bytes.withUnsafeBytes { word -> Bool in
            var start = 0
            while start < charCount {
                let table = start == 0 ? vocabulary.whole : vocabulary.continuations
                let startByte = Int(starts[start])
                var end = charCount
                while end > start, Int(starts[end]) - startByte > table.maxKeyByteCount { end -= 1 }
                var found: Int32?
                while end > start {
                    let piece = UnsafeRawBufferPointer(rebasing: word[startByte..<Int(starts[end])])
                    if let id = table.id(of: piece) {
                        found = id
                        break
                    }
                    end -= 1
                }
                guard let found else { return false }
                out.append(found)
                start = end
            }
            return true
        }
        if !complete {
            out.removeSubrange(firstPiece...)
            out.append(unknownID)
        }
    }

    /// Appends the current word as one token, looked up whole (a `never_split` token).
    mutating func endUnsplitWord() {
        // SAFETY: the pointer is used only during the lookup.
        let id = bytes.withUnsafeBytes { vocabulary.whole.id(of: $0) }
        ids.append(id ?? unknownID)
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }
}
