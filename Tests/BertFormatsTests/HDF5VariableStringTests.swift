import BertCore
import CHDF5
import Foundation
import Testing
@testable import BertFormats

/// Variable-length string attributes (h5py's `layer_names`) are read from their stored descriptors
/// and resolved by HDF5GlobalHeap, never by libhdf5's global heap code.
@Suite("HDF5 variable-length string attributes")
struct HDF5VariableStringTests {
    static let names = ["bert", "nsp___cls", "", "tf_bert/ünïcødé/kernel:0"]

    /// A file whose root holds `layer_names` as variable-length strings, with `offsetSize`-byte
    /// addresses; `patch` may change its bytes afterwards.
    private func file(offsetSize: Int = 8, _ patch: (inout [UInt8]) -> Void = { _ in }) throws -> (String, String) {
        let directory = KerasTestFiles.directory()
        let path = directory + "/tf_model.h5"
        KerasTestFiles.hdf5(path, offsetSize: offsetSize) { file in
            KerasTestFiles.setVariableStrings(file, "layer_names", Self.names)
        }
        var bytes = try FileBytes.read(path)
        patch(&bytes)
        KerasTestFiles.write(bytes, to: path)
        return (directory, path)
    }

    @Test("strings libhdf5 wrote read back exactly", arguments: [8, 4])
    func roundTrip(offsetSize: Int) throws {
        let (directory, path) = try file(offsetSize: offsetSize)
        defer { KerasTestFiles.remove(directory) }
        #expect(try HDF5File(file: path).strings("layer_names", of: "/") == Self.names)
    }

    @Test("a collection whose free space is declared empty is refused, not looped on")
    func emptyFreeSpace() throws {
        var freeSpace = 0
        let (directory, path) = try file { bytes in
            // Walk the one collection to its free space (index 0) and declare it empty.
            var offset = bytes.indices.first { bytes[$0..<min($0 + 4, bytes.count)].elementsEqual("GCOL".utf8) }! + 16
            while bytes[offset] != 0 || bytes[offset + 1] != 0 {
                let size = bytes[offset + 8..<offset + 16].reversed().reduce(0) { $0 << 8 | Int($1) }
                offset += 16 + (size + 7) & ~7
            }
            freeSpace = offset
            bytes.replaceSubrange(offset + 8..<offset + 16, with: [UInt8](repeating: 0, count: 8))
        }
        defer { KerasTestFiles.remove(directory) }
        do {
            _ = try KerasH5Reader.read(path)
            Issue.record("no error")
        } catch {
            #expect(error.tensor == "layer_names")
            #expect(error.byteOffset == freeSpace)
            #expect(error.description.contains(": free space of 0 bytes does not reach its end"))
        }
    }
}
