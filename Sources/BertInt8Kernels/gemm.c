// int8 GEMM with fused requantization: c = sa[i] · sw[j] · (qa · Wᵀ)[i][j] + bias[j] + residual.
//
// AVX2 has no signed × signed byte multiply-add. vpmaddubsw multiplies unsigned by signed bytes
// and adds adjacent pairs into int16 with saturation: with u8 activations (x + 128) and s8
// weights a pair can reach 2 · 255 · 127 = 64770 and saturate (onnxruntime's reason for its
// 7-bit "reduce_range" on AVX2). Instead both operands stay in [-127, 127] and the sign moves
// onto the weight: a · w = |a| · (sign(a) · w), so vpmaddubsw gets |a| (≤ 127, unsigned) and
// vpsignb(w, a) (signed), a pair sums to at most 2 · 127 · 127 = 32258 < 32767 and the int16
// step is exact. vpmaddwd with ones widens the pairs to int32 (the llama.cpp `mul_sum_i8_pairs`
// idiom). The micro-kernel holds 4 rows × 16 columns of int32 in 8 ymm registers over the full
// depth; rows are blocked by MC so the activation block stays in L2 while each weight panel
// streams through it once.
#include "BertInt8Kernels.h"
#include "requantize.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define BI8_AVX2 __attribute__((target("avx2,fma")))
#define BI8_INLINE static inline __attribute__((always_inline))
#endif

#define MR 4
#define NR BI8_PANEL_WIDTH
#define MC 64

static void kernel_portable(int mr, int kp, const int8_t *a, int lda, const int8_t *b, int32_t acc[MR][NR]) {
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < NR; j++) acc[r][j] = 0;
    for (int g = 0; g < kp; g += 4) {
        const int8_t *bg = b + (size_t)g * NR;
        for (int r = 0; r < mr; r++) {
            const int8_t *ar = a + (size_t)r * lda + g;
            for (int j = 0; j < NR; j++) {
                const int8_t *bj = bg + j * 4;
                acc[r][j] += ar[0] * bj[0] + ar[1] * bj[1] + ar[2] * bj[2] + ar[3] * bj[3];
            }
        }
    }
}

#if defined(__x86_64__)
BI8_INLINE BI8_AVX2 __m256i broadcast4(const int8_t *p) {
    int32_t v;
    __builtin_memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

BI8_INLINE BI8_AVX2 __m256i dot4(__m256i acc, __m256i abs_a, __m256i a, __m256i b, __m256i ones) {
    __m256i pairs = _mm256_maddubs_epi16(abs_a, _mm256_sign_epi8(b, a));
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
}

// Requantizes the 4 × 16 block in registers; full panels go straight from registers to c.
BI8_INLINE BI8_AVX2 void store_block(const __m256i *c0, const __m256i *c1, int mr, int nvalid, const float *a_scales,
                                     const float *w_scales, const float *bias, const float *residual, int ld_residual,
                                     float *c, int ldc) {
    for (int r = 0; r < mr; r++) {
        float *crow = c + (size_t)r * ldc;
        const float *res = residual ? residual + (size_t)r * ld_residual : 0;
        if (nvalid < NR) {
            int32_t tmp[NR];
            _mm256_storeu_si256((__m256i *)tmp, c0[r]);
            _mm256_storeu_si256((__m256i *)(tmp + 8), c1[r]);
            bi8_store_row(tmp, nvalid, a_scales[r], w_scales, bias, res, crow);
            continue;
        }
        __m256 s = _mm256_set1_ps(a_scales[r]);
        __m256 v0 = _mm256_mul_ps(_mm256_cvtepi32_ps(c0[r]), _mm256_mul_ps(s, _mm256_loadu_ps(w_scales)));
        __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(c1[r]), _mm256_mul_ps(s, _mm256_loadu_ps(w_scales + 8)));
        if (bias) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(bias));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(bias + 8));
        }
        if (res) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(res));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(res + 8));
        }
        _mm256_storeu_ps(crow, v0);
        _mm256_storeu_ps(crow + 8, v1);
    }
}

