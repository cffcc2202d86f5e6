/* Parameter sweeps: many runs of one scenario with factors varied by a
 * design, for global sensitivity analysis (docs/sweep.md).
 *
 * A sweep file (libconfig) names the scenario, the factors (any parameter,
 * or any numeric scenario setting through a path with selectors such as
 * "actors.[kind=statutory].capacity" or "actors.[*].preconditions.E"),
 * each with a distribution or levels and an operation (set, scale or add
 * to the scenario's own value), the design, the replications per point and
 * the metrics to record.
 *
 * Every run is one replication of one design point: run = point * R + r,
 * with the scenario key (seed, r), so points share their random streams
 * (common random numbers) unless seeds = "per_point" (seed + point). A run
 * is exactly `placesim run SCENARIO --set ... --seed S --reps r+1`'s
 * replication r (`placesim sweep FILE --show RUN` prints that command).
 *
 * Outputs in the sweep's directory:
 *   runs.csv     one row per run: run, point, replication, seed, status,
 *                the factor values, the metrics and the error of a failed
 *                run. While the sweep runs it is a journal: each finished
 *                run is appended, flushed and synced before it is counted,
 *                so --resume after a crash at any moment runs only what is
 *                missing. When every run is done it is rewritten in run
 *                order (by rename), the same bytes however it was computed.
 *   indices.csv  Sobol (saltelli) or Morris (morris) indices per metric
 *   report.html  the indices as bars and each metric against each factor
 *   sweep.json   the manifest: what was swept, hashes, whether finished */
#ifndef PS_SWEEP_H
#define PS_SWEEP_H

#include <libconfig.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "ps_error.h"

enum ps_sweep_design {
    PS_SWEEP_FACTORIAL, PS_SWEEP_RANDOM, PS_SWEEP_LHS, PS_SWEEP_SOBOL,
    PS_SWEEP_SALTELLI, PS_SWEEP_MORRIS, PS_SWEEP_MATRIX
};
enum ps_sweep_dist { PS_DIST_UNIFORM, PS_DIST_NORMAL, PS_DIST_LOGUNIFORM, PS_DIST_DISCRETE };
enum ps_sweep_op { PS_FACTOR_SET, PS_FACTOR_SCALE, PS_FACTOR_ADD };

/* The names the sweep file uses for a design, a distribution and an
 * operation (for messages, manifests and reports). */
extern const char *const ps_sweep_design_names[];
extern const char *const ps_sweep_dist_names[];
extern const char *const ps_sweep_op_names[];

typedef struct ps_sweep_factor {
    const char *name, *path; /* owned by the sweep file's tree */
    const config_setting_t *where;
    int op, dist;
    double min, max, mean, sd;
    double *levels;  /* discrete levels (sorted as written) */
    size_t n_levels;
    /* resolved against the scenario: the settings the path names, their
     * values there, and how each is written (0 real, 1 whole, 2 boolean) */
    char **paths;
    double *base;
    int *kind;
    size_t n_paths;
} ps_sweep_factor;

typedef struct ps_sweep_metric {
    const char *metric;
    char column[192];
    size_t index;  /* in the model's metrics */
    int from, to;  /* mean over these reported weeks (from == to: one week) */
} ps_sweep_metric;

typedef struct ps_sweep {
    char path[1024];
    config_t cfg;
    int live;
    const char *name;
    char scenario[1024];  /* resolved against the sweep file's directory */
    const char **sets;    /* overrides for every run (owned by cfg) */
    size_t n_sets;
    int design;
    size_t samples;
    int replications;
    uint64_t seed;
    int per_point_seeds;
    size_t bootstrap;
    int morris_levels, factorial_levels;
    char matrix[1024];
    ps_sweep_factor *factors;
    size_t k;
    const config_setting_t *metrics_setting;
    ps_sweep_metric *metrics;
    size_t n_metrics;
    uint64_t hash;  /* of the sweep file, the scenario and the matrix */
    size_t state_bytes; /* one run's state at the scenario's own values */
    long population;

    /* the design, built by ps_sweep_prepare */
    size_t n_points;
    double *unit;   /* n_points x k in [0, 1] (NULL for a matrix) */
    double *x;      /* n_points x k factor values */
    size_t *morris_order;
    int fallback;   /* the Saltelli/Sobol points came from a Latin hypercube */
    char notes[4][256];
    int n_notes;
} ps_sweep;

/* Reads and checks a sweep file. Returns 0 or -1 (problems in d);
 * ps_sweep_close must be called either way. */
int ps_sweep_open(ps_sweep *sw, const char *path, ps_diag *d);
void ps_sweep_close(ps_sweep *sw);

