import ArgumentParser
import BertConvKit
import BertCore

extension ONNXPrecision: ExpressibleByArgument {}

/// `bertconv export-onnx`: any readable model to an ONNX file that onnxruntime runs.
struct ExportONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-onnx",
        abstract: "Export a model to ONNX (inputs input_ids, attention_mask, token_type_ids; outputs named as Hugging Face's).")

    @OptionGroup var model: ModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var report: ReportOptions

    @Option(help: "Default-domain opset, 17 to 21 (20+ uses the Gelu operator).")
    var opset = 17

    @Option(help: "Weight and compute precision: fp32, fp16 or int8.")
    var precision: ONNXPrecision = .fp32

    @Flag(help: "Use onnxruntime's com.microsoft fused operators (Attention, SkipLayerNormalization, …).")
    var ortOps = false

    @Flag(help: "Store initializers in OUT.data (automatic above 2 GiB).")
    var externalData = false

    @Option(help: "With --precision int8: more layers kept in fp32 (shell globs on module or weight names, as quantize takes them).")
    var exclude: [String] = []

    func validate() throws {
        guard ONNXExportRequest.supportedOpsets.contains(opset) else {
            throw ValidationError("--opset must be between 17 and 21, not \(opset)")
        }
        guard exclude.isEmpty || precision == .int8 else {
            throw ValidationError("--exclude needs --precision int8")
        }
    }

    func run() throws {
        output.durability.apply()
        let summary = try ONNXExport.run(ONNXExportRequest(
            input: model.model, output: output.output, force: output.force, head: model.head, opset: opset,
            precision: precision, ortOps: ortOps, externalData: externalData, exclude: exclude, command: CommandLine.arguments))
        if report.json { return Terminal.printJSON(summary.manifest.json) }
        if report.quiet { return }
        print("\(summary.output): \(summary.head.rawValue) from \(summary.sourceFormat.rawValue), opset \(opset) \(precision.rawValue)"
              + "\(ortOps ? " with com.microsoft operators" : ""), \(summary.nodeCount) nodes, "
              + "\(summary.initializerCount) initializers\(summary.externalData ? " in \(summary.output).data" : "")")
    }
}
