// BertInt8Kernels: the int8 runner's compute kernels. Weights are symmetric int8 per output
// channel, packed once into 16-column panels; activations are quantized per row (per token) to
// symmetric int8 in [-127, 127], dynamically from each row's absmax or with one static scale.
// The GEMM accumulates in int32 and fuses the requantization (activation scale × weight scale),
// the bias and an optional residual. Every entry point takes the instruction set to use, so the
// caller (and the tests) choose it; bi8_best_isa() picks at run time. No function allocates.
#ifndef BERT_INT8_KERNELS_H
#define BERT_INT8_KERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Columns per packed weight panel.
#define BI8_PANEL_WIDTH 16
/// Depth granularity: rows of packed weights and quantized activations are padded to this.
#define BI8_DEPTH_STEP 4

/// Which kernel family a call runs.
typedef enum {
    BI8_ISA_PORTABLE = 0,   ///< plain C: the reference every other path must match exactly
    BI8_ISA_AVX2 = 1,       ///< vpmaddubsw + vpmaddwd with the sign trick (no 16-bit saturation)
    BI8_ISA_AVX512VNNI = 2, ///< vpdpbusd on 256-bit registers (AVX512-VNNI + VL); untested here
} bi8_isa;

/// The best kernel family this CPU runs.
int bi8_best_isa(void);

/// `k` rounded up to BI8_DEPTH_STEP: the row stride of quantized activations.
int bi8_padded_depth(int k);
/// Number of 16-column panels for n output columns.
int bi8_panel_count(int n);
/// Bytes a packed n × k weight matrix occupies.
size_t bi8_packed_bytes(int n, int k);

/// Packs w[n][k] (PyTorch Linear layout, values in [-127, 127]) into zero-padded panels.
void bi8_pack_weights(const int8_t *w, int n, int k, int8_t *packed);

/// Quantizes rows [row_begin, row_end) of x[m][k] (stride ldx) into q (stride ldq ≥ padded
/// depth, padding zeroed) and writes each row's scale. static_scale > 0 uses that scale for
/// every row (calibrated, saturating at ±127); otherwise scale = absmax / 127 per row.
/// Rounding is to nearest even in every path.
void bi8_quantize_rows(int isa, const float *x, int ldx, int k, float static_scale,
                       int8_t *q, int ldq, float *scales, int row_begin, int row_end);

/// c[i][j] = a_scales[i] · w_scales[j] · Σ_k qa[i][k] · w[j][k] + bias[j] (+ residual[i][j])
/// for output panels [panel_begin, panel_end). bias and residual may be NULL.
void bi8_gemm(int isa, int m, int n, int k, const int8_t *qa, int lda, const float *a_scales,
              const int8_t *packed, const float *w_scales, const float *bias,
              const float *residual, int ld_residual, float *c, int ldc,
              int panel_begin, int panel_end);

#endif
