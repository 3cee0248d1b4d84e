import CCRC32C

/// CRC-32C as LevelDB tables and TensorFlow tensor bundles store it. Stored values are masked
/// (leveldb `util/crc32c.h` `Mask`) so that checksums of data that itself holds checksums stay
/// well distributed.
enum CRC32C {
    private static let maskDelta: UInt32 = 0xa282_ead8

    /// The CRC-32C of `bytes`, continuing from `crc`.
    static func checksum(_ bytes: UnsafeRawBufferPointer, extending crc: UInt32 = 0) -> UInt32 {
        bertconv_crc32c_extend(crc, bytes.baseAddress, bytes.count)
    }

    /// The value as a table or bundle stores it.
    static func mask(_ crc: UInt32) -> UInt32 { ((crc >> 15) | (crc << 17)) &+ maskDelta }

    /// The plain CRC behind a stored (masked) value.
    static func unmask(_ masked: UInt32) -> UInt32 {
        let rotated = masked &- maskDelta
        return (rotated >> 17) | (rotated << 15)
    }
}
