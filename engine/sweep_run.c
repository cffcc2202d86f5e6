/* Running a sweep: the runs still missing from the journal are spread over
 * the MPI ranks (round robin) and, within a process, over OpenMP threads
 * (one run per thread, each run single-threaded inside: many small runs
 * scale better side by side than one at a time). Each run is loaded from
 * the scenario with its own overrides exactly as `placesim run --set` would
 * load it, so it gives the same numbers as that run alone. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "interrupt.h"
#include "loaded_scenario.h"
#include "memory_guard.h"
#include "output.h"
#include "progress.h"
#include "ranks.h"
#include "sim.h"
#include "sweep.h"
#include "sweep_journal.h"


static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* runs.csv's first line, less the journal's checksum column. */
char *ps_sweep_journal_header(const ps_sweep *sw)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    if (!fp) return NULL;
    fputs("run,point,replication,seed,status", fp);
    for (size_t i = 0; i < sw->k; i++) {
        fputc(',', fp);
        ps_write_csv_field(fp, sw->factors[i].name);
    }
    for (size_t m = 0; m < sw->n_metrics; m++) {
        fputc(',', fp);
        ps_write_csv_field(fp, sw->metrics[m].column);
    }
    fputs(",error", fp);
    fclose(fp);
    return buf;
}

/* The metric of one run from its weekly rows: the mean over its weeks,
 * NaN weeks skipped (as compare's horizon means). */
static double S_metric(const ps_sweep_metric *m, const double *rows, size_t nm)
{
    double sum = 0;
    int n = 0;
    for (int w = m->from; w <= m->to; w++) {
        double v = rows[(size_t)w * nm + m->index];
        if (isnan(v)) continue;
        sum += v;
        n++;
    }
    return n ? sum / n : NAN;
}

/* One run's row: everything but the error is numbers. */
static char *S_row(const ps_sweep *sw, size_t run, const double *metrics, const char *error)
{
    size_t R = (size_t)sw->replications, point = run / R;
    char *buf = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&buf, &size);
    if (!fp) return NULL;
    fprintf(fp, "%zu,%zu,%zu,%" PRIu64 ",%s", run, point, run % R, ps_sweep_seed(sw, point),
            error ? "failed" : "ok");
    for (size_t i = 0; i < sw->k; i++) fprintf(fp, ",%.17g", sw->x[point * sw->k + i]);
    for (size_t m = 0; m < sw->n_metrics; m++) {
        fputc(',', fp);
        ps_write_double(fp, error ? NAN : metrics[m]);
    }
    fputc(',', fp);
    ps_write_csv_field(fp, error ? error : "");
    fputc('\n', fp);
    fclose(fp);
    return buf;
}

/* The message of a failed run: the first problem, where an override from
 * a factor is named by its factor (the sweep file's line) rather than by
 * "--set". */
static void S_failure(const ps_sweep *sw, const ps_diag *d, char *msg, size_t size)
{
    snprintf(msg, size, "the run failed");
    if (!d->count) return;
    const ps_diag_entry *e = &d->entries[0];
    const ps_sweep_factor *f = NULL;
    for (size_t i = 0; !f && strcmp(e->file, "--set") == 0 && i < sw->k; i++)
        for (size_t j = 0; !f && j < sw->factors[i].n_paths; j++)
            if (strcmp(sw->factors[i].paths[j], e->setting) == 0) f = &sw->factors[i];
    if (f)
        snprintf(msg, size, "%.300s:%d: factor '%.100s' makes %.127s: %.380s", sw->path,
                 config_setting_source_line(f->where), f->name, e->setting, e->message);
    else
        ps_diag_format(d, 0, msg, size);
    if (d->count > 1) {
        size_t len = strlen(msg);
        snprintf(msg + len, size - len, " (and %d more problem%s)", d->count - 1,
                 d->count == 2 ? "" : "s");
    }
}

/* Runs one run; returns its row (and a failed run's message in error), or
 * NULL when it was interrupted (or no memory was left to describe it). */
