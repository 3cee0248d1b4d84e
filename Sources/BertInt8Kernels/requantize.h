// Internal: the scalar requantization every GEMM path ends with, so all paths round alike.
#ifndef BI8_REQUANTIZE_H
#define BI8_REQUANTIZE_H

#include <stdint.h>

/// c[j] = (acc[j] − zero_point · w_sums[j]) · (row_scale · w_scales[j]) + bias[j] + residual[j]
/// for j < nvalid; w_sums is NULL for s8 activations (no zero point).
static inline void bi8_store_row(const int32_t *acc, int nvalid, float row_scale, int32_t zero_point,
                                 const int32_t *w_sums, const float *w_scales, const float *bias,
                                 const float *residual, float *c) {
    for (int j = 0; j < nvalid; j++) {
        int32_t corrected = w_sums ? acc[j] - zero_point * w_sums[j] : acc[j];
        float v = (float)corrected * (row_scale * w_scales[j]);
        if (bias) v += bias[j];
        if (residual) v += residual[j];
        c[j] = v;
    }
}

/// The VNNI micro-kernel (gemm_vnni.c); returns 0 when this build has none.
int bi8_kernel_vnni(int mr, int kp, const int8_t *a, int lda, const int8_t *b, int nvalid,
                    const float *a_scales, const float *w_scales, const float *bias,
                    const float *residual, int ld_residual, float *c, int ldc);

#endif
