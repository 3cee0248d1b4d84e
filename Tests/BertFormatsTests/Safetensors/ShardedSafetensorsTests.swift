import TestSupport
import Testing
import BertCore
@testable import BertFormats

@Suite struct ShardedSafetensorsTests {
    private let dir = TempDirectory()

    private func shard(_ name: String, tensor: String, value: Float) {
        dir.write(name, SafetensorsBytes.file(header: "{" + SafetensorsBytes.entry(tensor, shape: [1], 0, 4) + "}",
                                              data: SafetensorsBytes.floats([value])))
    }

    private func index(_ map: String) {
        _ = dir.write("model.safetensors.index.json", text: #"{"metadata": {}, "weight_map": {\#(map)}}"#)
    }

    @Test func readsEveryShardThroughTheIndex() throws {
        shard("a.safetensors", tensor: "x", value: 1)
        shard("b.safetensors", tensor: "y", value: 2)
        index(#""x": "a.safetensors", "y": "b.safetensors""#)
        let source = try SafetensorsReader.read(dir.path)
        #expect(source.tensors.map(\.name) == ["x", "y"])
        #expect(try source.tensors[1].load().floats() == [2])
        #expect(source.inputFiles.count == 3)
    }

    @Test(arguments: ["../outside.safetensors", "/etc/passwd", "sub/../../x.safetensors", ""])
    func shardNamesMayNotLeaveTheFolder(name: String) {
        index(#""x": "\#(name)""#)
        #expect {
            try SafetensorsReader.read(dir.path)
        } throws: { error in
            (error as! FormatError).kind == .pathEscapes(name)
        }
    }

    @Test func missingShardIsNamed() {
        index(#""x": "gone.safetensors""#)
        #expect {
            try SafetensorsReader.read(dir.path)
        } throws: { error in
            (error as! FormatError).description.hasSuffix("model.safetensors.index.json: missing file 'gone.safetensors'")
        }
    }

    @Test func indexAndShardsMustAgree() {
        shard("a.safetensors", tensor: "x", value: 1)
        index(#""x": "a.safetensors", "z": "a.safetensors""#)
        #expect {
            try SafetensorsReader.read(dir.path)
        } throws: { error in
            (error as! FormatError).tensor == "z"
        }
    }
}