static char *S_one(const ps_sweep *sw, const ps_model_type *type, size_t run, int *interrupted,
                   char *error, size_t error_size)
{
    char **sets = NULL;
    long n_sets = ps_sweep_run_sets(sw, run, &sets);
    if (n_sets < 0) return S_row(sw, run, NULL, "out of memory");
    ps_diag d;
    ps_diag_init(&d);
    ps_loaded l;
    int rc;
    /* loading is quick beside a run; one at a time keeps libconfig and the
     * model's loader out of each other's way */
#pragma omp critical(ps_sweep_load)
    rc = ps_loaded_open(&l, type, sw->scenario, NULL, (const char *const *)sets,
                        (size_t)n_sets, &d);
    ps_sweep_free_sets(sets, (size_t)n_sets);
    double *rows = NULL, *metrics = NULL;
    if (rc == 0) {
        size_t nm = ps_model_metric_count(type, l.place);
        rows = malloc((size_t)(l.scen.run.weeks + 1) * nm * sizeof *rows);
        metrics = malloc(sw->n_metrics * sizeof *metrics);
        if (!rows || !metrics) {
            ps_diag_add(&d, PS_ERR_MEMORY, "", 0, "", "out of memory");
            rc = PS_ERR_MEMORY;
        } else {
            rc = ps_sim_replication(type, l.place, &l.scen.run, &l.timeline,
                                    (unsigned)(run % (size_t)sw->replications), rows, NULL, &d);
            for (size_t m = 0; rc == 0 && m < sw->n_metrics; m++)
                metrics[m] = S_metric(&sw->metrics[m], rows, nm);
        }
    }
    ps_loaded_close(&l);
    char *row = NULL;
    if (rc == PS_ERR_INTERRUPTED || (rc && ps_interrupt_requested())) {
        *interrupted = 1;
    } else if (rc) {
        S_failure(sw, &d, error, error_size);
        row = S_row(sw, run, NULL, error);
    } else {
        row = S_row(sw, run, metrics, NULL);
    }
    free(rows);
    free(metrics);
    return row;
}

/* ---- a resumed row --------------------------------------------------------- */

/* The range of a factor's values, for a message: "[0.1, 0.3]", "one of 1,
 * 2, 4", or "" (a normal distribution, or a matrix, has none). */
static void S_range(const ps_sweep *sw, const ps_sweep_factor *f, char *buf, size_t size)
{
    buf[0] = '\0';
    if (sw->design == PS_SWEEP_MATRIX || f->dist == PS_DIST_NORMAL) return;
    if (f->dist != PS_DIST_DISCRETE) {
        snprintf(buf, size, ", outside its range [%.10g, %.10g]", f->min, f->max);
        return;
    }
    size_t used = (size_t)snprintf(buf, size, ", not one of its levels");
    for (size_t i = 0; i < f->n_levels && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%.10g", i ? ", " : " ",
                                 f->levels[i]);
}

/* A whole row read back on --resume is this sweep's: its seed and factor
 * values are exactly those the design gives its point (so a value outside
 * a factor's range is refused), its status is ok or failed, and its
 * metrics are numbers. */
int ps_sweep_check_row(void *ctx, size_t run, const char *row, char *why, size_t size)
{
    const ps_sweep *sw = ctx;
    size_t point = run / (size_t)sw->replications;
    const char *p = row;
    for (int f = 0; f < 3; f++) p = strchr(p, ',') + 1; /* run, point, replication: checked */
    char want[64];
    snprintf(want, sizeof want, "%" PRIu64 ",", ps_sweep_seed(sw, point));
    if (strncmp(p, want, strlen(want)) != 0) {
        snprintf(why, size, "its seed is not the design's (%.*s)", (int)strlen(want) - 1, want);
        return -1;
    }
    p += strlen(want);
    if (strncmp(p, "ok,", 3) != 0 && strncmp(p, "failed,", 7) != 0) {
        snprintf(why, size, "its status is neither ok nor failed");
        return -1;
    }
    p = strchr(p, ',') + 1;
    for (size_t i = 0; i < sw->k; i++) {
        const ps_sweep_factor *f = &sw->factors[i];
        size_t n = strcspn(p, ",");
        snprintf(want, sizeof want, "%.17g", sw->x[point * sw->k + i]);
        if (n != strlen(want) || strncmp(p, want, n) != 0) {
            char range[200];
            S_range(sw, f, range, sizeof range);
            snprintf(why, size, "factor '%.60s' is %.*s%s, where the design gives %s for point %zu",
                     f->name, (int)(n < 40 ? n : 40), p, range, want, point);
            return -1;
        }
        p += n + 1;
    }
    for (size_t m = 0; m < sw->n_metrics; m++) {
        char *end;
        errno = 0;
        (void)strtod(p, &end);
        if (end == p || (*end != ',' && *end != '\n')) {
            snprintf(why, size, "metric '%.60s' is not a number", sw->metrics[m].column);
            return -1;
        }
        p = end + 1;
    }
    return 0;
}