BI8_INLINE BI8_AVX2 void kernel_avx2(const int mr, int kp, const int8_t *a, int lda, const int8_t *b, int nvalid,
                                     const float *a_scales, const float *w_scales, const float *bias,
                                     const float *residual, int ld_residual, float *c, int ldc) {
    __m256i c0[MR], c1[MR];
    for (int r = 0; r < MR; r++) { c0[r] = _mm256_setzero_si256(); c1[r] = _mm256_setzero_si256(); }
    const __m256i ones = _mm256_set1_epi16(1);
    const int8_t *a0 = a, *a1 = a + lda, *a2 = a + 2 * (size_t)lda, *a3 = a + 3 * (size_t)lda;
    for (int g = 0; g < kp; g += 4) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)b), b1 = _mm256_loadu_si256((const __m256i *)(b + 32));
        b += 64;
        __m256i av, ua;
        av = broadcast4(a0 + g); ua = _mm256_abs_epi8(av);
        c0[0] = dot4(c0[0], ua, av, b0, ones); c1[0] = dot4(c1[0], ua, av, b1, ones);
        if (mr > 1) { av = broadcast4(a1 + g); ua = _mm256_abs_epi8(av);
            c0[1] = dot4(c0[1], ua, av, b0, ones); c1[1] = dot4(c1[1], ua, av, b1, ones); }
        if (mr > 2) { av = broadcast4(a2 + g); ua = _mm256_abs_epi8(av);
            c0[2] = dot4(c0[2], ua, av, b0, ones); c1[2] = dot4(c1[2], ua, av, b1, ones); }
        if (mr > 3) { av = broadcast4(a3 + g); ua = _mm256_abs_epi8(av);
            c0[3] = dot4(c0[3], ua, av, b0, ones); c1[3] = dot4(c1[3], ua, av, b1, ones); }
    }
    store_block(c0, c1, mr, nvalid, a_scales, w_scales, bias, residual, ld_residual, c, ldc);
}

static BI8_AVX2 void kernel_avx2_any(int mr, int kp, const int8_t *a, int lda, const int8_t *b, int nvalid,
                                     const float *a_scales, const float *w_scales, const float *bias,
                                     const float *residual, int ld_residual, float *c, int ldc) {
    switch (mr) {
    case 4: kernel_avx2(4, kp, a, lda, b, nvalid, a_scales, w_scales, bias, residual, ld_residual, c, ldc); break;
    case 3: kernel_avx2(3, kp, a, lda, b, nvalid, a_scales, w_scales, bias, residual, ld_residual, c, ldc); break;
    case 2: kernel_avx2(2, kp, a, lda, b, nvalid, a_scales, w_scales, bias, residual, ld_residual, c, ldc); break;
    default: kernel_avx2(1, kp, a, lda, b, nvalid, a_scales, w_scales, bias, residual, ld_residual, c, ldc); break;
    }
}
#endif

void bi8_gemm(int isa, int m, int n, int k, const int8_t *qa, int lda, const float *a_scales,
              const int8_t *packed, const float *w_scales, const float *bias,
              const float *residual, int ld_residual, float *c, int ldc,
              int panel_begin, int panel_end) {
    int kp = bi8_padded_depth(k);
    for (int i0 = 0; i0 < m; i0 += MC) {
        int mc = m - i0 < MC ? m - i0 : MC;
        for (int p = panel_begin; p < panel_end; p++) {
            const int8_t *bp = packed + (size_t)p * NR * kp;
            int col0 = p * NR;
            int nvalid = n - col0 < NR ? n - col0 : NR;
            const float *ws = w_scales + col0, *bs = bias ? bias + col0 : 0;
            for (int i = i0; i < i0 + mc; i += MR) {
                int mr = i0 + mc - i < MR ? i0 + mc - i : MR;
                const int8_t *ap = qa + (size_t)i * lda;
                const float *res = residual ? residual + (size_t)i * ld_residual + col0 : 0;
                float *cp = c + (size_t)i * ldc + col0;
#if defined(__x86_64__)
                if (isa == BI8_ISA_AVX512VNNI &&
                    bi8_kernel_vnni(mr, kp, ap, lda, bp, nvalid, a_scales + i, ws, bs, res, ld_residual, cp, ldc))
                    continue;
                if (isa != BI8_ISA_PORTABLE) {
                    kernel_avx2_any(mr, kp, ap, lda, bp, nvalid, a_scales + i, ws, bs, res, ld_residual, cp, ldc);
                    continue;
                }
#endif
                int32_t acc[MR][NR];
                kernel_portable(mr, kp, ap, lda, bp, acc);
                for (int r = 0; r < mr; r++)
                    bi8_store_row(acc[r], nvalid, a_scales[i + r], ws, bs, res ? res + (size_t)r * ld_residual : 0,
                              cp + (size_t)r * ldc);
            }
        }
    }
}
