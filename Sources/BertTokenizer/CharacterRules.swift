/// HF's character classes for BERT (transformers `tokenization_utils.py` `_is_control`,
/// `_is_whitespace`, `_is_punctuation`; `tokenization_bert.py` `_is_chinese_char`), plus Python's
/// `str.isspace`, which `whitespace_tokenize` splits on. Categories come from Swift's Unicode
/// tables, which agree with Python 3.11's (Unicode 14) on every code point assigned in Unicode 14
/// except U+1171E (Mn there, Mc here); see goldens/tokenizer/README.md.
enum CharacterRules {
    /// ASCII flags, indexed by byte.
    static let ascii: [UInt8] = (0..<128).map { (byte: Int) -> UInt8 in
        var flags: UInt8 = 0
        if byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x20 { flags |= whitespace }
        if byte < 0x20 && flags == 0 || byte == 0x7F { flags |= dropped }
        if (33...47).contains(byte) || (58...64).contains(byte) || (91...96).contains(byte) || (123...126).contains(byte) {
            flags |= punctuation
        }
        if (65...90).contains(byte) { flags |= upper }
        return flags
    }
    static let whitespace: UInt8 = 1
    static let dropped: UInt8 = 2
    static let punctuation: UInt8 = 4
    static let upper: UInt8 = 8

    /// `_clean_text` drops NUL, U+FFFD and every category C* character but tab, LF and CR.
    @inline(__always)
    static func isDropped(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return ascii[Int(scalar.value)] & dropped != 0 }
        if scalar.value == 0xFFFD { return true }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// `_is_whitespace`: space, tab, LF, CR and category Zs.
    @inline(__always)
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return ascii[Int(scalar.value)] & whitespace != 0 }
        return scalar.properties.generalCategory == .spaceSeparator
    }

    /// `_is_punctuation`: non-alphanumeric printable ASCII, and category P*.
    @inline(__always)
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return ascii[Int(scalar.value)] & punctuation != 0 }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default: return false
        }
    }

    /// `_is_chinese_char`: the CJK Unified Ideographs blocks BERT's original code lists.
    @inline(__always)
    static func isChinese(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F,
             0x2B740...0x2B81F, 0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default: return false
        }
    }

    /// Python's `str.isspace` (bidirectional class WS, B or S, or category Zs), which `str.split()`
    /// uses; after `_clean_text` only U+2028 and U+2029 are left that `_is_whitespace` misses.
    @inline(__always)
    static func isPythonSpace(_ value: UInt32) -> Bool {
        switch value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default: return false
        }
    }

    /// Category Mn, which `_run_strip_accents` removes after NFD.
    @inline(__always)
    static func isNonspacingMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x300 && scalar.properties.generalCategory == .nonspacingMark
    }

    /// Appends Python's `str.lower()` of one code point (the full mapping: U+0130 becomes two).
    @inline(__always)
    static func appendLowercased(_ scalar: Unicode.Scalar, to out: inout [Unicode.Scalar]) {
        if scalar.value < 0x80 {
            let flags = ascii[Int(scalar.value)]
            out.append(flags & upper != 0 ? Unicode.Scalar(UInt8(scalar.value) | 0x20) : scalar)
        } else if scalar.properties.changesWhenLowercased {
            out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
        } else {
            out.append(scalar)
        }
    }
}
