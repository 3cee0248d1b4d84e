import BertCore
import BertNameMaps
import CHDF5
import Foundation
import Testing
@testable import BertFormats

@Suite("Keras readers refuse bad input")
struct KerasErrorTests {
    private func formatError(_ body: () throws -> Void) throws -> FormatError {
        do { try body() } catch let error as FormatError { return error }
        Issue.record("no FormatError thrown")
        throw CancellationError()
    }

    @Test("a file that is not HDF5 is a bad magic at offset 0")
    func notHDF5() throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        let path = directory + "/tf_model.h5"
        KerasTestFiles.write(Array("not an hdf5 file".utf8), to: path)
        let error = try formatError { _ = try KerasH5Reader.read(path) }
        #expect(error.kind == .badMagic(expected: "HDF5 signature 894844460d0a1a0a", found: "6e6f7420616e2068"))
        #expect(error.byteOffset == 0)
        #expect(error.description.hasPrefix(path + ": at offset 0: bad magic"))
    }

    @Test("a truncated HDF5 file names the bytes its superblock needs", arguments: [4096, 600, 100])
    func truncated(_ keep: Int) throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        let whole = try FileBytes.read(KerasFixtures.path("keras-hub/backbone/model.weights.h5"))
        let path = directory + "/tf_model.h5"
        KerasTestFiles.write(Array(whole.prefix(keep)), to: path)
        let error = try formatError { _ = try KerasH5Reader.read(path) }
        #expect(error.kind == .truncated(neededBytes: whole.count, remainingBytes: keep))
        #expect(error.description.contains("only \(keep) remaining"))
    }

    /// The error reading a `tf_model.h5` that `build` writes (given the file and its directory).
    private func tfModelError(_ build: (hid_t, String) -> Void) throws -> FormatError {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        let path = directory + "/tf_model.h5"
        KerasTestFiles.hdf5(path) { file in build(file, directory) }
        return try formatError { _ = try KerasH5Reader.read(path) }
    }

    /// A Keras 2 layer group `name` listing `weights`, left open for the caller to fill and close.
    private func layer(_ file: hid_t, _ name: String, weights: [String]) -> hid_t {
        KerasTestFiles.setStrings(file, "layer_names", [name])
        let group = H5Gcreate2(file, name, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        KerasTestFiles.setStrings(group, "weight_names", weights)
        return group
    }

    @Test("an external link is refused, never followed")
    func externalLink() throws {
        let error = try tfModelError { file, _ in
            KerasTestFiles.setStrings(file, "layer_names", ["bert"])
            H5Lcreate_external("/etc/other.h5", "/bert", file, "bert", hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        }
        #expect(error.kind == .unsupported("'bert' is an external link; links are never followed"))
        #expect(error.tensor == "bert")
    }

    @Test("a soft link inside a dataset path is refused")
    func softLink() throws {
        let error = try tfModelError { file, _ in
            H5Gclose(layer(file, "bert", weights: ["m/bert/w:0"]))
            KerasTestFiles.dataset(file, "real", shape: [2])
            H5Lcreate_soft("/real", file, "bert/m", hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        }
        #expect(error.kind == .unsupported("'bert/m' is a soft link; links are never followed"))
        #expect(error.tensor == "bert/m/bert/w:0")
    }

    @Test("a dataset kept in external files is refused")
    func externalStorage() throws {
        let error = try tfModelError { file, directory in
            let group = layer(file, "bert", weights: ["w:0"])
            let creation = bertconv_h5p_dataset_create()
            H5Pset_external(creation, directory + "/raw.bin", 0, 8)
            KerasTestFiles.dataset(group, "w:0", shape: [2], creation: creation)
            H5Pclose(creation)
            H5Gclose(group)
        }
        #expect(error.kind == .unsupported("dataset stored in external files, which are never read"))
        #expect(error.tensor == "bert/w:0")
    }

    @Test("a float64 dataset is an unknown dtype naming the dataset")
    func float64() throws {
        let error = try tfModelError { file, _ in
            let group = layer(file, "bert", weights: ["w:0"])
            KerasTestFiles.dataset(group, "w:0", shape: [2], type: bertconv_h5t_ieee_f64le())
            H5Gclose(group)
        }
        #expect(error.kind == .unknownDType("float64"))
        #expect(error.tensor == "bert/w:0")
    }

    @Test("a file without layer_names is not Keras HDF5 weights")
    func noLayerNames() throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        let path = directory + "/weights.h5"
        KerasTestFiles.hdf5(path) { file in KerasTestFiles.dataset(file, "x", shape: [1]) }
        let error = try formatError { _ = try KerasH5Reader.read(path) }
        #expect(error.kind == .malformed("no 'layer_names' attribute: not Keras HDF5 weights"))
    }

    @Test("a dataset whose shape disagrees with the config names the tensor")
    func shapeDisagreesWithConfig() throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        try FileManager.default.copyItem(atPath: KerasFixtures.path("keras-hub/backbone/model.weights.h5"),
                                         toPath: directory + "/model.weights.h5")
        let config = KerasTestFiles.backboneConfig.replacingOccurrences(of: "\"intermediate_dim\": 37", with: "\"intermediate_dim\": 40")
        KerasTestFiles.write(Array(config.utf8), to: directory + "/config.json")
        #expect(throws: GraphError(path: directory, .shapeMismatch(
            tensor: "bert.encoder.layer.0.intermediate.dense.weight", expected: [40, 32], actual: [37, 32]))) {
            _ = try KerasFixtures.graph(directory)
        }
    }

    @Test("weights of another layout fail with the list of unmapped paths")
    func unknownLayout() throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        try FileManager.default.copyItem(atPath: KerasFixtures.path("keras-hub/classifier/model.weights.h5"),
                                         toPath: directory + "/model.weights.h5")
        KerasTestFiles.write(Array(KerasTestFiles.backboneConfig.utf8), to: directory + "/config.json")
        do {
            _ = try KerasFixtures.graph(directory)
            Issue.record("no error")
        } catch let error as GraphError {
            guard case .unmappedTensors(let names) = error.kind else { Issue.record("\(error)"); return }
            #expect(names.count == 39)
            #expect(names.contains("BertBackbone/layers/bert_backbone/layers/embedding/vars/0"))
        }
    }

    @Test("a KerasHub class bertconv does not read is named")
    func unsupportedClass() throws {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        KerasTestFiles.write(Array(#"{"class_name": "GPT2Backbone", "config": {}}"#.utf8), to: directory + "/config.json")
        KerasTestFiles.write([], to: directory + "/model.weights.h5")
        let error = try formatError { _ = try Keras3Reader.read(directory) }
        #expect(error.kind == .unsupported("KerasHub class 'GPT2Backbone' (bertconv reads BertBackbone, BertTextClassifier)"))
    }
}

@Suite(".keras archives refuse bad zips")
struct KerasArchiveErrorTests {
    private func archiveError(_ members: [KerasTestFiles.Member]) throws -> FormatError {
        try archiveError(KerasTestFiles.zip(members))
    }

    private func archiveError(_ bytes: [UInt8]) throws -> FormatError {
        let directory = KerasTestFiles.directory()
        defer { KerasTestFiles.remove(directory) }
        let path = directory + "/model.keras"
        KerasTestFiles.write(bytes, to: path)
        do { _ = try Keras3Reader.read(path) } catch { return error }
        Issue.record("no FormatError thrown")
        throw CancellationError()
    }

    private let config = KerasTestFiles.Member(name: "config.json", bytes: Array(KerasTestFiles.backboneConfig.utf8))

    @Test("an archive without model.weights.h5 says which member is missing")
    func noWeights() throws {
        let error = try archiveError([config])
        #expect(error.kind == .missingFile("model.weights.h5"))
        #expect(error.description.hasSuffix(": missing file 'model.weights.h5'"))
    }

    @Test("a member named outside the archive is refused", arguments: ["../model.weights.h5", "/etc/passwd", "a/../../b"])
    func escapingName(_ name: String) throws {
        let error = try archiveError([config, .init(name: name, bytes: [1, 2, 3])])
        #expect(error.kind == .pathEscapes(name))
    }

    @Test("a member declaring far more bytes than the archive holds is refused before inflating")
    func zipBomb() throws {
        let error = try archiveError([config, .init(name: "model.weights.h5", bytes: [1, 2, 3], declaredSize: 1 << 30)])
        #expect(error.tensor == "model.weights.h5")
        guard case .malformed(let why) = error.kind else { Issue.record("\(error)"); return }
        #expect(why.hasPrefix("declares 1073741824 bytes uncompressed, over 8× the archive's") && why.hasSuffix("(zip bomb)"))
    }

    @Test("a stored member whose CRC-32 disagrees is refused")
    func badChecksum() throws {
        let error = try archiveError([.init(name: "config.json", bytes: Array(KerasTestFiles.backboneConfig.utf8), crc: 7),
                                      .init(name: "model.weights.h5", bytes: [0])])
        #expect(error.tensor == "config.json")
        guard case .checksumMismatch(let expected, _) = error.kind else { Issue.record("\(error)"); return }
        #expect(expected == 7)
    }

    @Test("a file that is not a zip, and a zip cut short, are refused")
    func notZip() throws {
        #expect(try archiveError(Array("PK no zip".utf8)).kind == .badMagic(expected: "zip signature 504b0304", found: "504b206e"))
        let whole = KerasTestFiles.zip([config])
        let error = try archiveError(Array(whole.dropLast(5)))
        #expect(error.kind == .malformed("not a zip archive: no end-of-central-directory record (truncated?)"))
    }

    @Test("a weights member that is not HDF5 is named as archive/member")
    func weightsNotHDF5() throws {
        let error = try archiveError([config, .init(name: "model.weights.h5", bytes: Array("garbage!".utf8))])
        #expect(error.path.hasSuffix("model.keras/model.weights.h5"))
        #expect(error.kind == .badMagic(expected: "HDF5 signature 894844460d0a1a0a", found: "67617262616765 21".replacingOccurrences(of: " ", with: "")))
    }
}
