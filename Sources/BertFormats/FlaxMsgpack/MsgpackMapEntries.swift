import BertCore

extension MsgpackCursor {
    /// One entry of a str-keyed map: its key and where the key and the value start.
    struct Entry {
        let key: String
        let keyOffset: Int
        let valueOffset: Int
    }

    /// Reads one map key, which must be a str not in `keys` (flax writes dict keys; tuples
    /// become `"0"`, `"1"`, …), and adds it; the entry's value starts where the cursor stops.
    mutating func entryKey(distinctFrom keys: inout Set<String>) throws(FormatError) -> Entry {
        let keyOffset = offset
        let header = try next()
        guard case .string(let range) = header else {
            throw error(at: keyOffset, .malformed("map key is a msgpack \(header.familyName), flax keys are str"))
        }
        let key = try text(range)
        guard keys.insert(key).inserted else {
            throw FormatError(path: file, tensor: (keyPath + [key]).joined(separator: "/"),
                              byteOffset: keyOffset, .duplicateTensor)
        }
        return Entry(key: key, keyOffset: keyOffset, valueOffset: offset)
    }

    /// The entries of a map whose header was just read, leaving the cursor after the map; values
    /// are skipped, to be read later by seeking to them.
    mutating func entries(count: Int) throws(FormatError) -> [Entry] {
        var entries: [Entry] = []
        var keys = Set<String>()
        for _ in 0..<count {
            entries.append(try entryKey(distinctFrom: &keys))
            try skipValue()
        }
        return entries
    }

    /// The value offsets of a map keyed `"0"` … `"n-1"` (flax's `_tuple_to_dict`), in index order.
    mutating func indexedEntries(count: Int) throws(FormatError) -> [Int] {
        var offsets = [Int?](repeating: nil, count: count)
        for entry in try entries(count: count) {
            guard let index = Int(entry.key), String(index) == entry.key, offsets.indices.contains(index) else {
                throw error(at: entry.keyOffset, .malformed("key '\(entry.key)' is not an index below \(count)"))
            }
            offsets[index] = entry.valueOffset
        }
        // `count` distinct keys, each an index below `count`: every slot is filled.
        return offsets.map { $0! }
    }
}
