import BertCore
import BertNameMaps
import TestSupport
@testable import BertFormats

/// The fixtures every head is exported from, and helpers to export and read them back.
enum ONNXFixtures {
    static let names = [
        "base", "base-nopool", "pretraining", "masked-lm", "causal-lm", "next-sentence", "seq-cls",
        "seq-cls-regression", "token-cls", "qa", "multiple-choice",
    ]

    /// The canonical graph of fixture `name`'s Hugging Face safetensors.
    static func graph(_ name: String) throws -> BertModelGraph {
        try GraphBuilder.build(SafetensorsReader.read(Fixtures.path("\(name)/hf")), map: NameMaps.load("hf-pytorch"))
    }

    /// Exports `graph` into `directory` and returns the model's path.
    @discardableResult
    static func export(_ graph: BertModelGraph, to directory: TempDirectory, name: String = "model.onnx",
                       options: ONNXExportOptions = ONNXExportOptions(producerVersion: "test"),
                       external: Bool = false) throws -> String {
        let path = directory.path + "/" + name
        let model = try ONNXExporter.model(for: graph, options: options)
        try ONNXWriter.write(model, to: path, externalData: external
            ? ONNXWriter.ExternalData(path: path + ".data", location: name + ".data") : nil)
        return path
    }

    /// The canonical graph read back from an ONNX file.
    static func readBack(_ path: String) throws -> BertModelGraph {
        let source = try ONNXReader.read(path)
        return try GraphBuilder.build(source, map: NameMaps.load(source.nameMap))
    }

    /// Whether two graphs hold the same tensors, byte for byte.
    static func identicalTensors(_ a: BertModelGraph, _ b: BertModelGraph) throws -> Bool {
        guard a.tensors.map(\.name) == b.tensors.map(\.name) else { return false }
        for (x, y) in zip(a.tensors, b.tensors) {
            let p = try x.load(), q = try y.load()
            guard p.dtype == q.dtype, p.shape == q.shape,
                  p.withUnsafeBytes({ u in q.withUnsafeBytes { v in u.elementsEqual(v) } })
            else { return false }
        }
        return true
    }
}
