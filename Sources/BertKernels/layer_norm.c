// LayerNorm over the last dimension, two-pass (mean, then centred variance) as PyTorch's CPU
// kernel does, so large-mean rows keep their precision.
#include "BertKernels.h"
#include "vecmath.h"

static void row_portable(const float *x, float *y, int n, const float *gamma, const float *beta, float eps) {
    float sum = 0.0f;
    for (int j = 0; j < n; j++) sum += x[j];
    float mean = sum / (float)n;
    float var = 0.0f;
    for (int j = 0; j < n; j++) { float d = x[j] - mean; var += d * d; }
    float inv = 1.0f / sqrtf(var / (float)n + eps);
    for (int j = 0; j < n; j++) y[j] = (x[j] - mean) * inv * gamma[j] + beta[j];
}

#if BK_X86
BK_INLINE BK_AVX2 float hsum256(__m256 v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static BK_AVX2 void row_avx2(const float *x, float *y, int n, const float *gamma, const float *beta, float eps) {
    int n8 = n & ~7;
    __m256 acc = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) acc = _mm256_add_ps(acc, _mm256_loadu_ps(x + j));
    float sum = hsum256(acc);
    for (int j = n8; j < n; j++) sum += x[j];
    float mean = sum / (float)n;
    __m256 vm = _mm256_set1_ps(mean);
    acc = _mm256_setzero_ps();
    for (int j = 0; j < n8; j += 8) {
        __m256 d = _mm256_sub_ps(_mm256_loadu_ps(x + j), vm);
        acc = _mm256_fmadd_ps(d, d, acc);
    }
    float var = hsum256(acc);
    for (int j = n8; j < n; j++) { float d = x[j] - mean; var += d * d; }
    float inv = 1.0f / sqrtf(var / (float)n + eps);
    __m256 vi = _mm256_set1_ps(inv);
    for (int j = 0; j < n8; j += 8) {
        __m256 d = _mm256_mul_ps(_mm256_sub_ps(_mm256_loadu_ps(x + j), vm), vi);
        _mm256_storeu_ps(y + j, _mm256_fmadd_ps(d, _mm256_loadu_ps(gamma + j), _mm256_loadu_ps(beta + j)));
    }
    for (int j = n8; j < n; j++) y[j] = (x[j] - mean) * inv * gamma[j] + beta[j];
}
#endif

void bk_layer_norm(int isa, const float *x, float *y, int rows, int n, int ld,
                   const float *gamma, const float *beta, float eps) {
    for (int i = 0; i < rows; i++) {
#if BK_X86
        if (isa == BK_ISA_AVX2) { row_avx2(x + (size_t)i * ld, y + (size_t)i * ld, n, gamma, beta, eps); continue; }
#endif
        row_portable(x + (size_t)i * ld, y + (size_t)i * ld, n, gamma, beta, eps);
    }
}
