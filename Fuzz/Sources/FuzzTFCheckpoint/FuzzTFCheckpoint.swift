import BertFormats
import FuzzSupport

/// Arbitrary bytes as a `model.ckpt.index` read by `TFCheckpointReader`: must never crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTFCheckpoint(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzReader(TFCheckpointReader.self, data, size, name: "model.ckpt.index")
}
