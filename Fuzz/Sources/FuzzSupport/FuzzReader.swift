import BertCore
import BertFormats

/// The shared body of every reader harness: read the input as `reader` would read a file named
/// `name`, then load every tensor. Errors are expected; crashes, hangs and leaks are the findings.
public func fuzzReader(_ reader: any ModelReader.Type, _ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> CInt {
    FuzzFile.with(data, size, name: name) { path in
        guard let source = try? reader.read(path) else { return }
        for tensor in source.tensors { _ = try? tensor.load().byteCount }
    }
    return 0
}
