// The AVX512-VNNI micro-kernel for s8 activations: vpdpbusd does |a| · (sign(a) · w) over 4
// bytes straight into int32 (same operands as the AVX2 path, one instruction instead of three). UNTESTED: the machine
// this was written on has AVX2 only; bi8_best_isa() picks it only where the CPU reports
// avx512vnni and avx512vl, and the tests compare it to the portable path wherever it runs.
#include "BertInt8Kernels.h"
#include "requantize.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define BI8_VNNI __attribute__((target("avx2,fma,avx512f,avx512vl,avx512vnni")))

static inline BI8_VNNI __m256i broadcast4_vnni(const int8_t *p) {
    int32_t v;
    __builtin_memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

BI8_VNNI int bi8_kernel_vnni(int mr, int kp, const int8_t *a, int lda, const int8_t *b, int nvalid,
                             const float *a_scales, const float *w_scales, const float *bias,
                             const float *residual, int ld_residual, float *c, int ldc) {
    __m256i c0[4], c1[4];
    for (int r = 0; r < 4; r++) { c0[r] = _mm256_setzero_si256(); c1[r] = _mm256_setzero_si256(); }
    for (int g = 0; g < kp; g += 4) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)b), b1 = _mm256_loadu_si256((const __m256i *)(b + 32));
        b += 64;
        for (int r = 0; r < mr; r++) {
            __m256i av = broadcast4_vnni(a + (size_t)r * lda + g), ua = _mm256_abs_epi8(av);
            c0[r] = _mm256_dpbusd_epi32(c0[r], ua, _mm256_sign_epi8(b0, av));
            c1[r] = _mm256_dpbusd_epi32(c1[r], ua, _mm256_sign_epi8(b1, av));
        }
    }
    for (int r = 0; r < mr; r++) {
        int32_t acc[16];
        _mm256_storeu_si256((__m256i *)acc, c0[r]);
        _mm256_storeu_si256((__m256i *)(acc + 8), c1[r]);
        bi8_store_row(acc, nvalid, a_scales[r], 0, 0, w_scales, bias,
                      residual ? residual + (size_t)r * ld_residual : 0, c + (size_t)r * ldc);
    }
    return 1;
}
#else
int bi8_kernel_vnni(int mr, int kp, const int8_t *a, int lda, const int8_t *b, int nvalid,
                    const float *a_scales, const float *w_scales, const float *bias,
                    const float *residual, int ld_residual, float *c, int ldc) {
    (void)mr; (void)kp; (void)a; (void)lda; (void)b; (void)nvalid; (void)a_scales; (void)w_scales;
    (void)bias; (void)residual; (void)ld_residual; (void)c; (void)ldc;
    return 0;
}
#endif
