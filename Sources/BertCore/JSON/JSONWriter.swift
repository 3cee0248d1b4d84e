/// Writes `JSONValue`s deterministically: members in their stored order, two-space indentation,
/// shortest round-trip number formatting, no trailing whitespace.
public enum JSONWriter {
    /// The pretty-printed text of `value`, ending in a newline.
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, pretty: true, into: &out)
        out += "\n"
        return out
    }

    /// The compact text of `value` (no whitespace), as safetensors headers use.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, pretty: false, into: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: Int, pretty: Bool, into out: inout String) {
        let pad = pretty ? String(repeating: " ", count: indent + 2) : ""
        let close = pretty ? String(repeating: " ", count: indent) : ""
        let newline = pretty ? "\n" : ""
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += format(d)
        case .string(let s): out += escaped(s)
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            out += "[" + newline
            for (i, element) in elements.enumerated() {
                out += pad
                write(element, indent: indent + 2, pretty: pretty, into: &out)
                out += (i + 1 < elements.count ? "," : "") + newline
            }
            out += close + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{" + newline
            for (i, member) in members.enumerated() {
                out += pad + escaped(member.key) + (pretty ? ": " : ":")
                write(member.value, indent: indent + 2, pretty: pretty, into: &out)
                out += (i + 1 < members.count ? "," : "") + newline
            }
            out += close + "}"
        }
    }

    private static func format(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
        return "\(d)"
    }

    /// `text` as a JSON string literal.
    public static func escaped(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
