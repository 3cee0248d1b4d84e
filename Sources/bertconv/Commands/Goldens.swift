import ArgumentParser
import BertConvKit

/// `bertconv goldens`: records a goldens file with the built-in runner.
struct Goldens: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record a goldens file: run an inputs file through the built-in runner and save inputs and outputs.")

    @OptionGroup var model: ModelOptions

    @Option(help: "Inputs file: a goldens-format safetensors file; its outputs.*, if any, are replaced.")
    var inputs: String?

    @OptionGroup var text: TextInputArguments

    @OptionGroup var output: OutputOptions
    @OptionGroup var runner: RunnerArguments

    func validate() throws { try text.validate(inputs: inputs) }
    @OptionGroup var report: ReportOptions

    func run() throws {
        output.durability.apply()
        let pass = try text.forwardPass(model: model, inputs: inputs, threads: runner.threads)
        try GoldensRecording.write(pass, to: output.output, force: output.force)
        if report.quiet || report.json { return }
        print("\(output.output): \(pass.graph.head.rawValue) goldens, outputs \(pass.outputs.map(\.name).joined(separator: ", "))")
    }
}
