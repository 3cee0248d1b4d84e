// int8 GEMM with fused requantization:
// c = sa[i] · sw[j] · ((qa · Wᵀ)[i][j] − zp[i] · Σ_k W[j][k]) + bias[j] + residual.
//
// AVX2 has no signed × signed byte multiply-add. vpmaddubsw multiplies unsigned by signed bytes
// and adds adjacent pairs into int16 with saturation; vpmaddwd with ones widens the pairs to int32
// (the llama.cpp `mul_sum_i8_pairs` idiom). Two encodings keep every pair exact:
// - u8 activations (x / scale + zero point, in [0, 255]) with weights in [-64, 64]: a pair is at
//   most 2 · 255 · 64 = 32640 < 32767, so vpmaddubsw takes the operands as they are (3 vector ops
//   per 4 × 8 products). The zero point comes off in the epilogue with the weights' column sums.
//   With 7-bit activations ([0, 127]) two pair sums of consecutive depth groups add in int16
//   (at most 4 · 127 · 64 = 32512) before one vpmaddwd widens them: 5 vector ops per 8 × 8
//   products instead of 6, and 3 of them on the multiply pipes instead of 4.
// - s8 activations in [-127, 127] with any weights in [-127, 127]: the sign moves onto the weight,
//   a · w = |a| · (sign(a) · w), so vpmaddubsw gets |a| ≤ 127 and a pair is at most
//   2 · 127 · 127 = 32258 (two more vector ops per step; onnxruntime instead accepts saturation).
// The micro-kernel holds up to 5 rows (u8 and u7; 4 for s8, whose sign trick needs two more
// registers) × 16 columns of int32 in ymm registers over the full depth; rows are blocked by MC so the
// activation block stays in L2 while each weight panel streams through it once.
#include "BertInt8Kernels.h"
#include "requantize.h"
#if defined(__x86_64__)
#include <immintrin.h>
#define BI8_AVX2 __attribute__((target("avx2,fma")))
#define BI8_INLINE static inline __attribute__((always_inline))
#endif

#define MR 5
#define MR_S8 4
#define NR BI8_PANEL_WIDTH
#define MC 80

/// One row's activation byte as a signed value in its encoding (before the zero point).
static inline int32_t activation(const uint8_t *a, int encoding) {
    return encoding == BI8_ACTIVATIONS_S8 ? (int32_t)(int8_t)a[0] : (int32_t)a[0];
}

static void kernel_portable(int encoding, int mr, int kp, const uint8_t *a, int lda, const int8_t *b,
                            int32_t acc[MR][NR]) {
    for (int r = 0; r < mr; r++)
        for (int j = 0; j < NR; j++) acc[r][j] = 0;
    for (int g = 0; g < kp; g += 4) {
        const int8_t *bg = b + (size_t)g * NR;
        for (int r = 0; r < mr; r++) {
            const uint8_t *ar = a + (size_t)r * lda + g;
            for (int j = 0; j < NR; j++) {
                const int8_t *bj = bg + j * 4;
                for (int t = 0; t < 4; t++) acc[r][j] += activation(ar + t, encoding) * bj[t];
            }
        }
    }
}

#if defined(__x86_64__)
BI8_INLINE BI8_AVX2 __m256i broadcast4(const uint8_t *p) {
    int32_t v;
    __builtin_memcpy(&v, p, 4);
    return _mm256_set1_epi32(v);
}

/// acc += the 4-byte dot products of one broadcast activation group with 8 weight columns.
BI8_INLINE BI8_AVX2 __m256i dot4(int encoding, __m256i acc, __m256i a, __m256i abs_a, __m256i b, __m256i ones) {
    __m256i pairs = encoding == BI8_ACTIVATIONS_S8 ? _mm256_maddubs_epi16(abs_a, _mm256_sign_epi8(b, a))
                                                   : _mm256_maddubs_epi16(a, b);
    return _mm256_add_epi32(acc, _mm256_madd_epi16(pairs, ones));
}

