/* Paired comparison of arms with common random numbers: replication r of
 * every arm uses the key (seed, r), and every draw is keyed by entity, tick
 * and stream, so the same citizens meet the same luck in every arm and a
 * difference between arms comes from the policy, not from chance.
 *
 * Writes to the output directory: series.csv (arm, replication, week,
 * metrics), compare.csv (per metric and week: each arm's mean with a 95 %
 * interval, the paired difference with its 95 % t-interval, the unpaired
 * interval for reference, and the share of replications in which the
 * policy was better), resilience.csv and resilience_summary.csv (for every
 * dated shock), costs.csv (discounted totals of the model's cost metrics
 * per arm and their paired difference), manifest.json, and the report (report.html with its
 * charts). */
#ifndef PS_EXPERIMENT_H
#define PS_EXPERIMENT_H

#include "model.h"
#include "sim.h"

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
    const char *const *metric_names;
    double *rows; /* [arm][rep][week 0..weeks][metric] */
} ps_compare_data;

static inline double *ps_compare_at(const ps_compare_data *c, size_t arm, size_t rep,
                                    size_t week)
{
    return c->rows + ((arm * c->reps + rep) * (c->weeks + 1) + week) * c->n_metrics;
}

/* The mean of metric m over weeks 1..W in (arm, rep), NaN weeks skipped. */
double ps_compare_horizon_mean(const ps_compare_data *c, size_t arm, size_t rep, size_t m);

/* The discounted total over weeks 1..W of weekly metric m in (arm, rep):
 * week w counts (1 + rate)^-((w - 1) / 52). */
double ps_compare_discounted_total(const ps_compare_data *c, size_t arm, size_t rep, size_t m,
                                   double rate);

/* Runs the arms (2) and writes the outputs. Returns 0 or a ps_status. */
int ps_compare_run(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                   const ps_run_options *opt, ps_run_result *result, ps_diag *d);

/* Runs the arms into memory only (for tests); data->rows must be freed. */
int ps_compare_collect(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                       int quiet, const ps_snapshot_io *snap, ps_compare_data *data,
                       ps_diag *d);

/* The same in steps, for arms whose places differ from one replication to
 * the next (a diagnosis draws each replication's levels from a survey's
 * uncertainty): ps_compare_alloc sizes data for arms (data->rows must be
 * freed), then ps_compare_collect_replication runs replication rep of every
 * arm, with its key (seed, rep), into it. Returns 0 or a ps_status. */
int ps_compare_alloc(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                     ps_compare_data *data, ps_diag *d);
int ps_compare_collect_replication(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                                   size_t rep, const ps_snapshot_io *snap,
                                   ps_compare_data *data, ps_diag *d);

#endif
