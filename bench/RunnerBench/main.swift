// runner-bench: times the built-in runner on one model at one batch shape and prints one JSON
// line (load time, median/min latency, peak RSS). Driven by bench/runner_bench.py.
import BertCore
import BertFormats
import BertNameMaps
import BertRunner
import Foundation

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let model = arguments.count > 1 ? arguments[1] : "bench/models/bert-base"
let batch = Int(option("batch", "1"))!, seq = Int(option("seq", "128"))!
let threads = Int(option("threads", "2"))!
let warmup = Int(option("warmup", "3"))!, repeats = Int(option("repeat", "10"))!
let kernels: Kernels = switch option("kernels", "best") {
case "blas": .blas
case "portable": .packed(.portable)
default: .best
}

func milliseconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
}

/// User + system CPU time of the process so far (contention on a shared machine leaves it intact).
func cpuMilliseconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let seconds = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
    return seconds * 1000 + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000
}

/// VmHWM from /proc/self/status: this process image's peak RSS (ru_maxrss would include the
/// parent's RSS at fork time, which survives exec on Linux).
func peakResidentMegabytes() -> Double {
    let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
    let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
    return Double(line.split(separator: " ").dropFirst().first ?? "0").map { $0 / 1024 } ?? 0
}

do {
    let loadStart = ContinuousClock.now
    let source = try SafetensorsReader.read(model)
    let graph = try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
    let runner = try BertRunner(graph: graph, options: RunnerOptions(threads: threads, kernels: kernels))
    let loadMilliseconds = milliseconds(since: loadStart)
    var generator = SystemRandomNumberGenerator()
    let count = batch * seq
    let ids = (0..<count).map { $0 % seq == 0 ? Int64(101) : Int64.random(in: 1000..<Int64(graph.config.vocabSize), using: &generator) }
    let inputs = RunnerInputs(shape: [batch, seq], inputIds: ids, attentionMask: Array(repeating: 1, count: count),
                              tokenTypeIds: (0..<count).map { Int64($0 % seq >= seq / 2 ? 1 : 0) }, origin: "bench")
    for _ in 0..<warmup { _ = try runner.run(inputs) }
    var times: [Double] = []
    let cpuStart = cpuMilliseconds()
    for _ in 0..<repeats {
        let start = ContinuousClock.now
        _ = try runner.run(inputs)
        times.append(milliseconds(since: start))
    }
    let cpuPerRun = (cpuMilliseconds() - cpuStart) / Double(repeats)
    times.sort()
    let result: [String: Double] = [
        "load_ms": loadMilliseconds, "median_ms": times[times.count / 2], "min_ms": times[0],
        "peak_rss_mb": peakResidentMegabytes(), "cpu_ms": cpuPerRun,
    ]
    let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    FileHandle.standardError.write(Data("runner-bench: \(error)\n".utf8))
    exit(2)
}
