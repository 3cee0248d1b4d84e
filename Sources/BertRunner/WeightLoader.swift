import BertCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads canonical tensors once, as F32, for packing; the source pages are dropped after each read
/// so peak memory is the packed model plus one tensor, not the packed model plus the mapped file.
enum WeightLoader {
    /// The values of `name`, widened to F32.
    static func floats(_ name: String, in graph: BertModelGraph) throws(RunnerError) -> [Float] {
        let tensor: Tensor?
        do { tensor = try graph.load(name) } catch { throw RunnerError(path: graph.path, .unreadableWeight(error)) }
        guard let tensor else { throw RunnerError(path: graph.path, .missingWeight(name)) }
        guard tensor.dtype.isFloatingPoint else {
            throw RunnerError(path: graph.path, .unsupportedWeight(tensor: name, dtype: tensor.dtype))
        }
        let values = tensor.floats()
        releasePages(of: tensor)
        return values
    }

    /// Several tensors of one row width stacked along their first dimension; returns the row count.
    static func stacked(_ names: [String], in graph: BertModelGraph) throws(RunnerError) -> [Float] {
        var values: [Float] = []
        for name in names { values += try floats(name, in: graph) }
        return values
    }

    /// Drops the resident pages of a tensor mapped from a file; later reads fault them back in
    /// from the page cache, so this changes memory use, never values.
    private static func releasePages(of tensor: Tensor) {
        guard tensor.storage.isMapped else { return }
        tensor.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            let page = Int(sysconf(Int32(_SC_PAGESIZE)))
            let start = (Int(bitPattern: base) + page - 1) / page * page
            let end = (Int(bitPattern: base) + raw.count) / page * page
            guard end > start, let pointer = UnsafeMutableRawPointer(bitPattern: start) else { return }
            // SAFETY: [start, end) lies inside the tensor's bytes of a read-only private file
            // mapping that is never written, so MADV_DONTNEED only evicts clean file pages.
            _ = madvise(pointer, end - start, Int32(MADV_DONTNEED))
        }
    }
}

/// The builder of the fp32 runner: packed weights for the AVX2 (or portable) GEMM, or OpenBLAS.
public struct Float32LinearBuilder: LinearBuilder {
    public let kernels: Kernels

    public init(kernels: Kernels) {
        self.kernels = kernels
    }

    public func linear(_ spec: LinearSpec, in graph: BertModelGraph) throws(RunnerError) -> any Linear {
        let weights = try WeightLoader.stacked(spec.weights, in: graph)
        let bias = try WeightLoader.stacked(spec.biases, in: graph)
        let outFeatures = bias.count
        let inFeatures = weights.count / max(outFeatures, 1)
        switch kernels {
        case .blas: return BLASLinear(weights: weights, bias: bias, outFeatures: outFeatures, inFeatures: inFeatures)
        case .packed(let isa):
            return PackedLinear(weights: weights, bias: bias, outFeatures: outFeatures, inFeatures: inFeatures, isa: isa)
        }
    }
}
