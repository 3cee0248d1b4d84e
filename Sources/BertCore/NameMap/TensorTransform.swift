/// One step that turns a source tensor's layout into the canonical one; names are the JSON spellings.
public enum TransformStep: String, Sendable, Codable {
    /// 2-D transpose (`[in, out]` kernels to `[out, in]`).
    case transpose
    /// Merges the last two dimensions (`[h, heads, headSize]` to `[h, hidden]`).
    case mergeLast2 = "merge_last2"
    /// Merges the first two dimensions (`[heads, headSize, h]` to `[hidden, h]`).
    case mergeFirst2 = "merge_first2"

    /// The shape after this step, or nil when the step does not apply to `shape`.
    public func apply(to shape: [Int]) -> [Int]? {
        switch self {
        case .transpose:
            shape.count == 2 ? [shape[1], shape[0]] : nil
        case .mergeLast2:
            shape.count >= 2 ? Array(shape.dropLast(2)) + [shape[shape.count - 2] * shape[shape.count - 1]] : nil
        case .mergeFirst2:
            shape.count >= 2 ? [shape[0] * shape[1]] + Array(shape.dropFirst(2)) : nil
        }
    }

    /// Applies the step to a tensor whose shape it fits.
    public func apply(to tensor: Tensor) -> Tensor {
        switch self {
        case .transpose: tensor.transposed2D()
        case .mergeLast2, .mergeFirst2: tensor.reshaped(apply(to: tensor.shape)!)!
        }
    }
}

/// A sequence of transform steps, as a name-map entry lists them.
public struct TensorTransform: Sendable, Equatable, CustomStringConvertible {
    public let steps: [TransformStep]

    public init(_ steps: [TransformStep] = []) { self.steps = steps }

    public static let identity = TensorTransform()

    /// The shape after every step, or nil when a step does not apply.
    public func apply(to shape: [Int]) -> [Int]? {
        var current = shape
        for step in steps {
            guard let next = step.apply(to: current) else { return nil }
            current = next
        }
        return current
    }

    /// The tensor after every step; callers have checked the shape with `apply(to:)`.
    public func apply(to tensor: Tensor) -> Tensor {
        steps.reduce(tensor) { $1.apply(to: $0) }
    }

    /// `none`, or the steps joined with `+`, as the manifest records them.
    public var description: String {
        steps.isEmpty ? "none" : steps.map(\.rawValue).joined(separator: "+")
    }
}
