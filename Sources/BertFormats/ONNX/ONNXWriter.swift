import BertCore
import BertProtos

/// Serializes an `ONNXModel` with protobuf-c, streaming: the model's structure is packed from
/// small structs, and each initializer is loaded, its `raw_data` written straight from its bytes
/// (the mapped source file when nothing converts it) or, for a transposed weight, a slab at a time
/// through one reused buffer, then dropped; so peak memory is about the largest converted tensor.
/// Bytes are deterministic: fields in field-number order, initializers in model order.
public enum ONNXWriter {
    /// Where initializer data goes when it is stored outside the model file.
    public struct ExternalData: Sendable {
        /// The file to write now (may be a staging path).
        public let path: String
        /// The name recorded in the model, relative to the model's folder (the final name).
        public let location: String

        public init(path: String, location: String) {
            self.path = path
            self.location = location
        }
    }

    /// External data offsets are aligned to this (ONNX recommends the page size, for mmap).
    static let externalAlignment = 4096

    /// Bytes per slab of a streamed transpose: a few L2-sized pieces, above `ProtoStream`'s
    /// staging size so each goes straight to the file.
    static let slabBytes = 4 << 20

    /// protobuf refuses messages of 2 GiB or more; models whose data comes near are stored externally.
    public static let inlineLimit = (1 << 31) - (64 << 20)

    /// Whether `model` must keep its initializers in an external data file.
    public static func needsExternalData(_ model: ONNXModel) -> Bool {
        model.initializers.reduce(0) { $0 + $1.byteCount } > inlineLimit
    }

    /// Writes `model` to a new file at `path`, its initializer data to `externalData` when given;
    /// `trailingMetadata` is asked for last, after every initializer (metadata is the model's last
    /// field), and its pairs follow `model.metadata`: values still being computed (input digests)
    /// cost no wait.
    public static func write(_ model: ONNXModel, to path: String, externalData: ExternalData?,
                             trailingMetadata: () throws(BertCoreError) -> [(key: String, value: String)] = { [] })
        throws(BertCoreError) {
        let encoder = ONNXProtoEncoder()
        let slab = UnsafeMutableRawBufferPointer.allocate(byteCount: slabBytes, alignment: 64)
        defer { slab.deallocate() }
        var placements: [ONNXProtoEncoder.TensorData] = []
        if let externalData {
            placements = try writeExternal(model.initializers, to: externalData, slab: slab)
        } else {
            placements = model.initializers.map { .inline(nil, $0.byteCount) }
        }
        let sink: FileSink
        do { sink = try FileSink(creating: path) } catch { throw .output(error) }
        let stream = ProtoStream(sink: sink)

        let head = encoder.arena.message(onnx__model_proto__init) {
            $0.has_ir_version = 1
            $0.ir_version = Int64(model.irVersion)
            $0.producer_name = encoder.arena.string(model.producerName)
            $0.producer_version = encoder.arena.string(model.producerVersion)
            if !model.docString.isEmpty { $0.doc_string = encoder.arena.string(model.docString) }
        }
        let nodes = model.nodes.map(encoder.node)
        let graphHead = encoder.arena.message(onnx__graph_proto__init) {
            $0.n_node = nodes.count
            $0.node = encoder.arena.pointers(nodes)
            $0.name = encoder.arena.string(model.graphName)
        }
        let inputs = model.inputs.map(encoder.valueInfo), outputs = model.outputs.map(encoder.valueInfo)
        let graphTail = encoder.arena.message(onnx__graph_proto__init) {
            $0.n_input = inputs.count
            $0.input = encoder.arena.pointers(inputs)
            $0.n_output = outputs.count
            $0.output = encoder.arena.pointers(outputs)
        }
        // ModelProto fields 1-6, then graph (7) written piecewise, then opset_import (8) and metadata (14).
        var initializerSizes: [Int] = []
        for (initializer, placement) in zip(model.initializers, placements) {
            let sizing = ONNXProtoEncoder()
            initializerSizes.append(ProtoStream.packedSize(sizing.tensor(
                name: initializer.name, initializer.elementType, initializer.shape,
                docString: initializer.docString, data: placement)))
        }
        let graphSize = ProtoStream.packedSize(graphHead) + ProtoStream.packedSize(graphTail)
            + initializerSizes.reduce(0) { $0 + ProtoStream.fieldSize(5, length: $1) }
        stream.pack(head)
        stream.fieldHeader(7, length: graphSize)
        stream.pack(graphHead)
        for (index, initializer) in model.initializers.enumerated() {
            stream.fieldHeader(5, length: initializerSizes[index])
            try packInitializer(initializer, placement: placements[index], into: stream, slab: slab)
        }
        stream.pack(graphTail)
        let opsets = model.opsets.map { encoder.opset(domain: $0.domain, version: $0.version) }
        let metadata = try (model.metadata + trailingMetadata()).map { encoder.entry($0.key, $0.value) }
        stream.pack(encoder.arena.message(onnx__model_proto__init) {
            $0.n_opset_import = opsets.count
            $0.opset_import = encoder.arena.pointers(opsets)
            $0.n_metadata_props = metadata.count
            $0.metadata_props = encoder.arena.pointers(metadata)
        })
        do { try stream.finish() } catch { throw .output(error) }
    }

