import ArgumentParser
import BertConvKit
import BertCore
import BertTokenizer

extension TruncationStrategy: ExpressibleByArgument {}
extension PaddingStrategy: ExpressibleByArgument {}

/// `bertconv tokenize`: WordPiece ids exactly as HF's BertTokenizer gives them.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenize text exactly as Hugging Face's BertTokenizer does.")

    @Option(help: "vocab.txt, tokenizer.json or a model folder (tokenizer_config.json beside it is read).")
    var vocab: String

    @Argument(help: "Texts to tokenize, one encoding each.")
    var texts: [String] = []

    @Option(help: "A file whose every line is a text to tokenize.")
    var lines: String?

    @Option(help: "Second sequence of a pair (token type 1).")
    var pair: String?

    @Option(help: "Truncation strategy: longest_first, only_first, only_second, do_not_truncate.")
    var truncation: TruncationStrategy = .doNotTruncate

    @Option(help: "Length to truncate or pad to (default: the config's model_max_length).")
    var maxLength: Int?

    @Option(help: "Padding: do_not_pad or max_length.")
    var padding: PaddingStrategy = .doNotPad

    @OptionGroup var report: ReportOptions

    func validate() throws {
        guard !texts.isEmpty || lines != nil else { throw ValidationError("give texts to tokenize, or --lines FILE") }
        if let maxLength, maxLength < 1 { throw ValidationError("--max-length must be positive") }
    }

    func run() throws {
        var all = texts
        if let lines {
            let bytes = try FileBytes.read(lines)
            all += bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
            if bytes.last == 0x0A { all.removeLast() }
        }
        let result = try TokenizeReport.tokenize(
            vocabulary: vocab, texts: all, pair: pair, truncation: truncation, maxLength: maxLength, padding: padding)
        if report.json { return Terminal.printJSON(result.json) }
        if report.quiet { return }
        var out = ""
        for item in result.items {
            if lines == nil { out += item.tokens.joined(separator: " ") + "\n" }
            out += item.encoding.inputIDs.map(String.init).joined(separator: " ") + "\n"
        }
        print(out, terminator: "")
    }
}
