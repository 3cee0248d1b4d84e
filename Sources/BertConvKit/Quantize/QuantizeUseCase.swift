import BertCore
import BertFormats
import BertQuant
import BertRunner

/// What `quantize` produced.
public struct QuantizationSummary: Sendable {
    public let output: String
    public let head: BertHead
    public let report: QuantizationReport
    public let manifest: Manifest
}

/// `quantize --int8`: weights to int8 (per channel or tensor, absmax or MSE clipping), optionally
/// calibrated and gated against the fp32 model, written in compressed-tensors' int-quantized
/// layout with config, companions, manifest (and report). Staged: a failure leaves nothing.
public enum QuantizeUseCase {
    public static func run(_ options: QuantizeOptions) throws(QuantizeError) -> QuantizationSummary {
        let graph: BertModelGraph, existing: [String: QuantizedWeight]
        do {
            graph = try ModelLoader.load(options.input, head: options.head)
            FileDigest.prefetch(graph.inputFiles)
            existing = try Int8Model.weights(of: graph)
        } catch { throw QuantizeError(error) }
        if let name = existing.keys.min() {
            throw QuantizeError(FormatError(path: options.input, tensor: name, .unsupported("the model is already int8")))
        }
        let pool = ThreadPool(count: options.threads)
        let units = QuantizationUnits.units(of: graph, embeddings: options.int8Embeddings)
        let excluded = Set(units.filter { QuantizationUnits.matches($0, globs: options.exclude) }.map(\.name))
        var all: [String: QuantizedWeight] = [:]
        var layers: [QuantizationReport.Layer] = []
        for unit in units {
            let isEmbeddings = unit.weights == [CanonicalName.wordEmbeddings]
            let activationBits = isEmbeddings
                ? nil : ActivationBits.bits(forLinear: unit.weights[0], staticScale: options.staticActivations)
            for name in unit.weights {
                let tensor = graph.tensor(name)!
                let values: [Float]
                do { values = try tensor.load().floats() } catch { throw QuantizeError(error) }
                let matrix = WeightQuantizer.quantize(
                    values, rows: tensor.shape[0], cols: tensor.shape[1],
                    granularity: isEmbeddings ? .channel : options.granularity,
                    clipping: options.effectiveClipping, limit: WeightQuantizer.limit(for: unit), pool: pool)
                all[name] = QuantizedWeight(matrix: matrix)
                layers.append(QuantizationReport.Layer(
                    weight: name, unit: unit.name, shape: tensor.shape, sqnrDecibels: WeightQuantizer.sqnr(values, matrix),
                    activationAbsmax: nil, sensitivityCosine: nil, int8: !excluded.contains(unit.name),
                    activationBits: activationBits,
                    fp32Reason: excluded.contains(unit.name) ? "excluded" : nil))
            }
        }
        var report = QuantizationReport(
            granularity: options.granularity, clipping: options.effectiveClipping,
            staticActivations: options.staticActivations, int8Embeddings: options.int8Embeddings,
            calibration: options.calibration, calibrationSequences: 0, minCosine: options.minCosine,
            maxTop1Drop: options.maxTop1Drop, gatePassed: nil, layers: layers, endToEnd: nil, fp32Bytes: 0, int8Bytes: 0)
        var int8Units = units.filter { !excluded.contains($0.name) }
        if let calibration = options.calibration {
            let search = try GateSearch(graph: graph, units: units, weights: all, options: options,
                                        inputs: CalibrationInputs.read(
                                            calibration, modelPath: options.input,
                                            maxLength: min(graph.config.maxPositionEmbeddings, 512)))
            all = search.weights
            report.calibrationSequences = search.probe.inputs.sequenceCount
            let outcome = try search.run(int8Units, report: &report)
            int8Units = outcome.units
            report.endToEnd = outcome.figures
            if options.hasGate { report.gatePassed = outcome.passed }
            if !outcome.passed {
                try writeReport(report, options: options)
                throw QuantizeError(QuantizationGateError(
                    output: options.output, best: outcome.figures, fallbacks: outcome.fallbacks,
                    minCosine: options.minCosine, maxTop1Drop: options.maxTop1Drop))
            }
        } else if options.hasGate {
            throw QuantizeError(FormatError(path: options.input, .unsupported("--min-cosine and --max-top1-drop need --calibrate FILE")))
        }
        let kept = Set(int8Units.flatMap(\.weights))
        let quantized = all.filter { kept.contains($0.key) }
        report.fp32Bytes = graph.tensors.reduce(0) { $0 + ShapeMath.elementCount($1.shape)! * 4 }
        report.int8Bytes = graph.tensors.reduce(0) { total, tensor in
            let count = ShapeMath.elementCount(tensor.shape)!
            guard let weight = quantized[tensor.name] else { return total + count * 4 }
            return total + count + weight.matrix.scales.count * 4 + (weight.inputScale == nil ? 0 : 4)
        }
        let manifest = try write(graph, quantized: quantized, units: units, report: report, options: options)
        try writeReport(report, options: options)
        return QuantizationSummary(output: options.output, head: graph.head, report: report, manifest: manifest)
    }

    static func write(_ graph: BertModelGraph, quantized: [String: QuantizedWeight], units: [QuantizationUnit],
                      report: QuantizationReport, options: QuantizeOptions) throws(QuantizeError) -> Manifest {
        do throws(BertCoreError) {
            let staged: StagedOutput
            do { staged = try StagedOutput.directory(at: options.output, force: options.force) } catch { throw BertCoreError.output(error) }
            try SafetensorsWriter.write(Int8Layout.entries(graph, quantized: quantized),
                                        metadata: SafetensorsConversion.metadata, to: staged.path("model.safetensors"))
            let linearNames = units.flatMap(\.weights).filter { $0 != CanonicalName.wordEmbeddings }
            let config = graph.config.huggingFaceJSON(head: graph.head, tieWordEmbeddings: graph.decoderTied)
                .setting("torch_dtype", to: .string("float32"))
                .setting("quantization_config", to: Int8Layout.quantizationConfig(
                    graph: graph, quantized: quantized, linearNames: linearNames, granularity: options.granularity,
                    staticActivations: options.staticActivations))
            do { try FileSink.write(JSONWriter.pretty(config), to: staged.path("config.json")) } catch { throw BertCoreError.output(error) }
            var written = ["model.safetensors", "config.json"]
            for companion in graph.companionFiles { written.append(try SafetensorsConversion.copy(companion, into: staged)) }
            let manifest = try ManifestBuilder.manifest(
                for: graph, outputDirectory: staged.stagingPath, outputFiles: written,
                outputDType: { quantized[$0.name] == nil ? .f32 : .i8 }, command: options.command, quantization: report.json)
            do {
                try FileSink.write(JSONWriter.pretty(manifest.json), to: staged.path(Manifest.fileName))
                try staged.commit()
            } catch { throw BertCoreError.output(error) }
            return manifest
        } catch {
            throw QuantizeError(error)
        }
    }

    static func writeReport(_ report: QuantizationReport, options: QuantizeOptions) throws(QuantizeError) {
        guard let path = options.report else { return }
        do {
            let staged = try StagedOutput.file(at: path, force: true)
            try FileSink.write(JSONWriter.pretty(report.json), to: staged.stagingPath)
            try staged.commit()
        } catch { throw QuantizeError(error) }
    }
}
