/* Resilience of a series to a shock (Bruneau's resilience triangle):
 * baseline = mean of the `window` weeks before the shock; drawdown = the
 * largest fall below it; time to recover = weeks from the shock to the first
 * week after the trough back within 5 % of the fall (censored when that
 * never happens before the horizon); loss = the sum of the shortfall below
 * the baseline from the shock to recovery (or to the horizon). */
#ifndef PS_RESILIENCE_H
#define PS_RESILIENCE_H

#include <stddef.h>

typedef struct ps_resilience {
    double baseline;
    double drawdown;     /* >= 0, in the series' units */
    int trough_week;
    int recovered;       /* 0: not recovered by the horizon (censored) */
    int time_to_recover; /* weeks from the shock; the censoring time if not recovered */
    double loss;         /* shortfall-weeks */
} ps_resilience;

/* y[0..n) weekly values; shock at week t0 (0 < t0 < n); higher_is_better
 * says which way is a fall; window is the baseline length (13 by default).
 * Returns 0, or -1 on arguments it cannot use. NaN values are skipped. */
int ps_resilience_compute(const double *y, size_t n, size_t t0, int higher_is_better,
                          size_t window, double recover_fraction, ps_resilience *out);

/* Resilience measured against the paired baseline: the series is the
 * difference shocked - baseline of two runs that share their random
 * streams, each smoothed by a trailing mean of `smooth` weeks (1: none),
 * so that neither the baseline's own drift nor its noise counts as
 * drawdown or recovery. A shock that changes nothing has exactly zero
 * drawdown and loss. scratch: room for n values. Same returns as
 * ps_resilience_compute. */
int ps_resilience_paired(const double *shocked, const double *baseline, size_t n, size_t t0,
                         int higher_is_better, size_t window, double recover_fraction,
                         size_t smooth, double *scratch, ps_resilience *out);

/* The Kaplan-Meier median of times to recover when the runs that did not
 * recover are censored at the same time (the horizon): the smallest time
 * by which at least half have recovered, or -1 when fewer than half did. */
int ps_recovery_median(const int *times, const int *recovered, size_t n);

#endif
