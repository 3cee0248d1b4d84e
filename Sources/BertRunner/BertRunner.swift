import BertCore
import Synchronization

/// How a runner computes: worker threads and the matrix-multiply path.
public struct RunnerOptions: Sendable {
    /// Worker threads per parallel region (1 = the calling thread only).
    public var threads: Int
    /// The fp32 kernels used when `linearBuilder` is nil.
    public var kernels: Kernels
    /// Makes the linear layers; nil means fp32 layers on `kernels`. An int8 builder goes here.
    public var linearBuilder: (any LinearBuilder)?

    public init(threads: Int = 1, kernels: Kernels = .best, linearBuilder: (any LinearBuilder)? = nil) {
        self.threads = threads
        self.kernels = kernels
        self.linearBuilder = linearBuilder
    }
}

/// The BERT forward pass on a canonical graph, every head, as Hugging Face PyTorch computes it in
/// eval mode. Weights are read and packed once at init; `run` reuses its buffers between calls.
public final class BertRunner: Sendable {
    public let config: BertConfig
    public let head: BertHead
    /// The output fields `run` returns, in HF's order.
    public let outputNames: [String]
    let embeddings: Embeddings
    let layers: [EncoderLayer]
    let heads: HeadLayers
    let activation: Activation
    let isa: KernelISA
    let pool: ThreadPool
    private let cache = Mutex<Workspace?>(nil)

    /// Loads and packs every tensor of `graph`.
    public init(graph: BertModelGraph, options: RunnerOptions = RunnerOptions()) throws(RunnerError) {
        config = graph.config
        head = graph.head
        outputNames = graph.outputs
        guard let activation = Activation(hiddenAct: config.hiddenAct) else {
            throw RunnerError(path: graph.path, .unsupportedActivation(config.hiddenAct))
        }
        self.activation = activation
        isa = if case .packed(let isa) = options.kernels { isa } else { .best }
        pool = ThreadPool(count: options.threads)
        let builder = options.linearBuilder ?? Float32LinearBuilder(kernels: options.kernels)
        embeddings = try Embeddings(graph: graph, isa: isa)
        var layers: [EncoderLayer] = []
        for layer in 0..<config.numHiddenLayers {
            layers.append(try EncoderLayer(layer: layer, graph: graph, builder: builder, isa: isa))
        }
        self.layers = layers
        heads = try HeadLayers(graph: graph, builder: builder, isa: isa)
    }

    /// Runs one batch; the outputs are F32, shaped as HF's (`[batch, seq, hidden]`, …).
    public func run(_ inputs: RunnerInputs) throws(RunnerError) -> [RunnerOutput] {
        try inputs.validate(config: config, head: head)
        let shape = EncoderShape(
            sequences: inputs.sequenceCount, sequence: inputs.sequenceLength, hidden: config.hiddenSize,
            intermediate: config.intermediateSize, heads: config.numAttentionHeads, causal: config.isDecoder)
        let cached = cache.withLock { cached in
            defer { cached = nil }
            return cached
        }
        let work = cached?.shape == shape ? cached! : Workspace(shape: shape, workers: pool.count)
        for (index, real) in inputs.attentionMask.enumerated() { work.keyMask.pointer[index] = Float(real) }
        embeddings.apply(inputs, into: work.hidden.pointer, pool: pool)
        for layer in layers { layer.apply(work, shape: shape, activation: activation, isa: isa, pool: pool) }
        let outputs = heads.outputs(work, batchShape: Array(inputs.shape.dropLast()), activation: activation, pool: pool)
        cache.withLock { $0 = work }
        return outputs
    }
}
