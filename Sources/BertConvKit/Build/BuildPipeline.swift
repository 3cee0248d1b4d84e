import BertCore
import BertFormats
import Foundation

/// `bertconv build`: converts, exports and verifies every requested artifact against one set of
/// goldens, and publishes OUT only when every gate holds (staged, renamed at the end). A failed
/// gate leaves the previous OUT untouched and writes `OUT.failed-report.json`.
public enum BuildPipeline {
    /// What a build produced.
    public struct Outcome: Sendable {
        public let report: JSONValue
        /// Targets restored from the cache rather than rebuilt.
        public let cachedTargets: [BuildTarget]
    }

    public static func run(_ request: BuildRequest, progress: (String) -> Void = { _ in }) throws(BuildError) -> Outcome {
        guard !request.targets.isEmpty else { throw .invalidRequest("no targets requested") }
        let graph: BertModelGraph
        do { graph = try ModelLoader.load(request.source, head: request.head) } catch { throw .step(nil, error) }
        let staged: StagedOutput
        do { staged = try StagedOutput.directory(at: request.output, force: request.force) } catch { throw .step(nil, error) }

        let goldens = try resolveGoldens(request, into: staged, progress: progress)
        var sourceFiles: [JSONValue] = []
        var digests: [String] = [goldens.sha256]
        for file in graph.inputFiles {
            let digest: FileDigest
            do { digest = try FileDigest.sha256(file) } catch { throw .step(nil, error) }
            digests.append(digest.hex)
            sourceFiles.append(.object([("path", .string(file)), ("bytes", .int(digest.byteCount)), ("sha256", .string(digest.hex))]))
        }

        let cache = request.cache.map(BuildCache.init(directory:))
        var steps: [JSONValue] = []
        var cached: [BuildTarget] = []
        for target in request.targets {
            let key = BuildCache.key(target: target, inputDigests: digests + [request.head?.rawValue ?? ""])
            let destination = staged.path(target.folder)
            if let record = cache?.restore(key: key, to: destination) {
                progress("\(target.rawValue): unchanged, restored from cache")
                steps.append(record)
                cached.append(target)
                continue
            }
            let record = try BuildStep.run(target, request: request, into: staged, goldens: goldens, progress: progress)
            cache?.store(key: key, artifact: destination, record: record)
            steps.append(record)
        }

        let report = BuildReport.json(source: request.source, graph: graph, sourceFiles: sourceFiles,
                                      goldens: goldens, steps: steps)
        let failedPath = request.output + ".failed-report.json"
        if let failure = BuildReport.firstFailure(steps) {
            try writeFailedReport(report, to: failedPath)
            throw .gateFailed(target: failure.target, output: failure.output, report: failedPath)
        }
        do {
            try FileSink.write(JSONWriter.pretty(report), to: staged.path("report.json"))
            try FileSink.write(BuildReport.markdown(report), to: staged.path("report.md"))
            try staged.commit()
        } catch { throw .step(nil, error) }
        try? FileManager.default.removeItem(atPath: failedPath)
        return Outcome(report: report, cachedTargets: cached)
    }

    /// The goldens every artifact is verified against: given, or recorded from the source.
    private static func resolveGoldens(_ request: BuildRequest, into staged: StagedOutput,
                                       progress: (String) -> Void) throws(BuildError) -> BuildGoldens {
        if let path = request.goldens {
            do { return BuildGoldens(path: path, displayName: path, sha256: try FileDigest.sha256(path).hex, recorded: false) } catch {
                throw .step(nil, error)
            }
        }
        guard let inputs = request.inputs else {
            throw .invalidRequest("\(request.source): give --goldens FILE, or --inputs FILE to record goldens from the source")
        }
        let path = staged.path("goldens.safetensors")
        let started = Date()
        do {
            let pass = try ForwardPass.run(model: request.source, inputs: inputs, head: request.head, threads: request.threads)
            try GoldensRecording.write(pass, to: path, force: false)
        } catch { throw .step(nil, error) }
        progress("goldens: recorded from the source in \(BuildReport.seconds(since: started)) s")
        do {
            return BuildGoldens(path: path, displayName: "goldens.safetensors", sha256: try FileDigest.sha256(path).hex, recorded: true)
        } catch { throw .step(nil, error) }
    }

    private static func writeFailedReport(_ report: JSONValue, to path: String) throws(BuildError) {
        do {
            let staged = try StagedOutput.file(at: path, force: true)
            try FileSink.write(JSONWriter.pretty(report), to: staged.stagingPath)
            try staged.commit()
        } catch { throw .step(nil, error) }
    }
}

/// The goldens a build verifies against.
struct BuildGoldens {
    let path: String
    /// How reports name it (relative inside OUT when recorded).
    let displayName: String
    let sha256: String
    let recorded: Bool
}
