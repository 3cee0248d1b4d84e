import BertCore

/// Any error `quantize` passes on (format, graph, runner, output, gate), keeping its wording, hint
/// and exit category, so the use case throws one concrete type.
public struct QuantizeError: BertConvError {
    /// The error as the layer that found it threw it.
    public let underlying: any BertConvError

    public init(_ underlying: any BertConvError) {
        self.underlying = underlying
    }

    public var exitCategory: ExitCategory { underlying.exitCategory }
    public var description: String { underlying.description }
    public var hint: String? { underlying.hint }
}
