/// Any error of the core layer, for functions that read inputs, check graphs and write outputs.
public enum BertCoreError: BertConvError {
    case format(FormatError)
    case graph(GraphError)
    case output(OutputError)

    /// The wrapped error.
    public var underlying: any BertConvError {
        switch self {
        case .format(let error): error
        case .graph(let error): error
        case .output(let error): error
        }
    }

    public var exitCategory: ExitCategory { underlying.exitCategory }
    public var description: String { underlying.description }
    public var hint: String? { underlying.hint }
}