// Requantizes the mr × 16 block in registers; full panels go straight from registers to c.
BI8_INLINE BI8_AVX2 void store_block(const __m256i *c0, const __m256i *c1, int mr, int nvalid, const float *a_scales,
                                     const int32_t *a_zero_points, const int32_t *w_sums, const float *w_scales,
                                     const float *bias, const float *residual, int ld_residual, float *c, int ldc) {
    for (int r = 0; r < mr; r++) {
        float *crow = c + (size_t)r * ldc;
        const float *res = residual ? residual + (size_t)r * ld_residual : 0;
        int32_t zp = w_sums ? a_zero_points[r] : 0;
        if (nvalid < NR) {
            int32_t tmp[NR];
            _mm256_storeu_si256((__m256i *)tmp, c0[r]);
            _mm256_storeu_si256((__m256i *)(tmp + 8), c1[r]);
            bi8_store_row(tmp, nvalid, a_scales[r], zp, w_sums, w_scales, bias, res, crow);
            continue;
        }
        __m256i acc0 = c0[r], acc1 = c1[r];
        if (w_sums) {
            __m256i z = _mm256_set1_epi32(zp);
            acc0 = _mm256_sub_epi32(acc0, _mm256_mullo_epi32(z, _mm256_loadu_si256((const __m256i *)w_sums)));
            acc1 = _mm256_sub_epi32(acc1, _mm256_mullo_epi32(z, _mm256_loadu_si256((const __m256i *)(w_sums + 8))));
        }
        __m256 s = _mm256_set1_ps(a_scales[r]);
        __m256 v0 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc0), _mm256_mul_ps(s, _mm256_loadu_ps(w_scales)));
        __m256 v1 = _mm256_mul_ps(_mm256_cvtepi32_ps(acc1), _mm256_mul_ps(s, _mm256_loadu_ps(w_scales + 8)));
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

BI8_INLINE BI8_AVX2 void kernel_avx2(const int encoding, const int mr, int kp, const uint8_t *a, int lda,
                                     const int8_t *b, int nvalid, const float *a_scales, const int32_t *a_zero_points,
                                     const int32_t *w_sums, const float *w_scales, const float *bias,
                                     const float *residual, int ld_residual, float *c, int ldc) {
    __m256i c0[MR], c1[MR];
    for (int r = 0; r < MR; r++) { c0[r] = _mm256_setzero_si256(); c1[r] = _mm256_setzero_si256(); }
    const __m256i ones = _mm256_set1_epi16(1);
    const uint8_t *rows[MR];
    for (int r = 0; r < MR; r++) rows[r] = a + (size_t)r * lda;
    int g = 0;
    if (encoding == BI8_ACTIVATIONS_U7) {
        for (; g + 8 <= kp; g += 8) {
            const __m256i *bv = (const __m256i *)b;
            b += 128;
            for (int r = 0; r < mr; r++) {
                __m256i a0 = broadcast4(rows[r] + g), a1 = broadcast4(rows[r] + g + 4);
                __m256i p0 = _mm256_add_epi16(_mm256_maddubs_epi16(a0, _mm256_loadu_si256(bv)),
                                              _mm256_maddubs_epi16(a1, _mm256_loadu_si256(bv + 2)));
                __m256i p1 = _mm256_add_epi16(_mm256_maddubs_epi16(a0, _mm256_loadu_si256(bv + 1)),
                                              _mm256_maddubs_epi16(a1, _mm256_loadu_si256(bv + 3)));
                c0[r] = _mm256_add_epi32(c0[r], _mm256_madd_epi16(p0, ones));
                c1[r] = _mm256_add_epi32(c1[r], _mm256_madd_epi16(p1, ones));
            }
        }
    }
    for (; g < kp; g += 4) {
        __m256i b0 = _mm256_loadu_si256((const __m256i *)b), b1 = _mm256_loadu_si256((const __m256i *)(b + 32));
        b += 64;
        for (int r = 0; r < mr; r++) {
            __m256i av = broadcast4(rows[r] + g);
            __m256i ua = encoding == BI8_ACTIVATIONS_S8 ? _mm256_abs_epi8(av) : av;
            c0[r] = dot4(encoding, c0[r], av, ua, b0, ones);
            c1[r] = dot4(encoding, c1[r], av, ua, b1, ones);
        }
    }
    store_block(c0, c1, mr, nvalid, a_scales, a_zero_points, w_sums, w_scales, bias, residual, ld_residual, c, ldc);
}