/* ---- the manifest --------------------------------------------------------- */

static void S_json_string(FILE *fp, const char *s) { ps_write_json_string(fp, s); }

static int S_manifest(const ps_sweep *sw, const ps_sweep_options *opt, const char *dir,
                      const ps_sweep_outcome *o, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "sweep.json", d) != 0) return -1;
    FILE *fp = f.fp;
    fprintf(fp, "{\n  \"placesim_version\": ");
    S_json_string(fp, opt->version);
    fprintf(fp, ",\n  \"sweep_file\": ");
    S_json_string(fp, sw->path);
    fprintf(fp, ",\n  \"scenario\": ");
    S_json_string(fp, sw->scenario);
    fprintf(fp, ",\n  \"sweep_hash\": \"%016" PRIx64 "\",\n", sw->hash);
    fprintf(fp, "  \"design\": \"%s\",\n  \"points\": %zu,\n  \"replications\": %d,\n",
            ps_sweep_design_names[sw->design], sw->n_points, sw->replications);
    fprintf(fp, "  \"runs\": %zu,\n  \"seed\": %" PRIu64 ",\n  \"seeds\": \"%s\",\n",
            ps_sweep_run_count(sw), sw->seed, sw->per_point_seeds ? "per_point" : "common");
    fprintf(fp, "  \"factors\": [");
    for (size_t i = 0; i < sw->k; i++) {
        const ps_sweep_factor *fa = &sw->factors[i];
        fprintf(fp, "%s\n    {\"name\": ", i ? "," : "");
        S_json_string(fp, fa->name);
        fprintf(fp, ", \"path\": ");
        S_json_string(fp, fa->path);
        fprintf(fp, ", \"op\": \"%s\", \"distribution\": \"%s\", \"settings\": %zu}",
                ps_sweep_op_names[fa->op], ps_sweep_dist_names[fa->dist], fa->n_paths);
    }
    fprintf(fp, "\n  ],\n  \"metrics\": [");
    for (size_t m = 0; m < sw->n_metrics; m++) {
        fprintf(fp, "%s\n    {\"column\": ", m ? "," : "");
        S_json_string(fp, sw->metrics[m].column);
        fprintf(fp, ", \"metric\": ");
        S_json_string(fp, sw->metrics[m].metric);
        fprintf(fp, ", \"from\": %d, \"to\": %d}", sw->metrics[m].from, sw->metrics[m].to);
    }
    fprintf(fp, "\n  ],\n  \"notes\": [");
    for (int i = 0; i < sw->n_notes; i++) {
        fprintf(fp, "%s", i ? ", " : "");
        S_json_string(fp, sw->notes[i]);
    }
    fprintf(fp, "],\n  \"ranks\": %d,\n  \"threads\": %d,\n", o->ranks, opt->threads);
    fprintf(fp, "  \"runs_done\": %zu,\n  \"runs_failed\": %zu,\n  \"wall_seconds\": %.3f,\n",
            o->resumed + o->done_now, o->failed, o->wall_seconds);
    fprintf(fp, "  \"finished\": %s", o->finished ? "true" : "false");
    ps_outfile_write_files(&f);
    fputs("\n}\n", fp);
    return ps_outfile_commit(&f, d);
}

