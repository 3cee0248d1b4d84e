#include "BertInt8Kernels.h"

int bi8_best_isa(void) {
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512vnni") && __builtin_cpu_supports("avx512vl")) return BI8_ISA_AVX512VNNI;
    if (__builtin_cpu_supports("avx2")) return BI8_ISA_AVX2;
#endif
    return BI8_ISA_PORTABLE;
}
