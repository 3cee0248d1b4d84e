import ArgumentParser
import BertCore
import BertFormats

extension DType: ExpressibleByArgument {
    public init?(argument: String) {
        guard let dtype = DType(rawValue: argument.uppercased()), dtype.isFloatingPoint else { return nil }
        self = dtype
    }
    public static var allValueStrings: [String] { ["f32", "f16", "bf16"] }
}

extension BertHead: ExpressibleByArgument {
    public init?(argument: String) { self.init(className: argument) }
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

/// Options every command that writes an output shares.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "Output path.")
    var output: String

    @Flag(help: "Replace the output if it exists.")
    var force = false

    @OptionGroup var durability: DurabilityOptions
}

/// `--fsync`, for every command that writes outputs.
struct DurabilityOptions: ParsableArguments {
    @Flag(help: "Flush every output file and folder to disk before renaming it into place (durable across power loss).")
    var fsync = false

    /// Sets `OutputDurability` for this process from the flag.
    func apply() { OutputDurability.syncToDisk = fsync }
}

/// Options every command that reports shares.
struct ReportOptions: ParsableArguments {
    @Flag(help: "Print a JSON document instead of a table.")
    var json = false

    @Flag(name: .shortAndLong, help: "Print nothing but errors.")
    var quiet = false
}

/// Options for reading a model.
struct ModelOptions: ParsableArguments {
    @Argument(help: "Model path: a file, a checkpoint prefix or a directory.")
    var model: String

    @Option(help: "Head class when it cannot be detected (e.g. BertForSequenceClassification).")
    var head: BertHead?
}
