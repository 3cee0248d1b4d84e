import Foundation

/// Runs the built `bertconv` binary and captures its exit status and output (as
/// swift-argument-parser's `AssertExecuteCommand` does).
public enum CommandRunner {
    /// The result of one run.
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The `bertconv` binary next to the test bundle.
    public static let binary: String = {
        let bundleDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [bundleDirectory.appendingPathComponent("bertconv").path,
                          URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent()
                              .deletingLastPathComponent().appendingPathComponent(".build/debug/bertconv").path]
        return candidates.first(where: FileManager.default.isExecutableFile(atPath:)) ?? candidates[1]
    }()

    /// Runs `bertconv arguments...` in `directory`.
    public static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }
}
