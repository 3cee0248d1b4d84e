import BertCore

/// How one output compares with its golden: the DESIGN.md verification report row.
public struct OutputComparison: Sendable, Codable, Equatable {
    public var name: String
    /// The golden's shape, and the shape the model produced (nil when it produced none).
    public var expectedShape: [Int]
    public var actualShape: [Int]?
    /// Elements compared (real-token positions only, unless all positions were asked for).
    public var comparedElements: Int
    public var maxAbsError: Double
    /// max |a − b| / |b| over elements with b ≠ 0.
    public var maxRelError: Double
    public var meanAbsError: Double
    /// Index of the element with the largest absolute error.
    public var worstIndex: [Int]
    /// Per-row cosine similarity (rows are tokens for per-token outputs, examples otherwise).
    public var cosineMean: Double
    public var cosineMin: Double
    /// Fraction of rows whose argmax agrees; logits only.
    public var top1Agreement: Double?
    public var tolerance: Tolerance
    public var passed: Bool
    /// Why it failed, in words (nil when it passed).
    public var failure: String?
}

/// Which positions of an output are compared, from the inputs' attention mask.
public struct PositionMask: Sendable {
    /// The inputs' shape (`[batch, seq]` or `[batch, choices, seq]`).
    public let shape: [Int]
    /// 1 where a token is real.
    public let values: [Int64]

    public init(shape: [Int], values: [Int64]) {
        self.shape = shape
        self.values = values
    }
}

/// The comparison arithmetic of `verify`, as pure functions over flat float arrays.
public enum Comparison {
    /// Compares `actual` with `expected`. Pass `mask` for per-token outputs (shape starting with the
    /// mask's): only real tokens are compared and rows are tokens; nil compares every position.
    public static func compare(name: String, actual: Tensor?, expected: Tensor, mask: PositionMask?,
                               tolerance: Tolerance) -> OutputComparison {
        var result = OutputComparison(
            name: name, expectedShape: expected.shape, actualShape: actual?.shape, comparedElements: 0,
            maxAbsError: 0, maxRelError: 0, meanAbsError: 0, worstIndex: [], cosineMean: 1, cosineMin: 1,
            top1Agreement: nil, tolerance: tolerance, passed: false, failure: nil)
        guard let actual else {
            result.failure = "missing output: the model produced no '\(name)'"
            return result
        }
        guard actual.shape == expected.shape else {
            result.failure = "shape mismatch: expected \(expected.shape), got \(actual.shape)"
            return result
        }
        let a = actual.floats(), b = expected.floats()
        let shape = expected.shape
        let perToken = mask.map { shape.starts(with: $0.shape) } ?? false
        let tokenSize = perToken ? shape.dropFirst(mask!.shape.count).reduce(1, *) : 0
        // Rows: one per token when the output has features per token, else one per example
        // (all of the example's real positions, e.g. QA's start_logits).
        let rowSize = perToken && shape.count > mask!.shape.count ? tokenSize : shape.last ?? 1
        let included: (Int) -> Bool = { index in
            guard perToken, let mask else { return true }
            return mask.values[index / tokenSize] != 0
        }

        var sumAbs = 0.0, worst = -1
        var rowCosines: [Double] = []
        var top1Hits = 0, top1Rows = 0
        var dot = 0.0, normA = 0.0, normB = 0.0
        var bestA = (index: -1, value: -Double.infinity), bestB = (index: -1, value: -Double.infinity)
        var elementFailure: Int?
        let elementTest = tolerance.atol != nil || tolerance.rtol != nil
        let (atol, rtol) = (tolerance.atol ?? 0, tolerance.rtol ?? 0)
        for index in a.indices {
            let x = Double(a[index]), y = Double(b[index])
            if included(index) {
                let error = abs(x - y)
                result.comparedElements += 1
                sumAbs += error
                if worst < 0 || !(error <= result.maxAbsError) {
                    result.maxAbsError = error
                    worst = index
                }
                if y != 0 { result.maxRelError = max(result.maxRelError, error / abs(y)) }
                if elementTest, elementFailure == nil, !(error <= atol + rtol * abs(y)) { elementFailure = index }
                dot += x * y
                normA += x * x
                normB += y * y
                if x > bestA.value || bestA.index < 0 { bestA = (index, x) }
                if y > bestB.value || bestB.index < 0 { bestB = (index, y) }
            }
            if (index + 1) % rowSize == 0 {
                if bestB.index >= 0 {
                    rowCosines.append(cosine(dot: dot, normA: normA, normB: normB))
                    top1Rows += 1
                    if bestA.index == bestB.index { top1Hits += 1 }
                }
                (dot, normA, normB) = (0, 0, 0)
                bestA = (-1, -.infinity)
                bestB = (-1, -.infinity)
            }
        }
        result.meanAbsError = result.comparedElements > 0 ? sumAbs / Double(result.comparedElements) : 0
        result.worstIndex = worst >= 0 ? unflatten(worst, shape) : []
        result.cosineMean = rowCosines.isEmpty ? 1 : rowCosines.reduce(0, +) / Double(rowCosines.count)
        result.cosineMin = rowCosines.min() ?? 1
        if name.hasSuffix("logits") { result.top1Agreement = top1Rows > 0 ? Double(top1Hits) / Double(top1Rows) : 1 }
        result.failure = failure(result, elementFailure: elementFailure.map { unflatten($0, shape) })
        result.passed = result.failure == nil
        return result
    }

    private static func failure(_ r: OutputComparison, elementFailure: [Int]?) -> String? {
        let t = r.tolerance
        if let index = elementFailure {
            return "element \(index) differs by more than \(t.atol ?? 0) + \(t.rtol ?? 0)·|expected|"
        }
        if let bound = t.cosineMean, !(r.cosineMean >= bound) { return "mean row cosine \(r.cosineMean) below \(bound)" }
        if let bound = t.cosineMin, !(r.cosineMin >= bound) { return "min row cosine \(r.cosineMin) below \(bound)" }
        if let bound = t.top1, let agreement = r.top1Agreement, !(agreement >= bound) {
            return "top-1 agreement \(agreement) below \(bound)"
        }
        return nil
    }

    private static func cosine(dot: Double, normA: Double, normB: Double) -> Double {
        if normA == 0 && normB == 0 { return 1 }
        if normA == 0 || normB == 0 { return 0 }
        return dot / (normA.squareRoot() * normB.squareRoot())
    }

    /// The multi-dimensional index of flat element `flat` of `shape`.
    static func unflatten(_ flat: Int, _ shape: [Int]) -> [Int] {
        var rest = flat
        var index = Array(repeating: 0, count: shape.count)
        for axis in shape.indices.reversed() where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
