#include "BertKernels.h"
#include "vecmath.h"

int bk_best_isa(void) {
#if BK_X86
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return BK_ISA_AVX2;
#endif
    return BK_ISA_PORTABLE;
}
