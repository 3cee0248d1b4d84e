// CRC-32C for bertconv's TensorFlow checkpoint reader. Two paths with the same result: the SSE4.2
// `crc32` instruction (8 bytes per instruction) chosen at run time when the CPU reports it, and a
// portable slicing-by-8 table (Intel's "slicing-by-8" technique, 8 table lookups per 8 bytes).
#include "crc32c.h"

#include <pthread.h>
#include <string.h>

#define POLY 0x82F63B78u

static uint32_t table[8][256];
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static void build_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t crc = n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ POLY : crc >> 1;
        table[0][n] = crc;
    }
    for (uint32_t n = 0; n < 256; n++) {
        for (int k = 1; k < 8; k++) table[k][n] = (table[k - 1][n] >> 8) ^ table[0][table[k - 1][n] & 0xff];
    }
}

static uint32_t extend_table(uint32_t crc, const uint8_t *p, size_t n) {
    pthread_once(&table_once, build_table);
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);  // little-endian hosts only (x86-64, arm64)
        word ^= crc;
        crc = table[7][word & 0xff] ^ table[6][(word >> 8) & 0xff] ^ table[5][(word >> 16) & 0xff] ^
              table[4][(word >> 24) & 0xff] ^ table[3][(word >> 32) & 0xff] ^ table[2][(word >> 40) & 0xff] ^
              table[1][(word >> 48) & 0xff] ^ table[0][word >> 56];
        p += 8;
        n -= 8;
    }
    while (n--) crc = (crc >> 8) ^ table[0][(crc ^ *p++) & 0xff];
    return crc;
}

#if defined(__x86_64__)
#include <nmmintrin.h>

__attribute__((target("sse4.2")))
static uint32_t extend_sse42(uint32_t crc, const uint8_t *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        uint64_t word;
        memcpy(&word, p, 8);
        c = _mm_crc32_u64(c, word);
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n--) c32 = _mm_crc32_u8(c32, *p++);
    return c32;
}

static int has_sse42(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("sse4.2");
}
#endif

uint32_t bertconv_crc32c_extend(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = (const uint8_t *)data;
    crc = ~crc;
#if defined(__x86_64__)
    static int sse42 = -1;
    int use = __atomic_load_n(&sse42, __ATOMIC_RELAXED);
    if (use < 0) {
        use = has_sse42();
        __atomic_store_n(&sse42, use, __ATOMIC_RELAXED);
    }
    crc = use ? extend_sse42(crc, p, length) : extend_table(crc, p, length);
#else
    crc = extend_table(crc, p, length);
#endif
    return ~crc;
}
