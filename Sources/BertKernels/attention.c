// Scaled dot-product attention one (example, head) at a time, so only one head's scores
// [seq × keys] exist per thread. Keys past the last real token are dropped from both products;
// masked keys inside that range get probability 0, as HF's additive finfo.min mask gives them.
// A query with no visible key gets a uniform distribution, which is what that mask yields too.
#include "BertKernels.h"
#include "vecmath.h"

static int round16(int n) { return (n + 15) & ~15; }

size_t bk_attention_scratch_floats(int seq, int head_dim) {
    return bk_packed_floats(seq, head_dim) + bk_packed_floats(head_dim, seq) + (size_t)seq * round16(seq);
}

static void softmax_portable(float *row, int limit, int keys, const float *mask, float scale) {
    float max = -INFINITY;
    for (int j = 0; j < limit; j++) if (mask[j] > 0.0f && row[j] * scale > max) max = row[j] * scale;
    if (max == -INFINITY) {
        for (int j = 0; j < limit; j++) row[j] = 1.0f / (float)limit;
    } else {
        float sum = 0.0f;
        for (int j = 0; j < limit; j++) {
            float e = mask[j] > 0.0f ? expf(row[j] * scale - max) : 0.0f;
            row[j] = e;
            sum += e;
        }
        float inv = 1.0f / sum;
        for (int j = 0; j < limit; j++) row[j] *= inv;
    }
    for (int j = limit; j < keys; j++) row[j] = 0.0f;
}

#if BK_X86
static BK_AVX2 void softmax_avx2(float *row, int limit, int keys, const float *mask, float scale) {
    int n8 = limit & ~7;
    __m256 vs = _mm256_set1_ps(scale), zero = _mm256_setzero_ps(), ninf = _mm256_set1_ps(-INFINITY);
    __m256 vmax = ninf;
    for (int j = 0; j < n8; j += 8) {
        __m256 real = _mm256_cmp_ps(_mm256_loadu_ps(mask + j), zero, _CMP_GT_OQ);
        __m256 x = _mm256_blendv_ps(ninf, _mm256_mul_ps(_mm256_loadu_ps(row + j), vs), real);
        vmax = _mm256_max_ps(vmax, x);
    }
    float lanes[8];
    _mm256_storeu_ps(lanes, vmax);
    float max = -INFINITY;
    for (int l = 0; l < 8; l++) if (lanes[l] > max) max = lanes[l];
    for (int j = n8; j < limit; j++) if (mask[j] > 0.0f && row[j] * scale > max) max = row[j] * scale;
    if (max == -INFINITY) { softmax_portable(row, limit, keys, mask, scale); return; }
    __m256 vm = _mm256_set1_ps(max), vsum = zero;
    for (int j = 0; j < n8; j += 8) {
        __m256 real = _mm256_cmp_ps(_mm256_loadu_ps(mask + j), zero, _CMP_GT_OQ);
        __m256 e = bk_exp256(_mm256_fmsub_ps(_mm256_loadu_ps(row + j), vs, vm));
        e = _mm256_and_ps(e, real);
        vsum = _mm256_add_ps(vsum, e);
        _mm256_storeu_ps(row + j, e);
    }
    _mm256_storeu_ps(lanes, vsum);
    float sum = 0.0f;
    for (int l = 0; l < 8; l++) sum += lanes[l];
    for (int j = n8; j < limit; j++) {
        float e = mask[j] > 0.0f ? expf(row[j] * scale - max) : 0.0f;
        row[j] = e;
        sum += e;
    }
    __m256 vi = _mm256_set1_ps(1.0f / sum);
    for (int j = 0; j < n8; j += 8) _mm256_storeu_ps(row + j, _mm256_mul_ps(_mm256_loadu_ps(row + j), vi));
    for (int j = n8; j < limit; j++) row[j] *= 1.0f / sum;
    for (int j = limit; j < keys; j++) row[j] = 0.0f;
}
#endif

void bk_attention(int isa, const float *q, const float *k, const float *v, int ld_qkv,
                  const float *key_mask, int batch, int seq, int heads, int head_dim,
                  int causal, float scale, float *ctx, int ld_ctx,
                  int task_begin, int task_end, float *scratch) {
    (void)batch;
    float *packed_k = scratch;
    float *packed_v = packed_k + bk_packed_floats(seq, head_dim);
    float *scores = packed_v + bk_packed_floats(head_dim, seq);
    int ld_scores = round16(seq);
    for (int task = task_begin; task < task_end; task++) {
        int b = task / heads, h = task % heads;
        const float *mask = key_mask + (size_t)b * seq;
        int keys = seq;
        while (keys > 0 && !(mask[keys - 1] > 0.0f)) keys--;
        if (keys == 0) keys = seq;
        size_t base = (size_t)b * seq * ld_qkv + (size_t)h * head_dim;
        bk_pack_nk(k + base, keys, head_dim, ld_qkv, packed_k);
        bk_gemm_packed(isa, seq, keys, head_dim, q + base, ld_qkv, packed_k, scores, ld_scores, 0, 0,
                       bk_panel_count(keys));
        for (int i = 0; i < seq; i++) {
            int limit = causal && i + 1 < keys ? i + 1 : keys;
            float *row = scores + (size_t)i * ld_scores;
#if BK_X86
            if (isa == BK_ISA_AVX2) { softmax_avx2(row, limit, keys, mask, scale); continue; }
#endif
            softmax_portable(row, limit, keys, mask, scale);
        }
        bk_pack_kn(v + base, keys, head_dim, ld_qkv, packed_v);
        float *out = ctx + (size_t)b * seq * ld_ctx + (size_t)h * head_dim;
        bk_gemm_packed(isa, seq, head_dim, keys, scores, ld_scores, packed_v, out, ld_ctx, 0, 0,
                       bk_panel_count(head_dim));
    }
}
