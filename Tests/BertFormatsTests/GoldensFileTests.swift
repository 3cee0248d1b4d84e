import BertCore
import BertFormats
import Foundation
import Testing

/// Goldens files are validated as a whole: format tag, integer inputs, float outputs, names.
@Suite struct GoldensFileTests {
    /// A safetensors file of `tensors` (each 8 zero bytes of I64 [1] or F32 [2]) written to a temp path.
    func file(_ tensors: [(name: String, dtype: String)], format: String? = "bertconv-goldens") throws -> String {
        var entries: [String] = []
        var offset = 0
        for tensor in tensors {
            let shape = tensor.dtype == "I64" ? "[1]" : "[2]"
            entries.append("\"\(tensor.name)\":{\"dtype\":\"\(tensor.dtype)\",\"shape\":\(shape),\"data_offsets\":[\(offset),\(offset + 8)]}")
            offset += 8
        }
        if let format { entries.insert("\"__metadata__\":{\"format\":\"\(format)\"}", at: 0) }
        let header = Array("{\(entries.joined(separator: ","))}".utf8)
        var bytes = withUnsafeBytes(of: UInt64(header.count).littleEndian, Array.init) + header
        bytes += [UInt8](repeating: 0, count: offset)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("goldens-\(UUID()).safetensors").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsInputsOutputsAndMetadata() throws {
        let path = try file([("inputs.input_ids", "I64"), ("outputs.logits", "F32"), ("outputs.end_logits", "F32")])
        let goldens = try GoldensFile.read(path)
        #expect(goldens.inputs.keys.sorted() == ["input_ids"])
        #expect(goldens.outputs.map(\.name) == ["end_logits", "logits"])
        #expect(goldens.output("logits")?.floats() == [0, 0])
        #expect(goldens[metadata: "format"] == "bertconv-goldens")
    }

    @Test func refusesAnotherFormatTag() throws {
        let path = try file([("inputs.input_ids", "I64")], format: "other")
        #expect(throws: FormatError(path: path, .malformed(
            "not a goldens file: __metadata__ format is 'other', expected 'bertconv-goldens'"))) {
            try GoldensFile.read(path)
        }
    }

    @Test func refusesAMissingFormatTag() throws {
        let path = try file([("inputs.input_ids", "I64")], format: nil)
        #expect(throws: FormatError(path: path, .malformed(
            "not a goldens file: __metadata__ format is missing, expected 'bertconv-goldens'"))) {
            try GoldensFile.read(path)
        }
    }

    @Test func refusesFloatInputs() throws {
        let path = try file([("inputs.input_ids", "F32")])
        let error = #expect(throws: FormatError.self) { try GoldensFile.read(path) }
        #expect(error?.tensor == "inputs.input_ids")
        #expect(error?.description.contains("inputs must be integer tensors, found F32") == true)
    }

    @Test func refusesIntegerOutputs() throws {
        let path = try file([("inputs.input_ids", "I64"), ("outputs.logits", "I64")])
        let error = #expect(throws: FormatError.self) { try GoldensFile.read(path) }
        #expect(error?.tensor == "outputs.logits")
    }

    @Test func refusesOtherNames() throws {
        let path = try file([("inputs.input_ids", "I64"), ("logits", "F32")])
        let error = #expect(throws: FormatError.self) { try GoldensFile.read(path) }
        #expect(error?.tensor == "logits")
    }

    @Test func requiresInputIds() throws {
        let path = try file([("outputs.logits", "F32")])
        let error = #expect(throws: FormatError.self) { try GoldensFile.read(path) }
        #expect(error?.tensor == "inputs.input_ids")
    }
}
