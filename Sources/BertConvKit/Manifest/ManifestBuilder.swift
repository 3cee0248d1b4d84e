import BertCore
import BertFormats

/// Assembles a manifest from a graph and the files a command wrote.
public enum ManifestBuilder {
    /// The manifest for `graph` written as `outputFiles` (names inside `outputDirectory`).
    public static func manifest(
        for graph: BertModelGraph, outputDirectory: String, outputFiles: [String],
        outputDType: (CanonicalTensor) -> DType, command: [String], quantization: JSONValue? = nil
    ) throws(BertCoreError) -> Manifest {
        do {
            var inputs: [Manifest.File] = []
            for file in graph.inputFiles { inputs.append(try Manifest.File(digesting: file, as: file)) }
            var outputs: [Manifest.File] = []
            for name in outputFiles {
                outputs.append(try Manifest.File(digesting: ModelFolder.join(outputDirectory, name), as: name))
            }
            return Manifest(
                command: command, sourceFormat: graph.format, head: graph.head,
                configInferred: graph.configInferred, decoderTied: graph.decoderTied,
                inputs: inputs, outputs: outputs,
                tensors: graph.tensors.map { tensor in
                    Manifest.TensorRecord(
                        source: tensor.source.name, canonical: tensor.name, transform: tensor.transform.description,
                        sourceDType: tensor.dtype, outputDType: outputDType(tensor), shape: tensor.shape)
                },
                skipped: graph.skipped, quantization: quantization)
        } catch { throw .format(error) }
    }
}
