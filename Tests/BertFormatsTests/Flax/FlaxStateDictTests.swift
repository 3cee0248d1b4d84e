import Testing
@testable import BertFormats
import BertCore
import TestSupport

/// Checks that decoding `bytes` throws an error of the expected kind naming `tensor` and `byteOffset`.
func expectStateDictError(_ bytes: [UInt8], tensor: String?, byteOffset: Int, sourceLocation: SourceLocation = #_sourceLocation,
                          _ matches: (FormatError.Kind) -> Bool) {
    do {
        _ = try stateDict(bytes)
        Issue.record("no error", sourceLocation: sourceLocation)
    } catch {
        #expect(matches(error.kind), "kind: \(error.kind)", sourceLocation: sourceLocation)
        #expect(error.tensor == tensor, sourceLocation: sourceLocation)
        #expect(error.byteOffset == byteOffset, sourceLocation: sourceLocation)
        #expect(error.description.contains("at offset \(byteOffset)"), sourceLocation: sourceLocation)
        if let tensor { #expect(error.description.contains("'\(tensor)'"), sourceLocation: sourceLocation) }
    }
}

@Suite("flax state dict")
struct FlaxStateDictTests {
    static let kernel = Pack.floats([1, 2, 3, 4, 5, 6], shape: [2, 3])
    static let bias = Pack.floats([7, 8, 9], shape: [3])
    static let model = Pack.map([("bert", Pack.map([("dense", Pack.map([("kernel", kernel), ("bias", bias)]))]))])

    @Test("nested maps flatten to '/'-joined key paths with data ranges in the input")
    func flattens() throws {
        let arrays = try stateDict(Self.model).arrays
        #expect(arrays.map(\.name) == ["bert/dense/kernel", "bert/dense/bias"])
        #expect(arrays.map(\.shape) == [[2, 3], [3]])
        #expect(arrays.map(\.dtype) == [.f32, .f32])
        let kernelData = offset(of: Pack.le(Float(1).bitPattern), in: Self.model)
        #expect(arrays[0].chunks == [kernelData..<kernelData + 24])
        #expect(arrays[0].byteOffset == offset(of: Pack.str("kernel"), in: Self.model))
    }

    @Test("bf16, f16 and integer dtype names keep their dtype", arguments: [
        ("bfloat16", DType.bf16), ("float16", .f16), ("int8", .i8), ("int32", .i32), ("int64", .i64),
    ])
    func dtypes(name: String, dtype: DType) throws {
        let bytes = Pack.map([("w", Pack.ndarray([2], name, [UInt8](repeating: 1, count: 2 * dtype.byteWidth)))])
        let array = try #require(stateDict(bytes).arrays.first)
        #expect(array.dtype == dtype)
        #expect(array.byteCount == 2 * dtype.byteWidth)
    }

    @Test("a numpy scalar (extension 3) is a 0-d array")
    func scalar() throws {
        let bytes = Pack.map([("step", Pack.ndarray([], "int32", [5, 0, 0, 0], type: 3))])
        let array = try #require(stateDict(bytes).arrays.first)
        #expect(array.shape == [])
        #expect(array.dtype == .i32)
    }

    @Test("a chunked array is one array whose chunks are listed in index order")
    func chunked() throws {
        let bytes = Pack.map([("emb", Pack.chunked(shape: [2, 2], chunks: [[1, 2, 3], [4]]))])
        let array = try #require(stateDict(bytes).arrays.first)
        #expect(array.name == "emb")
        #expect(array.shape == [2, 2])
        #expect(array.chunks.map(\.count) == [12, 4])
    }

    @Test("a chunked array whose chunks miss elements is a size mismatch at the chunks map")
    func chunkedShort() {
        let bytes = Pack.map([("emb", Pack.chunked(shape: [2, 2], chunks: [[1, 2, 3]]))])
        expectStateDictError(bytes, tensor: "emb", byteOffset: offset(of: Pack.str("chunks"), in: bytes) + 7) {
            $0 == .sizeMismatch(expectedBytes: 16, actualBytes: 12)
        }
    }

    @Test("a chunked array with a chunk of another dtype is refused")
    func chunkedMixed() {
        let chunks = Pack.map([("0", Pack.floats([1], shape: [1])), ("1", Pack.ndarray([1], "float16", [0, 0]))])
        let bytes = Pack.map([("emb", Pack.map([
            ("__msgpack_chunked_array__", [0xc3]), ("shape", Pack.map([("0", Pack.uint(2))])), ("chunks", chunks),
        ]))])
        expectStateDictError(bytes, tensor: "emb", byteOffset: offset(of: Pack.str("1") + [0xc7], in: bytes) + 2) {
            $0 == .malformed("chunk is f16 [1], chunks are 1-D and of one dtype")
        }
    }

    @Test("a chunked array with chunk keys that are not 0..n-1 is refused")
    func chunkedBadIndex() {
        let bytes = Pack.map([("emb", Pack.map([
            ("__msgpack_chunked_array__", [0xc3]), ("shape", Pack.map([("0", Pack.uint(1))])),
            ("chunks", Pack.map([("01", Pack.floats([1], shape: [1]))])),
        ]))])
        expectStateDictError(bytes, tensor: "emb", byteOffset: offset(of: Pack.str("01"), in: bytes)) {
            $0 == .malformed("key '01' is not an index below 1")
        }
    }

    @Test("a chunked-array marker that is not the map's first key is refused (flax's _chunk writes it first)")
    func chunkedMarkerLate() {
        let bytes = Pack.map([("emb", Pack.map([("shape", Pack.map([])), ("__msgpack_chunked_array__", [0xc3])]))])
        expectStateDictError(bytes, tensor: "emb", byteOffset: offset(of: Pack.str("__msgpack_chunked_array__"), in: bytes)) {
            $0 == .malformed("__msgpack_chunked_array__ is not the map's first key")
        }
    }

    @Test("a chunked-array map with extra keys is refused")
    func chunkedExtraKey() {
        let bytes = Pack.map([("emb", Pack.map([("__msgpack_chunked_array__", [0xc3]), ("shape", Pack.map([])),
                                                ("chunks", Pack.map([])), ("x", [0xc0])]))])
        expectStateDictError(bytes, tensor: "emb", byteOffset: 1) {
            if case .malformed(let why) = $0 { return why.hasPrefix("chunked array has keys") }
            return false
        }
    }

    @Test("a file cut inside a tensor's buffer is truncated at that tensor")
    func truncatedBuffer() {
        let cut = Array(Self.model.dropLast(5))
        let biasValue = offset(of: Pack.str("bias"), in: Self.model) + 5
        // The bias extension's header promises more payload than the file has left.
        expectStateDictError(cut, tensor: "bert/dense/bias", byteOffset: biasValue) {
            if case .truncated = $0 { return true }
            return false
        }
    }

    @Test("a wrong extension type names the key path and offset")
    func wrongExtension() {
        let bytes = Pack.map([("bert", Pack.map([("w", Pack.ext(5, [1, 2, 3]))]))])
        expectStateDictError(bytes, tensor: "bert/w", byteOffset: offset(of: [0xc7, 3, 5], in: bytes)) {
            $0 == .malformed("unknown msgpack extension type 5; flax arrays are type 1 (ndarray) or 3 (numpy scalar)")
        }
    }

    @Test("a complex scalar (extension 2) is unsupported")
    func complexScalar() {
        let bytes = Pack.map([("c", Pack.ext(2, Pack.array([[0xca, 0, 0, 0, 0], [0xca, 0, 0, 0, 0]])))])
        expectStateDictError(bytes, tensor: "c", byteOffset: 3) { $0 == .unsupported("complex scalar (msgpack extension type 2)") }
    }

    @Test("a buffer shorter than shape × dtype is a size mismatch at the buffer")
    func shortBuffer() {
        let bytes = Pack.map([("k", Pack.ndarray([2, 3], "float32", [UInt8](repeating: 0, count: 20)))])
        expectStateDictError(bytes, tensor: "k", byteOffset: offset(of: [0xc4, 20], in: bytes)) {
            $0 == .sizeMismatch(expectedBytes: 24, actualBytes: 20)
        }
    }

    @Test("nesting deeper than the limit is refused at the map that crosses it")
    func tooDeep() {
        var bytes = Pack.map([("w", Pack.floats([1], shape: [1]))])
        for _ in 0..<FlaxStateDict.depthLimit { bytes = Pack.map([("a", bytes)]) }
        let path = Array(repeating: "a", count: FlaxStateDict.depthLimit).joined(separator: "/")
        expectStateDictError(bytes, tensor: path, byteOffset: 3 * FlaxStateDict.depthLimit) {
            $0 == .malformed("maps nested deeper than 64 levels")
        }
    }

    @Test("nesting at the limit is accepted")
    func atLimit() throws {
        var bytes = Pack.map([("w", Pack.floats([1], shape: [1]))])
        for _ in 0..<FlaxStateDict.depthLimit - 1 { bytes = Pack.map([("a", bytes)]) }
        #expect(try stateDict(bytes).arrays.count == 1)
    }

    @Test("a repeated key in one map is a duplicate tensor")
    func duplicateKey() {
        let bytes = Pack.map([("w", Self.bias), ("w", Self.bias)])
        expectStateDictError(bytes, tensor: "w", byteOffset: 1 + 2 + Self.bias.count) { $0 == .duplicateTensor }
    }

    @Test("a key holding '/' that collides with a nested path is a duplicate tensor")
    func slashCollision() {
        let bytes = Pack.map([("a", Pack.map([("b", Self.bias)])), ("a/b", Self.bias)])
        expectStateDictError(bytes, tensor: "a/b", byteOffset: offset(of: Pack.str("a/b"), in: bytes)) { $0 == .duplicateTensor }
    }

    @Test("bytes after the state dict are refused")
    func trailing() {
        let bytes = Self.model + [0xc0, 0xc0]
        expectStateDictError(bytes, tensor: nil, byteOffset: Self.model.count) {
            $0 == .malformed("2 bytes after the end of the state dict")
        }
    }

    @Test("a top level that is not a map is refused")
    func notMap() {
        expectStateDictError(Pack.array([]), tensor: nil, byteOffset: 0) {
            $0 == .malformed("top level is not a msgpack map (flax state dict)")
        }
    }

    @Test("a non-str key is refused")
    func intKey() {
        let bytes: [UInt8] = [0x81, 0x01, 0xc0]
        expectStateDictError(bytes, tensor: nil, byteOffset: 1) {
            $0 == .malformed("map key is a msgpack int, flax keys are str")
        }
    }

    @Test("a leaf that is not an array is refused")
    func scalarLeaf() {
        let bytes = Pack.map([("bert", Pack.map([("step", Pack.uint(3))]))])
        expectStateDictError(bytes, tensor: "bert/step", byteOffset: bytes.count - 1) {
            $0 == .malformed("value is a msgpack int, flax parameters are arrays or maps")
        }
    }

    @Test("an unknown dtype name is refused at the name")
    func unknownDType() {
        let bytes = Pack.map([("k", Pack.ndarray([1], "float64", [UInt8](repeating: 0, count: 8)))])
        expectStateDictError(bytes, tensor: "k", byteOffset: offset(of: Pack.str("float64"), in: bytes)) {
            $0 == .unknownDType("float64")
        }
    }

    @Test("an ndarray payload that is not (shape, dtype, buffer) is refused")
    func badPayload() {
        let bytes = Pack.map([("k", Pack.ext(1, Pack.array([Pack.array([]), Pack.str("float32")])))])
        expectStateDictError(bytes, tensor: "k", byteOffset: 6) {
            $0 == .malformed("ndarray payload is not a (shape, dtype, buffer) array")
        }
    }

    @Test("bytes after the ndarray buffer inside its payload are refused")
    func payloadTrailing() {
        let inner = Pack.array([Pack.array([Pack.uint(1)]), Pack.str("int8"), Pack.bin([7])])
        let bytes = Pack.map([("k", Pack.ext(1, inner + [0xc0]))])
        expectStateDictError(bytes, tensor: "k", byteOffset: 6 + inner.count) {
            $0 == .malformed("1 bytes after the ndarray buffer")
        }
    }

    @Test("a shape whose byte size overflows is refused before any buffer is checked")
    func overflowingShape() {
        let shape = Pack.array([Pack.uint(UInt64(Int.max)), Pack.uint(4)])
        let bytes = Pack.map([("k", Pack.ext(1, Pack.array([shape, Pack.str("float32"), Pack.bin([])])))])
        expectStateDictError(bytes, tensor: "k", byteOffset: 7) { $0 == .invalidShape([Int.max, 4]) }
    }
}
