import TestSupport
import Testing
import BertCore
@testable import BertFormats

@Suite struct SafetensorsReaderTests {
    private let dir = TempDirectory()

    private func read(_ bytes: [UInt8]) throws(FormatError) -> [SourceTensor] {
        try SafetensorsReader.readFile(dir.write("m.safetensors", bytes))
    }

    private func expectError(_ bytes: [UInt8], _ check: (FormatError) -> Bool) {
        #expect {
            try read(bytes)
        } throws: { error in
            check(error as! FormatError)
        }
    }

    @Test func readsTensorsAsMappedViews() throws {
        let header = "{" + SafetensorsBytes.entry("b", shape: [2], 8, 16) + ", " + SafetensorsBytes.entry("a", shape: [2], 0, 8)
            + #", "__metadata__": {"format": "pt"}}"#
        let tensors = try read(SafetensorsBytes.file(header: header, data: SafetensorsBytes.floats([1, 2, 3, 4])))
        #expect(tensors.map(\.name) == ["b", "a"])
        let a = try tensors[1].load()
        #expect(a.floats() == [1, 2] && a.storage.isMapped)
        #expect(try tensors[0].load().floats() == [3, 4])
    }

    @Test func fileShorterThanLengthPrefix() {
        expectError([1, 2, 3]) { $0.kind == .truncated(neededBytes: 8, remainingBytes: 3) && $0.byteOffset == 0 }
    }

    @Test func headerLengthOverCap() {
        expectError(SafetensorsBytes.file(header: "{}", declaredLength: 1 << 40)) {
            $0.kind == .headerTooLarge(byteCount: 1 << 40, limit: 100_000_000)
        }
    }

    @Test func headerLengthPastEndOfFile() {
        expectError(SafetensorsBytes.file(header: "{}", declaredLength: 50)) {
            $0.description.hasSuffix("at offset 8: truncated: needs 50 bytes, only 2 remaining in file")
        }
    }

    @Test func malformedJSONNamesOffset() {
        expectError(SafetensorsBytes.file(header: #"{"a": }"#)) {
            if case .invalidJSON = $0.kind { return $0.byteOffset == 14 }
            return false
        }
    }

    @Test func duplicateTensorNamesTheTensor() {
        let header = "{" + SafetensorsBytes.entry("w", shape: [1], 0, 4) + ", " + SafetensorsBytes.entry("w", shape: [1], 4, 8) + "}"
        expectError(SafetensorsBytes.file(header: header, data: SafetensorsBytes.floats([1, 2]))) {
            $0.kind == .duplicateTensor && $0.tensor == "w" && $0.description.contains("tensor 'w'")
        }
    }

    @Test func unknownDTypeNamesTensorAndType() {
        let header = "{" + SafetensorsBytes.entry("w", shape: [1], 0, 8, dtype: "F64") + "}"
        expectError(SafetensorsBytes.file(header: header, data: Array(repeating: 0, count: 8))) {
            $0.description.hasSuffix("tensor 'w': unknown dtype 'F64'")
        }
    }

    @Test func hugeShapeIsRefusedBeforeAllocation() {
        let header = "{" + SafetensorsBytes.entry("w", shape: [1 << 62, 4], 0, 4) + "}"
        expectError(SafetensorsBytes.file(header: header, data: [0, 0, 0, 0])) { $0.kind == .invalidShape([1 << 62, 4]) }
    }

    @Test func sizeDisagreeingWithShape() {
        let header = "{" + SafetensorsBytes.entry("w", shape: [3], 0, 8) + "}"
        expectError(SafetensorsBytes.file(header: header, data: SafetensorsBytes.floats([1, 2]))) {
            $0.kind == .sizeMismatch(expectedBytes: 12, actualBytes: 8) && $0.tensor == "w"
        }
    }

    @Test func dataPastEndOfFile() {
        let header = "{" + SafetensorsBytes.entry("w", shape: [4], 0, 16) + "}"
        expectError(SafetensorsBytes.file(header: header, data: SafetensorsBytes.floats([1]))) {
            $0.kind == .outOfBounds(end: 16, limit: 4) && $0.tensor == "w"
        }
    }

    @Test func overlappingOffsets() {
        let header = "{" + SafetensorsBytes.entry("a", shape: [2], 0, 8) + ", " + SafetensorsBytes.entry("b", shape: [2], 4, 12) + "}"
        expectError(SafetensorsBytes.file(header: header, data: SafetensorsBytes.floats([1, 2, 3]))) {
            $0.kind == .overlapping(previous: "a") && $0.tensor == "b"
        }
    }

    @Test func holesBetweenAndAfterTensors() {
        let gap = "{" + SafetensorsBytes.entry("a", shape: [1], 4, 8) + "}"
        expectError(SafetensorsBytes.file(header: gap, data: SafetensorsBytes.floats([1, 2]))) { $0.kind == .hole(byteCount: 4) }
        let tail = "{" + SafetensorsBytes.entry("a", shape: [1], 0, 4) + "}"
        expectError(SafetensorsBytes.file(header: tail, data: SafetensorsBytes.floats([1, 2]))) { $0.kind == .hole(byteCount: 4) }
    }

    @Test func metadataValuesMustBeStrings() {
        expectError(SafetensorsBytes.file(header: #"{"__metadata__": {"format": 1}}"#)) {
            $0.kind == .malformed("__metadata__ value for 'format' is not a string")
        }
    }

    @Test func missingFieldsAreNamed() {
        expectError(SafetensorsBytes.file(header: #"{"w": {"shape": [1], "data_offsets": [0, 4]}}"#, data: [0, 0, 0, 0])) {
            $0.kind == .malformed("missing 'dtype'") && $0.tensor == "w"
        }
        expectError(SafetensorsBytes.file(header: #"{"w": {"dtype": "F32", "shape": [1], "data_offsets": [4, 0]}}"#, data: [0, 0, 0, 0])) {
            $0.tensor == "w" && $0.description.contains("data_offsets")
        }
    }
}
