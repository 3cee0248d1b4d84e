// BertInt8Kernels: the int8 runner's compute kernels. Weights are symmetric int8 per output
// channel, packed once into 16-column panels. Activations are quantized per row (per token),
// dynamically from each row's range or with one static scale, in one of three encodings: u8 with
// a per-row zero point when every weight lies in [-64, 64] (a vpmaddubsw pair then stays below
// 2 · 255 · 64 = 32640 and never saturates, so the kernel needs no sign trick); u7, the same in
// 7 bits, where two vpmaddubsw results add in int16 before widening (4 · 127 · 64 = 32512); else
// symmetric s8 in [-127, 127] multiplied with the sign trick. The GEMM accumulates in int32
// and fuses the zero-point correction, the requantization (activation scale × weight scale), the
// bias and an optional residual. Every entry point takes the instruction set to use, so the caller
// (and the tests) choose it; bi8_best_isa() picks at run time. No function allocates.
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
    BI8_ISA_AVX2 = 1,       ///< vpmaddubsw + vpmaddwd (no 16-bit saturation in either encoding)
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

/// The largest weight magnitude the u8 and u7 activation encodings multiply exactly.
#define BI8_U8_WEIGHT_LIMIT 64

/// How a row of quantized activations is stored.
typedef enum {
    BI8_ACTIVATIONS_S8 = 0, ///< symmetric, q in [-127, 127], x ≈ scale · q
    BI8_ACTIVATIONS_U8 = 1, ///< asymmetric, q in [0, 255], x ≈ scale · (q − zero_point)
    BI8_ACTIVATIONS_U7 = 2, ///< asymmetric, q in [0, 127]: one vpmaddwd per 8 depth steps
} bi8_activation_encoding;

/// Packs w[n][k] (PyTorch Linear layout, values in [-127, 127]) into zero-padded panels.
void bi8_pack_weights(const int8_t *w, int n, int k, int8_t *packed);

/// sums[j] = Σ_k w[j][k] for the panel-padded columns (zero past n): the u8 zero-point correction.
/// Returns the largest |w|, which decides the activation encoding.
int bi8_column_sums(const int8_t *w, int n, int k, int32_t *sums);

/// Quantizes rows [row_begin, row_end) of x[m][k] (stride ldx) into q (stride ldq ≥ padded
/// depth, padding zeroed) in `encoding` and writes each row's scale (and zero point for u8, u7).
/// static_scale > 0 uses that scale for every row (calibrated; s8 saturates at ±127, u8 takes
/// zero point 128 and saturates at 0 and 255, u7 zero point 64 and 0, 127). Otherwise s8 takes
/// scale = absmax / 127 and u8 the row's range widened to include 0: scale = (max − min) / 255
/// (127 for u7), zero point = round(−min / scale).
/// Rounding is to nearest even in every path.
void bi8_quantize_rows(int isa, int encoding, const float *x, int ldx, int k, float static_scale,
                       uint8_t *q, int ldq, float *scales, int32_t *zero_points, int row_begin, int row_end);

/// c[i][j] = a_scales[i] · w_scales[j] · (Σ_k qa[i][k] · w[j][k] − zp[i] · w_sums[j]) + bias[j]
/// (+ residual[i][j]) for output panels [panel_begin, panel_end); qa is in `encoding` (zero points
/// and w_sums are read only for u8 and u7). bias and residual may be NULL.
void bi8_gemm(int isa, int encoding, int m, int n, int k, const uint8_t *qa, int lda, const float *a_scales,
              const int32_t *a_zero_points, const int8_t *packed, const int32_t *w_sums, const float *w_scales,
              const float *bias, const float *residual, int ld_residual, float *c, int ldc,
              int panel_begin, int panel_end);

#endif
