import BertCore
import BertFormats
import BertNameMaps
import BertQuant
import BertRunner

/// Opens any model the readers support as a canonical graph, and goldens inputs as runner inputs.
public enum ModelLoading {
    /// The canonical graph of the model at `path`; `head` overrides head detection.
    public static func graph(_ path: String, head: BertHead? = nil) throws(UseCaseError) -> BertModelGraph {
        guard let reader = Readers.detect(path) else {
            let formats = Readers.all.map { $0.format.rawValue }.joined(separator: ", ")
            throw UseCaseError(FormatError(path: path, .unsupported("no reader recognizes this model (formats: \(formats))")))
        }
        let source: ModelSource
        do { source = try Int8Checkpoint.unpack(reader.read(path)).source } catch { throw UseCaseError(error) }
        do {
            return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap), head: head)
        } catch {
            throw UseCaseError(error)
        }
    }

    /// The `inputs.*` of a goldens file as one runner batch.
    public static func inputs(_ goldens: GoldensFile, path: String) throws(RunnerError) -> RunnerInputs {
        try RunnerInputs(inputIds: goldens.inputs["input_ids"], attentionMask: goldens.inputs["attention_mask"],
                         tokenTypeIds: goldens.inputs["token_type_ids"], origin: path)
    }
}
