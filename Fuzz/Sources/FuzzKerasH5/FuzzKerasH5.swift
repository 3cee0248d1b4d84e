import BertFormats
import FuzzSupport

/// Arbitrary bytes as a `tf_model.h5` read by `KerasH5Reader`: must never crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKerasH5(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzHDF5Reader(KerasH5Reader.self, data, size, name: "tf_model.h5")
}
