import BertCore
import BertRunner
#if canImport(Glibc)
import Glibc
#endif

/// How the clipping range of a weight group is chosen.
public enum WeightClipping: String, Sendable, Codable, CaseIterable {
    /// The group's largest magnitude: nothing clips.
    case absmax
    /// The clip in [0.70, 1.00] × absmax (step 0.01) with the least squared error after rounding:
    /// trades a few clipped outliers for a finer step on everything else.
    case mse
}

/// Symmetric int8 weight quantization: per channel or per tensor, absmax or MSE-optimal clipping.
public enum WeightQuantizer {
    /// The limit for encoder Linear weights: ±64 lets the int8 GEMM take u8 activations without
    /// 16-bit saturation (BertInt8Kernels), for 1 bit of weight precision where nearly all the
    /// compute is and the error averages out over the layers that follow.
    public static let linearLimit = Float(Int8ActivationEncoding.unsignedWeightLimit)
    /// The limit for everything else (word embeddings, pooler, heads): the full ±127, since their
    /// rounding lands in the outputs (or feeds a whole encoder) with nothing after to dilute it.
    public static let fullLimit: Float = 127
    /// The module prefix of the units that take `linearLimit`.
    static let encoderPrefix = "bert.encoder."
    /// The limit of symmetric s8 activations, which static (calibrated) scales are chosen for.
    public static let activationLimit: Float = 127

    /// The limit for `unit`'s weights.
    public static func limit(for unit: QuantizationUnit) -> Float {
        unit.name.hasPrefix(encoderPrefix) ? linearLimit : fullLimit
    }

    /// Quantizes `weights` (`[rows, cols]` row-major) to values in ±`limit`; rows run in parallel on `pool`.
    public static func quantize(_ weights: [Float], rows: Int, cols: Int, granularity: WeightGranularity,
                                clipping: WeightClipping, limit: Float,
                                pool: ThreadPool = ThreadPool(count: 1)) -> QuantizedMatrix {
        precondition(weights.count == rows * cols)
        var values = [Int8](repeating: 0, count: weights.count)
        let scales: [Float]
        switch granularity {
        case .tensor:
            let scale = weights.withUnsafeBufferPointer { chooseScale($0[...], clipping: clipping, limit: limit) }
            scales = [scale]
            values.withUnsafeMutableBufferPointer { out in
                weights.withUnsafeBufferPointer { w in round(w[...], scale: scale, limit: limit, into: out.baseAddress!) }
            }
        case .channel:
            var perRow = [Float](repeating: 0, count: rows)
            perRow.withUnsafeMutableBufferPointer { scaleOut in
                values.withUnsafeMutableBufferPointer { out in
                    weights.withUnsafeBufferPointer { w in
                        let (scaleBase, outBase) = (scaleOut.baseAddress!, out.baseAddress!)
                        let base = w.baseAddress!
                        pool.forEachChunk(rows) { _, chunk in
                            for r in chunk {
                                let row = UnsafeBufferPointer(start: base + r * cols, count: cols)[...]
                                let scale = chooseScale(row, clipping: clipping, limit: limit)
                                scaleBase[r] = scale
                                round(row, scale: scale, limit: limit, into: outBase + r * cols)
                            }
                        }
                    }
                }
            }
            scales = perRow
        }
        return QuantizedMatrix(rows: rows, cols: cols, values: values, scales: scales)
    }

    /// Signal-to-quantization-noise ratio in dB: 10·log10(Σw² / Σ(w − ŵ)²); +∞ when exact.
    public static func sqnr(_ weights: [Float], _ quantized: QuantizedMatrix) -> Double {
        let restored = quantized.dequantized()
        var signal = 0.0, noise = 0.0
        for i in weights.indices {
            let w = Double(weights[i]), e = w - Double(restored[i])
            signal += w * w
            noise += e * e
        }
        if noise == 0 { return .infinity }
        return 10 * log10(signal / noise)
    }

    /// The scale for one group; an all-zero group gets 1 so no reader ever divides by zero.
    static func chooseScale(_ group: Slice<UnsafeBufferPointer<Float>>, clipping: WeightClipping, limit: Float) -> Float {
        var absmax: Float = 0
        for w in group { absmax = max(absmax, abs(w)) }
        guard absmax > 0, absmax.isFinite else { return 1 }
        switch clipping {
        case .absmax:
            return absmax / limit
        case .mse:
            var best = (error: Float.infinity, scale: absmax / limit)
            for step in 0...30 {
                let scale = absmax * (1 - Float(step) / 100) / limit
                let error = squaredError(group, scale: scale, limit: limit)
                if error < best.error { best = (error, scale) }
            }
            return best.scale
        }
    }

    static func squaredError(_ group: Slice<UnsafeBufferPointer<Float>>, scale: Float, limit: Float) -> Float {
        let inverse = 1 / scale
        var sum: Float = 0
        for w in group {
            let q = min(max((w * inverse).rounded(.toNearestOrEven), -limit), limit)
            let e = w - q * scale
            sum += e * e
        }
        return sum
    }

    /// Rounds to nearest even and clamps to ±`limit`, as the kernels do for activations.
    static func round(_ group: Slice<UnsafeBufferPointer<Float>>, scale: Float, limit: Float, into out: UnsafeMutablePointer<Int8>) {
        let inverse = 1 / scale
        for (offset, w) in group.enumerated() {
            out[offset] = Int8(min(max((w * inverse).rounded(.toNearestOrEven), -limit), limit))
        }
    }
}
