// Per-row symmetric quantization of activations to [-127, 127]. -128 is never produced: the
// GEMM's sign trick needs |q| ≤ 127 so that a pair of u8 × s8 products fits in int16.
#include <math.h>
#include <string.h>
#include "BertInt8Kernels.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define BI8_AVX2 __attribute__((target("avx2,fma")))
#endif

static inline int8_t quantize_one(float x, float inverse) {
    float v = nearbyintf(x * inverse);
    if (v > 127.0f) v = 127.0f;
    if (v < -127.0f) v = -127.0f;
    return (int8_t)v;
}

static float absmax_scalar(const float *x, int k) {
    float m = 0.0f;
    for (int j = 0; j < k; j++) m = fmaxf(m, fabsf(x[j]));
    return m;
}

static void quantize_row_scalar(const float *x, int k, float inverse, int8_t *q, int from) {
    for (int j = from; j < k; j++) q[j] = quantize_one(x[j], inverse);
}

#if defined(__x86_64__)
static BI8_AVX2 float absmax_avx2(const float *x, int k) {
    __m256 mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff)), m = _mm256_setzero_ps();
    int j = 0;
    for (; j + 8 <= k; j += 8) m = _mm256_max_ps(m, _mm256_and_ps(mask, _mm256_loadu_ps(x + j)));
    float lanes[8];
    _mm256_storeu_ps(lanes, m);
    float r = 0.0f;
    for (int i = 0; i < 8; i++) r = fmaxf(r, lanes[i]);
    for (; j < k; j++) r = fmaxf(r, fabsf(x[j]));
    return r;
}

// 32 values per step: multiply, round to nearest even (MXCSR default), clamp, narrow with
// saturation, then undo the 128-bit-lane interleave of the pack instructions.
static BI8_AVX2 int quantize_row_avx2(const float *x, int k, float inverse, int8_t *q) {
    __m256 inv = _mm256_set1_ps(inverse), hi = _mm256_set1_ps(127.0f), lo = _mm256_set1_ps(-127.0f);
    __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    int j = 0;
    for (; j + 32 <= k; j += 32) {
        __m256i v[4];
        for (int t = 0; t < 4; t++) {
            __m256 f = _mm256_mul_ps(_mm256_loadu_ps(x + j + 8 * t), inv);
            f = _mm256_min_ps(_mm256_max_ps(f, lo), hi);
            v[t] = _mm256_cvtps_epi32(f);
        }
        __m256i w01 = _mm256_packs_epi32(v[0], v[1]), w23 = _mm256_packs_epi32(v[2], v[3]);
        __m256i b = _mm256_permutevar8x32_epi32(_mm256_packs_epi16(w01, w23), order);
        _mm256_storeu_si256((__m256i *)(q + j), b);
    }
    return j;
}
#endif

void bi8_quantize_rows(int isa, const float *x, int ldx, int k, float static_scale,
                       int8_t *q, int ldq, float *scales, int row_begin, int row_end) {
    for (int i = row_begin; i < row_end; i++) {
        const float *row = x + (size_t)i * ldx;
        int8_t *out = q + (size_t)i * ldq;
        float scale = static_scale;
        if (!(scale > 0.0f)) {
#if defined(__x86_64__)
            float amax = isa != BI8_ISA_PORTABLE ? absmax_avx2(row, k) : absmax_scalar(row, k);
#else
            float amax = absmax_scalar(row, k);
#endif
            scale = amax / 127.0f;
        }
        float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
        scales[i] = scale;
        int done = 0;
#if defined(__x86_64__)
        if (isa != BI8_ISA_PORTABLE) done = quantize_row_avx2(row, k, inverse, out);
#endif
        quantize_row_scalar(row, k, inverse, out, done);
        if (ldq > k) memset(out + k, 0, (size_t)(ldq - k));
    }
}
