// Packed SGEMM: c = epilogue(a · B) with B packed into 16-column panels (bk_pack_*). The AVX2
// micro-kernel holds a 6×16 block of c in 12 ymm registers (the shape MLAS and BLIS use on
// Haswell-class cores); depth is blocked by KC so a panel slice stays in L1, rows by MC so the
// slice of a stays in L2; the packed layout (pack.c) makes that order read B front to back.
// The epilogue (bias, activation, residual) runs on the last depth block while the block is
// still in registers.
#include "BertKernels.h"
#include "vecmath.h"

#define MR 6
#define NR BK_PANEL_WIDTH
#define KC BK_DEPTH_BLOCK
#define MC 132

static void epilogue_row_scalar(float *c, const float *prior, int n, int col0, int row, const bk_epilogue *ep,
                                int last) {
    for (int j = 0; j < n; j++) {
        float x = c[j] + (prior ? prior[j] : 0.0f);
        if (last && ep) {
            if (ep->bias) x += ep->bias[col0 + j];
            x = bk_act_scalar(x, ep->activation);
            if (ep->residual) x += ep->residual[(size_t)row * ep->ld_residual + col0 + j];
        }
        c[j] = x;
    }
}

// Portable micro-kernel: the same blocking with plain loops (compilers vectorize the inner j loop).
static void kernel_portable(int mr, int kc, const float *a, int lda, const float *b, float *c, int ldc,
                            int nvalid, int accumulate, int last, const bk_epilogue *ep, int row0, int col0) {
    float acc[MR][NR] = {{0}};
    for (int kk = 0; kk < kc; kk++) {
        const float *bk = b + (size_t)kk * NR;
        for (int r = 0; r < mr; r++) {
            float av = a[(size_t)r * lda + kk];
            for (int j = 0; j < NR; j++) acc[r][j] += av * bk[j];
        }
    }
    for (int r = 0; r < mr; r++) {
        float *crow = c + (size_t)r * ldc;
        float tmp[NR];
        for (int j = 0; j < nvalid; j++) tmp[j] = acc[r][j];
        epilogue_row_scalar(tmp, accumulate ? crow : 0, nvalid, col0, row0 + r, ep, last);
        for (int j = 0; j < nvalid; j++) crow[j] = tmp[j];
    }
}

#if BK_X86
BK_INLINE BK_AVX2 void kernel_avx2(const int mr, int kc, const float *a, int lda, const float *b, float *c,
                                     int ldc, int nvalid, int accumulate, int last, const bk_epilogue *ep,
                                     int row0, int col0) {
    __m256 c0[MR], c1[MR];
    for (int r = 0; r < MR; r++) { c0[r] = _mm256_setzero_ps(); c1[r] = _mm256_setzero_ps(); }
    const float *a0 = a, *a1 = a + lda, *a2 = a + 2 * (size_t)lda;
    const float *a3 = a + 3 * (size_t)lda, *a4 = a + 4 * (size_t)lda, *a5 = a + 5 * (size_t)lda;
    for (int kk = 0; kk < kc; kk++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8);
        b += NR;
        __m256 av;
        av = _mm256_broadcast_ss(a0 + kk); c0[0] = _mm256_fmadd_ps(av, b0, c0[0]); c1[0] = _mm256_fmadd_ps(av, b1, c1[0]);
        if (mr > 1) { av = _mm256_broadcast_ss(a1 + kk); c0[1] = _mm256_fmadd_ps(av, b0, c0[1]); c1[1] = _mm256_fmadd_ps(av, b1, c1[1]); }
        if (mr > 2) { av = _mm256_broadcast_ss(a2 + kk); c0[2] = _mm256_fmadd_ps(av, b0, c0[2]); c1[2] = _mm256_fmadd_ps(av, b1, c1[2]); }
        if (mr > 3) { av = _mm256_broadcast_ss(a3 + kk); c0[3] = _mm256_fmadd_ps(av, b0, c0[3]); c1[3] = _mm256_fmadd_ps(av, b1, c1[3]); }
        if (mr > 4) { av = _mm256_broadcast_ss(a4 + kk); c0[4] = _mm256_fmadd_ps(av, b0, c0[4]); c1[4] = _mm256_fmadd_ps(av, b1, c1[4]); }
        if (mr > 5) { av = _mm256_broadcast_ss(a5 + kk); c0[5] = _mm256_fmadd_ps(av, b0, c0[5]); c1[5] = _mm256_fmadd_ps(av, b1, c1[5]); }
    }
    for (int r = 0; r < mr; r++) {
        float *crow = c + (size_t)r * ldc;
        if (nvalid < NR) {
            float tmp[NR];
            _mm256_storeu_ps(tmp, c0[r]);
            _mm256_storeu_ps(tmp + 8, c1[r]);
            epilogue_row_scalar(tmp, accumulate ? crow : 0, nvalid, col0, row0 + r, ep, last);
            for (int j = 0; j < nvalid; j++) crow[j] = tmp[j];
            continue;
        }
        __m256 v0 = c0[r], v1 = c1[r];
        if (accumulate) {
            v0 = _mm256_add_ps(v0, _mm256_loadu_ps(crow));
            v1 = _mm256_add_ps(v1, _mm256_loadu_ps(crow + 8));
        }
        if (last && ep) {
            if (ep->bias) {
                v0 = _mm256_add_ps(v0, _mm256_loadu_ps(ep->bias + col0));
                v1 = _mm256_add_ps(v1, _mm256_loadu_ps(ep->bias + col0 + 8));
            }
            if (ep->activation != BK_ACT_NONE) {
                v0 = bk_act256(v0, ep->activation);
                v1 = bk_act256(v1, ep->activation);
            }
            if (ep->residual) {
                const float *res = ep->residual + (size_t)(row0 + r) * ep->ld_residual + col0;
                v0 = _mm256_add_ps(v0, _mm256_loadu_ps(res));
                v1 = _mm256_add_ps(v1, _mm256_loadu_ps(res + 8));
            }
        }
        _mm256_storeu_ps(crow, v0);
        _mm256_storeu_ps(crow + 8, v1);
    }
}

