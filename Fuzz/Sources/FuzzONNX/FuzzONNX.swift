import BertFormats
import FuzzSupport

/// Arbitrary bytes as a `model.onnx` read by `ONNXReader`: must never crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzONNX(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    fuzzReader(ONNXReader.self, data, size, name: "model.onnx")
}
