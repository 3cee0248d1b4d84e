/// An output that could not be written, or that exists and may not be replaced.
public struct OutputError: BertConvError, Equatable {
    /// The output path.
    public var path: String
    /// What went wrong.
    public var kind: Kind

    public init(path: String, _ kind: Kind) {
        self.path = path
        self.kind = kind
    }

    /// The reason an output was not written.
    public enum Kind: Sendable, Equatable {
        /// The output exists and `--force` was not given.
        case exists
        /// The output path is a symlink, which outputs never follow.
        case isSymlink
        /// The filesystem refused a create, write or rename.
        case writeFailed(String)
    }

    public var exitCategory: ExitCategory {
        switch kind {
        case .exists, .isSymlink: .badInput
        case .writeFailed: .outputFailed
        }
    }

    public var description: String {
        switch kind {
        case .exists: "\(path): output exists"
        case .isSymlink: "\(path): output is a symlink; refusing to write through it"
        case .writeFailed(let why): "\(path): cannot write: \(why)"
        }
    }

    public var hint: String? {
        kind == .exists ? "hint: pass --force to replace it" : nil
    }
}
