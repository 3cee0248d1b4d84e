import ArgumentParser
import BertCore

/// `bertconv tf2safetensors`: `convert` under the name people look for when they hold a
/// TensorFlow checkpoint (Google BERT TF1 or a TF2 object checkpoint); same options, same path.
struct TF2Safetensors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tf2safetensors",
        abstract: "Convert a TensorFlow checkpoint (prefix, .index file or folder) to a Hugging Face safetensors directory.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var report: ReportOptions

    @Option(help: "Write float tensors as f32, f16 or bf16 (default: keep each tensor's dtype).")
    var dtype: DType?

    func run() throws {
        try SafetensorsConversionCommand.run(model: model, output: output, report: report, dtype: dtype)
    }
}
