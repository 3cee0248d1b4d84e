import Testing
import BertCore
@testable import BertFormats

@Suite struct TensorLookAheadTests {
    @Test func yieldsTensorsInOrderAndPassesErrorsThrough() throws {
        let failure = FormatError(path: "m.safetensors", tensor: "b", .malformed("bad"))
        let failing = SafetensorsWriter.Entry(name: "b", dtype: .f32, shape: [1]) { () throws(FormatError) in throw failure }
        let ahead = TensorLookAhead([
            SafetensorsWriter.Entry(name: "a", tensor: Tensor(float32: [1], shape: [1])).load,
            failing.load,
            SafetensorsWriter.Entry(name: "c", tensor: Tensor(float32: [3, 4], shape: [2])).load,
        ])
        #expect(try ahead.tensor(0).floats() == [1])
        #expect(throws: failure) { try ahead.tensor(1) }
        #expect(try ahead.tensor(2).floats() == [3, 4])
    }
}
