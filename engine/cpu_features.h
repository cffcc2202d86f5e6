/* Which vector instructions the hot loops may use. Every vector path in
 * placesim computes the same bits as its portable twin (integer arithmetic,
 * or the same IEEE operations in the same order with no fused multiply-add),
 * so this choice changes speed, never results. */
#ifndef PS_CPU_FEATURES_H
#define PS_CPU_FEATURES_H

/* 1 when the CPU has AVX2 and the environment does not set
 * PLACESIM_NO_AVX2 (any value), which times the portable paths on the same
 * machine. Decided once per process. */
int ps_cpu_avx2(void);

#endif
