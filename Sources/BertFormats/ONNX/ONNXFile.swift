import BertCore
import BertProtos

/// An ONNX model file walked in place: metadata, nodes (unpacked with protobuf-c, one at a time)
/// and initializer headers whose data stays in the mapping (or in mapped external data files).
struct ONNXFile {
    let path: String
    let file: MappedFile
    private(set) var metadata: [(key: String, value: String)] = []
    private(set) var nodes: [ONNXNode] = []
    private(set) var initializers: [ONNXTensorRecord] = []

    /// Nodes above this are refused (BERT-large exports have a few thousand).
    static let maxNodeCount = 1_000_000

    init(path: String) throws(FormatError) {
        self.path = path
        file = try MappedFile(path: path)
        let bytes = file.bytes
        var model = ProtoWire(bytes, range: 0..<bytes.count, path: path)
        var graph: Range<Int>?
        while let field = try model.next() {
            switch (field.number, field.value) {
            case (7, .bytes(let range)): graph = range
            case (14, .bytes(let range)): metadata.append(try Self.entry(bytes, range, path: path))
            default: continue
            }
        }
        guard let graph else { throw FormatError(path: path, .malformed("not an ONNX model: no graph")) }
        var fields = ProtoWire(bytes, range: graph, path: path)
        while let field = try fields.next() {
            switch (field.number, field.value) {
            case (1, .bytes(let range)):
                guard nodes.count < Self.maxNodeCount else {
                    throw FormatError(path: path, byteOffset: range.lowerBound, .malformed("more than \(Self.maxNodeCount) nodes"))
                }
                nodes.append(try Self.node(bytes, range, path: path))
            case (5, .bytes(let range)):
                initializers.append(try ONNXTensorRecord(bytes, range, path: path))
            default: continue
            }
        }
    }

    /// A `StringStringEntryProto`.
    static func entry(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String) throws(FormatError) -> (key: String, value: String) {
        var fields = ProtoWire(bytes, range: range, path: path)
        var key = "", value = ""
        while let field = try fields.next() {
            guard case .bytes(let text) = field.value else { continue }
            if field.number == 1 { key = fields.string(text) }
            if field.number == 2 { value = fields.string(text) }
        }
        return (key, value)
    }

    /// A `NodeProto`, unpacked by protobuf-c once the wire walk has shown it holds no subgraph
    /// (If/Loop bodies are not BERT, and protobuf-c would recurse into them without a depth limit).
    static func node(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, path: String) throws(FormatError) -> ONNXNode {
        var fields = ProtoWire(bytes, range: range, path: path)
        while let field = try fields.next() {
            guard field.number == 5, case .bytes(let attribute) = field.value else { continue }
            var inner = ProtoWire(bytes, range: attribute, path: path)
            while let item = try inner.next() {
                guard item.number == 6 || item.number == 11 else { continue }
                throw FormatError(path: path, byteOffset: attribute.lowerBound, .unsupported("a node with a subgraph attribute (If/Loop/Scan)"))
            }
        }
        // SAFETY: `range` lies inside the mapping (checked by ProtoWire); protobuf-c copies what it keeps.
        guard let node = onnx__node_proto__unpack(nil, range.count, bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + range.lowerBound) else {
            throw FormatError(path: path, byteOffset: range.lowerBound, .malformed("invalid NodeProto"))
        }
        defer { onnx__node_proto__free_unpacked(node, nil) }
        let n = node.pointee
        func strings(_ pointer: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ count: Int) -> [String] {
            (0..<count).map { pointer?[$0].map { String(cString: $0) } ?? "" }
        }
        var attributes: [ONNXAttribute] = []
        for i in 0..<n.n_attribute {
            guard let a = n.attribute[i]?.pointee, let name = a.name.map({ String(cString: $0) }) else { continue }
            switch a.type {
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT: attributes.append(ONNXAttribute(name, .int(Int(a.i))))
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT: attributes.append(ONNXAttribute(name, .float(a.f)))
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS:
                attributes.append(ONNXAttribute(name, .ints((0..<a.n_ints).map { Int(a.ints[$0]) })))
            case ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING:
                attributes.append(ONNXAttribute(name, .string(String(decoding: UnsafeRawBufferPointer(start: a.s.data, count: a.s.len), as: UTF8.self))))
            default: continue
            }
        }
        return ONNXNode(
            opType: n.op_type.map { String(cString: $0) } ?? "", domain: n.domain.map { String(cString: $0) } ?? "",
            name: n.name.map { String(cString: $0) } ?? "",
            inputs: strings(n.input, n.n_input), outputs: strings(n.output, n.n_output), attributes: attributes)
    }
}

extension ONNXNode {
    /// The integer attribute `name`, if present.
    func int(_ name: String) -> Int? {
        for attribute in attributes where attribute.name == name {
            if case .int(let value) = attribute.value { return value }
        }
        return nil
    }
}
