import BertCore
import Foundation

/// Where the CLI's words go: results on stdout, errors and progress on stderr.
enum Terminal {
    /// Prints `bertconv: error: <message>` and an optional hint line to stderr.
    static func error(_ message: String, hint: String?) {
        var text = "bertconv: error: \(message)\n"
        if let hint { text += "\(hint)\n" }
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints a progress line to stderr.
    static func progress(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Prints a JSON document to stdout.
    static func printJSON(_ value: JSONValue) {
        print(JSONWriter.pretty(value), terminator: "")
    }

    static func exit(_ code: Int32) -> Never {
        Foundation.exit(code)
    }
}
