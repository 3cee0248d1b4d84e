import BertCore
import CHDF5

/// A dataset's dtype and shape, validated before any element is read.
struct HDF5DatasetInfo: Equatable {
    let dtype: DType
    let shape: [Int]
    let byteCount: Int
}

extension HDF5File {
    /// Highest rank accepted, and the largest expansion of stored bytes a filter may claim
    /// (deflate's best case is about 1032:1).
    static let maxRank = 8
    static let maxFilterExpansion = 1100

    /// The dtype and shape of the dataset at `objectPath`; refuses virtual datasets, external
    /// storage, unsupported element types and extents its storage cannot hold.
    func datasetInfo(_ objectPath: String) throws(FormatError) -> HDF5DatasetInfo {
        try HDF5.locked { () throws(FormatError) in
            try withObject(objectPath) { (dataset) throws(FormatError) in
                guard H5Iget_type(dataset) == H5I_DATASET else {
                    throw FormatError(path: path, tensor: objectPath, .malformed("not a dataset"))
                }
                try checkStorageKind(dataset, objectPath)
                let type = H5Dget_type(dataset)
                defer { H5Tclose(type) }
                let dtype = try elementType(type, objectPath)
                let shape = try extent(dataset, objectPath)
                guard let byteCount = ShapeMath.byteCount(shape, dtype) else {
                    throw FormatError(path: path, tensor: objectPath, .invalidShape(shape))
                }
                try checkStorageSize(dataset, objectPath, byteCount: byteCount)
                return HDF5DatasetInfo(dtype: dtype, shape: shape, byteCount: byteCount)
            }
        }
    }

    /// The dataset at `objectPath` as a source tensor named `name`: dtype and shape checked now,
    /// bytes read when the tensor is loaded.
    func sourceTensor(_ name: String, at objectPath: String) throws(FormatError) -> SourceTensor {
        let info = try datasetInfo(objectPath)
        return SourceTensor(name: name, dtype: info.dtype, shape: info.shape, byteCount: info.byteCount) { () throws(FormatError) in
            try self.read(objectPath, info)
        }
    }

    /// Reads the dataset at `objectPath` into a new owned tensor (little-endian, row-major); `info`
    /// is what `datasetInfo` returned, re-checked against the file.
    func read(_ objectPath: String, _ info: HDF5DatasetInfo) throws(FormatError) -> Tensor {
        try HDF5.locked { () throws(FormatError) in
            try withObject(objectPath) { (dataset) throws(FormatError) in
                let type = H5Dget_type(dataset)
                defer { H5Tclose(type) }
                guard try elementType(type, objectPath) == info.dtype, try extent(dataset, objectPath) == info.shape else {
                    throw FormatError(path: path, tensor: objectPath, .malformed("dataset changed while reading"))
                }
                let memory = H5Tcopy(type)
                defer { H5Tclose(memory) }
                H5Tset_order(memory, H5T_ORDER_LE)
                var status: herr_t = 0
                let tensor = Tensor(dtype: info.dtype, shape: info.shape) { out in
                    guard let base = out.baseAddress else { return }
                    // SAFETY: `out` holds exactly shape × dtype bytes, which is what the read writes.
                    status = H5Dread(dataset, memory, hid_t(H5S_ALL), hid_t(H5S_ALL), hid_t(H5P_DEFAULT), base)
                }
                guard status >= 0 else { throw HDF5.failure(path, object: objectPath, "cannot read dataset") }
                return tensor
            }
        }
    }

    private func checkStorageKind(_ dataset: hid_t, _ objectPath: String) throws(FormatError) {
        let creation = H5Dget_create_plist(dataset)
        guard creation >= 0 else { throw HDF5.failure(path, object: objectPath, "cannot read dataset properties") }
        defer { H5Pclose(creation) }
        if H5Pget_layout(creation) == H5D_VIRTUAL {
            throw FormatError(path: path, tensor: objectPath, .unsupported("virtual dataset; its sources are never followed"))
        }
        if H5Pget_external_count(creation) != 0 {
            throw FormatError(path: path, tensor: objectPath, .unsupported("dataset stored in external files, which are never read"))
        }
    }

    /// Stored bytes must fit in the file and cover the extent (unfiltered) or expand to it
    /// plausibly (filtered), so a small file cannot make bertconv allocate a huge tensor.
    private func checkStorageSize(_ dataset: hid_t, _ objectPath: String, byteCount: Int) throws(FormatError) {
        guard byteCount > 0 else { return }
        let creation = H5Dget_create_plist(dataset)
        defer { H5Pclose(creation) }
        let filtered = H5Pget_nfilters(creation) > 0
        let stored = Int(clamping: H5Dget_storage_size(dataset))
        let plausible = filtered ? byteCount / Self.maxFilterExpansion <= stored : stored >= byteCount
        guard plausible, stored <= fileByteCount else {
            throw FormatError(path: path, tensor: objectPath, .sizeMismatch(expectedBytes: byteCount, actualBytes: stored))
        }
    }

    /// The bertconv dtype of an HDF5 element type: IEEE f32 / f16, bf16, signed 8/32/64-bit integers.
    private func elementType(_ type: hid_t, _ objectPath: String) throws(FormatError) -> DType {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT:
            var signPosition = 0, exponentPosition = 0, exponentSize = 0, mantissaPosition = 0, mantissaSize = 0
            H5Tget_fields(type, &signPosition, &exponentPosition, &exponentSize, &mantissaPosition, &mantissaSize)
            switch (size, exponentSize, mantissaSize) {
            case (4, 8, 23): return .f32
            case (2, 5, 10): return .f16
            case (2, 8, 7): return .bf16
            default: throw FormatError(path: path, tensor: objectPath, .unknownDType("float\(size * 8)"))
            }
        case H5T_INTEGER:
            let signed = H5Tget_sign(type) == H5T_SGN_2
            switch (signed, size) {
            case (true, 1): return .i8
            case (true, 4): return .i32
            case (true, 8): return .i64
            default: throw FormatError(path: path, tensor: objectPath, .unknownDType("\(signed ? "" : "u")int\(size * 8)"))
            }
        default:
            throw FormatError(path: path, tensor: objectPath, .unknownDType("hdf5 type class \(H5Tget_class(type).rawValue)"))
        }
    }

    private func extent(_ dataset: hid_t, _ objectPath: String) throws(FormatError) -> [Int] {
        let space = H5Dget_space(dataset)
        guard space >= 0 else { throw HDF5.failure(path, object: objectPath, "cannot read dataspace") }
        defer { H5Sclose(space) }
        switch H5Sget_simple_extent_type(space) {
        case H5S_SCALAR: return []
        case H5S_SIMPLE: break
        default: throw FormatError(path: path, tensor: objectPath, .unsupported("dataset with a null dataspace"))
        }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        guard rank >= 0, rank <= Self.maxRank else {
            throw FormatError(path: path, tensor: objectPath, .unsupported("dataset of rank \(rank)"))
        }
        var dims = [hsize_t](repeating: 0, count: Swift.max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = dims.prefix(rank).map { Int(exactly: $0) ?? -1 }
        guard ShapeMath.elementCount(shape) != nil else {
            throw FormatError(path: path, tensor: objectPath, .invalidShape(shape))
        }
        return shape
    }
}
