import BertFormats
import FuzzSupport

/// Arbitrary bytes as a `flax_model.msgpack` read by `FlaxMsgpackReader`: must never crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlaxMsgpack(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzReader(FlaxMsgpackReader.self, data, size, name: "flax_model.msgpack")
}
