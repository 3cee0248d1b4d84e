import Foundation

/// Python's `unicodedata.normalize("NFC" | "NFD", …)` on scalar buffers. Foundation does the work;
/// the quick checks keep ASCII and Latin-1 text off that path (no scalar below U+0300 combines,
/// and none below U+00C0 decomposes).
enum Normalization {
    /// `scalars` in NFC.
    static func nfc(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        guard scalars.contains(where: { $0.value >= 0x300 }) else { return scalars }
        return Array(string(scalars).precomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// `scalars` in NFD with every category Mn scalar removed: HF's `_run_strip_accents`.
    static func strippingAccents(_ scalars: ArraySlice<Unicode.Scalar>) -> [Unicode.Scalar] {
        guard scalars.contains(where: { $0.value >= 0xC0 }) else { return Array(scalars) }
        let decomposed = string(scalars).decomposedStringWithCanonicalMapping.unicodeScalars
        return decomposed.filter { !CharacterRules.isNonspacingMark($0) }
    }

    private static func string(_ scalars: some Sequence<Unicode.Scalar>) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }
}
