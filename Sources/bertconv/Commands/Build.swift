import ArgumentParser
import BertConvKit
import BertFormats
import BertCore

/// `bertconv build`: every artifact converted, exported and verified; OUT appears only when all pass.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build and verify every deployment artifact; publish OUT only when every gate holds.")

    @Argument(help: "Source model (any format bertconv reads). Not needed with --spec.")
    var source: String?

    @Option(name: .shortAndLong, help: "Output directory.")
    var output: String?

    @Option(help: "Comma-separated targets: \(BuildTarget.allCases.map(\.rawValue).joined(separator: ",")).")
    var targets: String?

    @Option(help: "Goldens file to verify every artifact against.")
    var goldens: String?

    @Option(help: "Inputs (goldens format) to record goldens from the source with the built-in runner.")
    var inputs: String?

    @Option(help: "Cache directory: steps whose inputs match an earlier run are restored, not redone.")
    var cache: String?

    @Option(help: "A JSON build spec with the same keys as these flags (flags given here override it).")
    var spec: String?

    @OptionGroup var runner: RunnerArguments

    @Option(help: "Head class when it cannot be detected.")
    var head: BertHead?

    @Flag(help: "Replace OUT if it exists.")
    var force = false

    @OptionGroup var durability: DurabilityOptions

    @OptionGroup var report: ReportOptions

    func run() throws {
        durability.apply()
        let request = try resolvedRequest()
        let outcome = try BuildPipeline.run(request) { line in
            if !report.quiet { Terminal.progress("build: " + line) }
        }
        if report.json { return Terminal.printJSON(outcome.report) }
        if report.quiet { return }
        let artifacts = request.targets.map(\.rawValue).joined(separator: ", ")
        let reused = outcome.cachedTargets.isEmpty ? "" : " (\(outcome.cachedTargets.count) restored from cache)"
        print("\(request.output): \(artifacts) built and verified\(reused); see report.md")
    }

    private func resolvedRequest() throws -> BuildRequest {
        var request: BuildRequest
        if let spec {
            request = try BuildRequest(spec: spec, command: CommandLine.arguments)
            if let source { request.source = source }
            if let output { request.output = output }
        } else {
            guard let source, let output else { throw ValidationError("give SOURCE and -o OUT, or --spec FILE") }
            request = BuildRequest(source: source, output: output, command: CommandLine.arguments)
        }
        if let targets {
            request.targets = try targets.split(separator: ",").map { name in
                guard let target = BuildTarget(rawValue: String(name)) else {
                    throw ValidationError("unknown target '\(name)'")
                }
                return target
            }
        }
        if let goldens { request.goldens = goldens }
        if let inputs { request.inputs = inputs }
        if let cache { request.cache = cache }
        if let head { request.head = head }
        request.force = request.force || force
        request.threads = runner.threads
        return request
    }
}
