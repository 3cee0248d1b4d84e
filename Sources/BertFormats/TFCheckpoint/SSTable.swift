import BertCore

/// A TensorFlow table file (the leveldb format of `tensorflow/core/lib/io/table*`) read whole:
/// the footer, the index block, then every data block it points to, keys checked to ascend.
/// A bundle's `.index` holds a few hundred small entries, so reading it eagerly costs nothing.
struct SSTable {
    struct Record: Sendable {
        let key: [UInt8]
        let value: [UInt8]
        /// File offset of the data block holding the record, for messages.
        let blockOffset: Int
    }

    let records: [Record]

    init(file: MappedFile) throws(FormatError) {
        let footer = try TableFooter(file: file)
        let limit = file.byteCount - TableFooter.byteCount
        let index = try TableBlock(file: file, handle: footer.index)
        var records: [Record] = []
        for handleEntry in try index.entries() {
            try handleEntry.value.withFormatBytes { raw throws(FormatError) in
                var cursor = ByteCursor(raw, fileOffset: footer.index.offset, path: file.path)
                let handle = try BlockHandle(from: &cursor, limit: limit)
                let block = try TableBlock(file: file, handle: handle)
                for entry in try block.entries() {
                    if let previous = records.last?.key, !previous.lexicographicallyPrecedes(entry.key) {
                        let name = String(decoding: entry.key, as: UTF8.self)
                        if previous == entry.key {
                            throw FormatError(path: file.path, tensor: name, byteOffset: handle.offset, .duplicateTensor)
                        }
                        throw FormatError(path: file.path, tensor: name, byteOffset: handle.offset,
                                          .malformed("keys are not in ascending order"))
                    }
                    records.append(Record(key: entry.key, value: entry.value, blockOffset: handle.offset))
                }
            }
        }
        self.records = records
    }
}
