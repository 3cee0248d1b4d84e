import BertCore

/// One batch of token inputs as Hugging Face takes them: `[batch, seq]`, or `[batch, choices, seq]`
/// for multiple choice. A missing mask means every token is real; missing token types mean type 0.
public struct RunnerInputs: Sendable {
    /// The dimensions of every input, outermost first.
    public let shape: [Int]
    public let inputIds: [Int64]
    public let attentionMask: [Int64]
    public let tokenTypeIds: [Int64]
    /// Where the inputs came from, for messages.
    public let origin: String

    /// Inputs from integer tensors (any integer dtype); all present tensors must share one shape.
    public init(inputIds: Tensor?, attentionMask: Tensor?, tokenTypeIds: Tensor?, origin: String) throws(RunnerError) {
        guard let inputIds else { throw RunnerError(path: origin, .missingInput("input_ids")) }
        for (name, tensor) in [("input_ids", inputIds), ("attention_mask", attentionMask), ("token_type_ids", tokenTypeIds)] {
            guard let tensor else { continue }
            guard !tensor.dtype.isFloatingPoint else {
                throw RunnerError(path: origin, .inputShape(input: name, shape: tensor.shape, expected: "an integer tensor, found \(tensor.dtype.rawValue)"))
            }
            guard tensor.shape == inputIds.shape else {
                throw RunnerError(path: origin, .inputShape(input: name, shape: tensor.shape, expected: "\(inputIds.shape) like input_ids"))
            }
        }
        let count = inputIds.elementCount
        self.init(shape: inputIds.shape, inputIds: inputIds.int64s(),
                  attentionMask: attentionMask?.int64s() ?? Array(repeating: 1, count: count),
                  tokenTypeIds: tokenTypeIds?.int64s() ?? Array(repeating: 0, count: count), origin: origin)
    }

    /// Inputs from values; the arrays hold `shape`'s element count each.
    public init(shape: [Int], inputIds: [Int64], attentionMask: [Int64], tokenTypeIds: [Int64], origin: String) {
        self.shape = shape
        self.inputIds = inputIds
        self.attentionMask = attentionMask
        self.tokenTypeIds = tokenTypeIds
        self.origin = origin
    }

    /// The sequence length (last dimension).
    public var sequenceLength: Int { shape.last ?? 0 }

    /// The number of sequences the encoder runs (batch × choices).
    public var sequenceCount: Int { inputIds.count / max(sequenceLength, 1) }

    /// Checks the inputs against the model: rank, ids in range, mask values, length.
    func validate(config: BertConfig, head: BertHead) throws(RunnerError) {
        let choices = head == .multipleChoice
        guard shape.count == (choices ? 3 : 2), shape.allSatisfy({ $0 > 0 }) else {
            throw RunnerError(path: origin, .inputShape(
                input: "input_ids", shape: shape, expected: choices ? "[batch, choices, seq]" : "[batch, seq]"))
        }
        guard sequenceLength <= config.maxPositionEmbeddings else {
            throw RunnerError(path: origin, .sequenceTooLong(length: sequenceLength, limit: config.maxPositionEmbeddings))
        }
        try checkRange(inputIds, "input_ids", limit: config.vocabSize)
        try checkRange(tokenTypeIds, "token_type_ids", limit: config.typeVocabSize)
        if let bad = attentionMask.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw RunnerError(path: origin, .invalidMask(index: index(of: bad), value: attentionMask[bad]))
        }
    }

    private func checkRange(_ values: [Int64], _ name: String, limit: Int) throws(RunnerError) {
        if let bad = values.firstIndex(where: { $0 < 0 || $0 >= Int64(limit) }) {
            throw RunnerError(path: origin, .idOutOfRange(input: name, index: index(of: bad), value: values[bad], limit: limit))
        }
    }

    /// The multi-dimensional index of flat element `flat`.
    func index(of flat: Int) -> [Int] {
        var rest = flat
        var index = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