/* The sweep hash a manifest records, or 0 when there is none. */
static uint64_t S_manifest_hash(const char *dir)
{
    char path[1100], line[512];
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return 0;
    uint64_t h = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, " \"sweep_hash\": \"%" SCNx64 "\"", &h) == 1) break;
    fclose(fp);
    return h;
}

/* Removes the files made from runs.csv (after a failure, nothing of them
 * may look finished). */
static void S_clear_results(const char *dir)
{
    static const char *const names[] = {"indices.csv", "report.html"};
    char path[1200];
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
}

/* Removes what an earlier sweep left in dir (with --overwrite): its
 * manifest first, and durably, so that a sweep killed at any moment of
 * this never leaves a finished sweep.json vouching for files that are
 * gone (found by scripts/soak: a SIGKILL after the results went left the
 * earlier sweep's finished manifest naming them). */
static void S_clear_previous(const char *dir)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/sweep.json", dir);
    if (unlink(path) == 0) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    S_clear_results(dir);
    ps_journal_remove_all(dir);
}

static int S_prepare_dir(const ps_sweep *sw, const ps_sweep_options *opt, int rank, ps_diag *d)
{
    long bad = 0;
    if (rank == 0) {
        if (opt->resume) {
            uint64_t h = S_manifest_hash(opt->out_dir);
            if (h != 0 && ps_output_lock(opt->out_dir, d) != 0) {
                bad = 1;
            } else if (h == 0) {
                ps_diag_add(d, PS_ERR_INPUT, opt->out_dir, 0, "",
                            "--resume: no sweep was started here (no sweep.json)");
                bad = 1;
            } else if (h != sw->hash) {
                ps_diag_add(d, PS_ERR_INPUT, opt->out_dir, 0, "",
                            "--resume: the sweep here was started from another sweep file, "
                            "scenario or design matrix (they have changed since); resume "
                            "with the files that started it, or choose another --out");
                bad = 1;
            }
        } else if (ps_output_prepare_dir(opt->out_dir, opt->overwrite, d) != 0) {
            bad = 1;
        } else {
            S_clear_previous(opt->out_dir);
        }
    }
    /* every rank learns whether rank 0 found the directory usable */
    if (ps_ranks_max(bad)) {
        if (rank != 0 && !d->count)
            ps_diag_add(d, PS_ERR_INPUT, opt->out_dir, 0, "", "rank 0 could not use the directory");
        return -1;
    }
    return 0;
}

/* The metrics of every run from its row (the text is what counts, so a
 * resumed sweep analyses exactly what an uninterrupted one would). */
void ps_sweep_parse_rows(const ps_sweep *sw, char *const *rows, size_t n_runs, double *y,
                         size_t *failed)
{
    *failed = 0;
    for (size_t r = 0; r < n_runs; r++) {
        const char *p = rows[r];
        for (size_t f = 0; f < 4; f++) p = strchr(p, ',') + 1;
        if (strncmp(p, "failed", 6) == 0) (*failed)++;
        for (size_t f = 0; f < 1 + sw->k; f++) p = strchr(p, ',') + 1;
        for (size_t m = 0; m < sw->n_metrics; m++) {
            y[r * sw->n_metrics + m] = strtod(p, NULL);
            p = strchr(p, ',') + 1;
        }
    }
}

static int S_analyse(const ps_sweep *sw, const ps_journal *j, const char *dir, int quiet,
                     ps_diag *d)
{
    size_t n = j->n_runs, failed;
    double *y = malloc((n ? n : 1) * sw->n_metrics * sizeof *y);
    if (!y) {
        ps_diag_add(d, PS_ERR_MEMORY, dir, 0, "", "out of memory");
        return -1;
    }
    ps_sweep_parse_rows(sw, j->rows, j->n_runs, y, &failed);
    ps_sweep_analysis a;
    int rc = ps_sweep_analyse(sw, y, &a, d);
    if (rc == 0 && a.kind >= 0) rc = ps_sweep_write_indices(sw, &a, dir, d);
    if (rc == 0) rc = ps_sweep_report(sw, &a, y, dir, d);
    if (rc == 0 && !quiet) ps_sweep_print_indices(stdout, sw, &a);
    ps_sweep_analysis_free(&a);
    free(y);
    return rc;
}

