import BertCore
import BertRunner
import BertTokenizer

/// An error of a use case that loads a model and runs it (`verify`, `run`, `goldens`).
public enum RunnerUseCaseError: BertConvError {
    /// Reading the model or the goldens, building the graph, or writing the output failed.
    case core(BertCoreError)
    /// The inputs do not fit the model, or a weight is unusable.
    case runner(RunnerError)
    /// The tokenizer files next to the model (for `--text`) are missing or unusable.
    case tokenizer(TokenizerError)

    /// The wrapped error.
    public var underlying: any BertConvError {
        switch self {
        case .core(let error): error
        case .runner(let error): error
        case .tokenizer(let error): error
        }
    }

    public var exitCategory: ExitCategory { underlying.exitCategory }
    public var description: String { underlying.description }
    public var hint: String? { underlying.hint }
}
