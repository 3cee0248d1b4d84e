/// Model inputs for one sequence or pair, as HF's `BertTokenizer.__call__` returns them with
/// `return_special_tokens_mask=True`.
public struct BertEncoding: Sendable, Equatable {
    public var inputIDs: [Int]
    public var tokenTypeIDs: [Int]
    public var attentionMask: [Int]
    public var specialTokensMask: [Int]

    public init(inputIDs: [Int], tokenTypeIDs: [Int], attentionMask: [Int], specialTokensMask: [Int]) {
        self.inputIDs = inputIDs
        self.tokenTypeIDs = tokenTypeIDs
        self.attentionMask = attentionMask
        self.specialTokensMask = specialTokensMask
    }
}

/// HF's `TruncationStrategy`.
public enum TruncationStrategy: String, Sendable, CaseIterable {
    case longestFirst = "longest_first"
    case onlyFirst = "only_first"
    case onlySecond = "only_second"
    case doNotTruncate = "do_not_truncate"
}

/// HF's `PaddingStrategy` for one encoding (`longest` pads nothing on its own).
public enum PaddingStrategy: String, Sendable, CaseIterable {
    case doNotPad = "do_not_pad"
    case maxLength = "max_length"
}

extension BertTokenizer {
    /// `tokenizer(text, pair, truncation=…, max_length=…, padding=…)`: `maxLength` defaults to the
    /// config's `model_max_length` when truncating or padding.
    public func encode(
        _ text: String, pair: String? = nil, truncation: TruncationStrategy = .doNotTruncate,
        maxLength: Int? = nil, padding: PaddingStrategy = .doNotPad
    ) -> BertEncoding {
        var first = tokenIDs(text)
        var second = pair.map(tokenIDs)
        let limit = maxLength ?? options.modelMaxLength
        if truncation != .doNotTruncate, let limit {
            let total = first.count + (second?.count ?? 0) + (second == nil ? 2 : 3)
            (first, second) = Self.truncate(first, second, removing: total - limit, strategy: truncation)
        }
        var encoding = BertEncoding(
            inputIDs: buildInputsWithSpecialTokens(first, second),
            tokenTypeIDs: createTokenTypeIDs(first, second),
            attentionMask: [],
            specialTokensMask: specialTokensMask(first, second))
        encoding.attentionMask = Array(repeating: 1, count: encoding.inputIDs.count)
        if padding == .maxLength, let limit, encoding.inputIDs.count < limit {
            let count = limit - encoding.inputIDs.count
            encoding.inputIDs += Array(repeating: padID, count: count)
            encoding.tokenTypeIDs += Array(repeating: 0, count: count)
            encoding.attentionMask += Array(repeating: 0, count: count)
            encoding.specialTokensMask += Array(repeating: 1, count: count)
        }
        return encoding
    }

    /// `[CLS] A [SEP]` or `[CLS] A [SEP] B [SEP]`.
    public func buildInputsWithSpecialTokens(_ first: [Int], _ second: [Int]? = nil) -> [Int] {
        guard let second else { return [clsID] + first + [sepID] }
        return [clsID] + first + [sepID] + second + [sepID]
    }

    /// 0 over `[CLS] A [SEP]`, 1 over `B [SEP]`.
    public func createTokenTypeIDs(_ first: [Int], _ second: [Int]? = nil) -> [Int] {
        Array(repeating: 0, count: first.count + 2) + Array(repeating: 1, count: second.map { $0.count + 1 } ?? 0)
    }

    /// 1 at the special tokens `buildInputsWithSpecialTokens` adds, 0 elsewhere.
    public func specialTokensMask(_ first: [Int], _ second: [Int]? = nil) -> [Int] {
        let single = [1] + Array(repeating: 0, count: first.count) + [1]
        guard let second else { return single }
        return single + Array(repeating: 0, count: second.count) + [1]
    }

    /// HF's `truncate_sequences` with right-side truncation. Like HF, a strategy that cannot
    /// remove enough tokens (`only_first` with too short a first sequence) leaves both untouched.
    public static func truncate(
        _ first: [Int], _ second: [Int]?, removing count: Int, strategy: TruncationStrategy
    ) -> ([Int], [Int]?) {
        guard count > 0 else { return (first, second) }
        switch strategy {
        case .doNotTruncate:
            return (first, second)
        case .onlyFirst:
            return first.count > count ? (Array(first.dropLast(count)), second) : (first, second)
        case .longestFirst where second == nil:
            return first.count > count ? (Array(first.dropLast(count)), nil) : (first, nil)
        case .onlySecond:
            guard let second, second.count > count else { return (first, second) }
            return (first, Array(second.dropLast(count)))
        case .longestFirst:
            let secondCount = second?.count ?? 0
            let firstRemove = min(abs(secondCount - first.count), count)
            let rest = count - firstRemove
            let (fromFirst, fromSecond) = first.count > secondCount
                ? (firstRemove + rest / 2, rest - rest / 2)
                : (rest / 2, firstRemove + rest - rest / 2)
            return (Array(first.dropLast(fromFirst)), second.map { Array($0.dropLast(fromSecond)) })
        }
    }
}
