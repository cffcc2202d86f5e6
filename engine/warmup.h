/* Where a simulation's initial transient ends, and whether what follows
 * is steady.
 *
 * Truncation: MSER-5 (White 1997, "An effective truncation heuristic for
 * bias reduction in simulation output", Simulation 69(6); Franklin and
 * White 2008, "Stationarity tests and MSER-5: exploring the intuition
 * behind mean-squared-error-reduction in warm-up period determination",
 * Proc. Winter Simulation Conference). The series is cut into batch means
 * of 5 observations b_1..b_m; for each candidate truncation d (in batches,
 * d <= m/2) MSER(d) = sum_{j>d} (b_j - mean_{j>d} b)^2 / (m - d)^2, and
 * the transient is taken to end where MSER is smallest: dropping more
 * removes bias, dropping too much leaves too few observations, and the
 * statistic balances the two.
 *
 * Steadiness of a reported window: a Geweke-type comparison (Geweke 1992)
 * of the window's start and end. Geweke estimates the variance of each
 * part's mean from the series' own autocorrelation; with independent
 * replications of the same run the variance of the difference comes
 * directly from the replications, with no spectral estimate: the paired
 * t-interval over replications of (mean of the last part - mean of the
 * first part). The window is steady for that metric when the interval
 * covers 0. */
#ifndef PS_WARMUP_H
#define PS_WARMUP_H

#include <stddef.h>

#include "stats.h"

#define PS_MSER_BATCH 5

typedef struct ps_mser {
    size_t truncate;  /* observations to drop (a multiple of the batch size) */
    size_t batches;   /* batch means the series made */
    double statistic; /* MSER at the chosen truncation */
} ps_mser;

/* MSER-5 on y[0..n). NaN observations are left out of their batch's mean
 * (a batch with none is left out of the statistic). Returns 0, or -1 when
 * the series has fewer than two complete batches. */
int ps_mser5(const double *y, size_t n, ps_mser *out);

/* The drift of a window over replications: x[r * stride + t] for
 * replication r < reps and t < n; part is the length of the first and of
 * the last part (part <= n / 2). The interval is of (last - first), paired
 * by replication; NaN observations are skipped within a part. */
ps_interval ps_window_drift(const double *x, size_t reps, size_t stride, size_t n, size_t part);

#endif
