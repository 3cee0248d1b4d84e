import ArgumentParser
import BertConvKit
import BertCore

/// `bertconv verify`: runs a goldens file's inputs through the built-in runner and compares every
/// golden output; exit 1 when one is out of tolerance.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a model against a goldens file with the built-in fp32 runner (exit 1 when an output is off).")

    @OptionGroup var model: ModelOptions

    @Option(help: "Goldens file (safetensors with inputs.* and outputs.*).")
    var goldens: String

    @Option(help: "Tolerance profile: fp32, fp16, bf16 or int8.")
    var profile: VerifyProfile = .fp32

    @Option(help: "Absolute tolerance, overriding the profile's.")
    var atol: Double?

    @Option(help: "Relative tolerance, overriding the profile's.")
    var rtol: Double?

    @Flag(help: "Compare per-token outputs at padding positions too.")
    var allPositions = false

    @OptionGroup var runner: RunnerArguments
    @OptionGroup var report: ReportOptions

    func validate() throws {
        for (name, value) in [("--atol", atol), ("--rtol", rtol)] where value.map({ !($0 >= 0) }) ?? false {
            throw ValidationError("\(name) must be a non-negative number")
        }
    }

    func run() throws {
        let result = try VerifyUseCase.run(model: model.model, goldens: goldens, options: VerifyOptions(
            profile: profile, atol: atol, rtol: rtol, allPositions: allPositions, threads: runner.threads, head: model.head))
        if report.json {
            try ReportJSON.print(result)
        } else if !report.quiet {
            print(VerifyTable.render(result))
        }
        if !result.passed { throw ExitCode(ExitCategory.verificationFailed.rawValue) }
    }
}

/// The human form of a verification report.
enum VerifyTable {
    static func render(_ report: VerificationReport) -> String {
        var table = TextTable("output", "shape", "max abs", "max rel", "mean abs", "worst index", "cosine mean/min",
                              "top-1", "tolerance", "result")
        for output in report.outputs {
            table.add(output.name, shape(output.expectedShape), number(output.maxAbsError), number(output.maxRelError),
                      number(output.meanAbsError), shape(output.worstIndex),
                      number(output.cosineMean, digits: 6) + "/" + number(output.cosineMin, digits: 6),
                      output.top1Agreement.map { number($0 * 100, digits: 4) + "%" } ?? "-",
                      tolerance(output.tolerance), output.passed ? "pass" : "FAIL")
        }
        let positions = report.allPositions ? "all positions" : "real-token positions"
        var lines = ["\(report.model) (\(report.head)) vs \(report.goldens), profile \(report.profile.rawValue), \(positions)",
                     table.rendered]
        for output in report.outputs where !output.passed {
            lines.append("FAIL \(output.name): \(output.failure ?? "out of tolerance")")
        }
        lines.append(report.passed ? "verification passed" : "verification failed")
        return lines.joined(separator: "\n")
    }

    static func shape(_ dims: [Int]) -> String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    static func number(_ value: Double, digits: Int = 3) -> String {
        value == 0 ? "0" : String(format: "%.\(digits)g", value)
    }

    static func tolerance(_ t: Tolerance) -> String {
        var parts: [String] = []
        if t.atol != nil || t.rtol != nil { parts.append("\(number(t.atol ?? 0))+\(number(t.rtol ?? 0))·|b|") }
        if let value = t.cosineMean { parts.append("cos≥\(value)") }
        if let value = t.cosineMin { parts.append("min cos≥\(value)") }
        if let value = t.top1 { parts.append("top-1≥\(value * 100)%") }
        return parts.joined(separator: " ")
    }
}
