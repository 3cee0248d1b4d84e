import BertCore

/// flax's form for an array over `MAX_CHUNK_SIZE` (2^30 bytes; msgpack caps one object at
/// 2^31 - 1): `_chunk` in flax/serialization.py writes the map
/// `{"__msgpack_chunked_array__": true, "shape": {"0": d0, …}, "chunks": {"0": ndarray, …}}`,
/// each chunk a 1-D slice of the row-major flattened array, all of one dtype.
enum FlaxChunkedArray {
    /// The one array a chunked-array map stands for; the cursor's key path names it.
    static func array(entries: [MsgpackCursor.Entry], keyOffset: Int, _ cursor: inout MsgpackCursor)
        throws(FormatError) -> FlaxArray {
        let expectedKeys: Set = [FlaxStateDict.chunkedMarker, "shape", "chunks"]
        guard Set(entries.map(\.key)) == expectedKeys else {
            throw cursor.error(at: keyOffset, .malformed(
                "chunked array has keys \(entries.map(\.key).sorted()), expected \(expectedKeys.sorted())"))
        }
        func offset(of key: String) -> Int { entries.first { $0.key == key }!.valueOffset }

        let markerOffset = offset(of: FlaxStateDict.chunkedMarker)
        cursor.seek(to: markerOffset)
        guard case .bool(true) = try cursor.next() else {
            throw cursor.error(at: markerOffset, .malformed("\(FlaxStateDict.chunkedMarker) is not true"))
        }

        let shapeOffset = offset(of: "shape")
        cursor.seek(to: shapeOffset)
        guard case .map(let rank) = try cursor.next() else {
            throw cursor.error(at: shapeOffset, .malformed("chunked array shape is not a map"))
        }
        guard rank <= FlaxExtension.maxDimensions else {
            throw cursor.error(at: shapeOffset, .malformed(
                "chunked array has \(rank) dimensions, more than \(FlaxExtension.maxDimensions)"))
        }
        var shape: [Int] = []
        for dimOffset in try cursor.indexedEntries(count: rank) {
            cursor.seek(to: dimOffset)
            guard let dim = try cursor.next().nonNegativeInt else {
                throw cursor.error(at: dimOffset, .malformed("chunked array dimension is not a non-negative integer"))
            }
            shape.append(dim)
        }

        let chunksOffset = offset(of: "chunks")
        cursor.seek(to: chunksOffset)
        guard case .map(let chunkCount) = try cursor.next(), chunkCount > 0 else {
            throw cursor.error(at: chunksOffset, .malformed("chunked array chunks are not a non-empty map"))
        }
        var dtype: DType?
        var chunks: [Range<Int>] = []
        for chunkOffset in try cursor.indexedEntries(count: chunkCount) {
            cursor.seek(to: chunkOffset)
            guard case .ext(FlaxExtension.ndarray, let payload) = try cursor.next() else {
                throw cursor.error(at: chunkOffset, .malformed("chunk is not an ndarray (msgpack extension type 1)"))
            }
            let chunk = try FlaxExtension.array(in: payload, of: cursor)
            guard chunk.shape.count == 1, dtype == nil || dtype == chunk.dtype else {
                throw cursor.error(at: chunkOffset, .malformed(
                    "chunk is \(chunk.dtype.cliName) \(chunk.shape), chunks are 1-D and of one dtype"))
            }
            dtype = chunk.dtype
            chunks.append(chunk.data)
        }
        // The loop ran at least once (chunkCount > 0).
        let elementType = dtype!
        guard let expected = ShapeMath.byteCount(shape, elementType) else {
            throw cursor.error(at: shapeOffset, .invalidShape(shape))
        }
        let actual = chunks.reduce(0) { $0 + $1.count }
        guard actual == expected else {
            throw cursor.error(at: chunksOffset, .sizeMismatch(expectedBytes: expected, actualBytes: actual))
        }
        return FlaxArray(name: cursor.keyPathText ?? "", byteOffset: keyOffset, dtype: elementType,
                         shape: shape, chunks: chunks)
    }
}
