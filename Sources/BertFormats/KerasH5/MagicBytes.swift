/// The first `count` bytes of `bytes` in hex, for bad-magic messages ("an empty file" when none).
func leadingHex(_ bytes: UnsafeRawBufferPointer, count: Int) -> String {
    let hex = bytes.prefix(count).map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    return hex.isEmpty ? "an empty file" : hex
}
