// Test helpers shared by every test target: temp directories and fixture paths.
import Foundation

/// A fresh directory under the system temp folder, removed when the value is released.
public final class TempDirectory {
    public let path: String

    public init() {
        path = NSTemporaryDirectory() + "bertconv-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }

    public func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }

    /// The names in the directory, sorted (hidden ones included).
    public var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted() }
}

/// The repository's goldens/fixtures directory.
public enum Fixtures {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url.appendingPathComponent("goldens/fixtures").path
    }()

    public static func path(_ relative: String) -> String { root + "/" + relative }
}
