/// A source file that cannot be read as its format promises: names the file, and where known the
/// tensor and the byte offset.
public struct FormatError: BertConvError, Equatable {
    /// The file (or directory) being read.
    public var path: String
    /// The tensor or key path being read, if the problem belongs to one.
    public var tensor: String?
    /// The byte offset in `path` at which the problem was found, if known.
    public var byteOffset: Int?
    /// What is wrong.
    public var kind: Kind

    public init(path: String, tensor: String? = nil, byteOffset: Int? = nil, _ kind: Kind) {
        self.path = path
        self.tensor = tensor
        self.byteOffset = byteOffset
        self.kind = kind
    }

    /// The rule a file broke.
    public enum Kind: Sendable, Equatable {
        /// The file could not be opened, stat'ed or mapped.
        case unreadable(reason: String)
        /// A file the format requires is absent.
        case missingFile(String)
        /// A field needs more bytes than the file has left.
        case truncated(neededBytes: Int, remainingBytes: Int)
        /// A declared header length exceeds the format's cap.
        case headerTooLarge(byteCount: Int, limit: Int)
        /// A magic number or signature does not match.
        case badMagic(expected: String, found: String)
        /// Embedded JSON is not well-formed.
        case invalidJSON(String)
        /// A dtype name or code that bertconv does not know.
        case unknownDType(String)
        /// A shape with a negative dimension, or whose byte size overflows.
        case invalidShape([Int])
        /// A tensor's byte length disagrees with shape × dtype.
        case sizeMismatch(expectedBytes: Int, actualBytes: Int)
        /// A tensor's data lies outside the data region.
        case outOfBounds(end: Int, limit: Int)
        /// Tensor data regions are not in ascending order or overlap.
        case overlapping(previous: String)
        /// Bytes not covered by any tensor lie between or after tensor data.
        case hole(byteCount: Int)
        /// Two tensors share one name.
        case duplicateTensor
        /// A stored checksum disagrees with the bytes.
        case checksumMismatch(expected: UInt32, actual: UInt32)
        /// A structural rule of the format, described in words.
        case malformed(String)
        /// Valid in its format but not something bertconv handles.
        case unsupported(String)
        /// A name inside a model file points outside the model's folder.
        case pathEscapes(String)
        /// A Python pickle (`pytorch_model.bin`, `.pt`): loading one can run arbitrary code.
        case pickle
    }

    public var exitCategory: ExitCategory { .badInput }

    public var hint: String? {
        kind == .pickle
            ? "hint: fetch the model's model.safetensors instead, or re-save it in a sandbox with transformers' save_pretrained(dir, safe_serialization=True)"
            : nil
    }

    public var description: String {
        var where_: [String] = []
        if let tensor { where_.append("tensor \(quoted(tensor))") }
        if let byteOffset { where_.append("at offset \(byteOffset)") }
        let location = where_.isEmpty ? "" : where_.joined(separator: " ") + ": "
        return "\(path): \(location)\(kind.message)"
    }
}

extension FormatError.Kind {
    /// The wording of every kind, in one place.
    public var message: String {
        switch self {
        case .unreadable(let reason): "cannot read: \(reason)"
        case .missingFile(let name): "missing file \(quoted(name))"
        case .truncated(let needed, let remaining):
            "truncated: needs \(needed) bytes, only \(remaining) remaining in file"
        case .headerTooLarge(let count, let limit): "header of \(count) bytes exceeds the limit of \(limit)"
        case .badMagic(let expected, let found): "bad magic: expected \(expected), found \(found)"
        case .invalidJSON(let why): "invalid JSON: \(why)"
        case .unknownDType(let name): "unknown dtype \(quoted(name))"
        case .invalidShape(let shape): "invalid shape \(shape)"
        case .sizeMismatch(let expected, let actual):
            "shape × dtype needs \(expected) bytes but the data is \(actual) bytes"
        case .outOfBounds(let end, let limit): "data ends at \(end), past the end of the data (\(limit))"
        case .overlapping(let previous): "data overlaps or precedes tensor \(quoted(previous))"
        case .hole(let count): "\(count) bytes not covered by any tensor"
        case .duplicateTensor: "duplicate tensor name"
        case .checksumMismatch(let expected, let actual):
            "checksum mismatch: stored \(hex(expected)), computed \(hex(actual))"
        case .malformed(let why): why
        case .unsupported(let what): "unsupported: \(what)"
        case .pathEscapes(let name): "name \(quoted(name)) leaves the model's folder"
        case .pickle: "a Python pickle; bertconv never unpickles model files (loading a pickle can run arbitrary code)"
        }
    }
}

private func hex(_ value: UInt32) -> String { "0x" + String(value, radix: 16) }
