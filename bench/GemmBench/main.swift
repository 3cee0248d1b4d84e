// gemm-bench: GFLOP/s of the runner's linear layers on BERT shapes (M tokens × K in → N out), to
// iterate on the fp32 GEMM without the noise of a whole forward pass. One line per shape:
// `M N K threads path median-ms min-ms GFLOP/s` (GFLOP/s at the minimum of --repeat runs after
// --warmup: on a shared machine the fastest run is the one least disturbed by other jobs).
// --copies N cycles through N copies of each weight matrix, so that (as in a forward pass, whose
// weights are far larger than the caches) each product streams its weights from memory.
// Usage: gemm-bench [--overhead] [--threads 2] [--repeat 20] [--warmup 3] [--rows 128,1024] [--kernels best|blas|both]
//                   [--copies 1]
import BertRunner
import Foundation

let arguments = CommandLine.arguments
func option(_ name: String, _ fallback: String) -> String {
    guard let index = arguments.firstIndex(of: "--" + name), index + 1 < arguments.count else { return fallback }
    return arguments[index + 1]
}
let threads = Int(option("threads", "2"))!
let repeats = Int(option("repeat", "20"))!, warmup = Int(option("warmup", "3"))!
let copies = Int(option("copies", "1"))!
let rowCounts = option("rows", "128,1024").split(separator: ",").map { Int($0)! }
let paths = option("kernels", "best") == "both" ? ["best", "blas"] : [option("kernels", "best")]
let shapes = [(768, 768), (2304, 768), (3072, 768), (768, 3072)]  // (N out, K in)

func randomFloats(_ count: Int) -> [Float] { (0..<count).map { _ in Float.random(in: -1...1) } }

// The cost of one parallel region itself: 2000 regions whose chunks each take 50 µs, so a region
// ideally takes 50 µs; prints how much longer the median and fastest region took.
if arguments.contains("--overhead") {
    let pool = ThreadPool(count: threads)
    var times: [Double] = []
    for _ in 0..<2000 {
        let start = ContinuousClock.now
        pool.forEachChunk(threads) { _, _ in
            let chunkStart = ContinuousClock.now
            while ContinuousClock.now - chunkStart < .microseconds(50) {}
        }
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.attoseconds) / 1e12 - 50)
    }
    times.sort()
    print(String(format: "region overhead on %d threads: median %.1f µs, min %.1f µs", threads, times[1000], times[0]))
    exit(0)
}

var totalFlops = 0.0, totalSeconds = 0.0
for path in paths {
    for rows in rowCounts {
        for (n, k) in shapes {
            let weights = randomFloats(n * k), bias = randomFloats(n)
            let linears: [any Linear] = (0..<copies).map { _ in
                path == "blas"
                    ? BLASLinear(weights: weights, bias: bias, outFeatures: n, inFeatures: k) as any Linear
                    : PackedLinear(weights: weights, bias: bias, outFeatures: n, inFeatures: k, isa: .best)
            }
            let input = randomFloats(rows * k)
            var output = [Float](repeating: 0, count: rows * n)
            let pool = ThreadPool(count: threads)
            var times: [Double] = []
            input.withUnsafeBufferPointer { x in
                output.withUnsafeMutableBufferPointer { y in
                    for run in 0..<(warmup + repeats) {
                        let start = ContinuousClock.now
                        linears[run % copies].apply(x.baseAddress!, rows: rows, into: y.baseAddress!, epilogue: Epilogue(),
                                                    pool: pool)
                        let elapsed = ContinuousClock.now - start
                        if run >= warmup {
                            times.append(Double(elapsed.components.attoseconds) / 1e18 + Double(elapsed.components.seconds))
                        }
                    }
                }
            }
            times.sort()
            let seconds = times[0], flops = 2.0 * Double(rows * n * k)
            totalFlops += flops
            totalSeconds += seconds
            print(String(format: "M=%5d N=%5d K=%5d threads=%d %-5@ median %8.3f ms min %8.3f ms %7.1f GFLOP/s", rows, n,
                         k, threads, path, times[times.count / 2] * 1000, seconds * 1000, flops / seconds / 1e9))
        }
    }
    print(String(format: "%@ overall %.1f GFLOP/s", path, totalFlops / totalSeconds / 1e9))
    totalFlops = 0
    totalSeconds = 0
}
