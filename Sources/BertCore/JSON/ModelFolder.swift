/// Resolves names written inside model files (shard names, external-data locations, archive
/// entries) against the model's folder, refusing any that could leave it.
public enum ModelFolder {
    /// `directory/name` when `name` is a plain relative path with no `..`, `.` or empty component.
    public static func resolve(_ name: String, in directory: String, referencedBy file: String) throws(FormatError) -> String {
        let components = name.split(separator: "/", omittingEmptySubsequences: false)
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.contains("\0"),
              components.allSatisfy({ !$0.isEmpty && $0 != ".." && $0 != "." })
        else { throw FormatError(path: file, .pathEscapes(name)) }
        return join(directory, name)
    }

    /// `directory/name`, without doubling the separator.
    public static func join(_ directory: String, _ name: String) -> String {
        directory.isEmpty ? name : (directory.hasSuffix("/") ? directory + name : directory + "/" + name)
    }

    /// The directory part of `path` (`.` for a bare name).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// The last component of `path`.
    public static func basename(_ path: String) -> String {
        let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return trimmed }
        return String(trimmed[trimmed.index(after: slash)...])
    }

    /// Companion files HF keeps beside weights, carried into outputs when present.
    public static let companionNames = [
        "vocab.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
    ]

    /// The companion files present in `directory`.
    public static func companions(in directory: String) -> [String] {
        companionNames.map { join(directory, $0) }.filter(FileBytes.exists)
    }
}
