// 4-byte transpose in 8 × 8 tiles: eight unaligned row loads, the unpack / shuffle / lane-permute
// network that turns rows into columns in registers, eight stores. Source rows are walked in
// bands of 16 so each destination cache line (16 elements) is filled by two consecutive tiles
// while it is still in L1; edges fall back to element moves.
#include <string.h>
#include "BertLayoutKernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define BLK_AVX2 __attribute__((target("avx2")))
#endif

#define BAND 16

static void move_one(const char *src, char *dst, int64_t rows, int64_t cols, int64_t col_begin, int64_t r, int64_t c) {
    memcpy(dst + ((c - col_begin) * rows + r) * 4, src + (r * cols + c) * 4, 4);
}

static void transpose_scalar(const char *src, char *dst, int64_t rows, int64_t cols, int64_t col_begin,
                             int64_t col_end, int64_t row_begin) {
    for (int64_t r = row_begin; r < rows; r++)
        for (int64_t c = col_begin; c < col_end; c++) move_one(src, dst, rows, cols, col_begin, r, c);
}

#if defined(__x86_64__)
static BLK_AVX2 inline void tile8(const float *s, int64_t ls, float *d, int64_t ld) {
    __m256 r[8], t[8], u[8];
    for (int i = 0; i < 8; i++) r[i] = _mm256_loadu_ps(s + i * ls);
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_ps(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_ps(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_shuffle_ps(t[i], t[i + 2], 0x44);
        u[i + 1] = _mm256_shuffle_ps(t[i], t[i + 2], 0xEE);
        u[i + 2] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0x44);
        u[i + 3] = _mm256_shuffle_ps(t[i + 1], t[i + 3], 0xEE);
    }
    for (int i = 0; i < 4; i++) {
        _mm256_storeu_ps(d + i * ld, _mm256_permute2f128_ps(u[i], u[i + 4], 0x20));
        _mm256_storeu_ps(d + (i + 4) * ld, _mm256_permute2f128_ps(u[i], u[i + 4], 0x31));
    }
}

static BLK_AVX2 int64_t transpose_avx2(const char *src, char *dst, int64_t rows, int64_t cols, int64_t col_begin,
                                       int64_t col_end) {
    const float *s = (const float *)src;
    float *d = (float *)dst;
    int64_t full_rows = rows / 8 * 8, full_cols = col_begin + (col_end - col_begin) / 8 * 8;
    for (int64_t r0 = 0; r0 < full_rows; r0 += BAND) {
        int64_t r1 = r0 + BAND < full_rows ? r0 + BAND : full_rows;
        for (int64_t c = col_begin; c < full_cols; c += 8)
            for (int64_t r = r0; r < r1; r += 8) tile8(s + r * cols + c, cols, d + (c - col_begin) * rows + r, rows);
        for (int64_t r = r0; r < r1; r++)
            for (int64_t c = full_cols; c < col_end; c++) move_one(src, dst, rows, cols, col_begin, r, c);
    }
    return full_rows;
}
#endif

void blk_transpose32(const void *src, void *dst, int64_t rows, int64_t cols, int64_t col_begin, int64_t col_end) {
    int64_t done = 0;
#if defined(__x86_64__)
    if (__builtin_cpu_supports("avx2")) done = transpose_avx2(src, dst, rows, cols, col_begin, col_end);
#endif
    transpose_scalar(src, dst, rows, cols, col_begin, col_end, done);
}
