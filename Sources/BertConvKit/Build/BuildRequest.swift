import BertCore

/// What `bertconv build` is asked to do; the flags and a spec file (`--spec`) share these keys.
public struct BuildRequest: Sendable {
    public var source: String
    public var output: String
    public var targets: [BuildTarget]
    /// A goldens file to verify against; otherwise goldens are recorded from the source.
    public var goldens: String?
    /// Inputs (goldens format, `inputs.*` only) to record goldens from the source with.
    public var inputs: String?
    /// Reuse steps whose inputs match an earlier run.
    public var cache: String?
    public var force: Bool
    public var threads: Int
    public var head: BertHead?
    public var command: [String]

    public init(source: String, output: String, targets: [BuildTarget] = BuildTarget.allCases, goldens: String? = nil,
                inputs: String? = nil, cache: String? = nil, force: Bool = false, threads: Int = 1,
                head: BertHead? = nil, command: [String] = []) {
        self.source = source
        self.output = output
        self.targets = targets
        self.goldens = goldens
        self.inputs = inputs
        self.cache = cache
        self.force = force
        self.threads = threads
        self.head = head
        self.command = command
    }

    /// The request a JSON spec file describes; relative paths are taken from the current directory.
    /// Keys: `source`, `output`, `targets` (list), `goldens`, `inputs`, `cache`, `force`, `threads`, `head`.
    public init(spec path: String, command: [String]) throws(FormatError) {
        let json = try FileBytes.json(path)
        func text(_ key: String) throws(FormatError) -> String? {
            guard let value = json[key] else { return nil }
            guard let string = value.stringValue else { throw FormatError(path: path, .malformed("'\(key)' must be a string")) }
            return string
        }
        guard let source = try text("source"), let output = try text("output") else {
            throw FormatError(path: path, .malformed("'source' and 'output' are required"))
        }
        var targets = BuildTarget.allCases
        if let list = json["targets"] {
            guard let names = list.arrayValue?.compactMap(\.stringValue), names.count == list.arrayValue?.count else {
                throw FormatError(path: path, .malformed("'targets' must be a list of strings"))
            }
            targets = []
            for name in names {
                guard let target = BuildTarget(rawValue: name) else {
                    throw FormatError(path: path, .malformed("unknown target '\(name)' (known: \(BuildTarget.allCases.map(\.rawValue).joined(separator: ", ")))"))
                }
                targets.append(target)
            }
        }
        var head: BertHead?
        if let name = try text("head") {
            guard let parsed = BertHead(className: name) else { throw FormatError(path: path, .malformed("unknown head '\(name)'")) }
            head = parsed
        }
        self.init(source: source, output: output, targets: targets, goldens: try text("goldens"),
                  inputs: try text("inputs"), cache: try text("cache"), force: json["force"]?.boolValue ?? false,
                  threads: json["threads"]?.intValue ?? 1, head: head, command: command)
    }
}
