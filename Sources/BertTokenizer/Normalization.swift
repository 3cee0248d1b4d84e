import Foundation

/// Python's `unicodedata.normalize("NFC" | "NFD", …)` on scalar buffers, run only on text holding
/// a scalar that normalization can change (`mayChange`). NFC is the standard library's own
/// (`String._nfcCodeUnits`, which Foundation's normalization also builds on); NFD is Foundation's.
/// Both agree with Python 3.11 on every code point assigned in Unicode 14.
enum Normalization {
    /// `scalars` in NFC.
    static func nfc(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        guard scalars.contains(where: mayChange) else { return scalars }
        let utf8 = string(scalars)._nfcCodeUnits
        // SAFETY: the NFC code units are valid UTF-8, read only inside the closure.
        return utf8.withUnsafeBytes { Array(UTF8Scalars(bytes: $0)) }[...]
    }

    /// `scalars` in NFD with every category Mn scalar removed: HF's `_run_strip_accents`.
    static func strippingAccents(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        guard scalars.contains(where: mayChange) else {
            return scalars.filter { !CharacterRules.isNonspacingMark($0) }
        }
        let decomposed = string(scalars).decomposedStringWithCanonicalMapping.unicodeScalars
        return decomposed.filter { !CharacterRules.isNonspacingMark($0) }
    }

    /// False when NFC and NFD leave `scalar` and its neighbours alone: it has combining class 0,
    /// no canonical decomposition, and composes with no preceding scalar. The 256-code-point pages
    /// below hold every scalar with a canonical decomposition (Hangul syllables included) and every
    /// starter that is the second half of one, per Python's `unicodedata` (Unicode 14), plus the
    /// pages where Unicode 15–16 added decompositions (Todhri, Tulu-Tigalari, Gurung Khema, Kirat Rai).
    @inline(__always)
    static func mayChange(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0xC0 { return false }
        if value < 0x3_0000, normalizingPages[Int(value >> 8)] { return true }
        return scalar.properties.canonicalCombiningClass != .notReordered
    }

    private static let normalizingPages: [Bool] = {
        let pages: [Int] = [
            0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0F, 0x10, 0x11, 0x1B, 0x1E, 0x1F,
            0x20, 0x21, 0x22, 0x23, 0x2A, 0x30, 0xF9, 0xFA, 0xFB, 0x105, 0x110, 0x111, 0x113, 0x114, 0x115,
            0x116, 0x119, 0x16D, 0x1D1, 0x2F8, 0x2F9, 0x2FA,
        ] + Array(0xAC...0xD7)
        var table = [Bool](repeating: false, count: 0x300)
        for page in pages { table[page] = true }
        return table
    }()

    private static func string(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        var utf8: [UInt8] = []
        utf8.reserveCapacity(scalars.count * 3)
        for scalar in scalars { UTF8.encode(scalar) { utf8.append($0) } }
        return String(decoding: utf8, as: UTF8.self)
    }
}
