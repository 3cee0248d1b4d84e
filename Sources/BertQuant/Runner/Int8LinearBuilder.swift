import BertCore
import BertRunner
import Synchronization

/// Builds int8 Linear layers for every spec whose weights are all quantized, and asks `fallback`
/// (fp32) for the rest; Q, K and V form one fused spec, so they share one precision. Layers are
/// cached by spec, so runners built for calibration and sensitivity passes share their packing.
public final class Int8LinearBuilder: LinearBuilder {
    /// Quantized weights by canonical name.
    public let weights: [String: QuantizedWeight]
    let fallback: any LinearBuilder
    let isa: Int8ISA
    private let cache: LinearCache

    public init(weights: [String: QuantizedWeight], fallback: any LinearBuilder, isa: Int8ISA = .best) {
        self.weights = weights
        self.fallback = fallback
        self.isa = isa
        cache = LinearCache()
    }

    private init(weights: [String: QuantizedWeight], fallback: any LinearBuilder, isa: Int8ISA, cache: LinearCache) {
        self.weights = weights
        self.fallback = fallback
        self.isa = isa
        self.cache = cache
    }

    /// A builder that quantizes only the weights in `names` and shares this one's cached layers.
    public func restricted(to names: Set<String>) -> Int8LinearBuilder {
        Int8LinearBuilder(weights: weights.filter { names.contains($0.key) }, fallback: fallback, isa: isa, cache: cache)
    }

    public func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear {
        let parts = spec.weights.map { weights[Self.resolve($0, in: graph)] }
        guard parts.allSatisfy({ $0 != nil }) else { return try fallback.linear(spec, in: graph) }
        let key = "int8:" + spec.weights.joined(separator: "+")
        if let cached = cache.layers.withLock({ $0[key] }) { return cached }
        var bias: [Float] = []
        for name in spec.biases {
            let tensor: Tensor?
            do { tensor = try graph.load(name) } catch { throw RunnerError(path: graph.path, .unreadableWeight(error)) }
            guard let tensor else { throw RunnerError(path: graph.path, .missingWeight(name)) }
            bias += tensor.floats()
        }
        let matrices = parts.map { $0!.matrix }
        let stacked = QuantizedMatrix(
            rows: matrices.reduce(0) { $0 + $1.rows }, cols: matrices[0].cols,
            values: matrices.flatMap(\.values), scales: matrices.flatMap(\.channelScales))
        guard stacked.rows == bias.count else {
            throw RunnerError(path: graph.path, .missingWeight(spec.biases.joined(separator: ", ")))
        }
        let staticScale = parts[0]!.inputScale
        let bits = ActivationBits.bits(forLinear: spec.weights[0], staticScale: staticScale != nil)
        let layer = Int8Linear(weights: PackedInt8Weights(stacked, bias: bias, activationBits: bits),
                               staticScale: staticScale, isa: isa)
        cache.layers.withLock { $0[key] = layer }
        return layer
    }

    /// The weight that holds `name`'s values: a tied decoder is the word embeddings.
    static func resolve(_ name: String, in graph: BertModelGraph) -> String {
        name == CanonicalName.decoderWeight && graph.decoderTied ? CanonicalName.wordEmbeddings : name
    }
}

/// Wraps a builder and builds each spec once (the fp32 side of mixed-precision searches).
public final class CachedLinearBuilder: LinearBuilder {
    let wrapped: any LinearBuilder
    private let cache = LinearCache()

    public init(_ wrapped: any LinearBuilder) {
        self.wrapped = wrapped
    }

    public func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear {
        let key = spec.weights.joined(separator: "+")
        if let cached = cache.layers.withLock({ $0[key] }) { return cached }
        let layer = try wrapped.linear(spec, in: graph)
        cache.layers.withLock { $0[key] = layer }
        return layer
    }
}

/// Built layers by spec key.
final class LinearCache: Sendable {
    let layers = Mutex<[String: any Linear]>([:])
}
