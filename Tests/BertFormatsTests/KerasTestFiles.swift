import BertCore
import CHDF5
import Foundation
@testable import BertFormats

/// Builds small (hostile) HDF5 files and zip archives for the Keras readers' error tests.
enum KerasTestFiles {
    /// A fresh temporary directory, removed by the caller with `remove`.
    static func directory() -> String {
        let path = NSTemporaryDirectory() + "bertconv-kerastests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    static func remove(_ path: String) { try? FileManager.default.removeItem(atPath: path) }

    static func write(_ bytes: [UInt8], to path: String) {
        precondition(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
    }

    /// An HDF5 file at `path` whose contents `build` creates through the file id (under the lock).
    /// `offsetSize` sets the bytes per file address and length (8 unless given).
    static func hdf5(_ path: String, offsetSize: Int = 8, _ build: (hid_t) -> Void) {
        _ = try? HDF5.locked { () throws(FormatError) in
            let creation = bertconv_h5p_file_create()
            defer { H5Pclose(creation) }
            H5Pset_sizes(creation, offsetSize, offsetSize)
            let file = H5Fcreate(path, bertconv_h5f_acc_trunc(), creation, hid_t(H5P_DEFAULT))
            precondition(file >= 0)
            build(file)
            H5Fclose(file)
        }
    }

    /// Sets a fixed-length string array attribute, as Keras 2 writes `layer_names`.
    static func setStrings(_ object: hid_t, _ name: String, _ values: [String]) {
        let width = max(1, values.map(\.utf8.count).max() ?? 1)
        var bytes = [UInt8](repeating: 0, count: width * values.count)
        for (i, value) in values.enumerated() { bytes.replaceSubrange(i * width..<i * width + value.utf8.count, with: value.utf8) }
        let type = H5Tcopy(bertconv_h5t_c_s1())
        H5Tset_size(type, width)
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        let attribute = H5Acreate2(object, name, type, space, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        H5Awrite(attribute, type, bytes)
        H5Aclose(attribute)
        H5Sclose(space)
        H5Tclose(type)
    }

    /// Sets a variable-length string array attribute, as h5py writes `layer_names` from a list of
    /// Python strings (the bytes go to a global heap collection).
    static func setVariableStrings(_ object: hid_t, _ name: String, _ values: [String]) {
        let type = H5Tcopy(bertconv_h5t_c_s1())
        H5Tset_size(type, Int(bitPattern: UInt(bitPattern: -1)))  // H5T_VARIABLE
        H5Tset_cset(type, H5T_CSET_UTF8)
        var dims = [hsize_t(values.count)]
        let space = H5Screate_simple(1, &dims, nil)
        let attribute = H5Acreate2(object, name, type, space, hid_t(H5P_DEFAULT), hid_t(H5P_DEFAULT))
        let copies = values.map { strdup($0) }
        var pointers = copies.map { UnsafePointer($0) }
        H5Awrite(attribute, type, &pointers)
        copies.forEach { free($0) }
        H5Aclose(attribute)
        H5Sclose(space)
        H5Tclose(type)
    }

    /// A dataset of 0.5s at `name`, stored as `type` (float32 by default), optionally created with
    /// property list `creation`.
    static func dataset(_ location: hid_t, _ name: String, shape: [Int], type: hid_t = bertconv_h5t_native_float(),
                        creation: hid_t = hid_t(H5P_DEFAULT)) {
        var dims = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, nil)
        let dataset = H5Dcreate2(location, name, type, space, hid_t(H5P_DEFAULT), creation, hid_t(H5P_DEFAULT))
        let values = [Float](repeating: 0.5, count: shape.reduce(1, *))
        H5Dwrite(dataset, bertconv_h5t_native_float(), hid_t(H5S_ALL), hid_t(H5S_ALL), hid_t(H5P_DEFAULT), values)
        H5Dclose(dataset)
        H5Sclose(space)
    }

    /// One stored zip member; `declaredSize` and `crc` override what the headers claim.
    struct Member {
        var name: String
        var bytes: [UInt8]
        var declaredSize: UInt32?
        var crc: UInt32?
    }

    /// A zip archive of stored members (APPNOTE local headers, central directory, end record).
    static func zip(_ members: [Member]) -> [UInt8] {
        var out: [UInt8] = []
        var central: [UInt8] = []
        func u16(_ v: Int, _ into: inout [UInt8]) { into += [UInt8(v & 0xFF), UInt8(v >> 8 & 0xFF)] }
        func u32(_ v: UInt32, _ into: inout [UInt8]) { for s in stride(from: 0, to: 32, by: 8) { into.append(UInt8(v >> UInt32(s) & 0xFF)) } }
        for member in members {
            let offset = UInt32(out.count)
            let crc = member.crc ?? crc32(member.bytes)
            let size = member.declaredSize ?? UInt32(member.bytes.count)
            let name = Array(member.name.utf8)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0, &out)
            u32(crc, &out); u32(size, &out); u32(size, &out); u16(name.count, &out); u16(0, &out)
            out += name + member.bytes
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central)
            u16(0, &central); u16(0, &central); u32(crc, &central); u32(size, &central); u32(size, &central)
            u16(name.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u32(0, &central); u32(offset, &central)
            central += name
        }
        let directoryOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(members.count, &out); u16(members.count, &out)
        u32(UInt32(central.count), &out); u32(directoryOffset, &out); u16(0, &out)
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    static let backboneConfig = """
        {"class_name": "BertBackbone", "config": {"vocabulary_size": 128, "num_layers": 2, "num_heads": 4,
         "hidden_dim": 32, "intermediate_dim": 37, "max_sequence_length": 40, "num_segments": 2}}
        """
}
