/// A source format's name map, loaded from `formats/maps/<name>.json`: for each canonical tensor
/// its source spellings and transform, plus skip rules with reasons.
///
/// Entry templates use `{layer}` for an encoder layer index; a source name matches a template when
/// the text around `{layer}` matches and a decimal index stands in its place. `{_layer}` matches
/// Keras's spelling: nothing for layer 0, `_N` for layer N.
public struct NameMap: Sendable {
    /// One canonical tensor and the source names that may fill it.
    public struct Entry: Sendable {
        public let canonical: String
        public let sources: [String]
        public let transform: TensorTransform
        /// When several sources are present they are tied copies: the first fills, the rest are skipped.
        public let tied: Bool
    }

    /// Source names (glob `*` patterns) that are skipped on purpose, with the reason.
    public struct SkipRule: Sendable {
        public let pattern: String
        public let reason: String
    }

    public let name: String
    public let entries: [Entry]
    public let skipRules: [SkipRule]

    private let exact: [String: (entry: Int, spelling: Int)]
    private let templated: [(pattern: LayerPattern, entry: Int, spelling: Int)]

    /// Parses a name map document.
    public init(json: JSONValue, name: String) throws(GraphError) {
        func invalid(_ why: String) -> GraphError { GraphError(path: "formats/maps/\(name).json", .invalidNameMap(why)) }
        guard let tensorList = json["tensors"]?.arrayValue else { throw invalid("missing 'tensors' array") }
        var entries: [Entry] = []
        for (i, item) in tensorList.enumerated() {
            guard let canonical = item["canonical"]?.stringValue,
                  let sources = item["sources"]?.arrayValue?.compactMap(\.stringValue), !sources.isEmpty
            else { throw invalid("entry \(i) needs 'canonical' and 'sources'") }
            var steps: [TransformStep] = []
            for step in item["transform"]?.arrayValue ?? [] {
                guard let text = step.stringValue, let parsed = TransformStep(rawValue: text) else {
                    throw invalid("entry '\(canonical)': unknown transform \(step)")
                }
                steps.append(parsed)
            }
            entries.append(Entry(canonical: canonical, sources: sources, transform: TensorTransform(steps),
                                 tied: item["tied"]?.boolValue ?? false))
        }
        var skipRules: [SkipRule] = []
        for item in json["skip"]?.arrayValue ?? [] {
            guard let pattern = item["pattern"]?.stringValue, let reason = item["reason"]?.stringValue else {
                throw invalid("skip rules need 'pattern' and 'reason'")
            }
            skipRules.append(SkipRule(pattern: pattern, reason: reason))
        }
        var exact: [String: (Int, Int)] = [:]
        var templated: [(LayerPattern, Int, Int)] = []
        for (e, entry) in entries.enumerated() {
            for (s, spelling) in entry.sources.enumerated() {
                if let pattern = LayerPattern(spelling) {
                    templated.append((pattern, e, s))
                } else {
                    guard exact.updateValue((e, s), forKey: spelling) == nil else {
                        throw invalid("source '\(spelling)' is listed twice")
                    }
                }
            }
        }
        self.name = name
        self.entries = entries
        self.skipRules = skipRules
        self.exact = exact
        self.templated = templated
    }

    /// A source name resolved by the map.
    public enum Resolution: Sendable, Equatable {
        /// Fills `canonical` after `transform`; `preference` orders tied copies (0 first).
        case mapped(canonical: String, transform: TensorTransform, tied: Bool, preference: Int)
        /// Skipped on purpose.
        case skipped(reason: String)
    }

    /// What the map says of `source`, or nil when nothing matches.
    public func resolve(_ source: String) -> Resolution? {
        if let rule = skipRules.first(where: { Glob.matches(source, pattern: $0.pattern) }) {
            return .skipped(reason: rule.reason)
        }
        if let hit = exact[source] {
            let entry = entries[hit.entry]
            return .mapped(canonical: entry.canonical, transform: entry.transform, tied: entry.tied, preference: hit.spelling)
        }
        for (pattern, e, s) in templated {
            if let layer = pattern.layer(in: source) {
                let entry = entries[e]
                return .mapped(canonical: entry.canonical.replacing("{layer}", with: String(layer)),
                               transform: entry.transform, tied: entry.tied, preference: s)
            }
        }
        return nil
    }
}

/// A name template with one `{layer}` placeholder, or `{_layer}` for Keras's sublayer naming
/// (`transformer_encoder` for layer 0, `transformer_encoder_1` for layer 1, …).
struct LayerPattern: Sendable {
    let prefix: String
    let suffix: String
    let kerasSuffix: Bool

    init?(_ template: String) {
        kerasSuffix = template.contains("{_layer}")
        guard let range = template.firstRange(of: kerasSuffix ? "{_layer}" : "{layer}") else { return nil }
        prefix = String(template[..<range.lowerBound])
        suffix = String(template[range.upperBound...])
    }

    /// The layer index if `name` matches.
    func layer(in name: String) -> Int? {
        guard name.count >= prefix.count + suffix.count, name.hasPrefix(prefix), name.hasSuffix(suffix) else { return nil }
        var middle = name.dropFirst(prefix.count).dropLast(suffix.count)
        if kerasSuffix {
            if middle.isEmpty { return 0 }
            guard middle.first == "_", middle.dropFirst().first != "0" else { return nil }
            middle = middle.dropFirst()
        }
        guard !middle.isEmpty, middle.allSatisfy({ $0.isASCII && $0.isNumber }), middle.count <= 6 else { return nil }
        return Int(middle)
    }
}

/// Glob matching where `*` matches any run of characters (including `/` and `.`).
public enum Glob {
    public static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        if parts.count == 1 { return text == pattern }
        guard text.hasPrefix(parts[0]) else { return false }
        var rest = Substring(text.dropFirst(parts[0].count))
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}
