import ArgumentParser
import BertConvKit
import BertCore

/// `bertconv convert`: any readable model to a Hugging Face safetensors directory with a manifest.
struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a model to a Hugging Face safetensors directory (with manifest.json).")

    @OptionGroup var model: ModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var report: ReportOptions

    @Option(help: "Write float tensors as f32, f16 or bf16 (default: keep each tensor's dtype).")
    var dtype: DType?

    func run() throws {
        try SafetensorsConversionCommand.run(model: model, output: output, report: report, dtype: dtype)
    }
}

/// The shared body of `convert` and its format-named aliases (`tf2safetensors`, …).
enum SafetensorsConversionCommand {
    static func run(model: ModelOptions, output: OutputOptions, report: ReportOptions, dtype: DType?) throws {
        output.durability.apply()
        let summary = try SafetensorsConversion.run(ConvertOptions(
            input: model.model, output: output.output, force: output.force, dtype: dtype, head: model.head,
            command: CommandLine.arguments))
        if report.json { return Terminal.printJSON(summary.manifest.json) }
        if report.quiet { return }
        print("\(summary.output): \(summary.head.rawValue) from \(summary.sourceFormat.rawValue), "
              + "\(summary.tensorCount) tensors written, \(summary.skippedCount) skipped (see manifest.json)")
    }
}
