import BertCore
import BertFormats
import FuzzSupport

/// Arbitrary bytes as a safetensors file: reading and loading every tensor must never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzFile.with(data, size, suffix: ".safetensors") { path in
        guard let source = try? SafetensorsReader.read(path) else { return }
        for tensor in source.tensors { _ = try? tensor.load().floats().count }
    }
    return 0
}
