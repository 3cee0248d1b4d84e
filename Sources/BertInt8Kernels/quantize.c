// Per-row quantization of activations: symmetric s8 in [-127, 127] (-128 is never produced: the
// GEMM's sign trick needs |q| ≤ 127 so that a pair of u8 × s8 products fits in int16), or
// asymmetric u8 in [0, 255] (or 7-bit, [0, 127]) with a zero point, over the row's range widened
// to include 0.
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

static void range_scalar(const float *x, int k, float *lo, float *hi) {
    float a = 0.0f, b = 0.0f;
    for (int j = 0; j < k; j++) {
        a = fminf(a, x[j]);
        b = fmaxf(b, x[j]);
    }
    *lo = a;
    *hi = b;
}

static void quantize_row_u8_scalar(const float *x, int k, float inverse, float zero_point, float top, uint8_t *q,
                                   int from) {
    for (int j = from; j < k; j++) {
        float v = fminf(fmaxf(x[j] * inverse + zero_point, 0.0f), top);
        q[j] = (uint8_t)nearbyintf(v);
    }
}

#if defined(__x86_64__)
static BI8_AVX2 void range_avx2(const float *x, int k, float *lo, float *hi) {
    __m256 a = _mm256_setzero_ps(), b = _mm256_setzero_ps();
    int j = 0;
    for (; j + 8 <= k; j += 8) {
        __m256 v = _mm256_loadu_ps(x + j);
        a = _mm256_min_ps(a, v);
        b = _mm256_max_ps(b, v);
    }
    float lows[8], highs[8];
    _mm256_storeu_ps(lows, a);
    _mm256_storeu_ps(highs, b);
    float l = 0.0f, h = 0.0f;
    for (int i = 0; i < 8; i++) {
        l = fminf(l, lows[i]);
        h = fmaxf(h, highs[i]);
    }
    for (; j < k; j++) {
        l = fminf(l, x[j]);
        h = fmaxf(h, x[j]);
    }
    *lo = l;
    *hi = h;
}

// 32 values per step: multiply, add the zero point, clamp, round to nearest even, narrow with
// unsigned saturation, then undo the 128-bit-lane interleave of the pack instructions.
static BI8_AVX2 int quantize_row_u8_avx2(const float *x, int k, float inverse, float zero_point, float top,
                                         uint8_t *q) {
    __m256 inv = _mm256_set1_ps(inverse), zp = _mm256_set1_ps(zero_point);
    __m256 hi = _mm256_set1_ps(top), lo = _mm256_setzero_ps();
    __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    int j = 0;
    for (; j + 32 <= k; j += 32) {
        __m256i v[4];
        for (int t = 0; t < 4; t++) {
            __m256 f = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(x + j + 8 * t), inv), zp);
            v[t] = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(f, lo), hi));
        }
        __m256i w01 = _mm256_packs_epi32(v[0], v[1]), w23 = _mm256_packs_epi32(v[2], v[3]);
        __m256i b = _mm256_permutevar8x32_epi32(_mm256_packus_epi16(w01, w23), order);
        _mm256_storeu_si256((__m256i *)(q + j), b);
    }
    return j;
}

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

/// One row in u8 with values in [0, top]: returns its scale and writes its zero point.
static float quantize_row_u8(int isa, const float *row, int k, float static_scale, float top, uint8_t *out,
                             int32_t *zero_point) {
    float scale = static_scale, zp = (top + 1.0f) / 2.0f; // 128 for u8, 64 for u7
    if (!(scale > 0.0f)) {
        float lo, hi;
#if defined(__x86_64__)
        if (isa != BI8_ISA_PORTABLE) range_avx2(row, k, &lo, &hi);
        else range_scalar(row, k, &lo, &hi);
#else
        range_scalar(row, k, &lo, &hi);
#endif
        scale = (hi - lo) / top;
        zp = scale > 0.0f ? fminf(fmaxf(nearbyintf(-lo / scale), 0.0f), top) : 0.0f;
    }
    float inverse = scale > 0.0f ? 1.0f / scale : 0.0f;
    int done = 0;
#if defined(__x86_64__)
    if (isa != BI8_ISA_PORTABLE) done = quantize_row_u8_avx2(row, k, inverse, zp, top, out);
#endif
    quantize_row_u8_scalar(row, k, inverse, zp, top, out, done);
    *zero_point = (int32_t)zp;
    return scale;
}

/// One row in s8: returns its scale.
static float quantize_row_s8(int isa, const float *row, int k, float static_scale, int8_t *out) {
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
    int done = 0;
#if defined(__x86_64__)
    if (isa != BI8_ISA_PORTABLE) done = quantize_row_avx2(row, k, inverse, out);
#endif
    quantize_row_scalar(row, k, inverse, out, done);
    return scale;
}

void bi8_quantize_rows(int isa, int encoding, const float *x, int ldx, int k, float static_scale,
                       uint8_t *q, int ldq, float *scales, int32_t *zero_points, int row_begin, int row_end) {
    for (int i = row_begin; i < row_end; i++) {
        const float *row = x + (size_t)i * ldx;
        uint8_t *out = q + (size_t)i * ldq;
        scales[i] = encoding == BI8_ACTIVATIONS_S8
                        ? quantize_row_s8(isa, row, k, static_scale, (int8_t *)out)
                        : quantize_row_u8(isa, row, k, static_scale, encoding == BI8_ACTIVATIONS_U7 ? 127.0f : 255.0f,
                                          out, zero_points + i);
        if (ldq > k) memset(out + k, 0, (size_t)(ldq - k));
    }
}
