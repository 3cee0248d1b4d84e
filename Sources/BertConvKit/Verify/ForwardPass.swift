import BertCore
import BertFormats
import BertRunner

/// The shared first half of `verify`, `run` and `goldens`: read a goldens (or inputs) file, load
/// the model with the head it names, run its inputs through the built-in runner.
public struct ForwardPass: Sendable {
    public let graph: BertModelGraph
    public let goldens: GoldensFile
    public let inputs: RunnerInputs
    public let outputs: [RunnerOutput]

    /// Runs the inputs in `inputsPath` through the model at `model`. `head` overrides the head the
    /// file names (its `head` metadata), which overrides detection.
    public static func run(model: String, inputs inputsPath: String, head: BertHead?, threads: Int,
                           kernels: Kernels = .best) throws(RunnerUseCaseError) -> ForwardPass {
        let goldens: GoldensFile
        do { goldens = try GoldensFile.read(inputsPath) } catch { throw .core(.format(error)) }
        let graph: BertModelGraph
        do {
            graph = try ModelLoader.load(model, head: head ?? goldens[metadata: "head"].flatMap(BertHead.init(className:)))
        } catch { throw .core(error) }
        let options: RunnerOptions
        do { options = try Int8Model.runnerOptions(graph, threads: threads, kernels: kernels) } catch { throw .core(error) }
        do {
            let inputs = try RunnerInputs(
                inputIds: goldens.inputs["input_ids"], attentionMask: goldens.inputs["attention_mask"],
                tokenTypeIds: goldens.inputs["token_type_ids"], origin: inputsPath)
            let runner = try BertRunner(graph: graph, options: options)
            return ForwardPass(graph: graph, goldens: goldens, inputs: inputs, outputs: try runner.run(inputs))
        } catch { throw .runner(error) }
    }
}
