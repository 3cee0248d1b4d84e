import TestSupport
import Testing
import BertCore
@testable import BertFormats

@Suite struct SafetensorsWriterTests {
    private let dir = TempDirectory()

    @Test func roundTripsAndIsDeterministic() throws {
        let entries = [
            SafetensorsWriter.Entry(name: "z", tensor: Tensor(float32: [1, 2, 3], shape: [3])),
            SafetensorsWriter.Entry(name: "a", tensor: Tensor(float32: [4, 5], shape: [2, 1]).converted(to: .bf16)),
            SafetensorsWriter.Entry(name: "ids", tensor: Tensor(int64: [7, -1], shape: [2])),
        ]
        let first = dir.path + "/one.safetensors", second = dir.path + "/two.safetensors"
        try SafetensorsWriter.write(entries, metadata: [("format", "pt")], to: first)
        try SafetensorsWriter.write(entries.reversed(), metadata: [("format", "pt")], to: second)
        let a = try MappedFile(path: first), b = try MappedFile(path: second)
        #expect(Array(a.bytes) == Array(b.bytes))
        let headerLength = Int(a.bytes.loadUnaligned(as: UInt64.self))
        #expect(headerLength % 8 == 0)
        let tensors = try SafetensorsReader.readFile(first)
        #expect(tensors.map(\.name) == ["a", "ids", "z"])
        #expect(try tensors[0].load().floats() == [4, 5])
        #expect(try tensors[1].load().int64s() == [7, -1])
        #expect(try SafetensorsReader.metadata(of: first).map(\.value) == ["pt"])
    }

    @Test func refusesToOverwrite() throws {
        let path = dir.write("exists.safetensors", [1])
        #expect {
            try SafetensorsWriter.write([], metadata: [], to: path)
        } throws: { error in
            if case .output(let output) = error as! BertCoreError, case .writeFailed = output.kind { return true }
            return false
        }
    }
}
