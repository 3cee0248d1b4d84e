// Benchmark driver for bench/quant_accuracy.py and bench/quant_bench.py (not part of the product): runs one model through the
// fp32 or the int8 runner on an inputs file, prints timings as JSON and optionally writes the
// last hidden states (for the accuracy comparison).
import BertConvKit
import BertCore
import BertFormats
import BertRunner
import Foundation

let arguments = CommandLine.arguments
guard arguments.count >= 5 else {
    FileHandle.standardError.write(Data("usage: quant-bench MODEL INPUTS fp32|int8 THREADS [REPEATS] [OUT.safetensors]\n".utf8))
    exit(2)
}
let (model, inputsPath, mode, threads) = (arguments[1], arguments[2], arguments[3], Int(arguments[4])!)
let repeats = arguments.count > 5 ? Int(arguments[5])! : 5
let outPath = arguments.count > 6 ? arguments[6] : nil

let graph = try ModelLoader.load(model)
let options = mode == "int8" ? try Int8Model.runnerOptions(graph, threads: threads) : RunnerOptions(threads: threads)
let loadStart = Date()
let runner = try BertRunner(graph: graph, options: options)
let loadSeconds = Date().timeIntervalSince(loadStart)
let inputs = try CalibrationInputs.read(inputsPath, batchSize: Int.max).batches[0]
let batches = CalibrationInputs.split(inputs, batchSize: 32)
var states: [Float] = []
for batch in batches {
    states += try runner.run(batch).first { $0.name == "last_hidden_state" }!.tensor.floats()
}
var times: [Double] = []
for _ in 0..<repeats {
    let start = Date()
    for batch in batches { _ = try runner.run(batch) }
    times.append(Date().timeIntervalSince(start) * 1000)
}
if let outPath {
    let shape = inputs.shape + [graph.config.hiddenSize]
    try SafetensorsWriter.write([SafetensorsWriter.Entry(name: "last_hidden_state", tensor: Tensor(float32: states, shape: shape))],
                                metadata: [], to: outPath)
}
// VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the (large) Python parent.
let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
let peakKB = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }
    .flatMap { Double($0.split(separator: " ", omittingEmptySubsequences: true)[1]) } ?? 0
let sorted = times.sorted()
print("{\"mode\": \"\(mode)\", \"median_ms\": \(sorted[sorted.count / 2]), \"min_ms\": \(sorted[0]), "
      + "\"load_s\": \(loadSeconds), \"peak_rss_mb\": \(peakKB / 1024)}")
