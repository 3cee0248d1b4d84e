#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open-addressing hash table from UTF-8 byte strings to token ids. Keys compare byte for
/// byte, as Python's `str` does, never by canonical equivalence as Swift's `String` does
/// ("한" and its decomposed jamo are different vocabulary entries).
struct TokenTable: Sendable {
    /// All keys, back to back.
    private var arena: [UInt8] = []
    /// Per entry: start in `arena`, byte count, token id.
    private var entries: [(start: Int32, count: Int32, id: Int32)] = []
    /// Entry index + 1 per slot, 0 when empty; the capacity is a power of two.
    private var slots: [Int32]
    /// The longest key in bytes, so lookups can skip longer candidates.
    private(set) var maxKeyByteCount = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
    }

    /// Maps `key` to `id`, replacing an earlier id (a repeated vocab.txt line keeps the last id,
    /// as HF's `load_vocab` does).
    mutating func insert(_ key: some Collection<UInt8>, id: Int32) {
        let bytes = Array(key)
        // SAFETY: the pointer is used only during the lookup.
        let found = bytes.withUnsafeBufferPointer { find(UnsafeRawBufferPointer($0)) }
        if let slot = found.entry {
            entries[slot].id = id
            return
        }
        entries.append((Int32(arena.count), Int32(bytes.count), id))
        arena.append(contentsOf: bytes)
        slots[found.slot] = Int32(entries.count)
        maxKeyByteCount = max(maxKeyByteCount, bytes.count)
        if entries.count * 2 > slots.count { grow() }
    }

    /// The id of `key`, or nil.
    @inline(__always)
    func id(of key: UnsafeRawBufferPointer) -> Int32? {
        guard key.count <= maxKeyByteCount, let entry = find(key).entry else { return nil }
        return entries[entry].id
    }

    private func find(_ key: UnsafeRawBufferPointer) -> (slot: Int, entry: Int?) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        // SAFETY: entries only hold ranges inside `arena`, and `key` is compared within its count.
        return arena.withUnsafeBytes { arena in
            while true {
                let stored = Int(slots[slot])
                if stored == 0 { return (slot, nil) }
                let entry = entries[stored - 1]
                if Int(entry.count) == key.count,
                   key.count == 0 || memcmp(arena.baseAddress! + Int(entry.start), key.baseAddress!, key.count) == 0 {
                    return (slot, stored - 1)
                }
                slot = (slot + 1) & mask
            }
        }
    }

    private mutating func grow() {
        let capacity = slots.count * 2
        slots = Array(repeating: 0, count: capacity)
        // SAFETY: entries only hold ranges inside `arena`.
        arena.withUnsafeBytes { arena in
            for (index, entry) in entries.enumerated() {
                let key = UnsafeRawBufferPointer(rebasing: arena[Int(entry.start)..<Int(entry.start + entry.count)])
                var slot = Int(truncatingIfNeeded: Self.hash(key)) & (capacity - 1)
                while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
                slots[slot] = Int32(index + 1)
            }
        }
    }

    /// FNV-1a, 64-bit: fast on the short keys WordPiece probes.
    @inline(__always)
    static func hash(_ key: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return hash ^ (hash >> 29)
    }
}

