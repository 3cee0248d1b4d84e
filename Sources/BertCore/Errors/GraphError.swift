/// A model whose tensors do not form a valid canonical BERT graph.
public struct GraphError: BertConvError, Equatable {
    /// The model path the graph was read from.
    public var path: String
    /// What is wrong.
    public var kind: Kind

    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The rule a graph broke.
    public enum Kind: Sendable, Equatable {
        /// Source tensors that no name-map entry maps or skips.
        case unmappedTensors([String])
        /// Canonical tensors the head needs that no source tensor filled.
        case missingTensors([String])
        /// Two source tensors map onto one canonical name.
        case duplicateTarget(canonical: String, sources: [String])
        /// A tensor's shape disagrees with the config.
        case shapeMismatch(tensor: String, expected: [Int], actual: [Int])
        /// A tensor's dtype cannot be used there.
        case dtypeMismatch(tensor: String, expected: String, actual: String)
        /// A transform cannot apply to a tensor's shape.
        case transformFailed(tensor: String, transform: String, shape: [Int])
        /// A config field is missing or has a wrong value.
        case invalidConfig(field: String, reason: String)
        /// The tensors present fit no head, or more than one.
        case unknownHead(String)
        /// A name map file is itself invalid.
        case invalidNameMap(String)
    }

    public var exitCategory: ExitCategory { .badInput }

    public var description: String { "\(path): \(kind.message)" }

    public var hint: String? {
        switch kind {
        case .unknownHead: "hint: pass --head with the Hugging Face class name, e.g. --head BertForSequenceClassification"
        default: nil
        }
    }
}

extension GraphError.Kind {
    /// The wording of every kind, in one place.
    public var message: String {
        switch self {
        case .unmappedTensors(let names):
            "\(names.count) tensor(s) match no name-map entry: \(listed(names))"
        case .missingTensors(let names):
            "missing required tensor(s): \(listed(names))"
        case .duplicateTarget(let canonical, let sources):
            "tensors \(listed(sources)) all map to \(quoted(canonical))"
        case .shapeMismatch(let tensor, let expected, let actual):
            "tensor \(quoted(tensor)) has shape \(actual), config expects \(expected)"
        case .dtypeMismatch(let tensor, let expected, let actual):
            "tensor \(quoted(tensor)) has dtype \(actual), expected \(expected)"
        case .transformFailed(let tensor, let transform, let shape):
            "tensor \(quoted(tensor)): cannot apply \(transform) to shape \(shape)"
        case .invalidConfig(let field, let reason): "config field \(quoted(field)): \(reason)"
        case .unknownHead(let why): "cannot tell the model head: \(why)"
        case .invalidNameMap(let why): "invalid name map: \(why)"
        }
    }
}

/// Lists names in a message, capped so one line stays readable.
func listed(_ names: [String], limit: Int = 8) -> String {
    let shown = names.prefix(limit).map(quoted).joined(separator: ", ")
    return names.count > limit ? "\(shown), … (\(names.count - limit) more)" : shown
}
