// Panel layout: panel p holds columns [16p, 16p + 16); for each group of 4 depth steps it stores
// 64 bytes: columns 0-7 then 8-15, each column's 4 consecutive depth values together. That is
// the operand shape of vpmaddubsw + vpmaddwd (and vpdpbusd): one 32-bit lane = 4 products of one
// column. Columns past n and depth past k are zero, so they add nothing.
#include <string.h>
#include "BertInt8Kernels.h"

int bi8_padded_depth(int k) { return (k + BI8_DEPTH_STEP - 1) / BI8_DEPTH_STEP * BI8_DEPTH_STEP; }

int bi8_panel_count(int n) { return (n + BI8_PANEL_WIDTH - 1) / BI8_PANEL_WIDTH; }

size_t bi8_packed_bytes(int n, int k) {
    return (size_t)bi8_panel_count(n) * BI8_PANEL_WIDTH * (size_t)bi8_padded_depth(k);
}

void bi8_pack_weights(const int8_t *w, int n, int k, int8_t *packed) {
    int kp = bi8_padded_depth(k);
    memset(packed, 0, bi8_packed_bytes(n, k));
    for (int p = 0; p < bi8_panel_count(n); p++) {
        int8_t *panel = packed + (size_t)p * BI8_PANEL_WIDTH * kp;
        for (int col = 0; col < BI8_PANEL_WIDTH; col++) {
            int j = p * BI8_PANEL_WIDTH + col;
            if (j >= n) break;
            for (int kk = 0; kk < k; kk++) {
                size_t group = (size_t)(kk / 4) * 64;
                panel[group + (size_t)col * 4 + kk % 4] = w[(size_t)j * k + kk];
            }
        }
    }
}

int bi8_column_sums(const int8_t *w, int n, int k, int32_t *sums) {
    int padded = bi8_panel_count(n) * BI8_PANEL_WIDTH, largest = 0;
    for (int j = 0; j < padded; j++) {
        int32_t sum = 0;
        if (j < n)
            for (int kk = 0; kk < k; kk++) {
                int v = w[(size_t)j * k + kk];
                sum += v;
                if (v > largest) largest = v;
                if (-v > largest) largest = -v;
            }
        sums[j] = sum;
    }
    return largest;
}