#define BI8_KERNEL_CASE(ENC, ROWS)                                                                                   \
    kernel_avx2(ENC, ROWS, kp, a, lda, b, nvalid, a_scales, a_zero_points, w_sums, w_scales, bias, residual, \
                ld_residual, c, ldc)

#define BI8_KERNEL_ROWS(ENC)                    \
    switch (mr) {                               \
    case 5: BI8_KERNEL_CASE(ENC, 5); break;     \
    case 4: BI8_KERNEL_CASE(ENC, 4); break;     \
    case 3: BI8_KERNEL_CASE(ENC, 3); break;     \
    case 2: BI8_KERNEL_CASE(ENC, 2); break;     \
    default: BI8_KERNEL_CASE(ENC, 1); break;    \
    }

static BI8_AVX2 void kernel_avx2_any(int encoding, int mr, int kp, const uint8_t *a, int lda, const int8_t *b,
                                     int nvalid, const float *a_scales, const int32_t *a_zero_points,
                                     const int32_t *w_sums, const float *w_scales, const float *bias,
                                     const float *residual, int ld_residual, float *c, int ldc) {
    switch (encoding) {
    case BI8_ACTIVATIONS_U7: BI8_KERNEL_ROWS(BI8_ACTIVATIONS_U7); break;
    case BI8_ACTIVATIONS_U8: BI8_KERNEL_ROWS(BI8_ACTIVATIONS_U8); break;
    default: BI8_KERNEL_ROWS(BI8_ACTIVATIONS_S8); break;
    }
}
#endif

void bi8_gemm(int isa, int encoding, int m, int n, int k, const uint8_t *qa, int lda, const float *a_scales,
              const int32_t *a_zero_points, const int8_t *packed, const int32_t *w_sums, const float *w_scales,
              const float *bias, const float *residual, int ld_residual, float *c, int ldc,
              int panel_begin, int panel_end) {
    int kp = bi8_padded_depth(k);
    int is_unsigned = encoding != BI8_ACTIVATIONS_S8; // u8 or u7: per-row zero points, 5-row tiles
    int rows_per_block = is_unsigned ? MR : MR_S8;
    for (int i0 = 0; i0 < m; i0 += MC) {
        int mc = m - i0 < MC ? m - i0 : MC;
        for (int p = panel_begin; p < panel_end; p++) {
            const int8_t *bp = packed + (size_t)p * NR * kp;
            int col0 = p * NR;
            int nvalid = n - col0 < NR ? n - col0 : NR;
            const float *ws = w_scales + col0, *bs = bias ? bias + col0 : 0;
            const int32_t *sums = is_unsigned ? w_sums + col0 : 0;
            for (int i = i0; i < i0 + mc; i += rows_per_block) {
                int mr = i0 + mc - i < rows_per_block ? i0 + mc - i : rows_per_block;
                const uint8_t *ap = qa + (size_t)i * lda;
                const float *res = residual ? residual + (size_t)i * ld_residual + col0 : 0;
                const int32_t *zps = is_unsigned ? a_zero_points + i : 0;
                float *cp = c + (size_t)i * ldc + col0;
#if defined(__x86_64__)
                if (isa == BI8_ISA_AVX512VNNI && !is_unsigned &&
                    bi8_kernel_vnni(mr, kp, (const int8_t *)ap, lda, bp, nvalid, a_scales + i, ws, bs, res,
                                    ld_residual, cp, ldc))
                    continue;
                if (isa != BI8_ISA_PORTABLE) {
                    kernel_avx2_any(encoding, mr, kp, ap, lda, bp, nvalid, a_scales + i, zps, sums, ws, bs, res,
                                    ld_residual, cp, ldc);
                    continue;
                }
#endif
                int32_t acc[MR][NR];
                kernel_portable(encoding, mr, kp, ap, lda, bp, acc);
                for (int r = 0; r < mr; r++)
                    bi8_store_row(acc[r], nvalid, a_scales[i + r], is_unsigned ? zps[r] : 0, sums, ws, bs,
                                  res ? res + (size_t)r * ld_residual : 0, cp + (size_t)r * ldc);
            }
        }
    }
}
