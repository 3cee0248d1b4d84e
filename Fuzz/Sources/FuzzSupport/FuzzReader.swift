import BertCore
import BertFormats
import CHDF5Identifiers

/// The shared body of every reader harness: read the input as `reader` would read a file named
/// `name`, then load every tensor. Errors are expected; crashes, hangs and leaks are the findings.
public func fuzzReader(_ reader: any ModelReader.Type, _ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> CInt {
    FuzzFile.with(data, size, name: name) { path in
        guard let source = try? reader.read(path) else { return }
        for tensor in source.tensors { _ = try? tensor.load().byteCount }
    }
    return 0
}

/// `fuzzReader` for readers built on libhdf5: every HDF5 identifier the read opened must be closed
/// once the source and its tensors are gone.
public func fuzzHDF5Reader(_ reader: any ModelReader.Type, _ data: UnsafePointer<UInt8>, _ size: Int, name: String) -> CInt {
    let before = bertconv_fuzz_open_hdf5_identifiers()
    _ = fuzzReader(reader, data, size, name: name)
    let after = bertconv_fuzz_open_hdf5_identifiers()
    precondition(after == before, "\(after - before) HDF5 identifiers left open")
    return 0
}
