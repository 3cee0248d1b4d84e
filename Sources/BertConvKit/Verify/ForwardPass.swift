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
    /// file names (its `head` metadata), which overrides detection. `linearBuilder` replaces the
    /// fp32 linear layers (the quantizer's int8 layers).
    public static func run(model: String, inputs inputsPath: String, head: BertHead?, threads: Int,
                           kernels: Kernels = .best, linearBuilder: (any LinearBuilder)? = nil)
        throws(RunnerUseCaseError) -> ForwardPass {
        let goldens: GoldensFile
        do { goldens = try GoldensFile.read(inputsPath) } catch { throw .core(.format(error)) }
        return try run(model: model, goldens: goldens, origin: inputsPath, head: head, threads: threads, kernels: kernels,
                       linearBuilder: linearBuilder)
    }

    /// Runs `text` (and `pair`), tokenized by the tokenizer files next to the model, as a batch of one.
    public static func run(model: String, text: String, pair: String?, head: BertHead?, threads: Int,
                           kernels: Kernels = .best, linearBuilder: (any LinearBuilder)? = nil)
        throws(RunnerUseCaseError) -> ForwardPass {
        let goldens: GoldensFile
        do { goldens = try ModelTextInputs.goldensInputs(modelPath: model, text: text, pair: pair) } catch { throw .tokenizer(error) }
        return try run(model: model, goldens: goldens, origin: "--text", head: head, threads: threads, kernels: kernels,
                       linearBuilder: linearBuilder)
    }

    private static func run(model: String, goldens: GoldensFile, origin inputsPath: String, head: BertHead?, threads: Int,
                            kernels: Kernels, linearBuilder: (any LinearBuilder)?) throws(RunnerUseCaseError) -> ForwardPass {
        let graph: BertModelGraph
        do {
            graph = try ModelLoader.load(model, head: head ?? goldens[metadata: "head"].flatMap(BertHead.init(className:)))
        } catch { throw .core(error) }
        let options: RunnerOptions
        if let linearBuilder {
            options = RunnerOptions(threads: threads, kernels: kernels, linearBuilder: linearBuilder)
        } else {
            do { options = try Int8Model.runnerOptions(graph, threads: threads, kernels: kernels) } catch { throw .core(error) }
        }
        do {
            let inputs = try RunnerInputs(
                inputIds: goldens.inputs["input_ids"], attentionMask: goldens.inputs["attention_mask"],
                tokenTypeIds: goldens.inputs["token_type_ids"], origin: inputsPath)
            let runner = try BertRunner(graph: graph, options: options)
            return ForwardPass(graph: graph, goldens: goldens, inputs: inputs, outputs: try runner.run(inputs))
        } catch { throw .runner(error) }
    }
}
