import ArgumentParser
import BertConvKit
import BertCore
import BertQuant

extension WeightClipping: ExpressibleByArgument {}

/// Where the word embeddings end up.
enum EmbeddingPrecision: String, ExpressibleByArgument {
    case int8, fp32
}

/// How activations are quantized at run time.
enum ActivationScales: String, ExpressibleByArgument {
    case dynamic, `static`
}

/// `bertconv quantize --int8`: int8 weights (+ embeddings) in compressed-tensors' layout, with an
/// optional calibration and accuracy gate against the fp32 model.
struct Quantize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Quantize a model to int8 (compressed-tensors int-quantized safetensors, manifest, report).",
        discussion: """
            Exit codes: 0 written; 1 the accuracy gate could not be met (the best figures are named, \
            nothing is written but --report); 2 bad input or usage; 3 the output could not be written.
            """)

    @OptionGroup var model: ModelOptions
    @OptionGroup var output: OutputOptions
    @OptionGroup var reportOptions: ReportOptions

    @Flag(help: "Quantize to int8 (symmetric, per output channel).")
    var int8 = false

    @Flag(help: "One scale per weight tensor instead of per output channel (for comparison).")
    var perTensor = false

    @Option(help: "Word embeddings: int8 (per row) or fp32.")
    var embeddings: EmbeddingPrecision = .int8

    @Option(parsing: .upToNextOption, help: "Layers kept in fp32 (shell globs on module or weight names).")
    var exclude: [String] = []

    @Option(help: "Calibration inputs: a text file (one sentence per line, tokenized with the model's tokenizer) or a *.safetensors file with inputs.input_ids/attention_mask/token_type_ids.")
    var calibrate: String?

    @Option(help: "Activation scales: dynamic (per token, default) or static (per tensor, from --calibrate).")
    var activations: ActivationScales = .dynamic

    @Option(help: "Weight clipping: absmax or mse (default: mse with --calibrate, absmax without).")
    var clip: WeightClipping?

    @Option(help: "Accuracy gate: least mean row cosine against fp32 on the calibration inputs.")
    var minCosine: Double?

    @Option(help: "Accuracy gate: largest fraction of rows whose top-1 differs from fp32 (logits).")
    var maxTop1Drop: Double?

    @Option(help: "Most layers the gate may keep in fp32 (default: a quarter of them).")
    var maxFallbacks: Int?

    @Option(help: "Calibration sequences per sensitivity pass.")
    var sensitivitySequences = 64

    @Option(help: "Also write the quantization report (JSON) here.")
    var report: String?

    @Option(help: "Worker threads.")
    var threads = 1

    func validate() throws {
        guard int8 else { throw ValidationError("pass --int8 (the only quantization bertconv does)") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        if activations == .static, calibrate == nil { throw ValidationError("--activations static needs --calibrate FILE") }
        if (minCosine != nil || maxTop1Drop != nil), calibrate == nil {
            throw ValidationError("--min-cosine and --max-top1-drop need --calibrate FILE")
        }
    }

    func run() throws {
        output.durability.apply()
        let summary = try QuantizeUseCase.run(QuantizeOptions(
            input: model.model, output: output.output, force: output.force, head: model.head,
            granularity: perTensor ? .tensor : .channel, clipping: clip, int8Embeddings: embeddings == .int8,
            exclude: exclude, calibration: calibrate, staticActivations: activations == .static,
            minCosine: minCosine, maxTop1Drop: maxTop1Drop, maxFallbacks: maxFallbacks,
            sensitivitySequences: sensitivitySequences, report: report, threads: threads, command: CommandLine.arguments))
        if reportOptions.json { return Terminal.printJSON(summary.report.json) }
        if reportOptions.quiet { return }
        let r = summary.report
        let int8Count = r.layers.filter(\.int8).count
        print("\(summary.output): \(summary.head.rawValue), \(int8Count) of \(r.layers.count) weights int8, "
              + "\(r.int8Bytes) bytes (\(percent(Double(r.int8Bytes) / Double(max(r.fp32Bytes, 1)))) of fp32)")
        if let figures = r.endToEnd {
            let top1 = figures.top1Agreement.map { ", top-1 agreement \(percent($0))" } ?? ""
            print("vs fp32 on \(r.calibrationSequences) sequences: mean cosine \(figures.cosineMean), "
                  + "min \(figures.cosineMin)\(top1)")
        }
        if !r.fallbacks.isEmpty { print("kept in fp32 by the gate: \(r.fallbacks.joined(separator: ", "))") }
    }

    private func percent(_ fraction: Double) -> String {
        "\(Double(Int((fraction * 1000).rounded())) / 10)%"
    }
}
