import BertCore

/// Any library error a use case passes on (format, graph, runner, output), keeping its wording,
/// hint and exit category, so use cases can throw one concrete type.
public struct UseCaseError: BertConvError {
    /// The error as the layer that found it threw it.
    public let underlying: any BertConvError

    public init(_ underlying: any BertConvError) {
        self.underlying = underlying
    }

    public var exitCategory: ExitCategory { underlying.exitCategory }
    public var description: String { underlying.description }
    public var hint: String? { underlying.hint }
}
