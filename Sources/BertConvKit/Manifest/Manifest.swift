import BertCore
import BertFormats

/// `manifest.json`, written next to every output: what was read, how each tensor was mapped, what
/// was skipped and why, and the sha256 of every input and output. No timestamps: the same input
/// gives a byte-identical manifest.
public struct Manifest: Sendable, Equatable {
    /// A hashed file.
    public struct File: Sendable, Equatable {
        public let path: String
        public let byteCount: Int
        public let sha256: String
    }

    /// One source tensor's way into the output.
    public struct TensorRecord: Sendable, Equatable {
        public let source: String
        public let canonical: String
        public let transform: String
        public let sourceDType: DType
        public let outputDType: DType
        public let shape: [Int]
    }

    public static let fileName = "manifest.json"

    public var command: [String]
    public var sourceFormat: SourceFormat
    public var head: BertHead
    public var configInferred: Bool
    public var decoderTied: Bool
    public var inputs: [File]
    public var outputs: [File]
    public var tensors: [TensorRecord]
    public var skipped: [SkippedTensor]
    /// Quantization parameters, where the command applied them.
    public var quantization: JSONValue?

    /// The manifest document, members in a fixed order.
    public var json: JSONValue {
        func file(_ f: File) -> JSONValue {
            .object([("path", .string(f.path)), ("bytes", .int(f.byteCount)), ("sha256", .string(f.sha256))])
        }
        var members: [(key: String, value: JSONValue)] = [
            ("bertconv_version", .string(BertConvVersion.current)),
            ("command", .array(command.map { .string($0) })),
            ("source_format", .string(sourceFormat.rawValue)),
            ("head", .string(head.rawValue)),
            ("config_inferred", .bool(configInferred)),
            ("decoder_tied", .bool(decoderTied)),
            ("inputs", .array(inputs.map(file))),
            ("outputs", .array(outputs.map(file))),
            ("tensors", .array(tensors.map { t in
                .object([
                    ("source", .string(t.source)), ("canonical", .string(t.canonical)),
                    ("transform", .string(t.transform)), ("source_dtype", .string(t.sourceDType.rawValue)),
                    ("dtype", .string(t.outputDType.rawValue)), ("shape", .array(t.shape.map { .int($0) })),
                ])
            })),
            ("skipped", .array(skipped.map { .object([("source", .string($0.source)), ("reason", .string($0.reason))]) })),
        ]
        if let quantization { members.append(("quantization", quantization)) }
        return .object(members)
    }
}

/// The version recorded in manifests and reports.
public enum BertConvVersion {
    public static let current = "0.1.0"
}

extension Manifest.File {
    /// The record of `path` (hashed, or remembered from writing it), shown as `displayPath`.
    init(digesting path: String, as displayPath: String) throws(FormatError) {
        let digest = try FileDigest.sha256(path)
        self.init(path: displayPath, byteCount: digest.byteCount, sha256: digest.hex)
    }
}
