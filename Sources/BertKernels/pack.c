// Packing into 16-column panels: panel p holds columns [16p, 16p + 16) for every k, k-major, so
// the micro-kernel reads one contiguous 64-byte row of B per k. Missing columns are zero.
#include <string.h>
#include "BertKernels.h"

int bk_panel_count(int n) { return (n + BK_PANEL_WIDTH - 1) / BK_PANEL_WIDTH; }

size_t bk_packed_floats(int n, int k) { return (size_t)bk_panel_count(n) * BK_PANEL_WIDTH * (size_t)k; }

void bk_pack_nk(const float *w, int n, int k, int ldw, float *packed) {
    for (int p = 0; p < bk_panel_count(n); p++) {
        float *panel = packed + (size_t)p * BK_PANEL_WIDTH * k;
        int cols = n - p * BK_PANEL_WIDTH < BK_PANEL_WIDTH ? n - p * BK_PANEL_WIDTH : BK_PANEL_WIDTH;
        if (cols < BK_PANEL_WIDTH) memset(panel, 0, sizeof(float) * BK_PANEL_WIDTH * (size_t)k);
        for (int j = 0; j < cols; j++) {
            const float *row = w + (size_t)(p * BK_PANEL_WIDTH + j) * ldw;
            for (int kk = 0; kk < k; kk++) panel[(size_t)kk * BK_PANEL_WIDTH + j] = row[kk];
        }
    }
}

void bk_pack_kn(const float *b, int k, int n, int ldb, float *packed) {
    for (int p = 0; p < bk_panel_count(n); p++) {
        float *panel = packed + (size_t)p * BK_PANEL_WIDTH * k;
        int cols = n - p * BK_PANEL_WIDTH < BK_PANEL_WIDTH ? n - p * BK_PANEL_WIDTH : BK_PANEL_WIDTH;
        for (int kk = 0; kk < k; kk++) {
            const float *src = b + (size_t)kk * ldb + p * BK_PANEL_WIDTH;
            float *dst = panel + (size_t)kk * BK_PANEL_WIDTH;
            memcpy(dst, src, sizeof(float) * (size_t)cols);
            if (cols < BK_PANEL_WIDTH) memset(dst + cols, 0, sizeof(float) * (size_t)(BK_PANEL_WIDTH - cols));
        }
    }
}
