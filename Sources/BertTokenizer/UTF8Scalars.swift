/// The scalars of bytes known to be valid UTF-8 (taken from a Swift `String`), decoded without
/// building a `String`.
struct UTF8Scalars: Sequence {
    let bytes: UnsafeRawBufferPointer

    struct Iterator: IteratorProtocol {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        @inline(__always)
        mutating func next() -> Unicode.Scalar? {
            guard index < bytes.count else { return nil }
            let lead = UInt32(bytes[index])
            let count = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
            var value = count == 1 ? lead : lead & (0x7F >> UInt32(count))
            for offset in 1..<count {
                value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
            }
            index += count
            // SAFETY: valid UTF-8 decodes to valid scalars only.
            return Unicode.Scalar(value).unsafelyUnwrapped
        }
    }

    func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    var underestimatedCount: Int { bytes.count / 4 }
}
