import BertCore
#if canImport(Glibc)
import Glibc
#endif

/// A set of weights that share one precision: one Linear layer of the forward pass (Q, K and V
/// run as one fused GEMM, so they form one unit), or the word-embedding table.
public struct QuantizationUnit: Sendable, Equatable {
    /// The unit's name in reports: the module path (`bert.encoder.layer.0.attention.self.qkv` for
    /// the fused projection).
    public let name: String
    /// Canonical weight names.
    public let weights: [String]
}

/// Which weights of a graph are quantizable, grouped into units. Quantizable: every 2-D `*.weight`
/// except the position and token-type embeddings (tiny, and added before LayerNorm at full
/// precision); the word embeddings only when asked. LayerNorms and biases stay F32.
public enum QuantizationUnits {
    static let keptEmbeddings: Set<String> = [
        "bert.embeddings.position_embeddings.weight", "bert.embeddings.token_type_embeddings.weight",
    ]
    static let fused = ["query", "key", "value"]

    /// The units of `graph`, in canonical name order (fused Q/K/V at the query's place).
    public static func units(of graph: BertModelGraph, embeddings: Bool) -> [QuantizationUnit] {
        var units: [QuantizationUnit] = []
        var seenFused: Set<String> = []
        for tensor in graph.tensors where tensor.shape.count == 2 && tensor.name.hasSuffix(".weight") {
            if tensor.name == CanonicalName.wordEmbeddings {
                if embeddings { units.append(QuantizationUnit(name: "bert.embeddings.word_embeddings", weights: [tensor.name])) }
                continue
            }
            if keptEmbeddings.contains(tensor.name) { continue }
            if let prefix = fusedPrefix(tensor.name) {
                guard seenFused.insert(prefix).inserted else { continue }
                units.append(QuantizationUnit(name: prefix + "qkv", weights: fused.map { prefix + $0 + ".weight" }))
                continue
            }
            units.append(QuantizationUnit(name: Int8Layout.module(of: tensor.name), weights: [tensor.name]))
        }
        return units
    }

    /// Whether `unit` matches any of the shell globs (against the unit name, each weight and
    /// each weight's module path): `--exclude 'bert.encoder.layer.0.*' classifier`.
    public static func matches(_ unit: QuantizationUnit, globs: [String]) -> Bool {
        let names = [unit.name] + unit.weights + unit.weights.map(Int8Layout.module(of:))
        return globs.contains { glob in names.contains { fnmatch(glob, $0, 0) == 0 } }
    }

    /// `bert.encoder.layer.N.attention.self.` for Q, K or V weights.
    static func fusedPrefix(_ name: String) -> String? {
        for part in fused where name.hasSuffix(".attention.self.\(part).weight") {
            return String(name.dropLast("\(part).weight".count))
        }
        return nil
    }
}