    /// Packs one TensorProto; inline data is streamed between its fields in field-number order
    /// (dims, data type, name | raw_data | doc string), the bytes protobuf-c packs for the whole.
    private static func packInitializer(_ initializer: ONNXInitializer, placement: ONNXProtoEncoder.TensorData,
                                        into stream: ProtoStream, slab: UnsafeMutableRawBufferPointer) throws(BertCoreError) {
        let encoder = ONNXProtoEncoder()
        if case .external = placement {
            stream.pack(encoder.tensor(name: initializer.name, initializer.elementType, initializer.shape,
                                       docString: initializer.docString, data: placement))
            return
        }
        stream.pack(encoder.tensor(name: initializer.name, initializer.elementType, initializer.shape, docString: nil, data: .streamed))
        if initializer.byteCount > 0 {
            stream.fieldHeader(9, length: initializer.byteCount)
            try withChunks(of: initializer, slab: slab) { bytes in stream.append(bytes) }
        }
        if let doc = initializer.docString {
            stream.pack(encoder.tensorDocString(doc))
        }
    }

    /// Appends every initializer's bytes to the external data file, each at an aligned offset.
    private static func writeExternal(_ initializers: [ONNXInitializer], to external: ExternalData,
                                      slab: UnsafeMutableRawBufferPointer) throws(BertCoreError) -> [ONNXProtoEncoder.TensorData] {
        let sink: FileSink
        do { sink = try FileSink(creating: external.path) } catch { throw .output(error) }
        var placements: [ONNXProtoEncoder.TensorData] = []
        for initializer in initializers {
            let padding = (externalAlignment - sink.byteCount % externalAlignment) % externalAlignment
            do { try sink.write([UInt8](repeating: 0, count: padding)) } catch { throw .output(error) }
            placements.append(.external(location: external.location, offset: sink.byteCount, length: initializer.byteCount))
            try withChunks(of: initializer, slab: slab) { bytes throws(BertCoreError) in
                do throws(OutputError) { try sink.write(bytes) } catch { throw .output(error) }
            }
        }
        do { try sink.finish() } catch { throw .output(error) }
        return placements
    }

    /// Loads an initializer and calls `body` with its bytes, in order: all at once, or a
    /// transposed weight slab by slab through `slab`; the tensor is dropped afterwards.
    private static func withChunks(of initializer: ONNXInitializer, slab: UnsafeMutableRawBufferPointer,
                                   _ body: (UnsafeRawBufferPointer) throws(BertCoreError) -> Void) throws(BertCoreError) {
        switch initializer.payload {
        case .constant(let constant):
            let failure: BertCoreError? = constant.bytes.withUnsafeBytes { raw in
                do throws(BertCoreError) { try body(raw) } catch { return error }
                return nil
            }
            if let failure { throw failure }
        case .tensor(let load):
            let tensor: Tensor
            do { tensor = try load() } catch { throw .format(error) }
            // UINT8 initializers carry their bytes in an I8 tensor (bertconv has no u8 dtype).
            let type = initializer.elementType == .uint8 && tensor.dtype == .i8 ? .uint8 : ONNXElementType(tensor.dtype)
            precondition(type == initializer.elementType && tensor.shape == initializer.shape,
                         "initializer \(initializer.name) changed type or shape")
            try tensor.withUnsafeBytes { raw throws(BertCoreError) in try body(raw) }
        case .transposed(let load):
            let tensor: Tensor
            do { tensor = try load() } catch { throw .format(error) }
            precondition(ONNXElementType(tensor.dtype) == initializer.elementType && tensor.shape.count == 2
                         && [tensor.shape[1], tensor.shape[0]] == initializer.shape, "initializer \(initializer.name) changed type or shape")
            let rowBytes = tensor.shape[0] * tensor.dtype.byteWidth
            guard rowBytes <= slab.count else {
                return try tensor.transposed2D().withUnsafeBytes { raw throws(BertCoreError) in try body(raw) }
            }
            let rowsPerSlab = slab.count / max(rowBytes, 1)
            for first in stride(from: 0, to: tensor.shape[1], by: rowsPerSlab) {
                let rows = first..<min(first + rowsPerSlab, tensor.shape[1])
                tensor.transposed2D(rows: rows, into: slab)
                try body(UnsafeRawBufferPointer(rebasing: slab[0..<(rows.count * rowBytes)]))
            }
        }
    }
}
