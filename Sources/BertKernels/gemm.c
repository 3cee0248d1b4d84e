// Packed SGEMM: c = epilogue(a · B) with B packed into 16-column panels (bk_pack_*). The AVX2
// micro-kernel holds a 6×16 block of c in 12 ymm registers (the shape MLAS and BLIS use on
// Haswell-class cores); depth is blocked by KC so a panel slice stays in L1, rows by MC so the
// slice of a stays in L2; the packed layout (pack.c) makes that order read B front to back.
// The AVX2 path copies each MC × KC block of a into a per-thread buffer, 6 rows interleaved, so
// the kernel reads a as one contiguous stream instead of six strided ones (B streams in from
// DRAM at the same time, and six more L1 miss streams slowed that down), and it prefetches the
// next panel's slice while the first row block runs on the current one. Each tile prefetches the
// rows of c (and of the residual) its epilogue will touch before its depth loop starts, which
// took the single-thread kernel from about 70 to about 77 GFLOP/s on 1024-row BERT shapes.
// The epilogue (bias, activation, residual) runs on the last depth block while the block is
// still in registers.
#include <pthread.h>
#include <stdlib.h>
#include "BertKernels.h"
#include "vecmath.h"

#define MR 6
#define NR BK_PANEL_WIDTH
#define KC BK_DEPTH_BLOCK
#define MC 264
#define PACK_SLACK 16

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
// Runs the depth loop of one tile into c0/c1: a holds mr rows interleaved (a[kk * mr + r]); when
// `prefetching`, one 64-byte row of `next` per kk is prefetched (a constant, so each caller's loop
// has no branch in it).
#define KERNEL_STEP(r) \
    if (mr > r) { av = _mm256_broadcast_ss(a + r); c0[r] = _mm256_fmadd_ps(av, b0, c0[r]); c1[r] = _mm256_fmadd_ps(av, b1, c1[r]); }
BK_INLINE BK_AVX2 void kernel_loop(const int mr, int kc, const float *a, const float *b, const float *next,
                                     const int prefetching, __m256 *c0, __m256 *c1) {
#pragma clang loop unroll_count(4)
    for (int kk = 0; kk < kc; kk++) {
        __m256 b0 = _mm256_loadu_ps(b), b1 = _mm256_loadu_ps(b + 8), av;
        b += NR;
        if (prefetching) { _mm_prefetch((const char *)next, _MM_HINT_T0); next += NR; }
        KERNEL_STEP(0) KERNEL_STEP(1) KERNEL_STEP(2) KERNEL_STEP(3) KERNEL_STEP(4) KERNEL_STEP(5)
        a += mr;
    }
}
#undef KERNEL_STEP

// Starts loading one 16-float row of c (or of the residual) that the epilogue reads after the
// depth loop: each row is in a different cache line, usually not in L2 (c has moved on by a whole
// row block since the last depth block), and its miss would otherwise stall every tile's end.
BK_INLINE BK_AVX2 void prefetch_row(const float *row) {
    _mm_prefetch((const char *)row, _MM_HINT_T0);
    _mm_prefetch((const char *)(row + NR - 1), _MM_HINT_T0);
}

