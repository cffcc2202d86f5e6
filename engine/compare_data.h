/* The numbers of a finished comparison (or of a run, as one arm): every
 * arm's weekly metrics per replication, with the baseline's steadiness
 * checks. engine/experiment.c fills it; reports and diagnoses read it. */
#ifndef PS_COMPARE_DATA_H
#define PS_COMPARE_DATA_H

#include <stddef.h>

#include "metric.h"
#include "scenario.h"
#include "timeline.h"
#include "warmup.h"

typedef struct ps_arm {
    const char *name;         /* "baseline", or the policy's name */
    const char *description;
    const void *place;
    const ps_scenario *scen;
    const ps_timeline *timeline;
} ps_arm;

/* All the numbers of a finished comparison, for reports and tests. */
typedef struct ps_compare_data {
    size_t n_arms, reps, weeks, n_metrics;
    size_t reps_alloc; /* replications the rows have room for (>= reps) */
    const ps_metric *metrics; /* the model's table: n_metrics rows */
    double *rows; /* [arm][rep][week 0..weeks][metric] */
    const ps_steady *steady; /* the baseline's warm-up and steadiness checks, or NULL */
    /* the baseline's warm-up series of the model's steady metrics,
     * [rep][tick][metric] (ps_compare_alloc), and how many replications
     * found their warm state in the cache */
    size_t n_track;
    size_t *track;
    double *tolerance;
    size_t reps_computed; /* replications run (with --precision, more than kept) */
    int warmup;
    double *warm;
    size_t reps_from_cache;
} ps_compare_data;

/* Frees what ps_compare_alloc allocated. */
void ps_compare_data_free(ps_compare_data *c);

static inline double *ps_compare_at(const ps_compare_data *c, size_t arm, size_t rep,
                                    size_t week)
{
    size_t stride = c->reps_alloc > c->reps ? c->reps_alloc : c->reps;
    return c->rows + ((arm * stride + rep) * (c->weeks + 1) + week) * c->n_metrics;
}

/* The mean of metric m over weeks 1..W in (arm, rep), NaN weeks skipped. */
double ps_compare_horizon_mean(const ps_compare_data *c, size_t arm, size_t rep, size_t m);

/* The discounted total over weeks 1..W of weekly metric m in (arm, rep):
 * week w counts (1 + rate)^-((w - 1) / 52). */
double ps_compare_discounted_total(const ps_compare_data *c, size_t arm, size_t rep, size_t m,
                                   double rate);

#endif
