import BertCore

/// Inputs the model cannot run, or weights the runner cannot use; names the file and the value.
public struct RunnerError: BertConvError, Equatable {
    /// The inputs file (or model path) the problem belongs to.
    public var path: String
    /// What is wrong.
    public var kind: Kind

    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The rule the inputs or the weights broke.
    public enum Kind: Sendable, Equatable {
        /// A required input tensor is absent.
        case missingInput(String)
        /// An input's shape or dtype does not fit (rank, batch/seq agreement, choices).
        case inputShape(input: String, shape: [Int], expected: String)
        /// An id is outside the embedding table it indexes.
        case idOutOfRange(input: String, index: [Int], value: Int64, limit: Int)
        /// An attention-mask value other than 0 or 1.
        case invalidMask(index: [Int], value: Int64)
        /// The sequence is longer than the position embeddings.
        case sequenceTooLong(length: Int, limit: Int)
        /// A weight has a dtype the fp32 runner cannot use.
        case unsupportedWeight(tensor: String, dtype: DType)
        /// A `hidden_act` the runner does not implement.
        case unsupportedActivation(String)
        /// A weight the forward pass needs is not in the graph.
        case missingWeight(String)
        /// A weight could not be read.
        case unreadableWeight(FormatError)
    }

    public var exitCategory: ExitCategory { .badInput }

    public var description: String {
        if case .unreadableWeight(let error) = kind { return error.description }
        return "\(path): \(kind.message)"
    }
}

extension RunnerError.Kind {
    /// The wording of every kind, in one place.
    public var message: String {
        switch self {
        case .missingInput(let name): "missing input '\(name)'"
        case .inputShape(let input, let shape, let expected): "input '\(input)' has shape \(shape), expected \(expected)"
        case .idOutOfRange(let input, let index, let value, let limit):
            "input '\(input)' at \(index) is \(value), outside the model's range 0..<\(limit)"
        case .invalidMask(let index, let value): "input 'attention_mask' at \(index) is \(value), expected 0 or 1"
        case .sequenceTooLong(let length, let limit):
            "sequence length \(length) exceeds max_position_embeddings \(limit)"
        case .unsupportedWeight(let tensor, let dtype): "tensor '\(tensor)' has dtype \(dtype.rawValue), the fp32 runner needs a float type"
        case .unsupportedActivation(let name): "config field 'hidden_act': unsupported activation '\(name)'"
        case .missingWeight(let tensor): "the model has no tensor '\(tensor)'"
        case .unreadableWeight(let error): error.description
        }
    }
}
