import BertCore
import Foundation

/// `report.json` and `report.md` of a build: artifacts, bytes, sha256, verification tables and the
/// time each step took when it was built (restored steps keep theirs, so a cached rerun is identical).
enum BuildReport {
    static func json(source: String, graph: BertModelGraph, sourceFiles: [JSONValue], goldens: BuildGoldens,
                     steps: [JSONValue]) -> JSONValue {
        .object([
            ("bertconv_version", .string(BertConvVersion.current)),
            ("passed", .bool(firstFailure(steps) == nil)),
            ("source", .object([("path", .string(source)), ("format", .string(graph.format.rawValue)),
                                ("head", .string(graph.head.rawValue)), ("files", .array(sourceFiles))])),
            ("goldens", .object([("path", .string(goldens.displayName)), ("sha256", .string(goldens.sha256)),
                                 ("recorded_from_source", .bool(goldens.recorded))])),
            ("artifacts", .array(steps)),
        ])
    }

    /// The first failing artifact and output, in target order.
    static func firstFailure(_ steps: [JSONValue]) -> (target: BuildTarget, output: String)? {
        for step in steps where step["passed"]?.boolValue == false {
            let target = BuildTarget(rawValue: step["target"]?.stringValue ?? "") ?? .safetensors
            let outputs = step["verification"]?["outputs"]?.arrayValue ?? []
            let failed = outputs.first { $0["passed"]?.boolValue == false }?["name"]?.stringValue ?? "?"
            return (target, failed)
        }
        return nil
    }

    /// A Markdown summary for a CI job page: the verdict first, failing artifacts first, a table each.
    static func markdown(_ report: JSONValue) -> String {
        let steps = (report["artifacts"]?.arrayValue ?? []).sorted { a, _ in a["passed"]?.boolValue == false }
        var lines = ["# bertconv build: \(report["passed"]?.boolValue == true ? "PASS" : "FAIL")", "",
                     "Source `\(report["source"]?["path"]?.stringValue ?? "")` (\(report["source"]?["format"]?.stringValue ?? ""), "
                        + "\(report["source"]?["head"]?.stringValue ?? "")), goldens `\(report["goldens"]?["path"]?.stringValue ?? "")`, "
                        + "bertconv \(BertConvVersion.current).", "",
                     "| artifact | result | profile | bytes |", "|---|---|---|---|"]
        for step in steps {
            let bytes = (step["files"]?.arrayValue ?? []).reduce(0) { $0 + ($1["bytes"]?.intValue ?? 0) }
            lines.append("| `\(step["model"]?.stringValue ?? "")` | \(verdict(step["passed"])) | "
                         + "\(step["verification"]?["profile"]?.stringValue ?? "") | \(bytes) |")
        }
        for step in steps {
            lines += ["", "## `\(step["model"]?.stringValue ?? "")`: \(verdict(step["passed"]))", "",
                      "| output | result | shape | max abs | max rel | cosine mean / min | top-1 |", "|---|---|---|---|---|---|---|"]
            for output in step["verification"]?["outputs"]?.arrayValue ?? [] {
                let shape = (output["expectedShape"]?.arrayValue ?? []).compactMap(\.intValue).map(String.init).joined(separator: "×")
                let top1 = output["top1Agreement"]?.doubleValue.map { String(format: "%.2f%%", $0 * 100) } ?? "—"
                lines.append("| \(output["name"]?.stringValue ?? "") | \(verdict(output["passed"])) | \(shape) | "
                             + "\(number(output["maxAbsError"])) | \(number(output["maxRelError"])) | "
                             + "\(number(output["cosineMean"], "%.6f")) / \(number(output["cosineMin"], "%.6f")) | \(top1) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A Codable report as a JSON value with sorted keys (deterministic).
    static func jsonValue(_ value: some Encodable) -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value), let json = try? StrictJSONParser.parse(Array(data)) else { return .null }
        return json
    }

    /// Seconds since `start`, to milliseconds.
    static func seconds(since start: Date) -> Double {
        (Date().timeIntervalSince(start) * 1000).rounded() / 1000
    }

    private static func verdict(_ value: JSONValue?) -> String { value?.boolValue == true ? "✅ pass" : "❌ FAIL" }

    private static func number(_ value: JSONValue?, _ format: String = "%.2e") -> String {
        value?.doubleValue.map { String(format: format, $0) } ?? "—"
    }
}