/* Refuses, before the directory is touched, a sweep whose runs side by
 * side and whose table would not fit in the memory available: each thread
 * holds one run's state and its weekly rows, and the process keeps a row
 * of text and the metrics of every run (of all ranks: rank 0 gathers them)
 * to the end. Returns 0 or a ps_status. */
static int S_memory_guard(const ps_sweep *sw, const ps_sweep_options *opt, int threads,
                          ps_diag *d)
{
    double runs = (double)ps_sweep_run_count(sw);
    double state = (double)sw->state_bytes * threads;
    /* a row: five numbers, the factors with 17 digits, the metrics with 10,
     * an error (none when the run succeeds), with the allocation's overhead;
     * the metrics again as doubles for the analysis, and the design */
    double row = 32 + 24.0 * (5 + (double)sw->k) + 18.0 * (double)sw->n_metrics;
    double table = runs * (row + 8.0 * (double)sw->n_metrics + sizeof(char *)) +
                   2.0 * (double)sw->n_points * (double)sw->k * sizeof(double);
    char what[256], s1[32], s2[32];
    snprintf(what, sizeof what,
             "%d run%s at once of %ld citizens each (%s) and the table of %.0f runs (%s)",
             threads, threads == 1 ? "" : "s", sw->population, ps_memory_size(state, s1, sizeof s1),
             runs, ps_memory_size(table, s2, sizeof s2));
    return ps_memory_check(state + table, what, opt->force_memory, d);
}

