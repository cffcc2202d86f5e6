/* The model interface: a model is a table of hooks. The engine owns the
 * clock, the random keys, the replications, the parameter registry, the
 * scenario file and the outputs; the model owns its state and its parallel
 * loops (using engine/reduce.h for deterministic tallies). */
#ifndef PS_MODEL_H
#define PS_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "params.h"
#include "ps_error.h"
#include "rng.h"
#include "scenario.h"
#include "timeline.h"

typedef struct ps_step_ctx {
    int tick;        /* engine tick from 0, warm-up included */
    int week;        /* reported week; negative during warm-up */
    ps_rng_key key;  /* (seed, replication) */
} ps_step_ctx;

typedef struct ps_model_type {
    const char *name;
    /* top-level scenario groups the model reads (besides run and model) */
    const char *const *scenario_keys;
    size_t n_scenario_keys;

    /* Registers every parameter in the registry. Returns 0 or -1. */
    int (*declare)(ps_params *reg);
    /* Validates and builds the immutable place description shared by all
     * replications; NULL with problems in d. */
    void *(*load)(const ps_scenario *s, const ps_params *reg, ps_diag *d);
    void (*unload)(void *place);
    /* The number of citizens (for throughput figures). */
    long (*population)(const void *place);
    /* The adults of the whole place the simulated citizens stand for
     * (optional; the population when NULL): counts and costs are also
     * reported scaled to it. */
    long (*place_population)(const void *place);
    /* The fewest citizens a run may simulate and still stand for the whole
     * place (optional; 0: no limit). Commands warn below it. */
    long (*smallest_population)(const void *place);

    /* Bytes one replication's state will take (estimate, for the memory
     * guard that runs before anything is allocated). */
    size_t (*state_bytes)(const void *place);

    /* Snapshots (optional): the whole state to a file and back. restore
     * creates a state for (place, key) and reads it from fp. */
    int (*save)(const void *state, FILE *fp);
    void *(*restore)(const void *place, ps_rng_key key, FILE *fp, ps_diag *d);

    /* One replication's state. */
    void *(*create)(const void *place, ps_rng_key key, ps_diag *d);
    /* One tick, parallel inside. Returns 0, or a ps_status with d filled
     * (for example a non-finite value). */
    int (*step)(void *state, const ps_step_ctx *ctx, ps_diag *d);
    void (*destroy)(void *state);

    /* Per-week metrics: names, and one row of values. */
    size_t (*metric_names)(const void *place, const char *const **names);
    void (*observe)(const void *state, double *row);
    /* Per-year table (optional; NULL when the model has none): called after
     * the last tick of each reported year. */
    size_t (*annual_names)(const void *place, const char *const **names);
    void (*observe_year)(void *state, int year, double *row);

    /* Interventions (optional; NULL when the model has none). compile
     * checks an entry's target or shock and its own keys (the common keys
     * are in ps_timeline_common_keys) and returns a handle; apply moves an
     * intervention from level `from` to level `to` (0..1) between ticks. */
    void *(*intervention_compile)(const void *place, const ps_params *reg,
                                  const ps_intervention *iv, ps_diag *d);
    void (*intervention_free)(void *handle);
    void (*intervention_apply)(void *state, const ps_intervention *iv, double from,
                               double to);
    /* How many times faster than written ramps run in this state (>= 1). */
    double (*ramp_speed)(const void *state);
    /* +1 when a higher value of metric m is better, -1 when lower, 0 when
     * neither (for "share of replications in which the policy was better"). */
    int (*metric_direction)(const void *place, size_t m);
    /* Weekly cost metrics (money), totalled over the horizon with
     * discounting at discount_rate(place) a year. */
    const char *const *cost_metrics;
    size_t n_cost_metrics;
    /* what each cost metric is: "services", "crisis", "total" or a part
     * such as "crisis: unmet need" (optional) */
    const char *const *cost_kinds;
    double (*discount_rate)(const void *place);
    /* The headline metrics of a comparison (all on a 0-1 scale): printed,
     * and those that compare --precision brings to a target half-width. */
    const char *const *headline_metrics;
    size_t n_headline_metrics;
    /* The headline metrics whose initial transient (MSER-5) and steadiness
     * over the reported window every run checks (engine/warmup.h). */
    const char *const *steady_metrics;
    size_t n_steady_metrics;
    /* per steady metric, the drift (in its units) over the reported window
     * below which a detectable drift is immaterial */
    const double *steady_tolerance;
    /* The metrics that count people or places (a week's requests, open
     * cases ...): the report also gives them scaled to the whole place. */
    const char *const *count_metrics;
    size_t n_count_metrics;
    /* The metrics whose resilience to each dated shock is measured. */
    const char *const *resilience_metrics;
    size_t n_resilience_metrics;

    /* Profiling (optional): the phases of a tick and the seconds spent in
     * each so far by this replication. The engine adds "observe". */
    size_t (*phase_names)(const char *const **names);
    void (*phase_seconds)(const void *state, double *seconds);
    /* Of those seconds, the ones spent outside parallel regions (optional):
     * the part of a tick more threads cannot shorten. */
    double (*serial_seconds)(const void *state);
} ps_model_type;

#endif
