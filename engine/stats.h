/* Small statistics for experiments (GSL underneath): means with 95 %
 * t-intervals, paired differences, Welch's unpaired interval. */
#ifndef PS_STATS_H
#define PS_STATS_H

#include <stddef.h>

typedef struct ps_interval {
    double mean, lo, hi; /* lo, hi: NaN when n < 2 */
} ps_interval;

/* Mean of x with its 95 % t-interval. NaN values are skipped. */
ps_interval ps_mean_ci(const double *x, size_t n);
/* Mean of y - x over pairs (both not NaN) with its 95 % t-interval. */
ps_interval ps_paired_ci(const double *x, const double *y, size_t n);
/* The same at another two-sided confidence level (0 < level < 1). */
ps_interval ps_paired_ci_level(const double *x, const double *y, size_t n, double level);
/* Difference of means y - x treating the samples as independent (Welch). */
ps_interval ps_unpaired_ci(const double *x, const double *y, size_t n);

#endif
