import BertProtos

/// Turns bertconv's ONNX description into protobuf-c message structs whose memory `arena` owns.
struct ONNXProtoEncoder {
    let arena = CArena()

    func entry(_ key: String, _ value: String) -> UnsafeMutablePointer<Onnx__StringStringEntryProto> {
        arena.message(onnx__string_string_entry_proto__init) {
            $0.key = arena.string(key)
            $0.value = arena.string(value)
        }
    }

    func opset(domain: String, version: Int) -> UnsafeMutablePointer<Onnx__OperatorSetIdProto> {
        arena.message(onnx__operator_set_id_proto__init) {
            $0.domain = arena.string(domain)
            $0.has_version = 1
            $0.version = Int64(version)
        }
    }

    func valueInfo(_ info: ONNXValueInfo) -> UnsafeMutablePointer<Onnx__ValueInfoProto> {
        let dims = info.dims.map { dim in
            arena.message(onnx__tensor_shape_proto__dimension__init) { (d: inout Onnx__TensorShapeProto__Dimension) in
                switch dim {
                case .value(let value):
                    d.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE
                    d.dim_value = Int64(value)
                case .param(let name):
                    d.value_case = ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM
                    d.dim_param = arena.string(name)
                }
            }
        }
        let shape = arena.message(onnx__tensor_shape_proto__init) {
            $0.n_dim = dims.count
            $0.dim = arena.pointers(dims)
        }
        let tensorType = arena.message(onnx__type_proto__tensor__init) {
            $0.has_elem_type = 1
            $0.elem_type = info.elementType.rawValue
            $0.shape = shape
        }
        let type = arena.message(onnx__type_proto__init) {
            $0.value_case = ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE
            $0.tensor_type = tensorType
        }
        return arena.message(onnx__value_info_proto__init) {
            $0.name = arena.string(info.name)
            $0.type = type
        }
    }

    func node(_ node: ONNXNode) -> UnsafeMutablePointer<Onnx__NodeProto> {
        let attributes = node.attributes.map(attribute)
        return arena.message(onnx__node_proto__init) {
            $0.n_input = node.inputs.count
            $0.input = arena.array(node.inputs.map { Optional(arena.string($0)) })
            $0.n_output = node.outputs.count
            $0.output = arena.array(node.outputs.map { Optional(arena.string($0)) })
            $0.name = arena.string(node.name)
            $0.op_type = arena.string(node.opType)
            if !node.domain.isEmpty { $0.domain = arena.string(node.domain) }
            $0.n_attribute = attributes.count
            $0.attribute = arena.pointers(attributes)
        }
    }

    func attribute(_ attribute: ONNXAttribute) -> UnsafeMutablePointer<Onnx__AttributeProto> {
        arena.message(onnx__attribute_proto__init) { (a: inout Onnx__AttributeProto) in
            a.name = arena.string(attribute.name)
            a.has_type = 1
            switch attribute.value {
            case .int(let value):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INT
                a.has_i = 1
                a.i = Int64(value)
            case .float(let value):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOAT
                a.has_f = 1
                a.f = value
            case .string(let value):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__STRING
                a.has_s = 1
                let bytes = Array(value.utf8)
                a.s = ProtobufCBinaryData(len: bytes.count, data: arena.array(bytes))
            case .ints(let values):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__INTS
                a.n_ints = values.count
                a.ints = arena.array(values.map(Int64.init))
            case .floats(let values):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__FLOATS
                a.n_floats = values.count
                a.floats = arena.array(values)
            case .tensor(let constant):
                a.type = ONNX__ATTRIBUTE_PROTO__ATTRIBUTE_TYPE__TENSOR
                a.t = tensor(name: nil, constant.elementType, constant.shape, docString: nil,
                             data: .inline(arena.array(constant.bytes), constant.bytes.count))
            }
        }
    }

    /// Where a tensor's bytes go.
    enum TensorData {
        /// In `raw_data`; the pointer may be nil while only sizing.
        case inline(UnsafeMutablePointer<UInt8>?, Int)
        /// In the external data file `location`.
        case external(location: String, offset: Int, length: Int)
        /// No data fields: the caller streams `raw_data` between the fields before it (dims,
        /// data type, name) and after it (doc string), packed as two messages.
        case streamed
    }

    /// A TensorProto holding only `doc_string`: the part packed after a streamed `raw_data`.
    func tensorDocString(_ docString: String) -> UnsafeMutablePointer<Onnx__TensorProto> {
        arena.message(onnx__tensor_proto__init) { (t: inout Onnx__TensorProto) in t.doc_string = arena.string(docString) }
    }

    func tensor(name: String?, _ type: ONNXElementType, _ shape: [Int], docString: String?, data: TensorData)
        -> UnsafeMutablePointer<Onnx__TensorProto> {
        arena.message(onnx__tensor_proto__init) { (t: inout Onnx__TensorProto) in
            t.n_dims = shape.count
            t.dims = arena.array(shape.map(Int64.init))
            t.has_data_type = 1
            t.data_type = type.rawValue
            if let name { t.name = arena.string(name) }
            if let docString { t.doc_string = arena.string(docString) }
            switch data {
            case .inline(let pointer, let length):
                t.has_raw_data = 1
                t.raw_data = ProtobufCBinaryData(len: length, data: pointer)
            case .streamed:
                break
            case .external(let location, let offset, let length):
                let entries = [entry("location", location), entry("offset", String(offset)), entry("length", String(length))]
                t.n_external_data = entries.count
                t.external_data = arena.pointers(entries)
                t.has_data_location = 1
                t.data_location = ONNX__TENSOR_PROTO__DATA_LOCATION__EXTERNAL
            }
        }
    }
}
