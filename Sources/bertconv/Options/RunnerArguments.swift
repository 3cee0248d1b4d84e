import ArgumentParser
import BertConvKit
import Foundation

extension VerifyProfile: ExpressibleByArgument {}

/// Options of the commands that run the built-in forward pass.
struct RunnerArguments: ParsableArguments {
    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads > 0 else { throw ValidationError("--threads must be at least 1") }
    }
}

/// Codable reports as JSON on stdout: sorted keys, non-finite numbers as strings.
enum ReportJSON {
    static func print<Report: Encodable>(_ report: Report) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
