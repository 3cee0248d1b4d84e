// Internal: AVX2 and scalar elementwise math shared by the kernels (exp after Cephes' expf,
// erf after Abramowitz & Stegun 7.1.26, |error| < 1.5e-7, well inside the 1e-4 goldens tolerance).
#ifndef BK_VECMATH_H
#define BK_VECMATH_H

#include <math.h>
#include "BertKernels.h"

/// Whether the x86 AVX2 kernels are compiled in (-DBK_NO_X86 checks the portable build on x86).
#if defined(__x86_64__) && !defined(BK_NO_X86)
#define BK_X86 1
#else
#define BK_X86 0
#endif

#if BK_X86
#include <immintrin.h>
#endif

#define BK_AVX2 __attribute__((target("avx2,fma")))
#define BK_INLINE static inline __attribute__((always_inline))


BK_INLINE float bk_act_scalar(float x, int act) {
    switch (act) {
    case BK_ACT_GELU_ERF: return 0.5f * x * (1.0f + erff(x * 0.70710678118654752f));
    case BK_ACT_GELU_TANH: return 0.5f * x * (1.0f + tanhf(0.79788456080286536f * (x + 0.044715f * x * x * x)));
    case BK_ACT_RELU: return x > 0.0f ? x : 0.0f;
    case BK_ACT_SILU: return x / (1.0f + expf(-x));
    case BK_ACT_TANH: return tanhf(x);
    default: return x;
    }
}

#if BK_X86
BK_INLINE BK_AVX2 __m256 bk_exp256(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3f));
    __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_fmadd_ps(y, _mm256_mul_ps(x, x), _mm256_add_ps(x, _mm256_set1_ps(1.0f)));
    __m256i n = _mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127));
    return _mm256_mul_ps(y, _mm256_castsi256_ps(_mm256_slli_epi32(n, 23)));
}

BK_INLINE BK_AVX2 __m256 bk_tanh256(__m256 x) {
    __m256 sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
    __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    __m256 t = bk_exp256(_mm256_mul_ps(ax, _mm256_set1_ps(-2.0f)));
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 r = _mm256_div_ps(_mm256_sub_ps(one, t), _mm256_add_ps(one, t));
    return _mm256_or_ps(r, sign);
}

BK_INLINE BK_AVX2 __m256 bk_erf256(__m256 x) {
    __m256 sign = _mm256_and_ps(x, _mm256_set1_ps(-0.0f));
    __m256 ax = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), x);
    __m256 one = _mm256_set1_ps(1.0f);
    __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(ax, _mm256_set1_ps(0.3275911f), one));
    __m256 p = _mm256_set1_ps(1.061405429f);
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-1.453152027f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(1.421413741f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(-0.284496736f));
    p = _mm256_fmadd_ps(p, t, _mm256_set1_ps(0.254829592f));
    p = _mm256_mul_ps(p, t);
    __m256 e = bk_exp256(_mm256_mul_ps(_mm256_mul_ps(ax, ax), _mm256_set1_ps(-1.0f)));
    __m256 r = _mm256_fnmadd_ps(p, e, one);
    return _mm256_or_ps(r, sign);
}

BK_INLINE BK_AVX2 __m256 bk_act256(__m256 x, int act) {
    __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f);
    switch (act) {
    case BK_ACT_GELU_ERF:
        return _mm256_mul_ps(_mm256_mul_ps(half, x),
                             _mm256_add_ps(one, bk_erf256(_mm256_mul_ps(x, _mm256_set1_ps(0.70710678118654752f)))));
    case BK_ACT_GELU_TANH: {
        __m256 x3 = _mm256_mul_ps(_mm256_mul_ps(x, x), x);
        __m256 inner = _mm256_mul_ps(_mm256_set1_ps(0.79788456080286536f),
                                     _mm256_fmadd_ps(x3, _mm256_set1_ps(0.044715f), x));
        return _mm256_mul_ps(_mm256_mul_ps(half, x), _mm256_add_ps(one, bk_tanh256(inner)));
    }
    case BK_ACT_RELU: return _mm256_max_ps(x, _mm256_setzero_ps());
    case BK_ACT_SILU:
        return _mm256_div_ps(x, _mm256_add_ps(one, bk_exp256(_mm256_sub_ps(_mm256_setzero_ps(), x))));
    case BK_ACT_TANH: return bk_tanh256(x);
    default: return x;
    }
}
#endif

#endif
