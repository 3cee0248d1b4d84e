// Packing into 16-column panels: panel p holds columns [16p, 16p + 16), k-major, so the
// micro-kernel reads one contiguous 64-byte row of B per k. Depth is cut into blocks of
// BK_DEPTH_BLOCK, and a block holds every panel's slice one after the other: the GEMM then reads
// the weights front to back, once per row block, which the hardware prefetcher streams from DRAM.
// Missing columns are zero.
#include <string.h>
#include "BertKernels.h"

size_t bk_packed_offset(int n, int k0, int kc, int panel) {
    return (size_t)k0 * bk_panel_count(n) * BK_PANEL_WIDTH + (size_t)panel * kc * BK_PANEL_WIDTH;
}

static float *slot(float *packed, int n, int k, int kk, int panel) {
    int k0 = kk / BK_DEPTH_BLOCK * BK_DEPTH_BLOCK;
    int kc = k - k0 < BK_DEPTH_BLOCK ? k - k0 : BK_DEPTH_BLOCK;
    return packed + bk_packed_offset(n, k0, kc, panel) + (size_t)(kk - k0) * BK_PANEL_WIDTH;
}

int bk_panel_count(int n) { return (n + BK_PANEL_WIDTH - 1) / BK_PANEL_WIDTH; }

size_t bk_packed_floats(int n, int k) { return (size_t)bk_panel_count(n) * BK_PANEL_WIDTH * (size_t)k; }

void bk_pack_nk(const float *w, int n, int k, int ldw, float *packed) {
    for (int p = 0; p < bk_panel_count(n); p++) {
        int cols = n - p * BK_PANEL_WIDTH < BK_PANEL_WIDTH ? n - p * BK_PANEL_WIDTH : BK_PANEL_WIDTH;
        for (int kk = 0; kk < k; kk++) {
            float *dst = slot(packed, n, k, kk, p);
            for (int j = 0; j < cols; j++) dst[j] = w[(size_t)(p * BK_PANEL_WIDTH + j) * ldw + kk];
            for (int j = cols; j < BK_PANEL_WIDTH; j++) dst[j] = 0.0f;
        }
    }
}

void bk_pack_kn(const float *b, int k, int n, int ldb, float *packed) {
    for (int p = 0; p < bk_panel_count(n); p++) {
        int cols = n - p * BK_PANEL_WIDTH < BK_PANEL_WIDTH ? n - p * BK_PANEL_WIDTH : BK_PANEL_WIDTH;
        for (int kk = 0; kk < k; kk++) {
            const float *src = b + (size_t)kk * ldb + p * BK_PANEL_WIDTH;
            float *dst = slot(packed, n, k, kk, p);
            memcpy(dst, src, sizeof(float) * (size_t)cols);
            if (cols < BK_PANEL_WIDTH) memset(dst + cols, 0, sizeof(float) * (size_t)(BK_PANEL_WIDTH - cols));
        }
    }
}
