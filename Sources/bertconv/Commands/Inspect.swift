import ArgumentParser
import BertConvKit
import BertCore

/// `bertconv inspect`: format, config, head, tensor table and skipped tensors of a model.
struct Inspect: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a model's format, config, head, tensors and skipped tensors.")

    @OptionGroup var model: ModelOptions
    @OptionGroup var report: ReportOptions

    func run() throws {
        let result = try InspectReport.inspect(model.model, head: model.head)
        if report.json { return Terminal.printJSON(result.json) }
        if report.quiet { return }
        let graph = result.graph
        print("\(graph.path): \(graph.format.rawValue), \(graph.head.rawValue)"
              + (graph.hasPooler ? ", pooler" : "") + (graph.decoderTied ? "" : ", distinct decoder"))
        print("config" + (graph.configInferred ? " (inferred from shapes)" : "") + ": "
              + result.configFields.map { "\($0.key)=\(JSONWriter.compact($0.value))" }.joined(separator: " "))
        print("outputs: \(graph.outputs.joined(separator: ", ")); \(result.parameterCount) parameters")
        var table = TextTable("canonical", "source", "dtype", "shape", "transform")
        for tensor in graph.tensors {
            table.add(tensor.name, tensor.source.name, tensor.dtype.rawValue,
                      "[" + tensor.shape.map(String.init).joined(separator: ", ") + "]", tensor.transform.description)
        }
        print(table.rendered)
        if !graph.skipped.isEmpty {
            print("skipped:")
            for skipped in graph.skipped { print("  \(skipped.source): \(skipped.reason)") }
        }
    }
}
