/// The exit status classes of DESIGN.md's contract; every library error belongs to one.
public enum ExitCategory: Int32, Sendable {
    /// Verification ran and an output was out of tolerance.
    case verificationFailed = 1
    /// Unreadable, corrupt, truncated, unsupported or inconsistent input, or usage.
    case badInput = 2
    /// The output could not be written.
    case outputFailed = 3
}

/// An error the CLI prints as one line (`<path>: <problem>`) and maps onto an exit code.
public protocol BertConvError: Error, Sendable, CustomStringConvertible {
    /// Which exit status the CLI returns for this error.
    var exitCategory: ExitCategory { get }
    /// An optional second line with an obvious fix.
    var hint: String? { get }
}

extension BertConvError {
    public var hint: String? { nil }
}

/// Formats a tensor name the same way in every message.
@inlinable
func quoted(_ name: String) -> String { "'\(name)'" }
