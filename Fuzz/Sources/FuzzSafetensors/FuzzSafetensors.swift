import BertFormats
import FuzzSupport

/// Arbitrary bytes as a safetensors file: reading and loading every tensor must never crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafetensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzReader(SafetensorsReader.self, data, size, name: "model.safetensors")
}
