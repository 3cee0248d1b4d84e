import BertCore

/// A source format's reader: recognizes its files and lists their tensors lazily.
public protocol ModelReader: Sendable {
    /// The format this reader reads.
    static var format: SourceFormat { get }
    /// Whether `path` (a file or a directory) holds this format; cheap: names and magic bytes only.
    static func canRead(_ path: String) -> Bool
    /// The tensors, config and companion files at `path`, validated before any tensor byte is read.
    static func read(_ path: String) throws(FormatError) -> ModelSource
}

/// Every reader, in the order `detect` tries them. Adding a format = one reader + one map.
public enum Readers {
    public static let all: [any ModelReader.Type] = [
        SafetensorsReader.self,
        TFCheckpointReader.self,
        FlaxMsgpackReader.self,
        Keras3Reader.self,
        KerasH5Reader.self,
        ONNXReader.self,
    ]

    /// The reader for `path`, or nil when no reader recognizes it.
    public static func detect(_ path: String) -> (any ModelReader.Type)? {
        all.first { $0.canRead(path) }
    }
}
