import ArgumentParser
import BertConvKit

/// `--text`/`--pair` for the commands that run a model: a batch of one, tokenized by the tokenizer
/// files next to the model, instead of an inputs file.
struct TextInputArguments: ParsableArguments {
    @Option(help: "Text to run instead of an inputs file, tokenized as HF's BertTokenizer does.")
    var text: String?

    @Option(help: "Second sequence of a pair for --text (token type 1).")
    var pair: String?

    func validate(inputs: String?) throws {
        guard (inputs == nil) != (text == nil) else { throw ValidationError("give exactly one of --inputs and --text") }
        if pair != nil && text == nil { throw ValidationError("--pair needs --text") }
    }

    /// The forward pass over `inputs`, or over `--text`.
    func forwardPass(model: ModelOptions, inputs: String?, threads: Int) throws -> ForwardPass {
        if let text {
            return try ForwardPass.run(model: model.model, text: text, pair: pair, head: model.head, threads: threads)
        }
        return try ForwardPass.run(model: model.model, inputs: inputs ?? "", head: model.head, threads: threads)
    }
}
