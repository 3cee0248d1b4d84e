/// Either kind of input error, for functions that both read files and check graphs.
public enum BertCoreError: BertConvError {
    case format(FormatError)
    case graph(GraphError)

    public var exitCategory: ExitCategory { .badInput }

    public var description: String {
        switch self {
        case .format(let error): error.description
        case .graph(let error): error.description
        }
    }

    public var hint: String? {
        switch self {
        case .format(let error): error.hint
        case .graph(let error): error.hint
        }
    }
}