// One mr × 16 tile of c over depth kc, then its epilogue; next: the slice to prefetch, or NULL.
BK_INLINE BK_AVX2 void kernel_avx2(const int mr, int kc, const float *a, const float *b, float *c, int ldc,
                                     int nvalid, int accumulate, int last, const bk_epilogue *ep, int row0, int col0,
                                     const float *next) {
    __m256 c0[MR], c1[MR];
    for (int r = 0; r < MR; r++) { c0[r] = _mm256_setzero_ps(); c1[r] = _mm256_setzero_ps(); }
    const float *residual = last && ep && ep->residual ? ep->residual + (size_t)row0 * ep->ld_residual + col0 : NULL;
    for (int r = 0; r < mr; r++) {
        prefetch_row(c + (size_t)r * ldc);
        if (residual) prefetch_row(residual + (size_t)r * ep->ld_residual);
    }
    if (next) kernel_loop(mr, kc, a, b, next, 1, c0, c1);
    else kernel_loop(mr, kc, a, b, NULL, 0, c0, c1);
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

static BK_AVX2 void kernel_avx2_any(int mr, int kc, const float *a, const float *b, float *c, int ldc, int nvalid,
                                    int accumulate, int last, const bk_epilogue *ep, int row0, int col0,
                                    const float *next) {
    switch (mr) {
    case 6: kernel_avx2(6, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    case 5: kernel_avx2(5, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    case 4: kernel_avx2(4, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    case 3: kernel_avx2(3, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    case 2: kernel_avx2(2, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    default: kernel_avx2(1, kc, a, b, c, ldc, nvalid, accumulate, last, ep, row0, col0, next); break;
    }
}
#endif

// Rows of the next tile when `rows` remain: MR, except that 7 or 8 rows become two tiles of about
// 4 (a 1- or 2-row tile is bound by FMA latency and takes as long as a 4-row one).
static int tile_rows(int rows) {
    if (rows > MR && rows < MR + 3) return (rows + 1) / 2;
    return rows < MR ? rows : MR;
}

#if BK_X86
// Writes depth [kk, kk + 8) of a full 6-row tile k-major: an 8 × 8 transpose (rows 6 and 7 are
// copies of row 5) whose 8-float stores each overlap the next by 2; the next store (or the next
// tile, or the buffer's slack) overwrites those 2.
BK_INLINE BK_AVX2 void pack_tile8_avx2(const float *a, int lda, int kk, float *dst) {
    __m256 r0 = _mm256_loadu_ps(a + kk), r1 = _mm256_loadu_ps(a + (size_t)lda + kk);
    __m256 r2 = _mm256_loadu_ps(a + 2 * (size_t)lda + kk), r3 = _mm256_loadu_ps(a + 3 * (size_t)lda + kk);
    __m256 r4 = _mm256_loadu_ps(a + 4 * (size_t)lda + kk), r5 = _mm256_loadu_ps(a + 5 * (size_t)lda + kk);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r5, r5), t7 = _mm256_unpackhi_ps(r5, r5);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    float *d = dst + (size_t)kk * MR;
    _mm256_storeu_ps(d, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(d + MR, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(d + 2 * MR, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(d + 3 * MR, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(d + 4 * MR, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(d + 5 * MR, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(d + 6 * MR, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(d + 7 * MR, _mm256_permute2f128_ps(s3, s7, 0x31));
}

// Copies rows [0, mc) × depth [0, kc) of a into tiles (tile_rows), each stored k-major; the
// buffer needs PACK_SLACK floats past the last tile.
static BK_AVX2 void pack_a(const float *a, int lda, int mc, int kc, float *dst) {
    for (int i = 0, mr; i < mc; i += mr) {
        mr = tile_rows(mc - i);
        const float *rows = a + (size_t)i * lda;
        int kk = 0;
        if (mr == MR) {
            for (; kk + 8 <= kc; kk += 8) pack_tile8_avx2(rows, lda, kk, dst);
        }
        for (; kk < kc; kk++) {
            for (int r = 0; r < mr; r++) dst[(size_t)kk * mr + r] = rows[(size_t)r * lda + kk];
        }
        dst += (size_t)mr * kc;
    }
}
#endif

static pthread_key_t a_buffer_key;
static pthread_once_t a_buffer_once = PTHREAD_ONCE_INIT;
static void make_a_buffer_key(void) { pthread_key_create(&a_buffer_key, free); }

// This thread's MC × KC buffer for packed a (freed when the thread exits); NULL if out of memory.
static float *a_buffer(void) {
    pthread_once(&a_buffer_once, make_a_buffer_key);
    float *buffer = pthread_getspecific(a_buffer_key);
    if (!buffer) {
        buffer = aligned_alloc(64, sizeof(float) * (MC * KC + PACK_SLACK));
        if (buffer && pthread_setspecific(a_buffer_key, buffer) != 0) {
            free(buffer);
            buffer = NULL;
        }
    }
    return buffer;
}

void bk_gemm_packed(int isa, int m, int n, int k, const float *a, int lda, const float *packed,
                    float *c, int ldc, const bk_epilogue *ep, int panel_begin, int panel_end) {
    float *packed_a = NULL;
#if BK_X86
    if (isa == BK_ISA_AVX2) packed_a = a_buffer();
#else
    (void)a_buffer;
    (void)packed_a;
#endif
    for (int k0 = 0; k0 < k; k0 += KC) {
        int kc = k - k0 < KC ? k - k0 : KC;
        int accumulate = k0 > 0, last = k0 + kc == k;
        for (int i0 = 0; i0 < m; i0 += MC) {
            int mc = m - i0 < MC ? m - i0 : MC;
#if BK_X86
            if (packed_a) pack_a(a + (size_t)i0 * lda + k0, lda, mc, kc, packed_a);
#endif
            for (int p = panel_begin; p < panel_end; p++) {
                const float *bp = packed + bk_packed_offset(n, k0, kc, p);
                int col0 = p * NR;
                int nvalid = n - col0 < NR ? n - col0 : NR;
                for (int i = i0, mr; i < i0 + mc; i += mr) {
                    mr = tile_rows(i0 + mc - i);
                    float *cp = c + (size_t)i * ldc + col0;
#if BK_X86
                    if (packed_a) {
                        const float *next = i == i0 && p + 1 < panel_end ? bp + (size_t)kc * NR : NULL;
                        kernel_avx2_any(mr, kc, packed_a + (size_t)(i - i0) * kc, bp, cp, ldc, nvalid, accumulate, last,
                                        ep, i, col0, next);
                        continue;
                    }
#endif
                    kernel_portable(mr, kc, a + (size_t)i * lda + k0, lda, bp, cp, ldc, nvalid, accumulate, last, ep, i,
                                    col0);
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
