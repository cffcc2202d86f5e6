/* Shared helpers for the model tests: load a scenario with overrides, run
 * replications with events applied between ticks, read metrics. */
#ifndef TEST_SUPPORT_H
#define TEST_SUPPORT_H

#include <stddef.h>

#include "params.h"
#include "sc.h"
#include "scenario.h"
#include "warm_start.h"

/* Replication r's warm state, kept after tp_run first makes it, so a test
 * that runs a replication several times (with and without an event)
 * warms it up once: the runs are the same as from the start. */
#define TP_MAX_REPS 32
typedef struct tp_warm {
    ps_state_blob blob[TP_MAX_REPS];
    double *row0[TP_MAX_REPS];
} tp_warm;

typedef struct tp_place {
    ps_params *reg;
    ps_scenario scen;
    sc_place *place;
    ps_diag diag;
    tp_warm *warm;
} tp_place;

/* Loads path (relative to the source tree) with "path=value" overrides;
 * returns 0, or -1 with the problems in tp->diag. */
int tp_load(tp_place *tp, const char *path, const char *const *sets, size_t n_sets);
void tp_free(tp_place *tp);

/* Sets precondition k of every actor (start and anchor) to v (before the
 * first tp_run: a change of the place forgets the kept warm states). */
void tp_set_all_p(tp_place *tp, int k, double v);

/* An event applied before the tick of reported week `week` (0..weeks-1). */
typedef void (*tp_event)(sc_state *st, int week, void *ctx);

/* Runs replication rep; rows receives (weeks + 1) x n_metrics values.
 * check, when non-zero, verifies every citizen and actor after every tick
 * and returns -1 at the first value out of range. */
int tp_run(const tp_place *tp, unsigned rep, tp_event ev, void *ctx, double *rows,
           int check);

size_t tp_metric(const tp_place *tp, const char *name);
size_t tp_n_metrics(const tp_place *tp);

/* Every value of the state in its range, and the population conserved:
 * returns 0 or -1 with a description in why. */
int tp_check_state(const sc_state *st, char *why, size_t size);

/* Mean of metric m over reported weeks [from, to). */
double tp_mean(const tp_place *tp, const double *rows, size_t m, int from, int to);

/* Runs a shell command; returns its exit status, or -1 if it did not exit.
 * (Criterion's workers may ignore SIGCHLD, which would hide the status.) */
int tp_shell(const char *cmd);

/* The result of running the placesim binary. */
typedef struct tp_output {
    int status; /* exit status, or -1 when it did not exit normally */
    char out[16384], err[16384];
} tp_output;

/* Runs the binary at `binary` with args (NULL-terminated, after the
 * program name); stdout and stderr go to temporary files so that neither
 * can fill a pipe, and the first 16 KiB of each are kept. */
void tp_exec(const char *binary, const char *const *args, tp_output *r);

/* As tp_exec, with every file the binary writes limited to fsize bytes
 * (RLIMIT_FSIZE, with SIGXFSZ ignored, so a write beyond it fails with
 * EFBIG as on a full disk). */
void tp_exec_limited(const char *binary, const char *const *args, long fsize, tp_output *r);

/* Starts the binary with args (NULL-terminated, after the program name)
 * in the background, stdout and stderr to the files named (NULL: /dev/null);
 * returns its pid. tp_wait returns its exit status (-1: it did not exit). */
int tp_spawn(const char *binary, const char *const *args, const char *out_path,
             const char *err_path);
int tp_wait(int pid);

/* Whether dir holds a file whose name ends in suffix (".partial"). */
int tp_dir_has_suffix(const char *dir, const char *suffix);

/* Checks every file that dir/manifest (manifest.json, sweep.json) lists
 * against its size and FNV-1a 64 checksum. Returns the number of files
 * checked, or -1 with the first mismatch in why. */
int tp_check_manifest(const char *dir, const char *manifest, char *why, size_t size);

/* Loads the HTML file at html_path (absolute) in headless Chromium, with
 * its profile and logs in work_dir, and puts the page's DOM as the
 * browser built it into dom (up to size - 1 bytes). Returns 0, or -1 when
 * the browser failed or logged a script error (the log is in
 * work_dir/chromium.log). */
int tp_render_html(const char *html_path, const char *work_dir, char *dom, size_t size);

/* A new directory /tmp/placesim-NAME-XXXXXX in dir (test fixtures), and
 * its removal with everything in it. */
void tp_mktmp(char *dir, size_t size, const char *name);
void tp_rmtmp(const char *dir);

/* Whether two files have the same bytes. */
int tp_same_file(const char *a, const char *b);

/* Reads up to size - 1 bytes of a text file into buf ("" when unreadable). */
void tp_read_text(const char *path, char *buf, size_t size);

/* Replications of the statistical tests. */
int tp_reps(int normal);

/* Paired statistics of x[i] - y[i]: mean, and the half width of the 95 %
 * t-interval. */
void tp_paired(const double *x, const double *y, int n, double *mean, double *half);

#endif
