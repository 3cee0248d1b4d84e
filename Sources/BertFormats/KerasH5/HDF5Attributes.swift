import BertCore
import CHDF5

extension HDF5File {
    /// Strings per attribute and bytes per fixed-length attribute beyond which a file is refused.
    static let maxAttributeStrings = 1 << 20
    static let maxAttributeBytes = 64 << 20

    /// The string array attribute `name` of the object at `objectPath`, or nil when it is absent.
    /// Reads fixed-length (null-terminated, null- or space-padded) and variable-length strings.
    func strings(_ name: String, of objectPath: String) throws(FormatError) -> [String]? {
        let shown = objectPath == "/" ? name : "\(objectPath)@\(name)"
        return try HDF5.locked { () throws(FormatError) -> [String]? in
            try withObject(objectPath) { (object) throws(FormatError) -> [String]? in
                let exists = H5Aexists(object, name)
                guard exists >= 0 else { throw HDF5.failure(path, object: shown, "cannot look up attribute") }
                guard exists > 0 else { return nil }
                let attribute = H5Aopen(object, name, hid_t(H5P_DEFAULT))
                guard attribute >= 0 else { throw HDF5.failure(path, object: shown, "cannot open attribute") }
                defer { H5Aclose(attribute) }
                let type = H5Aget_type(attribute)
                defer { H5Tclose(type) }
                let space = H5Aget_space(attribute)
                defer { H5Sclose(space) }
                let count = Int(H5Sget_simple_extent_npoints(space))
                // Each stored string takes at least 8 bytes of the file: a larger count is corrupt.
                guard count >= 0, count <= Self.maxAttributeStrings, count <= fileByteCount / 8 else {
                    throw FormatError(path: path, tensor: shown, .malformed("attribute holds \(count) strings"))
                }
                // Keras writes an empty list (a layer without weights) as an empty float array.
                if count == 0 { return [] }
                guard H5Tget_class(type) == H5T_STRING else {
                    throw FormatError(path: path, tensor: shown, .malformed("attribute is not a string array"))
                }
                if H5Tis_variable_str(type) > 0 {
                    return try variableStrings(attribute, count: count, shown: shown)
                }
                return try fixedStrings(attribute, type: type, count: count, shown: shown)
            }
        }
    }

    /// A string list attribute that may be split into `name0`, `name1`, … chunks, as Keras does for
    /// lists over HDF5's 64 KiB object-header limit (`load_attributes_from_hdf5_group`).
    func chunkedStrings(_ name: String, of objectPath: String) throws(FormatError) -> [String]? {
        if let whole = try strings(name, of: objectPath) { return whole }
        var result: [String] = []
        var chunk = 0
        while let part = try strings("\(name)\(chunk)", of: objectPath) {
            result += part
            chunk += 1
        }
        return chunk == 0 ? nil : result
    }

    private func fixedStrings(_ attribute: hid_t, type: hid_t, count: Int, shown: String) throws(FormatError) -> [String] {
        let width = H5Tget_size(type)
        let (total, overflow) = count.multipliedReportingOverflow(by: width)
        guard width > 0, !overflow, total <= Self.maxAttributeBytes else {
            throw FormatError(path: path, tensor: shown, .malformed("attribute of \(count) × \(width)-byte strings is too large"))
        }
        var bytes = [UInt8](repeating: 0, count: max(total, 1))
        guard H5Aread(attribute, type, &bytes) >= 0 else { throw HDF5.failure(path, object: shown, "cannot read attribute") }
        let spacePadded = H5Tget_strpad(type) == H5T_STR_SPACEPAD
        return try (0..<count).map { (i) throws(FormatError) -> String in
            var field = bytes[i * width..<(i + 1) * width]
            if let nul = field.firstIndex(of: 0) { field = field[..<nul] }
            if spacePadded { while field.last == 0x20 { field = field.dropLast() } }
            guard let text = String(validating: field, as: UTF8.self) else {
                throw FormatError(path: path, tensor: shown, .malformed("string \(i) is not UTF-8"))
            }
            return text
        }
    }

    /// Reads the stored descriptors (see `bertconv_keep_vlen_descriptors`) and resolves each from
    /// the file's bytes, never through libhdf5's global heap code.
    private func variableStrings(_ attribute: hid_t, count: Int, shown: String) throws(FormatError) -> [String] {
        guard HDF5.keepsVlenDescriptors else { throw HDF5.failure(path, object: shown, "cannot register the string conversion") }
        let width = globalHeap.descriptorSize
        let memory = H5Tcreate(H5T_OPAQUE, width)
        defer { H5Tclose(memory) }
        H5Tset_tag(memory, bertconv_vlen_descriptor_tag())
        var descriptors = [UInt8](repeating: 0, count: count * width)
        guard H5Aread(attribute, memory, &descriptors) >= 0 else { throw HDF5.failure(path, object: shown, "cannot read attribute") }
        // SAFETY: the mapping lives as long as `self`, and the views do not escape this loop.
        return try (0..<count).map { (i) throws(FormatError) -> String in
            var text = try globalHeap.object(descriptors, at: i * width, in: mapped.bytes, attribute: shown)[...]
            if let nul = text.firstIndex(of: 0) { text = text[..<nul] }
            guard let string = String(validating: text, as: UTF8.self) else {
                throw FormatError(path: path, tensor: shown, .malformed("string \(i) is not UTF-8"))
            }
            return string
        }
    }
}
