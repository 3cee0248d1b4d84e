import BertCore
import CHDF5

/// An HDF5 file open read-only; tensors loaded lazily keep it open, and it closes when the last
/// one goes away. Objects are reached only through hard links: soft and external links, external
/// storage and virtual datasets are refused, never followed.
final class HDF5File: @unchecked Sendable {
    /// The path named in messages (for an archive member, `archive/member`).
    let path: String
    /// The file's size in bytes; dataset allocations are capped against it.
    let fileByteCount: Int
    /// The file's bytes, from which variable-length strings are resolved (see HDF5GlobalHeap).
    let mapped: MappedFile
    /// The global heap collections read and the object headers checked so far; used only under
    /// the HDF5 lock.
    var globalHeap: HDF5GlobalHeap
    private var objectHeaders: HDF5ObjectHeaders
    private let id: hid_t

    /// Links per group and group depth beyond which a file is refused (cycles, hostile fan-out).
    static let maxLinksPerGroup = 1 << 16
    static let maxDepth = 32

    /// Opens `file` (a path on disk), naming it `displayPath` in messages.
    init(file: String, displayPath: String? = nil) throws(FormatError) {
        let shown = displayPath ?? file
        let mapped = try MappedFile(path: file)
        guard HDF5Superblock.hasSignature(mapped.bytes) else {
            throw FormatError(path: shown, byteOffset: 0, .badMagic(expected: "HDF5 signature 894844460d0a1a0a",
                                                                      found: leadingHex(mapped.bytes, count: 8)))
        }
        guard let superblock = HDF5Superblock(mapped.bytes) else {
            throw FormatError(path: shown, byteOffset: 8, .unsupported("HDF5 superblock version, address or length size"))
        }
        guard superblock.endOfFileAddress <= UInt64(mapped.byteCount) else {
            throw FormatError(path: shown, byteOffset: mapped.byteCount,
                              .truncated(neededBytes: Int(clamping: superblock.endOfFileAddress), remainingBytes: mapped.byteCount))
        }
        var headers = HDF5ObjectHeaders(path: shown, offsetSize: superblock.offsetSize, lengthSize: superblock.lengthSize)
        for address in superblock.objectHeaders { try headers.check(address, in: mapped.bytes, object: "/") }
        path = shown
        fileByteCount = mapped.byteCount
        self.mapped = mapped
        objectHeaders = headers
        globalHeap = HDF5GlobalHeap(path: shown, offsetSize: superblock.offsetSize, lengthSize: superblock.lengthSize)
        id = try HDF5.locked { () throws(FormatError) -> hid_t in
            let access = bertconv_h5p_file_access()
            defer { H5Pclose(access) }
            H5Pset_fclose_degree(access, H5F_CLOSE_STRONG)
            let handle = H5Fopen(file, bertconv_h5f_acc_rdonly(), access)
            guard handle >= 0 else { throw HDF5.failure(shown, object: nil, "cannot open") }
            return handle
        }
    }

    deinit {
        let handle = id
        _ = try? HDF5.locked { () throws(FormatError) in H5Fclose(handle) }
    }

    /// What a link in a group points at.
    enum ObjectKind: Equatable {
        case group, dataset, other
    }

    /// Opens the object at `objectPath`, checking every link on the way is a hard link, and calls
    /// `body` with its id; the caller holds the HDF5 lock.
    func withObject<R>(_ objectPath: String, _ body: (hid_t) throws(FormatError) -> R) throws(FormatError) -> R {
        try checkHardLinks(objectPath)
        let object = H5Oopen(id, objectPath, hid_t(H5P_DEFAULT))
        guard object >= 0 else { throw HDF5.failure(path, object: objectPath, "cannot open object") }
        defer { H5Oclose(object) }
        return try body(object)
    }

    /// Refuses a path any of whose links is missing, soft or external, or leads to an object header
    /// that is not inside the file (checked before libhdf5 reads it).
    private func checkHardLinks(_ objectPath: String) throws(FormatError) {
        guard objectPath != "/" else { return }
        var prefix = objectPath.hasPrefix("/") ? "/" : ""
        for component in objectPath.split(separator: "/") {
            prefix += (prefix.isEmpty || prefix == "/" ? "" : "/") + component
            var address = haddr_t()
            let type = bertconv_h5_link(id, prefix, &address)
            guard type >= 0 else {
                H5Eclear2(hid_t(H5E_DEFAULT))
                throw FormatError(path: path, tensor: objectPath, .malformed("no object at '\(prefix)'"))
            }
            guard type == Int32(H5L_TYPE_HARD.rawValue) else {
                let kind = type == Int32(H5L_TYPE_EXTERNAL.rawValue) ? "an external link" : "a soft link"
                throw FormatError(path: path, tensor: objectPath, .unsupported("'\(prefix)' is \(kind); links are never followed"))
            }
            try objectHeaders.check(UInt64(address), in: mapped.bytes, object: prefix)
        }
    }

    /// The links in group `groupPath`, in name order, with what each points at.
    func children(of groupPath: String) throws(FormatError) -> [(name: String, kind: ObjectKind)] {
        try HDF5.locked { () throws(FormatError) in
            try withObject(groupPath) { (group) throws(FormatError) in
                var info = H5G_info_t()
                guard H5Gget_info(group, &info) >= 0 else { throw HDF5.failure(path, object: groupPath, "not a group") }
                guard info.nlinks <= UInt64(Self.maxLinksPerGroup) else {
                    throw FormatError(path: path, tensor: groupPath,
                                      .unsupported("group has \(info.nlinks) links, more than \(Self.maxLinksPerGroup)"))
                }
                var result: [(String, ObjectKind)] = []
                for index in 0..<info.nlinks {
                    let name = try linkName(group, groupPath, index)
                    let full = groupPath == "/" ? name : groupPath + "/" + name
                    let kind = try withObject(full) { (object) throws(FormatError) -> ObjectKind in
                        switch H5Iget_type(object) {
                        case H5I_GROUP: .group
                        case H5I_DATASET: .dataset
                        default: .other
                        }
                    }
                    result.append((name, kind))
                }
                return result
            }
        }
    }

    private func linkName(_ group: hid_t, _ groupPath: String, _ index: hsize_t) throws(FormatError) -> String {
        let length = H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, hid_t(H5P_DEFAULT))
        guard length > 0, length < 1 << 16 else { throw HDF5.failure(path, object: groupPath, "cannot read link \(index)") }
        var buffer = [CChar](repeating: 0, count: Int(length) + 1)
        guard H5Lget_name_by_idx(group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count,
                                 hid_t(H5P_DEFAULT)) == length
        else { throw HDF5.failure(path, object: groupPath, "cannot read link \(index)") }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
