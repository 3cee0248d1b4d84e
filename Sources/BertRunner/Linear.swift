import BertCore
import BertKernels

/// What a linear layer does to each output after its bias: an activation, then a residual added.
public struct Epilogue {
    public var activation: Activation
    /// Rows of `outFeatures` floats added after the activation, or nil.
    public var residual: UnsafePointer<Float>?

    public init(activation: Activation = .identity, residual: UnsafePointer<Float>? = nil) {
        self.activation = activation
        self.residual = residual
    }
}

extension Epilogue {
    /// Applies bias, activation and residual in place to `rows × columns` products computed
    /// elsewhere (BLAS, an int8 GEMM after dequantization), rows split across the pool.
    public func apply(to output: UnsafeMutablePointer<Float>, rows: Int, columns: Int, bias: UnsafePointer<Float>?,
                      isa: KernelISA = .best, pool: ThreadPool) {
        pool.forEachChunk(rows) { _, chunk in
            var ep = bk_epilogue(bias: bias, residual: residual.map { $0 + chunk.lowerBound * columns },
                                 ld_residual: Int32(columns), activation: activation.rawValue)
            bk_epilogue_apply(isa.rawValue, output + chunk.lowerBound * columns, Int32(chunk.count), Int32(columns),
                              Int32(columns), &ep)
        }
    }
}

/// A fully connected layer `y = epilogue(x · Wᵀ + b)` over row-major float rows. The forward pass
/// only talks to this protocol, so an int8 layer (per-channel weight scales, dynamic per-token
/// activation quantization) plugs in through a `LinearBuilder` without touching the encoder.
public protocol Linear: Sendable {
    var inFeatures: Int { get }
    var outFeatures: Int { get }
    /// Computes `rows` output rows into `output` (`rows × outFeatures`), using the pool's threads.
    func apply(_ input: UnsafePointer<Float>, rows: Int, into output: UnsafeMutablePointer<Float>,
               epilogue: Epilogue, pool: ThreadPool)
}

/// Which canonical tensors form one linear layer; several weights are stacked along the output
/// dimension (Q, K and V become one layer of 3 × hidden outputs).
public struct LinearSpec: Sendable, Equatable {
    public var weights: [String]
    public var biases: [String]

    public init(weights: [String], biases: [String]) {
        self.weights = weights
        self.biases = biases
    }

    /// The layer `<prefix>.weight` / `<prefix>.bias`.
    public static func named(_ prefixes: String...) -> LinearSpec {
        LinearSpec(weights: prefixes.map { $0 + ".weight" }, biases: prefixes.map { $0 + ".bias" })
    }
}

/// Makes the linear layers of a model at load time (packing, quantizing: whatever its layer needs).
public protocol LinearBuilder: Sendable {
    func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear
}
