import BertCore
import BertRunner
import Synchronization

/// Records the largest input magnitude each Linear sees (the calibration of activation ranges):
/// wraps every layer a builder makes and keys the ranges by the spec's first weight name.
public final class RangeRecorder: LinearBuilder {
    let wrapped: any LinearBuilder
    private let ranges = Mutex<[String: Float]>([:])

    public init(_ wrapped: any LinearBuilder) {
        self.wrapped = wrapped
    }

    /// The absmax of each layer's inputs so far, by weight name (Q, K and V share theirs).
    public var absmax: [String: Float] { ranges.withLock { $0 } }

    public func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear {
        RecordingLinear(wrapped: try wrapped.linear(spec, in: graph), names: spec.weights, recorder: self)
    }

    func record(_ value: Float, for names: [String]) {
        ranges.withLock { ranges in
            for name in names { ranges[name] = max(ranges[name] ?? 0, value) }
        }
    }
}

/// A Linear that measures its input's absmax, then runs the wrapped layer.
struct RecordingLinear: Linear {
    let wrapped: any Linear
    let names: [String]
    let recorder: RangeRecorder

    var inFeatures: Int { wrapped.inFeatures }
    var outFeatures: Int { wrapped.outFeatures }

    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
               epilogue: Epilogue, pool: ThreadPool) {
        var absmax: Float = 0
        for i in 0..<rows * inFeatures { absmax = max(absmax, abs(input[i])) }
        recorder.record(absmax, for: names)
        wrapped.apply(input, rows: rows, into: output, epilogue: epilogue, pool: pool)
    }
}
