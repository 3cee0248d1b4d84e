import BertCore

/// An ONNX element type, by its `TensorProto.DataType` number.
public enum ONNXElementType: Int32, Sendable {
    case float = 1
    case uint8 = 2
    case int8 = 3
    case int32 = 6
    case int64 = 7
    case bool = 9
    case float16 = 10
    case bfloat16 = 16

    /// The element type holding `dtype`.
    public init(_ dtype: DType) {
        switch dtype {
        case .f32: self = .float
        case .f16: self = .float16
        case .bf16: self = .bfloat16
        case .i8: self = .int8
        case .i32: self = .int32
        case .i64: self = .int64
        }
    }

    /// The canonical dtype of this element type, if bertconv has one.
    public var dtype: DType? {
        switch self {
        case .float: .f32
        case .float16: .f16
        case .bfloat16: .bf16
        case .int8: .i8
        case .int32: .i32
        case .int64: .i64
        case .uint8, .bool: nil
        }
    }

    /// Bytes per element.
    public var byteWidth: Int {
        switch self {
        case .uint8, .int8, .bool: 1
        case .float16, .bfloat16: 2
        case .float, .int32: 4
        case .int64: 8
        }
    }
}

/// One dimension of a graph input or output: fixed, or a named dynamic axis.
public enum ONNXDim: Sendable, Equatable {
    case value(Int)
    case param(String)
}

/// A graph input or output: name, element type and shape.
public struct ONNXValueInfo: Sendable {
    public let name: String
    public let elementType: ONNXElementType
    public let dims: [ONNXDim]
}

/// A node attribute's value.
public enum ONNXAttributeValue: Sendable {
    case int(Int)
    case float(Float)
    case string(String)
    case ints([Int])
    case floats([Float])
    /// A small constant tensor (the `Constant` node's `value`).
    case tensor(ONNXConstant)
}

/// A named node attribute.
public struct ONNXAttribute: Sendable {
    public let name: String
    public let value: ONNXAttributeValue

    public init(_ name: String, _ value: ONNXAttributeValue) {
        self.name = name
        self.value = value
    }
}

/// One operator application.
public struct ONNXNode: Sendable {
    public let opType: String
    /// Empty for the default ONNX domain.
    public let domain: String
    public let name: String
    public let inputs: [String]
    public let outputs: [String]
    public let attributes: [ONNXAttribute]
}

/// A small tensor whose bytes the builder makes (shapes, scalars, zero points).
public struct ONNXConstant: Sendable {
    public let elementType: ONNXElementType
    public let shape: [Int]
    /// Little-endian element bytes.
    public let bytes: [UInt8]

    /// A 1-D INT64 tensor (or a scalar when `scalar`).
    public static func int64(_ values: [Int], scalar: Bool = false) -> ONNXConstant {
        var bytes: [UInt8] = []
        for value in values { withUnsafeBytes(of: Int64(value).littleEndian) { bytes.append(contentsOf: $0) } }
        return ONNXConstant(elementType: .int64, shape: scalar ? [] : [values.count], bytes: bytes)
    }

    /// A FLOAT or FLOAT16 scalar.
    public static func scalar(_ value: Float, _ type: ONNXElementType) -> ONNXConstant {
        var bytes: [UInt8] = []
        switch type {
        case .float16: withUnsafeBytes(of: Float16(value).bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        default: withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return ONNXConstant(elementType: type, shape: [], bytes: bytes)
    }
}

/// A graph initializer: a canonical tensor loaded when it is written, or a small constant.
public struct ONNXInitializer: Sendable {
    /// Where the bytes come from.
    public enum Payload: Sendable {
        case constant(ONNXConstant)
        /// A tensor produced on demand (loaded, converted), so the writer holds one at a time.
        case tensor(@Sendable () throws(FormatError) -> Tensor)
        /// A 2-D tensor produced on demand and written as its transpose (the initializer's shape),
        /// a slab at a time through one reused buffer: no transposed copy is ever allocated.
        case transposed(@Sendable () throws(FormatError) -> Tensor)
    }

    public let name: String
    public let elementType: ONNXElementType
    public let shape: [Int]
    /// Written as the tensor's `doc_string` (bertconv marks its transposed weights here).
    public let docString: String?
    public let payload: Payload

    /// The byte length of the data.
    public var byteCount: Int { ShapeMath.elementCount(shape)! * elementType.byteWidth }
}

/// A whole ONNX model ready to serialize.
public struct ONNXModel: Sendable {
    public var irVersion: Int
    /// (domain, version) pairs; the default domain is "".
    public var opsets: [(domain: String, version: Int)]
    public var producerName: String
    public var producerVersion: String
    public var docString: String
    public var graphName: String
    public var nodes: [ONNXNode]
    public var initializers: [ONNXInitializer]
    public var inputs: [ONNXValueInfo]
    public var outputs: [ONNXValueInfo]
    /// `metadata_props`, in order.
    public var metadata: [(key: String, value: String)]
}
