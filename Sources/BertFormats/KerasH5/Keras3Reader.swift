import BertCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads Keras 3 KerasHub BERT models: a `.keras` archive (zip of `config.json` and
/// `model.weights.h5`), or a `.weights.h5` file (or a preset folder with `model.weights.h5`) with
/// the serialized `config.json` beside it.
///
/// Keras 3 stores variables as `layers/<layer>/…/vars/<index>`, naming sublayers after their class
/// (`transformer_encoder`, `transformer_encoder_1`, …). Source names are those HDF5 paths prefixed
/// with the root class from the config (`BertBackbone/layers/dense/vars/0`), since the same path
/// means the pooler in a backbone and the classifier in a `BertTextClassifier`.
public enum Keras3Reader: ModelReader {
    public static let format = SourceFormat.keras3
    static let weightsSuffix = ".weights.h5"
    static let weightsName = "model.weights.h5"
    static let configName = "config.json"
    /// Configs are small; anything larger is refused before it is read.
    static let maxConfigByteCount = 16 << 20

    public static func canRead(_ path: String) -> Bool {
        if FileBytes.isDirectory(path) { return FileBytes.exists(ModelFolder.join(path, weightsName)) }
        return path.hasSuffix(".keras") || path.hasSuffix(weightsSuffix)
    }

    public static func read(_ path: String) throws(FormatError) -> ModelSource {
        if path.hasSuffix(".keras") && !FileBytes.isDirectory(path) { return try readArchive(path) }
        let directory = FileBytes.isDirectory(path) ? path : ModelFolder.parent(of: path)
        let weights = FileBytes.isDirectory(path) ? ModelFolder.join(path, weightsName) : path
        let configPath = ModelFolder.join(directory, configName)
        guard FileBytes.exists(configPath) else { throw FormatError(path: path, .missingFile(configName)) }
        let config = try KerasHubConfig(json: FileBytes.json(configPath), path: configPath)
        let tensors = try tensors(in: HDF5File(file: weights), root: config.className)
        return ModelSource(format: format, path: path, inputFiles: [weights, configPath], tensors: tensors,
                           config: config.bert, companionFiles: ModelFolder.companions(in: directory), nameMap: "keras-hub")
    }

    /// A `.keras` zip: the config is read from the archive, the weights member is copied (or
    /// inflated) into an exclusively created temporary file that is unlinked as soon as libhdf5
    /// has opened it, so nothing is left behind whatever happens next.
    static func readArchive(_ path: String) throws(FormatError) -> ModelSource {
        let archive = try ZipArchive(file: MappedFile(path: path))
        guard let configEntry = archive.entry(configName) else { throw FormatError(path: path, .missingFile(configName)) }
        guard let weightsEntry = archive.entry(weightsName) else { throw FormatError(path: path, .missingFile(weightsName)) }
        let configBytes = try archive.data(configEntry, limit: maxConfigByteCount)
        let configJSON: JSONValue
        do { configJSON = try StrictJSONParser.parse(configBytes) } catch {
            throw FormatError(path: "\(path)/\(configName)", byteOffset: error.byteOffset, .invalidJSON(error.reason))
        }
        let config = try KerasHubConfig(json: configJSON, path: "\(path)/\(configName)")
        let file = try extractToHiddenFile(archive, weightsEntry, displayPath: "\(path)/\(weightsName)")
        return ModelSource(format: format, path: path, inputFiles: [path], tensors: try tensors(in: file, root: config.className),
                           config: config.bert, companionFiles: [], nameMap: "keras-hub")
    }

    private static func extractToHiddenFile(_ archive: ZipArchive, _ entry: ZipArchive.Entry,
                                            displayPath: String) throws(FormatError) -> HDF5File {
        let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array(ModelFolder.join(directory, "bertconv-keras-XXXXXX.h5").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemps($0.baseAddress!, 3) }
        guard fd >= 0 else {
            throw FormatError(path: displayPath, .unreadable(reason: "cannot create a temporary file in \(directory): \(errnoText())"))
        }
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { unlink(temporary) }
        do {
            defer { close(fd) }
            try archive.stream(entry) { (chunk) throws(FormatError) in
                var offset = 0
                while offset < chunk.count {
                    let written = write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                    guard written > 0 else {
                        throw FormatError(path: displayPath, .unreadable(reason: "cannot write the temporary copy: \(errnoText())"))
                    }
                    offset += written
                }
            }
        }
        return try HDF5File(file: temporary, displayPath: displayPath)
    }

    /// Every dataset under the root, named `<root class>/<hdf5 path>`, in path order.
    static func tensors(in file: HDF5File, root: String) throws(FormatError) -> [SourceTensor] {
        var tensors: [SourceTensor] = []
        var visited = 0
        try collect(file, group: "/", depth: 0, root: root, into: &tensors, visited: &visited)
        return tensors.sorted { $0.name < $1.name }
    }

    /// Objects visited per file beyond which a file is refused (hard-link cycles fan out).
    static let maxObjects = 1 << 20

    private static func collect(_ file: HDF5File, group: String, depth: Int, root: String,
                                into tensors: inout [SourceTensor], visited: inout Int) throws(FormatError) {
        guard depth < HDF5File.maxDepth else {
            throw FormatError(path: file.path, tensor: group, .unsupported("groups nested deeper than \(HDF5File.maxDepth)"))
        }
        let children = try file.children(of: group)
        visited += children.count
        guard visited <= maxObjects else {
            throw FormatError(path: file.path, tensor: group, .unsupported("more than \(maxObjects) objects"))
        }
        for (name, kind) in children {
            let objectPath = group == "/" ? name : "\(group)/\(name)"
            switch kind {
            case .group: try collect(file, group: objectPath, depth: depth + 1, root: root, into: &tensors, visited: &visited)
            case .dataset: tensors.append(try file.sourceTensor("\(root)/\(objectPath)", at: objectPath))
            case .other: throw FormatError(path: file.path, tensor: objectPath, .unsupported("object that is neither a group nor a dataset"))
            }
        }
    }
}