/* Loads the scenario for the model, resolves every factor's path and
 * metric against it, and builds the design. Returns 0 or -1. */
int ps_sweep_prepare(ps_sweep *sw, const ps_model_type *type, ps_diag *d);

static inline size_t ps_sweep_run_count(const ps_sweep *sw)
{
    return sw->n_points * (size_t)sw->replications;
}

/* The seed of a point's runs. */
uint64_t ps_sweep_seed(const ps_sweep *sw, size_t point);

/* The overrides that make run `run` (the sweep's own, then one
 * "path=value" per resolved setting of each factor, then the seed) into
 * *sets (malloc'd strings in a malloc'd array). Returns the count, or -1. */
long ps_sweep_run_sets(const ps_sweep *sw, size_t run, char ***sets);
void ps_sweep_free_sets(char **sets, size_t n);

/* ---- running ------------------------------------------------------------ */

typedef struct ps_sweep_options {
    const char *out_dir;
    int resume, overwrite, quiet, force_memory;
    int threads;  /* runs at once in this process */
    const char *version;
} ps_sweep_options;

typedef struct ps_sweep_outcome {
    size_t runs, resumed, done_now, failed;
    int started;    /* the journal was opened: runs.csv holds what finished */
    int finished;   /* every run has a row and runs.csv is final */
    int rank, ranks; /* MPI: this process and how many (1 without MPI) */
    double wall_seconds;
} ps_sweep_outcome;

/* Runs what is missing of the sweep (all of it unless resuming), then
 * analyses and reports. Returns 0, PS_SWEEP_RUNS_FAILED when some runs
 * failed (each is reported on stderr and recorded in runs.csv), or a
 * ps_status with d filled. */
#define PS_SWEEP_RUNS_FAILED 7
int ps_sweep_execute(ps_sweep *sw, const ps_model_type *type, const ps_sweep_options *opt,
                     ps_sweep_outcome *out, ps_diag *d);

/* The journal's rows (sweep_journal.h), for ps_sweep_execute and for the
 * fuzz target of a resumed journal (tests/fuzz/fuzz_journal.c). */

/* runs.csv's columns, without the journal's checksum (malloc'd; NULL when
 * out of memory). */
char *ps_sweep_journal_header(const ps_sweep *sw);
/* A ps_journal_check (ctx: the prepared sweep): a whole resumed row is
 * this sweep's (see sweep_run.c). */
int ps_sweep_check_row(void *ctx, size_t run, const char *row, char *why, size_t size);
/* The metrics of every run from its checked row, into
 * y[run * n_metrics + m]; *failed counts the failed runs. */
void ps_sweep_parse_rows(const ps_sweep *sw, char *const *rows, size_t n_runs, double *y,
                         size_t *failed);

/* ---- analysis ------------------------------------------------------------ */

typedef struct ps_sweep_index {
    size_t metric, factor;
    double first, first_lo, first_hi;  /* Sobol S_i; Morris mu* */
    double total, total_lo, total_hi;  /* Sobol S_Ti; Morris sigma (no interval) */
    double mu;                         /* Morris mu */
} ps_sweep_index;

typedef struct ps_sweep_analysis {
    int kind;            /* PS_SWEEP_SALTELLI, PS_SWEEP_MORRIS, or -1: no indices */
    size_t n;            /* n_metrics * k, metric-major, ranked within a metric */
    ps_sweep_index *idx;
    double *noise_sd;    /* per metric: sd of a point's mean from run-to-run noise */
    double *noise_share; /* per metric: that noise's share of the variance across points */
    size_t *rows_used;   /* per metric: base rows (Sobol) or trajectories (Morris) used */
    size_t rows_total;
    double *point_mean;  /* n_points x n_metrics, NaN where a run failed */
} ps_sweep_analysis;

/* From the runs' metrics y[run * n_metrics + m] (NaN for failed runs). */
int ps_sweep_analyse(const ps_sweep *sw, const double *y, ps_sweep_analysis *a, ps_diag *d);
void ps_sweep_analysis_free(ps_sweep_analysis *a);
/* indices.csv (when the design gives indices). */
int ps_sweep_write_indices(const ps_sweep *sw, const ps_sweep_analysis *a, const char *dir,
                           ps_diag *d);
/* The ranked indices with their intervals, as a table. */
void ps_sweep_print_indices(FILE *fp, const ps_sweep *sw, const ps_sweep_analysis *a);
/* report.html: the indices as bars, each metric against each factor. */
int ps_sweep_report(const ps_sweep *sw, const ps_sweep_analysis *a, const double *y,
                    const char *dir, ps_diag *d);

#endif
