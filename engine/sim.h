/* Runs a model: replications of the tick loop, with the outputs
 * (series.csv, summary.csv, annual.csv when the model has an annual table,
 * manifest.json) written atomically to an output directory. */
#ifndef PS_SIM_H
#define PS_SIM_H

#include "model.h"
#include "scenario.h"
#include "snapshot.h"
#include "warm_start.h"
#include "warmup.h"

/* Snapshots for a run: save every replication's state at the start of
 * save->h.week, or start every replication from `from`. */
typedef struct ps_snapshot_io {
    ps_snapshot *save;
    ps_snapshot *from;
} ps_snapshot_io;

typedef struct ps_run_options {
    const char *out_dir;
    const ps_timeline *timeline; /* compiled interventions, or NULL */
    int threads;      /* OpenMP threads (already applied by the caller) */
    int overwrite;    /* allow a non-empty output directory */
    int quiet;        /* no progress lines */
    const char *version;
    const ps_snapshot_io *snapshot; /* or NULL */
    const ps_warm_cache *cache;     /* warm states kept between runs; NULL: none */
    /* the scenario whose settled place the run starts from, when it is not
     * the run's own: a run with a policy starts from the baseline's warm
     * state, as every arm of a comparison does (NULL: the run's own) */
    const void *warm_place;
    const ps_scenario *warm_scen;
    /* compare only: replications added until this precision (NULL: the
     * scenario's replications); see experiment.h */
    struct ps_precision *precision;
} ps_run_options;

#define PS_MAX_PHASES 8

typedef struct ps_run_result {
    double wall_seconds;
    double citizen_weeks_per_second;
    int replications_done;
    /* seconds per phase of the tick, summed over replications; the model's
     * phases, then "observe" */
    size_t n_phases;
    const char *phase_names[PS_MAX_PHASES];
    double phase_seconds[PS_MAX_PHASES];
    /* of the model's phase seconds, those outside parallel regions, summed
     * over replications; negative when the model does not say */
    double serial_seconds;
    /* the warm-up and steadiness checks (ps_steady_free releases it) */
    ps_steady steady;
} ps_run_result;

/* When the place's model says this run is too small to stand for the
 * whole place, a one-line warning in msg (returns 1); else 0. */
int ps_size_warning(const ps_model_type *type, const void *place, char *msg, size_t size);

/* The first reported row a timeline can move: row at + 1 of its earliest
 * entry (weeks + 1 with none). */
int ps_timeline_first_effect(const ps_timeline *tl, int weeks);

/* Runs every replication of the scenario and writes the outputs. Returns 0
 * or a ps_status with d filled; on failure no complete-looking result file
 * is left behind (the manifest records "finished": false). */
int ps_sim_run(const ps_model_type *type, const void *place,
               const ps_scenario *scen, const ps_run_options *opt,
               ps_run_result *result, ps_diag *d);

/* One replication without outputs: steps from the warm-up to the horizon,
 * calling observe after the warm-up and after each reported week into
 * rows[(week) * n_metrics + m] when rows is not NULL (weeks + 1 rows).
 * For tests and library users. Returns 0 or a ps_status. */
int ps_sim_replication(const ps_model_type *type, const void *place,
                       const ps_run_settings *run, const ps_timeline *timeline,
                       unsigned replication, double *rows, const ps_snapshot_io *snap,
                       ps_diag *d);

/* A warm state in memory with the metrics observed at its week 0: every
 * arm of a comparison starts replication r from the same one. */
typedef struct ps_sim_start {
    const ps_state_blob *blob;
    const double *row0;
} ps_sim_start;

/* ps_sim_replication from a warm state in memory instead of a warm-up. */
int ps_sim_replication_from(const ps_model_type *type, const void *place,
                            const ps_run_settings *run, const ps_timeline *timeline,
                            unsigned replication, const ps_sim_start *start, double *rows,
                            ps_diag *d);

/* Compiles every entry of the timeline with the model (targets, shocks and
 * their keys); returns 0 or -1 with the problems in d. */
int ps_sim_compile_timeline(const ps_model_type *type, const void *place,
                            const ps_params *reg, ps_timeline *tl, ps_diag *d);

#endif