// Applies the epilogue to whole 8-float groups of one row; returns how many columns it did.
static BK_AVX2 int bk_epilogue_row_avx2(float *row, int n, int i, const bk_epilogue *ep) {
    int j = 0;
    for (; j + 8 <= n; j += 8) {
        __m256 v = _mm256_loadu_ps(row + j);
        if (ep->bias) v = _mm256_add_ps(v, _mm256_loadu_ps(ep->bias + j));
        v = bk_act256(v, ep->activation);
        if (ep->residual) v = _mm256_add_ps(v, _mm256_loadu_ps(ep->residual + (size_t)i * ep->ld_residual + j));
        _mm256_storeu_ps(row + j, v);
    }
    return j;
}

static BK_AVX2 void kernel_avx2_any(int mr, int kc, const float *a, int lda, const float *b, float *c, int ldc,
                                    int nvalid, int accumulate, int last, const bk_epilogue *ep, int row0, int col0) {
    switch (mr) {
    case 6: kernel_avx2(6, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    case 5: kernel_avx2(5, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    case 4: kernel_avx2(4, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    case 3: kernel_avx2(3, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    case 2: kernel_avx2(2, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    default: kernel_avx2(1, kc, a, lda, b, c, ldc, nvalid, accumulate, last, ep, row0, col0); break;
    }
}
#endif

void bk_gemm_packed(int isa, int m, int n, int k, const float *a, int lda, const float *packed,
                    float *c, int ldc, const bk_epilogue *ep, int panel_begin, int panel_end) {
    for (int k0 = 0; k0 < k; k0 += KC) {
        int kc = k - k0 < KC ? k - k0 : KC;
        int accumulate = k0 > 0, last = k0 + kc == k;
        for (int i0 = 0; i0 < m; i0 += MC) {
            int mc = m - i0 < MC ? m - i0 : MC;
            for (int p = panel_begin; p < panel_end; p++) {
                const float *bp = packed + bk_packed_offset(n, k0, kc, p);
                int col0 = p * NR;
                int nvalid = n - col0 < NR ? n - col0 : NR;
                for (int i = i0; i < i0 + mc; i += MR) {
                    int mr = i0 + mc - i < MR ? i0 + mc - i : MR;
                    const float *ap = a + (size_t)i * lda + k0;
                    float *cp = c + (size_t)i * ldc + col0;
#if BK_X86
                    if (isa == BK_ISA_AVX2) {
                        kernel_avx2_any(mr, kc, ap, lda, bp, cp, ldc, nvalid, accumulate, last, ep, i, col0);
                        continue;
                    }
#endif
                    kernel_portable(mr, kc, ap, lda, bp, cp, ldc, nvalid, accumulate, last, ep, i, col0);
                }
            }
        }
    }
}

void bk_epilogue_apply(int isa, float *c, int m, int n, int ldc, const bk_epilogue *ep) {
    for (int i = 0; i < m; i++) {
        float *row = c + (size_t)i * ldc;
        int j = 0;
#if BK_X86
        if (isa == BK_ISA_AVX2) {
            j = bk_epilogue_row_avx2(row, n, i, ep);
        }
#endif
        epilogue_row_scalar(row + j, 0, n - j, j, i, ep, 1);
    }
}
