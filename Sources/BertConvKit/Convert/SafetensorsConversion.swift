import BertCore
import BertFormats

/// Converts any readable model into a Hugging Face safetensors directory: `model.safetensors`,
/// `config.json` with `architectures` set, tokenizer files, `manifest.json`. Built in a staged
/// sibling and renamed into place, so a failure leaves nothing at the output path.
public enum SafetensorsConversion {
    /// `__metadata__` that `transformers` requires to load the file.
    static let metadata: [(key: String, value: String)] = [("format", "pt")]

    public static func run(_ options: ConvertOptions) throws(BertCoreError) -> ConversionSummary {
        let graph = try ModelLoader.load(options.input, head: options.head)
        FileDigest.prefetch(graph.inputFiles)
        let staged: StagedOutput
        do { staged = try StagedOutput.directory(at: options.output, force: options.force) } catch { throw .output(error) }
        let manifest = try write(graph, into: staged, options: options)
        do { try staged.commit() } catch { throw .output(error) }
        return ConversionSummary(
            output: options.output, head: graph.head, sourceFormat: graph.format,
            tensorCount: graph.tensors.count, skippedCount: graph.skipped.count, manifest: manifest)
    }

    /// Writes the model, config, companions and manifest into a staged directory.
    static func write(_ graph: BertModelGraph, into staged: StagedOutput, options: ConvertOptions)
        throws(BertCoreError) -> Manifest {
        let entries = graph.tensors.map { tensor in
            let target = outputDType(tensor.dtype, requested: options.dtype)
            let name = CanonicalName.stateDictName(tensor.name, head: graph.head)
            return SafetensorsWriter.Entry(name: name, dtype: target, shape: tensor.shape) { () throws(FormatError) in
                let loaded = try tensor.load()
                return loaded.dtype == target ? loaded : loaded.converted(to: target)
            }
        }
        let modelName = "model.safetensors"
        try SafetensorsWriter.write(entries, metadata: metadata, to: staged.path(modelName))

        var config = graph.config.huggingFaceJSON(head: graph.head, tieWordEmbeddings: graph.decoderTied)
        if let words = graph.tensor(CanonicalName.wordEmbeddings) {
            // transformers 4.56+ writes `dtype`, older versions `torch_dtype`: update whichever the source has.
            let name = JSONValue.string(torchName(outputDType(words.dtype, requested: options.dtype)))
            let keys = ["dtype", "torch_dtype"].filter { config[$0] != nil }
            for key in keys.isEmpty ? ["torch_dtype"] : keys { config = config.setting(key, to: name) }
        }
        do { try FileSink.write(JSONWriter.pretty(config), to: staged.path("config.json")) } catch { throw .output(error) }
        var written = [modelName, "config.json"]
        for companion in graph.companionFiles {
            written.append(try copy(companion, into: staged))
        }

        let manifest = try ManifestBuilder.manifest(
            for: graph, outputDirectory: staged.stagingPath, outputFiles: written,
            outputDType: { outputDType($0.dtype, requested: options.dtype) }, command: options.command)
        do {
            try FileSink.write(JSONWriter.pretty(manifest.json), to: staged.path(Manifest.fileName))
        } catch { throw .output(error) }
        return manifest
    }

    /// Copies a tokenizer or vocabulary file into the output; returns its name there.
    static func copy(_ file: String, into staged: StagedOutput) throws(BertCoreError) -> String {
        let name = ModelFolder.basename(file)
        let bytes: [UInt8]
        do { bytes = try FileBytes.read(file) } catch { throw .format(error) }
        do { try FileSink(creating: staged.path(name)).write(bytes) } catch { throw .output(error) }
        return name
    }

    /// The dtype a tensor is written in: float tensors take the requested dtype, others keep theirs.
    static func outputDType(_ source: DType, requested: DType?) -> DType {
        guard let requested, source.isFloatingPoint, requested.isFloatingPoint else { return source }
        return requested
    }

    /// PyTorch's name for a dtype, as `config.json`'s `torch_dtype` spells it.
    static func torchName(_ dtype: DType) -> String {
        switch dtype {
        case .f32: "float32"
        case .f16: "float16"
        case .bf16: "bfloat16"
        case .i8: "int8"
        case .i32: "int32"
        case .i64: "int64"
        }
    }
}
