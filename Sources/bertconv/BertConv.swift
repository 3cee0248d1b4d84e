import ArgumentParser
import BertConvKit
import BertCore

/// The `bertconv` root command: lists the subcommands and maps errors onto DESIGN.md's exit codes.
@main
struct BertConv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bertconv",
        abstract: "Convert, quantize and verify BERT models without Python.",
        version: BertConvVersion.current,
        subcommands: [
            Inspect.self,
            Convert.self,
            TF2Safetensors.self,
            Verify.self,
            Run.self,
            Goldens.self,
            Tokenize.self,
            ExportONNX.self,
            Build.self,
            Quantize.self,
        ])

    /// Runs the command; library errors print one line (plus a hint) and exit with their category,
    /// usage errors exit 2 rather than ArgumentParser's 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let error as any BertConvError {
            Terminal.error(error.description, hint: error.hint)
            Terminal.exit(error.exitCategory.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Terminal.exit(0)
            }
            if error is ExitCode { Terminal.exit(code.rawValue) }
            Terminal.error(message(for: error), hint: "hint: see 'bertconv help'")
            Terminal.exit(ExitCategory.badInput.rawValue)
        }
    }
}
