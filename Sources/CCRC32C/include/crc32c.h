#ifndef BERTCONV_CRC32C_H
#define BERTCONV_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/// Extends `crc` (0 to start) with `length` bytes of CRC-32C (Castagnoli, reflected polynomial
/// 0x82F63B78), the checksum LevelDB tables and TensorFlow tensor bundles store. Uses the SSE4.2
/// `crc32` instruction when the CPU has it, a slicing-by-8 table otherwise.
uint32_t bertconv_crc32c_extend(uint32_t crc, const void *data, size_t length);

#endif
