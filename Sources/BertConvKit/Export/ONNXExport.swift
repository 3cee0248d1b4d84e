import BertCore
import BertFormats
import BertQuant

/// The precision of an ONNX export (fp32, fp16, int8).
public typealias ONNXPrecision = ONNXExportOptions.Precision

/// What `export-onnx` is asked to do.
public struct ONNXExportRequest: Sendable {
    /// The default-domain opsets the exporter supports.
    public static let supportedOpsets = ONNXExportOptions.supportedOpsets

    public var input: String
    /// The `.onnx` path; external data goes to `<output>.data`, the manifest to `<output>.manifest.json`.
    public var output: String
    public var force: Bool
    public var head: BertHead?
    public var opset: Int
    public var precision: ONNXPrecision
    public var ortOps: Bool
    /// Store initializers in `<output>.data` (automatic when they exceed protobuf's 2 GiB).
    public var externalData: Bool
    /// With int8: more layers kept in fp32, as `quantize --exclude` names them (shell globs).
    public var exclude: [String]
    /// The command line, recorded in the manifest.
    public var command: [String]

    public init(input: String, output: String, force: Bool = false, head: BertHead? = nil, opset: Int = 17,
                precision: ONNXPrecision = .fp32, ortOps: Bool = false, externalData: Bool = false,
                exclude: [String] = [], command: [String] = []) {
        self.input = input
        self.output = output
        self.force = force
        self.head = head
        self.opset = opset
        self.precision = precision
        self.ortOps = ortOps
        self.externalData = externalData
        self.exclude = exclude
        self.command = command
    }
}

/// What an export produced.
public struct ONNXExportSummary: Sendable {
    public let output: String
    public let head: BertHead
    public let sourceFormat: SourceFormat
    public let nodeCount: Int
    public let initializerCount: Int
    /// Whether the initializers went to `<output>.data`.
    public let externalData: Bool
    public let manifest: Manifest
}

/// Exports any readable model to ONNX: the model file, external data when asked or needed, and a
/// manifest beside them, each staged in a temporary sibling and renamed into place at the end.
public enum ONNXExport {
    public static func run(_ request: ONNXExportRequest) throws(BertCoreError) -> ONNXExportSummary {
        let graph = try ModelLoader.load(request.input, head: request.head)
        // Inputs are hashed on a second thread while the model is written; their digests are
        // needed only for the model's last field (metadata) and the manifest.
        FileDigest.prefetch(graph.inputFiles)
        let int8Weights = request.precision == .int8 ? int8WeightNames(graph, exclude: request.exclude) : []
        let options = ONNXExportOptions(
            opset: request.opset, precision: request.precision, ortOps: request.ortOps,
            producerVersion: BertConvVersion.current, metadata: [("bertconv.source_format", graph.format.rawValue)],
            quantizer: request.precision == .int8 ? quantizeWeight : nil, int8Weights: int8Weights)
        let model: ONNXModel
        do { model = try ONNXExporter.model(for: graph, options: options) } catch { throw .format(error) }

        let external = request.externalData || ONNXWriter.needsExternalData(model)
        let dataName = ModelFolder.basename(request.output) + ".data"
        let manifestPath = request.output + ".manifest.json"
        let stagedModel: StagedOutput, stagedManifest: StagedOutput
        var stagedData: StagedOutput?
        do {
            stagedModel = try StagedOutput.file(at: request.output, force: request.force)
            stagedManifest = try StagedOutput.file(at: manifestPath, force: request.force)
            if external { stagedData = try StagedOutput.file(at: request.output + ".data", force: request.force) }
        } catch { throw .output(error) }
        try ONNXWriter.write(model, to: stagedModel.stagingPath, externalData: stagedData.map {
            ONNXWriter.ExternalData(path: $0.stagingPath, location: dataName)
        }, trailingMetadata: { () throws(BertCoreError) in
            var sources: [(key: String, value: JSONValue)] = []
            for file in graph.inputFiles {
                do throws(FormatError) {
                    sources.append((ModelFolder.basename(file), .string(try FileDigest.sha256(file).hex)))
                } catch { throw .format(error) }
            }
            return [("bertconv.source_sha256", JSONWriter.compact(.object(sources)))]
        })
        var manifest = try ManifestBuilder.manifest(
            for: graph, outputDirectory: "", outputFiles: [],
            outputDType: { tensor in
                if int8Weights.contains(tensor.name) { return .i8 }
                return tensor.dtype.isFloatingPoint ? (request.precision == .fp16 ? .f16 : .f32) : tensor.dtype
            },
            command: request.command)
        // Hashed where they are staged, recorded under the names they are renamed to.
        let staged = [(stagedModel, ModelFolder.basename(request.output))] + (stagedData.map { [($0, dataName)] } ?? [])
        do {
            manifest.outputs = try staged.map { (file, name) throws(FormatError) in try Manifest.File(digesting: file.stagingPath, as: name) }
        } catch { throw .format(error) }
        do {
            try FileSink.write(JSONWriter.pretty(manifest.json), to: stagedManifest.stagingPath)
            try stagedData?.commit()
            try stagedManifest.commit()
            try stagedModel.commit()
        } catch { throw .output(error) }
        return ONNXExportSummary(
            output: request.output, head: graph.head, sourceFormat: graph.format, nodeCount: model.nodes.count,
            initializerCount: model.initializers.count, externalData: external, manifest: manifest)
    }

    /// Units `--precision int8` keeps in fp32 besides `--exclude`: the pooler and the heads, whose
    /// few products land straight in the outputs (a near tie between two logits flips on int8 noise).
    public static let fp32Units = ["bert.pooler.*", "cls.*", "classifier", "qa_outputs"]

    /// The weights of BertQuant's quantization units (word embeddings excepted: the tied
    /// decoder reads them) that neither `fp32Units` nor `exclude` matches.
    static func int8WeightNames(_ graph: BertModelGraph, exclude: [String]) -> Set<String> {
        Set(QuantizationUnits.units(of: graph, embeddings: false)
            .filter { !QuantizationUnits.matches($0, globs: fp32Units + exclude) }
            .flatMap(\.weights))
    }

    /// BertQuant's symmetric per-channel absmax int8 in ±64, one scale per output row: onnxruntime
    /// multiplies full-range u8 activations (DynamicQuantizeLinear) with them on CPUs without VNNI
    /// through `vpmaddubsw`, whose int16 pair sums 2 · 255 · 64 = 32640 cannot saturate (±127
    /// weights did: masked-LM max abs error 0.125 instead of 0.017).
    static let quantizeWeight: ONNXWeightQuantizer = { weight in
        let matrix = WeightQuantizer.quantize(
            weight.floats(), rows: weight.shape[0], cols: weight.shape[1], granularity: .channel, clipping: .absmax,
            limit: WeightQuantizer.linearLimit)
        return (matrix.valuesTensor, matrix.channelScales)
    }
}
