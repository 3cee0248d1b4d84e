import BertCore

/// Builds the ONNX model of a canonical BERT graph: inputs `input_ids`, `attention_mask`,
/// `token_type_ids` (INT64, dynamic batch and sequence axes), outputs named as Hugging Face's
/// fields, initializers under canonical names (linear weights stored `[in, out]`, marked).
public enum ONNXExporter {
    /// The `doc_string` of an initializer stored as the transpose of its canonical tensor.
    public static let transposedMarker = "bertconv:transposed"
    /// `metadata_props` keys bertconv writes.
    public static let headKey = "bertconv.head"
    public static let configKey = "bertconv.config"
    public static let precisionKey = "bertconv.precision"
    /// Suffix of the per-channel scale initializer of an int8 weight.
    public static let scaleSuffix = "_scale"
    /// Suffix of the zero-point initializer of an int8 weight (stored as UINT8).
    public static let zeroPointSuffix = "_zero_point"

    /// The ONNX model for `graph`; tensors are loaded only when the writer serializes them.
    public static func model(for graph: BertModelGraph, options: ONNXExportOptions) throws(FormatError) -> ONNXModel {
        guard ONNXExportOptions.supportedOpsets.contains(options.opset) else {
            throw FormatError(path: graph.path, .unsupported(
                "opset \(options.opset); bertconv exports opsets \(ONNXExportOptions.supportedOpsets.lowerBound)-\(ONNXExportOptions.supportedOpsets.upperBound)"))
        }
        guard options.precision != .int8 || options.quantizer != nil else {
            throw FormatError(path: graph.path, .unsupported("int8 ONNX export needs the int8 quantizer, which this build does not have yet"))
        }
        var bert = BertONNXGraph(graph: graph, options: options)
        bert.build()
        let config = graph.config.huggingFaceJSON(head: graph.head, tieWordEmbeddings: graph.decoderTied)
        return ONNXModel(
            irVersion: options.irVersion,
            opsets: [("", options.opset)] + (options.ortOps ? [("com.microsoft", 1)] : []),
            producerName: "bertconv", producerVersion: options.producerVersion,
            docString: "\(graph.head.rawValue) exported by bertconv",
            graphName: graph.head.rawValue,
            nodes: bert.builder.nodes, initializers: bert.builder.initializers,
            inputs: bert.inputs, outputs: bert.outputs,
            metadata: [
                (headKey, graph.head.rawValue),
                (precisionKey, options.precision.rawValue),
                (configKey, JSONWriter.compact(config)),
            ] + options.metadata)
    }
}
