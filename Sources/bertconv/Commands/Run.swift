import ArgumentParser
import BertConvKit
import BertCore

/// `bertconv run`: the built-in runner's outputs for an inputs file, printed or saved as goldens.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a model on an inputs file (a goldens file's inputs.*) and print or save the outputs.")

    @OptionGroup var model: ModelOptions

    @Option(help: "Inputs file: a goldens-format safetensors file; its outputs.*, if any, are ignored.")
    var inputs: String?

    @OptionGroup var text: TextInputArguments

    @Option(name: .shortAndLong, help: "Write the inputs and outputs as a goldens file instead of printing them.")
    var output: String?

    @Flag(help: "Replace the output file if it exists.")
    var force = false

    @OptionGroup var runner: RunnerArguments

    func validate() throws { try text.validate(inputs: inputs) }
    @OptionGroup var report: ReportOptions

    func run() throws {
        let pass = try text.forwardPass(model: model, inputs: inputs, threads: runner.threads)
        if let output {
            try GoldensRecording.write(pass, to: output, force: force)
            if !report.quiet && !report.json { print("\(output): \(pass.outputs.map(\.name).joined(separator: ", "))") }
            return
        }
        if report.json { return try ReportJSON.print(RunReport(pass)) }
        if report.quiet { return }
        print("\(model.model) (\(pass.graph.head.rawValue)) on \(inputs ?? "--text")")
        for output in pass.outputs {
            let values = output.tensor.floats()
            let shown = values.prefix(8).map { String(format: "%.6g", $0) }.joined(separator: ", ")
            print("\(output.name) \(VerifyTable.shape(output.tensor.shape)): [\(shown)\(values.count > 8 ? ", …" : "")]")
        }
    }
}

/// `run --json`: every output in full.
struct RunReport: Encodable {
    struct Output: Encodable {
        let name: String
        let shape: [Int]
        /// Row-major values.
        let values: [Float]
    }

    let model: String
    let head: String
    let outputs: [Output]

    init(_ pass: ForwardPass) {
        model = pass.graph.path
        head = pass.graph.head.rawValue
        outputs = pass.outputs.map { Output(name: $0.name, shape: $0.tensor.shape, values: $0.tensor.floats()) }
    }
}
