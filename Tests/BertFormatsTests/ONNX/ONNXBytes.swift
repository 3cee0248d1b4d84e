/// Builds ONNX protobuf bytes field by field for hostile-input tests.
enum ONNXBytes {
    static func varint(_ value: UInt64) -> [UInt8] {
        var bytes: [UInt8] = [], rest = value
        repeat {
            bytes.append(UInt8(rest & 0x7F) | (rest >= 0x80 ? 0x80 : 0))
            rest >>= 7
        } while rest != 0
        return bytes
    }

    /// A length-delimited field.
    static func field(_ number: Int, _ payload: [UInt8]) -> [UInt8] {
        varint(UInt64(number << 3 | 2)) + varint(UInt64(payload.count)) + payload
    }

    static func field(_ number: Int, _ text: String) -> [UInt8] { field(number, Array(text.utf8)) }

    /// A varint field.
    static func int(_ number: Int, _ value: Int) -> [UInt8] { varint(UInt64(number << 3)) + varint(UInt64(value)) }

    /// A `TensorProto` (FLOAT unless `dataType` says otherwise) with `raw_data`.
    static func tensor(_ name: String, dims: [Int], raw: [UInt8], extra: [UInt8] = [], dataType: Int = 1) -> [UInt8] {
        dims.flatMap { int(1, $0) } + int(2, dataType) + field(8, name) + field(9, raw) + extra
    }

    /// A `NodeProto`.
    static func node(_ op: String, inputs: [String], outputs: [String], attributes: [[UInt8]] = []) -> [UInt8] {
        inputs.flatMap { field(1, $0) } + outputs.flatMap { field(2, $0) } + field(4, op) + attributes.flatMap { field(5, $0) }
    }

    /// A `ModelProto` whose graph holds `nodes` and `initializers`.
    static func model(nodes: [[UInt8]] = [], initializers: [[UInt8]] = []) -> [UInt8] {
        int(1, 8) + field(7, nodes.flatMap { field(1, $0) } + initializers.flatMap { field(5, $0) })
    }

    static func floats(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: 4 * count) }
}
