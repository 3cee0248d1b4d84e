import TestSupport
import Testing

/// Hostile flax_model.msgpack files through `bertconv convert`: exit 2, one line naming the file,
/// the key path and the byte offset, and nothing left at the output path.
@Suite struct FlaxCLITests {
    /// `bert/pooler/dense/{bias}` around `leaf`.
    static func tree(_ leaf: [UInt8], key: String = "bias") -> [UInt8] {
        Pack.map([("bert", Pack.map([("pooler", Pack.map([("dense", Pack.map([(key, leaf)]))]))]))])
    }

    static let bias = Pack.floats([1, 2], shape: [2])
    static let leafOffset = offset(of: Pack.str("bias"), in: tree(bias)) + 5

    static var deep: [UInt8] {
        var bytes = Pack.map([("w", bias)])
        for _ in 0..<64 { bytes = Pack.map([("a", bytes)]) }
        return bytes
    }

    /// (case, file bytes, key path, byte offset, what the message says)
    static let cases: [(String, [UInt8], String, Int, String)] = [
        ("truncated", Array(tree(bias).dropLast(3)), "bert/pooler/dense/bias", leafOffset,
         "truncated: needs 24 bytes, only 21 remaining in file"),
        ("wrong extension type", tree(Pack.ext(7, [0, 0, 0])), "bert/pooler/dense/bias", leafOffset,
         "unknown msgpack extension type 7; flax arrays are type 1 (ndarray) or 3 (numpy scalar)"),
        ("short buffer", tree(Pack.ndarray([2], "float32", [0, 0, 0, 0])), "bert/pooler/dense/bias",
         offset(of: [0xc4, 4], in: tree(Pack.ndarray([2], "float32", [0, 0, 0, 0]))),
         "shape × dtype needs 8 bytes but the data is 4 bytes"),
        ("too deep", deep, Array(repeating: "a", count: 64).joined(separator: "/"), 3 * 64,
         "maps nested deeper than 64 levels"),
        ("unknown key", tree(bias, key: "gamma"), "bert/pooler/dense/gamma",
         offset(of: Pack.str("gamma"), in: tree(bias, key: "gamma")),
         "unsupported: key matches no entry of the flax name map (formats/maps/flax.json)"),
    ]

    @Test(arguments: cases)
    func hostileInputExitsTwo(name: String, bytes: [UInt8], tensor: String, byteOffset: Int, message: String) throws {
        let dir = TempDirectory()
        let file = dir.write("model/flax_model.msgpack", bytes)
        let result = try CommandRunner.run(["convert", dir.path + "/model", "-o", dir.path + "/out"])
        #expect(result.status == 2, "\(name)")
        #expect(result.stderr == "bertconv: error: \(file): tensor '\(tensor)' at offset \(byteOffset): \(message)\n", "\(name)")
        #expect(dir.contents == ["model"], "\(name)")
    }
}
