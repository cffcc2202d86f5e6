#include "cpu_features.h"

#include <stdlib.h>

int ps_cpu_avx2(void)
{
    /* threads may ask at once: each computes the same answer */
    static int known = -1;
    int v = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (v < 0) {
#if defined(__x86_64__) && defined(__GNUC__)
        __builtin_cpu_init();
        v = __builtin_cpu_supports("avx2") && !getenv("PLACESIM_NO_AVX2") ? 1 : 0;
#else
        v = 0;
#endif
        __atomic_store_n(&known, v, __ATOMIC_RELAXED);
    }
    return v;
}
