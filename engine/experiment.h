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

#include "compare_data.h"
#include "model.h"
#include "sim.h"
#include "warmup.h"

/* How the arms of a replication start. */
typedef struct ps_compare_start {
    /* 1: every arm starts from the baseline's (arm 0's) warm state, so a
     * policy acts on the settled place from week 0 and the arms are the
     * same until it does; 0: each arm warms up its own place (arms whose
     * places differ from the start) */
    int branch;
    const ps_warm_cache *cache; /* NULL: none */
    const ps_snapshot_io *snapshot; /* every arm from a snapshot file (NULL: none) */
} ps_compare_start;

/* The precision a comparison is run to (compare --precision): replications
 * are added in batches until the 95 % half-width of the paired difference
 * of every headline metric (PS_METRIC_HEADLINE; the mean over
 * the reported weeks) is at most `half_width`, or `max_reps` are done. The
 * number kept is the smallest n >= the scenario's replications at which
 * the target holds, whatever the batch size, so the result does not depend
 * on it (nor on the thread count). */
typedef struct ps_precision {
    double half_width; /* 0: off (the scenario's replications) */
    size_t max_reps;
    size_t batch;
    /* filled by the run */
    int met;
    size_t reps;
    double worst_half_width;
    const char *worst_metric;
} ps_precision;

/* Whether the first n replications of c meet the half-width for every
 * headline metric; *worst gets the largest half-width (and its metric). */
int ps_compare_precise(const ps_model_type *type, const void *place, const ps_compare_data *c,
                       size_t n, double half_width, double *worst, const char **worst_metric);

/* How a paired difference reads: "no detectable effect" when its interval
 * covers 0 (or is undefined), else "better"/"worse" by the metric's
 * direction ("higher"/"lower" for a metric with none). */
const char *ps_effect_label(ps_interval diff, int direction);

/* Runs the arms (2) and writes the outputs. Returns 0 or a ps_status. */
int ps_compare_run(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                   const ps_run_options *opt, ps_run_result *result, ps_diag *d);

/* Runs the arms into memory only (for tests); data->rows must be freed. */
int ps_compare_collect(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                       int quiet, const ps_compare_start *start, ps_compare_data *data,
                       ps_diag *d);

/* The same in steps, for arms whose places differ from one replication to
 * the next (a diagnosis draws each replication's levels from a survey's
 * uncertainty): ps_compare_alloc sizes data for arms (data->rows must be
 * freed), then ps_compare_collect_replication runs replication rep of every
 * arm, with its key (seed, rep), into it. Returns 0 or a ps_status. */
int ps_compare_alloc(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                     ps_compare_data *data, ps_diag *d);
int ps_compare_collect_replication(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                                   size_t rep, const ps_compare_start *start,
                                   ps_compare_data *data, ps_diag *d);

#endif
