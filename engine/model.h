/* The model interface: a model is a table of hooks. The engine owns the
 * clock, the random keys, the replications, the parameter registry, the
 * scenario file and the outputs; the model owns its state and its parallel
 * loops (using engine/reduce.h for deterministic tallies). */
#ifndef PS_MODEL_H
#define PS_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "metric.h"
#include "params.h"
#include "report_spec.h"
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
    /* why, for the warning: what goes wrong below it (optional) */
    const char *smallest_population_why;

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

    /* Per-week metrics: the model's table (engine/metric.h; names, labels,
     * units, which way is better, what the engine does with each), and
     * one row of values, column m described by row m of the table. */
    size_t (*metrics)(const void *place, const ps_metric **table);
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
    /* What the report shows of this model (engine/report_spec.h; NULL:
     * only what every report has). */
    const ps_report_spec *report;
    /* The yearly discount rate of the cost metrics (PS_METRIC_COST). */
    double (*discount_rate)(const void *place);
    /* Profiling (optional): the phases of a tick and the seconds spent in
     * each so far by this replication. The engine adds "observe". */
    size_t (*phase_names)(const char *const **names);
    void (*phase_seconds)(const void *state, double *seconds);
    /* Of those seconds, the ones spent outside parallel regions (optional):
     * the part of a tick more threads cannot shorten. */
    double (*serial_seconds)(const void *state);
} ps_model_type;

/* The number of the model's weekly metrics in this place. */
static inline size_t ps_model_metric_count(const ps_model_type *type, const void *place)
{
    const ps_metric *table;
    return type->metrics(place, &table);
}

#endif
