/// An element type a canonical tensor may have; raw values are safetensors' dtype names.
public enum DType: String, Sendable, CaseIterable, Codable {
    case f32 = "F32"
    case f16 = "F16"
    case bf16 = "BF16"
    case i8 = "I8"
    case i32 = "I32"
    case i64 = "I64"

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .i8: 1
        case .f16, .bf16: 2
        case .f32, .i32: 4
        case .i64: 8
        }
    }

    /// Whether the type holds floating-point values.
    public var isFloatingPoint: Bool { self == .f32 || self == .f16 || self == .bf16 }

    /// The lower-case spelling used on the command line (`f32`, `bf16`, …).
    public var cliName: String { rawValue.lowercased() }
}

/// Shape arithmetic that never traps on hostile input.
public enum ShapeMath {
    /// The number of elements of `shape`, or nil when a dimension is negative or the product overflows.
    public static func elementCount(_ shape: [Int]) -> Int? {
        var count = 1
        for dim in shape {
            guard dim >= 0 else { return nil }
            let (product, overflow) = count.multipliedReportingOverflow(by: dim)
            if overflow { return nil }
            count = product
        }
        return count
    }

    /// The byte size of `shape` × `dtype`, or nil on overflow or a negative dimension.
    public static func byteCount(_ shape: [Int], _ dtype: DType) -> Int? {
        guard let count = elementCount(shape) else { return nil }
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.byteWidth)
        return overflow ? nil : bytes
    }
}
