import BertFormats
import FuzzSupport

/// Arbitrary bytes as a `model.keras` read by `Keras3Reader`: must never crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKeras3(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzHDF5Reader(Keras3Reader.self, data, size, name: "model.keras")
}
