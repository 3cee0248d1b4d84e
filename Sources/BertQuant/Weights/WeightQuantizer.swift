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
    /// The quantization limit: ±127, symmetric.
    public static let limit: Float = 127

    /// Quantizes `weights` (`[rows, cols]` row-major); rows run in parallel on `pool`.
    public static func quantize(_ weights: [Float], rows: Int, cols: Int, granularity: WeightGranularity,
                                clipping: WeightClipping, pool: ThreadPool = ThreadPool(count: 1)) -> QuantizedMatrix {
        precondition(weights.count == rows * cols)
        var values = [Int8](repeating: 0, count: weights.count)
        let scales: [Float]
        switch granularity {
        case .tensor:
            let scale = weights.withUnsafeBufferPointer { chooseScale($0[...], clipping: clipping) }
            scales = [scale]
            values.withUnsafeMutableBufferPointer { out in
                weights.withUnsafeBufferPointer { w in round(w[...], scale: scale, into: out.baseAddress!) }
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
                                let scale = chooseScale(row, clipping: clipping)
                                scaleBase[r] = scale
                                round(row, scale: scale, into: outBase + r * cols)
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
    static func chooseScale(_ group: Slice<UnsafeBufferPointer<Float>>, clipping: WeightClipping) -> Float {
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
                let error = squaredError(group, scale: scale)
                if error < best.error { best = (error, scale) }
            }
            return best.scale
        }
    }

    static func squaredError(_ group: Slice<UnsafeBufferPointer<Float>>, scale: Float) -> Float {
        let inverse = 1 / scale
        var sum: Float = 0
        for w in group {
            let q = min(max((w * inverse).rounded(.toNearestOrEven), -limit), limit)
            let e = w - q * scale
            sum += e * e
        }
        return sum
    }

    /// Rounds to nearest even and clamps to ±127, as the kernels do for activations.
    static func round(_ group: Slice<UnsafeBufferPointer<Float>>, scale: Float, into out: UnsafeMutablePointer<Int8>) {
        let inverse = 1 / scale
        for (offset, w) in group.enumerated() {
            out[offset] = Int8(min(max((w * inverse).rounded(.toNearestOrEven), -limit), limit))
        }
    }
}