int ps_sweep_execute(ps_sweep *sw, const ps_model_type *type, const ps_sweep_options *opt,
                     ps_sweep_outcome *o, ps_diag *d)
{
    memset(o, 0, sizeof *o);
    double t0 = S_now();
    int rank = ps_ranks_rank(), ranks = ps_ranks_size();
    o->rank = rank;
    o->ranks = ranks;
    o->runs = ps_sweep_run_count(sw);
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    int rc;

    if ((rc = S_memory_guard(sw, opt, threads, d)) != 0) return rc;
    if (S_prepare_dir(sw, opt, rank, d) != 0) return d->status ? d->status : PS_ERR_INPUT;
    char *header = ps_sweep_journal_header(sw);
    if (!header) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return PS_ERR_MEMORY;
    }
    ps_journal j;
    if (rank == 0 && !opt->resume && S_manifest(sw, opt, opt->out_dir, o, d) != 0) {
        free(header);
        return d->status;
    }
    /* rank 0 has made the directory and runs.csv's predecessor is gone */
    ps_ranks_barrier();
    long open_bad = ps_journal_open(&j, opt->out_dir, rank, header, o->runs,
                                    (size_t)sw->replications, opt->resume, ps_sweep_check_row,
                                    sw, d) != 0;
    /* no rank appends until every rank has read what is there */
    if (ps_ranks_max(open_bad)) {
        rc = d->status ? d->status : PS_ERR_IO;
        goto out;
    }
    o->resumed = j.done;
    o->started = 1;

    /* what is missing, shared round robin over the ranks */
    size_t *mine = malloc((o->runs ? o->runs : 1) * sizeof *mine), n_mine = 0, n_missing = 0;
    if (!mine) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        rc = PS_ERR_MEMORY;
        goto out;
    }
    for (size_t r = 0; r < o->runs; r++)
        if (!j.rows[r] && n_missing++ % (size_t)ranks == (size_t)rank) mine[n_mine++] = r;

    if (!opt->quiet && rank == 0) {
        if (opt->resume)
            fprintf(stderr, "placesim: resuming %s: %zu of %zu runs already done\n",
                    opt->out_dir, j.done, o->runs);
        fprintf(stderr, "placesim: %zu run%s to do (%zu points x %d replication%s), %d at once%s",
                n_missing, n_missing == 1 ? "" : "s", sw->n_points, sw->replications,
                sw->replications == 1 ? "" : "s", threads, ranks > 1 ? " per rank" : "");
        if (ranks > 1) fprintf(stderr, " on %d ranks", ranks);
        fputc('\n', stderr);
    }
    ps_progress prog;
    /* each rank reports its own share */
    ps_progress_resume(&prog, "runs", n_mine, 0, opt->quiet);
    size_t done_mine = 0;
    int interrupted = 0, io_failed = 0;
    int saved_levels = omp_get_max_active_levels();
    omp_set_max_active_levels(1);
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (size_t i = 0; i < n_mine; i++) {
        int stop;
#pragma omp atomic read
        stop = interrupted;
        if (stop || io_failed || ps_interrupt_requested()) continue;
        /* each run on one thread: the model sizes its per-thread tallies by this */
        omp_set_num_threads(1);
        size_t run = mine[i];
        int was_interrupted = 0;
        char error[1024] = "";
        char *row = S_one(sw, type, run, &was_interrupted, error, sizeof error);
#pragma omp critical(ps_sweep_journal)
        {
            if (was_interrupted) {
                interrupted = 1;
            } else if (!row) {
                ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
                io_failed = 1;
            } else if (!io_failed) {
                if (ps_journal_append(&j, run, row, d) != 0) {
                    io_failed = 1;
                } else {
                    done_mine++;
                    if (error[0]) {
                        size_t point = run / (size_t)sw->replications;
                        ps_progress_finish(&prog);
                        fprintf(stderr,
                                "placesim: RUN FAILED: run %zu (point %zu, replication %zu, seed "
                                "%" PRIu64 "): %s\n",
                                run, point, run % (size_t)sw->replications,
                                ps_sweep_seed(sw, point), error);
                    }
                    ps_progress_update(&prog, done_mine);
                }
            }
        }
        free(row);
    }
    omp_set_max_active_levels(saved_levels);
    ps_progress_finish(&prog);
    free(mine);
    o->done_now = done_mine;
    if (io_failed) {
        rc = d->status ? d->status : PS_ERR_IO;
        goto out;
    }
    interrupted |= ps_interrupt_requested() != 0;
    if (ps_ranks_max(interrupted)) {
        o->done_now = (size_t)ps_ranks_sum((long)done_mine);
        o->wall_seconds = S_now() - t0;
        if (rank == 0) {
            S_manifest(sw, opt, opt->out_dir, o, d);
            fprintf(stderr,
                    "placesim: stopped by a signal; %zu of %zu runs are saved in %s/runs.csv; "
                    "'placesim sweep %s --out %s --resume' does the rest\n",
                    o->resumed + o->done_now, o->runs, opt->out_dir, sw->path, opt->out_dir);
        }
        rc = PS_ERR_INTERRUPTED;
        goto out;
    }
    o->done_now = (size_t)ps_ranks_sum((long)done_mine);
    /* every rank's rows are on disk: rank 0 gathers, orders and analyses */
    ps_ranks_barrier();
    if (rank == 0) {
        if (ps_journal_reload(&j, d) != 0 || ps_journal_finish(&j, d) != 0 ||
            S_analyse(sw, &j, opt->out_dir, opt->quiet, d) != 0) {
            rc = d->status ? d->status : PS_ERR_IO;
            /* runs.csv keeps the finished runs; what was made from them goes */
            S_clear_results(opt->out_dir);
        } else {
            size_t failed = 0;
            for (size_t r = 0; r < j.n_runs; r++)
                if (strstr(j.rows[r], ",failed,")) failed++;
            o->failed = failed;
            o->finished = 1;
            o->wall_seconds = S_now() - t0;
            if (S_manifest(sw, opt, opt->out_dir, o, d) != 0) {
                /* sweep.json still says "finished": false; nothing may say otherwise */
                rc = d->status;
                S_clear_results(opt->out_dir);
            } else if (failed) {
                rc = PS_SWEEP_RUNS_FAILED;
            }
        }
    }
    /* the exit status is the same on every rank */
    rc = (int)ps_ranks_max(rc);
out:
    ps_journal_close(&j);
    free(header);
    return rc;
}
