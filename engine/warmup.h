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
#include <stdio.h>

#include "metric.h"
#include "stats.h"

#define PS_MSER_BATCH 5

typedef struct ps_mser {
    size_t truncate;  /* observations to drop (a multiple of the batch size) */
    size_t batches;   /* batch means the series made */
    size_t bound;     /* the largest truncation allowed (half the batches): a
                       * truncation there means the series is too short to
                       * show the transient's end */
    double statistic; /* MSER at the chosen truncation */
} ps_mser;

/* MSER-5 on y[0..n). NaN observations are left out of their batch's mean
 * (a batch with none is left out of the statistic). Returns 0, or -1 when
 * the series has fewer than two complete batches. */
int ps_mser5(const double *y, size_t n, ps_mser *out);

/* The drift of a window over replications: x[r * stride + t] for
 * replication r < reps and t < n; part is the length of the first and of
 * the last part (part <= n / 2). The interval, at the two-sided confidence
 * level given, is of (last - first), paired by replication; NaN
 * observations are skipped within a part. */
ps_interval ps_window_drift(const double *x, size_t reps, size_t stride, size_t n, size_t part,
                            double level);

/* What a run's steady-state checks found (ps_steady_assess). */
typedef struct ps_steady_metric {
    size_t metric;        /* index among the model's metrics */
    int transient_end;    /* week (from week 0; negative: inside the warm-up)
                           * where MSER-5 ends its transient */
    int resolved;         /* MSER-5 found the end before its bound */
    ps_interval drift;    /* last part - first part of the checked window */
    double tolerance;     /* a drift smaller than this is immaterial */
    int drift_ok;         /* the interval covers 0, or the drift is below the
                           * tolerance (or it was not tested) */
} ps_steady_metric;

typedef struct ps_steady {
    int warmup;           /* weeks simulated before week 0 */
    int checked_weeks;    /* reported weeks before the first intervention acts */
    int part;             /* weeks in each part of the drift test (0: not tested) */
    double level;         /* its confidence level, Bonferroni over the metrics */
    size_t reps;
    size_t n;
    ps_steady_metric *m;  /* n of them */
    int transient_end;    /* the latest over the metrics */
    size_t slowest;       /* which one (index into m) */
    int covered;          /* every transient resolved and over by week 0: the
                           * warm-up holds it */
    int steady;           /* every drift interval covers 0 */
    size_t reps_from_cache;
} ps_steady;

/* Applies MSER-5 to each steady metric of each replication, over the
 * warm-up and the reported weeks before the first intervention acts (the
 * transient ends at the median truncation over replications), and the
 * drift test to those reported weeks. warm: [rep][tick < warmup][n]
 * (NULL when the warm-up was not observed); rows: the replications'
 * reported rows, rows + (rep * (weeks + 1) + week) * nm, week 0..weeks;
 * track: the n metrics' indices among nm, tolerance their immaterial
 * drifts (NULL: any detectable drift counts); first_effect: the first reported
 * row an intervention can move (weeks + 1 with none). Returns 0 or -1 (out
 * of memory); ps_steady_free releases out. */
int ps_steady_assess(const double *warm, const double *rows, size_t reps, int warmup, int weeks,
                     const size_t *track, const double *tolerance, size_t n, size_t nm,
                     int first_effect, ps_steady *out);
void ps_steady_free(ps_steady *s);

/* The checks as a JSON object (for manifest.json); metrics: the model's
 * metric table. */
void ps_steady_write_json(FILE *fp, const ps_steady *s, const ps_metric *metrics);

#endif
