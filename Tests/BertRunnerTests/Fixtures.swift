import BertCore
import BertFormats
import BertNameMaps
import BertRunner
import TestSupport

/// The goldens fixtures (goldens/fixtures/<name>/) as graphs, goldens and runner inputs.
enum RunnerFixtures {
    /// Every HF fixture with its goldens.
    static let names = [
        "base", "base-nopool", "pretraining", "masked-lm", "causal-lm", "next-sentence", "seq-cls",
        "seq-cls-regression", "token-cls", "qa", "multiple-choice",
    ]

    static func graph(_ name: String) throws -> BertModelGraph {
        let source = try SafetensorsReader.read(Fixtures.path("\(name)/hf"))
        return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
    }

    static func goldens(_ name: String) throws -> GoldensFile {
        try GoldensFile.read(Fixtures.path("\(name)/goldens.safetensors"))
    }

    static func inputs(_ goldens: GoldensFile, origin: String = "goldens") throws -> RunnerInputs {
        try RunnerInputs(inputIds: goldens.inputs["input_ids"], attentionMask: goldens.inputs["attention_mask"],
                         tokenTypeIds: goldens.inputs["token_type_ids"], origin: origin)
    }
}
