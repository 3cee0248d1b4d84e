import Foundation


/// Hands fuzz input to readers that take paths: one reusable file per process in /dev/shm.
public enum FuzzFile {
    /// Writes the input to a file named with `suffix` and calls `body` with its path.
    public static func with(_ data: UnsafePointer<UInt8>, _ size: Int, suffix: String, _ body: (String) -> Void) {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let path = "\(directory)/bertconv-fuzz-\(getpid())\(suffix)"
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size))
        body(path)
    }
}
