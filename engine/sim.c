#include "sim.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "interrupt.h"
#include "output.h"
#include "progress.h"
#include "report.h"
#include "snapshot.h"
#include "warm_start.h"
#include "warmup.h"

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Steps one replication; calls row_cb after the warm-up (week 0) and after
 * each reported week, and year_cb after each full reported year. */
typedef void (*S_row_cb)(void *ctx, int week, const double *row);
typedef void (*S_year_cb)(void *ctx, int year, const double *row);

/* Adds the model's phase times and the time spent observing to
 * res->phase_seconds (the observe slot follows the model's phases), and
 * the model's serial seconds to res->serial_seconds. */
static void S_add_phases(const ps_model_type *type, const void *state, double observe,
                         ps_run_result *res)
{
    double *acc = res->phase_seconds;
    if (type->serial_seconds) res->serial_seconds += type->serial_seconds(state);
    size_t n = 0;
    if (type->phase_names && type->phase_seconds) {
        const char *const *names;
        n = type->phase_names(&names);
        double sec[PS_MAX_PHASES] = {0};
        if (n < PS_MAX_PHASES) {
            type->phase_seconds(state, sec);
            for (size_t k = 0; k < n; k++) acc[k] += sec[k];
        }
    }
    if (n < PS_MAX_PHASES) acc[n] += observe;
}

int ps_size_warning(const ps_model_type *type, const void *place, char *msg, size_t size)
{
    if (!type->smallest_population) return 0;
    long need = type->smallest_population(place), have = type->population(place);
    if (need <= 0 || have >= need) return 0;
    long whole = type->place_population ? type->place_population(place) : have;
    snprintf(msg, size,
             "WARNING: %ld simulated adults are too few to stand for the place's %ld: below "
             "%ld %s; use --set population.size=%ld or more",
             have, whole, need,
             type->smallest_population_why ? type->smallest_population_why
                                           : "a run does not stand for the place",
             need);
    return 1;
}

int ps_timeline_first_effect(const ps_timeline *tl, int weeks)
{
    int first = weeks + 1;
    for (size_t i = 0; tl && i < tl->n; i++)
        if (tl->items[i].at + 1 < first) first = tl->items[i].at + 1;
    return first < 1 ? 1 : first;
}

int ps_sim_compile_timeline(const ps_model_type *type, const void *place,
                            const ps_params *reg, ps_timeline *tl, ps_diag *d)
{
    int before = d->count;
    for (size_t i = 0; i < tl->n; i++) {
        ps_intervention *iv = &tl->items[i];
        if (!type->intervention_compile) {
            ps_diag_add(d, PS_ERR_INPUT, iv->file, iv->line, "timeline",
                        "the model '%s' takes no interventions", type->name);
            continue;
        }
        iv->handle = type->intervention_compile(place, reg, iv, d);
    }
    return d->count > before ? -1 : 0;
}

/* Moves every intervention to its level for reported week `week`. */
static void S_intervene(const ps_model_type *type, void *state, const ps_timeline *tl,
                        int week, double *levels, double *speeds)
{
    if (!tl || !type->intervention_apply) return;
    for (size_t i = 0; i < tl->n; i++) {
        const ps_intervention *iv = &tl->items[i];
        if (week == iv->at)
            speeds[i] = type->ramp_speed ? type->ramp_speed(state) : 1;
        double level = ps_timeline_level(iv, week, speeds[i]);
        if (level != levels[i]) {
            type->intervention_apply(state, iv, levels[i], level);
            levels[i] = level;
        }
    }
}

/* Writes replication rep's snapshot: the rows so far, the complete years,
 * the timeline's levels and speeds, then the model's state. */
static int S_snapshot_save(const ps_model_type *type, const void *state, ps_snapshot *snap,
                           unsigned rep, const double *hist, size_t nm, int week,
                           const double *years, size_t na, int n_years, const double *levels,
                           size_t n_iv, ps_diag *d)
{
    FILE *fp = snap->fp;
    int32_t ny = n_years, niv = (int32_t)n_iv;
    if (ps_snapshot_seek(snap, (int)rep, d) != 0) return -1;
    int bad = fwrite(hist, sizeof *hist, (size_t)(week + 1) * nm, fp) != (size_t)(week + 1) * nm;
    bad |= fwrite(&ny, sizeof ny, 1, fp) != 1;
    if (n_years) bad |= fwrite(years, sizeof *years, (size_t)n_years * na, fp) != (size_t)n_years * na;
    bad |= fwrite(&niv, sizeof niv, 1, fp) != 1;
    if (n_iv) bad |= fwrite(levels, sizeof *levels, 2 * n_iv, fp) != 2 * n_iv;
    bad |= type->save(state, fp) != 0;
    if (bad) ps_diag_add(d, PS_ERR_IO, snap->path, 0, "", "cannot write the snapshot");
    return bad ? -1 : 0;
}

/* Where a replication's reported weeks start when not from a snapshot
 * file: its warm state, simulated or cached (warm_start.h), for the place
 * `place` (NULL: the replication's own) with the given state hash, or a
 * warm state already in memory. */
typedef struct S_warm {
    const ps_warm_cache *cache;
    const void *place;
    uint64_t state_hash;
    const ps_sim_start *start;
} S_warm;

/* A replication's state at week 0 and the row observed there: from the
 * warm start of S_warm, restored into `place` when the warm-up ran for
 * another (a policy starts from the baseline's settled place). rec, when
 * not NULL, receives the warm start's record (the caller frees it). */
static void *S_warm_state(const ps_model_type *type, const void *place,
                          const ps_run_settings *run, unsigned rep, const S_warm *warm,
                          double *row0, ps_warm_record *rec, ps_diag *d)
{
    ps_rng_key key = ps_rng_key_make(run->seed, rep);
    size_t nm = ps_model_metric_count(type, place);
    if (warm && warm->start) {
        memcpy(row0, warm->start->row0, nm * sizeof *row0);
        if (rec) memset(rec, 0, sizeof *rec);
        return ps_state_blob_restore(type, place, key, warm->start->blob, d);
    }
    const void *wplace = warm && warm->place ? warm->place : place;
    ps_warm_record own;
    ps_warm_record *r = rec ? rec : &own;
    void *state = ps_warm_start(type, wplace, run, warm ? warm->state_hash : 0, rep,
                                warm ? warm->cache : NULL, r, d);
    if (!state) return NULL;
    memcpy(row0, r->row0, nm * sizeof *row0);
    if (!rec) ps_warm_record_free(&own);
    if (wplace != place) {
        ps_state_blob b;
        int rc = ps_state_blob_save(type, state, &b, d);
        type->destroy(state);
        if (rc) return NULL;
        state = ps_state_blob_restore(type, place, key, &b, d);
        ps_state_blob_free(&b);
    }
    return state;
}

static int S_replicate(const ps_model_type *type, const void *place,
                       const ps_run_settings *run, const ps_timeline *tl, unsigned rep,
                       S_row_cb row_cb, S_year_cb year_cb, void *cb_ctx,
                       ps_run_result *prof, const ps_snapshot_io *snapio, const S_warm *warm,
                       ps_warm_record *rec, ps_diag *d)
{
    const char *const *names;
    size_t nm = ps_model_metric_count(type, place);
    size_t na = type->annual_names ? type->annual_names(place, &names) : 0;
    ps_snapshot *save = snapio ? snapio->save : NULL, *from = snapio ? snapio->from : NULL;
    int snap_week = save ? save->h.week : from ? from->h.week : -1;
    size_t n_years_max = (size_t)run->weeks / 52 + 1;
    double *row = calloc(nm + na + 1, sizeof *row);
    /* the rows and years so far, kept when a snapshot will need them */
    double *hist = calloc(save || from ? (size_t)(snap_week + 1) * nm + 1 : 1, sizeof *hist);
    double *years = calloc(save || from ? n_years_max * (na + 1) + 1 : 1, sizeof *years);
    size_t n_iv = tl ? tl->n : 0;
    double *levels = calloc(2 * n_iv + 1, sizeof *levels);
    int n_years = 0;
    if (rec) memset(rec, 0, sizeof *rec);
    if (!row || !hist || !years || !levels) {
        free(row);
        free(hist);
        free(years);
        free(levels);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return PS_ERR_MEMORY;
    }
    ps_step_ctx ctx;
    ctx.key = ps_rng_key_make(run->seed, rep);
    void *state = NULL;
    int start = 0, rc = 0;
    if (from) {
        /* replay what the snapshot holds, then go on from its week */
        FILE *fp = from->fp;
        int32_t ny = 0, niv = 0;
        int bad = ps_snapshot_seek(from, (int)rep, d) != 0;
        bad = bad || fread(hist, sizeof *hist, (size_t)(snap_week + 1) * nm, fp) !=
                         (size_t)(snap_week + 1) * nm;
        /* the years complete at the snapshot's week, as the run counts them */
        bad = bad || fread(&ny, sizeof ny, 1, fp) != 1 || ny != (na ? snap_week / 52 : 0);
        bad = bad || (ny && fread(years, sizeof *years, (size_t)ny * na, fp) != (size_t)ny * na);
        bad = bad || fread(&niv, sizeof niv, 1, fp) != 1 || niv < 0;
        if (!bad && (size_t)niv > n_iv) {
            ps_diag_add(d, PS_ERR_INPUT, from->path, 0, "--from",
                        "the snapshot was made with %d interventions and this run has %zu: "
                        "branch from it with the same scenario (and no --policy), then add the "
                        "policy", (int)niv, n_iv);
            bad = 1;
        }
        /* niv is at most the timeline's length once it is believed */
        double *saved = bad ? NULL : calloc(2 * (size_t)niv + 1, sizeof *saved);
        bad = bad || !saved ||
              (niv && fread(saved, sizeof *saved, 2 * (size_t)niv, fp) != 2 * (size_t)niv);
        if (!bad) {
            for (int32_t i = 0; i < niv; i++) {
                levels[i] = saved[i];
                levels[n_iv + (size_t)i] = saved[niv + i];
            }
            for (size_t i = (size_t)niv; i < n_iv; i++)
                if (tl->items[i].at < snap_week) {
                    ps_diag_add(d, PS_ERR_INPUT, tl->items[i].file, tl->items[i].line,
                                "timeline", "dated week %d, before the snapshot's week %d",
                                tl->items[i].at, snap_week);
                    bad = 1;
                }
        }
        free(saved);
        int before = d->count;
        if (!bad) state = type->restore(place, ctx.key, fp, d);
        /* the model does not know the file: its refusals are located here */
        for (int i = before; !state && i < d->count && i < PS_DIAG_MAX; i++)
            if (!d->entries[i].file[0])
                snprintf(d->entries[i].file, sizeof d->entries[i].file, "%.255s", from->path);
        if (!state) {
            if (!d->count)
                ps_diag_add(d, PS_ERR_INPUT, from->path, 0, "--from",
                            "replication %u's rows in the snapshot are not those of this run "
                            "(truncated, or made by hand)", rep);
            rc = d->status ? d->status : PS_ERR_INPUT;
        } else {
            for (int w = 0; w <= snap_week && row_cb; w++) row_cb(cb_ctx, w, hist + (size_t)w * nm);
            for (int y = 0; y < ny && year_cb && na; y++) year_cb(cb_ctx, y, years + (size_t)y * na);
            n_years = ny;
            start = run->warmup + snap_week;
        }
    } else {
        state = S_warm_state(type, place, run, rep, warm, row, rec, d);
        if (!state) {
            rc = d->status ? d->status : PS_ERR_MEMORY;
        } else {
            if (row_cb) row_cb(cb_ctx, 0, row);
            if (save && snap_week >= 0) memcpy(hist, row, nm * sizeof *row);
            start = run->warmup;
        }
    }
    int total = run->warmup + run->weeks;
    double observe = 0;
    for (int tick = start; tick < total && rc == 0; tick++) {
        ctx.tick = tick;
        ctx.week = tick - run->warmup;
        if (save && ctx.week == snap_week &&
            S_snapshot_save(type, state, save, rep, hist, nm, snap_week, years, na, n_years,
                            levels, n_iv, d) != 0) {
            rc = PS_ERR_IO;
            break;
        }
        if (ps_interrupt_requested()) {
            ps_diag_add(d, PS_ERR_INTERRUPTED, "", 0, "",
                        "stopped by signal %d at tick %d of replication %u",
                        ps_interrupt_requested(), tick, rep);
            rc = PS_ERR_INTERRUPTED;
            break;
        }
        S_intervene(type, state, tl, ctx.week, levels, levels + n_iv);
        rc = type->step(state, &ctx, d);
        if (rc) break;
        double t0 = S_now();
        type->observe(state, row);
        observe += S_now() - t0;
        if (row_cb) row_cb(cb_ctx, ctx.week + 1, row);
        if (save && ctx.week + 1 <= snap_week)
            memcpy(hist + (size_t)(ctx.week + 1) * nm, row, nm * sizeof *row);
        if ((ctx.week + 1) % 52 == 0 && na) {
            type->observe_year(state, (ctx.week + 1) / 52 - 1, row);
            if (year_cb) year_cb(cb_ctx, (ctx.week + 1) / 52 - 1, row);
            if (save && (size_t)n_years < n_years_max)
                memcpy(years + (size_t)n_years * na, row, na * sizeof *row);
            n_years++;
        }
    }
    if (state && prof) S_add_phases(type, state, observe, prof);
    if (state) type->destroy(state);
    if (rc && rec) ps_warm_record_free(rec);
    free(row);
    free(hist);
    free(years);
    free(levels);
    return rc;
}

typedef struct {
    double *rows;
    size_t nm;
} S_collect;

static void S_collect_row(void *vctx, int week, const double *row)
{
    S_collect *c = vctx;
    memcpy(c->rows + (size_t)week * c->nm, row, c->nm * sizeof *row);
}

int ps_sim_replication(const ps_model_type *type, const void *place,
                       const ps_run_settings *run, const ps_timeline *timeline,
                       unsigned replication, double *rows, const ps_snapshot_io *snap,
                       ps_diag *d)
{
    S_collect c = {rows, ps_model_metric_count(type, place)};
    return S_replicate(type, place, run, timeline, replication,
                       rows ? S_collect_row : NULL, NULL, &c, NULL, snap, NULL, NULL, d);
}

int ps_sim_replication_from(const ps_model_type *type, const void *place,
                            const ps_run_settings *run, const ps_timeline *timeline,
                            unsigned replication, const ps_sim_start *start, double *rows,
                            ps_diag *d)
{
    S_collect c = {rows, ps_model_metric_count(type, place)};
    S_warm w = {NULL, NULL, 0, start};
    return S_replicate(type, place, run, timeline, replication, rows ? S_collect_row : NULL,
                       NULL, &c, NULL, NULL, &w, NULL, d);
}

/* ---- the full run with outputs --------------------------------------- */

typedef struct {
    const ps_run_settings *run;
    FILE *series, *annual;
    size_t nm, na;
    unsigned rep;
    double *at_weeks; /* [rep][summary week][metric] */
    double *all;      /* [rep][week][metric], for the report */
} S_writer;

static void S_series_row(void *vctx, int week, const double *row)
{
    S_writer *w = vctx;
    if (w->all)
        memcpy(w->all + ((size_t)w->rep * (size_t)(w->run->weeks + 1) + (size_t)week) * w->nm, row,
               w->nm * sizeof *row);
    fprintf(w->series, "%u,%d", w->rep, week);
    for (size_t m = 0; m < w->nm; m++) {
        fputc(',', w->series);
        ps_write_double(w->series, row[m]);
    }
    fputc('\n', w->series);
    for (int k = 0; k < w->run->n_summary_weeks; k++) {
        if (w->run->summary_weeks[k] != week) continue;
        double *dst = w->at_weeks +
                      ((size_t)w->rep * (size_t)w->run->n_summary_weeks + (size_t)k) * w->nm;
        memcpy(dst, row, w->nm * sizeof *row);
    }
}

static void S_annual_row(void *vctx, int year, const double *row)
{
    S_writer *w = vctx;
    fprintf(w->annual, "%u,%d", w->rep, year);
    for (size_t m = 0; m < w->na; m++) {
        fputc(',', w->annual);
        ps_write_double(w->annual, row[m]);
    }
    fputc('\n', w->annual);
}

static void S_write_summary(FILE *fp, const ps_run_settings *run, size_t nm,
                            const ps_metric *metrics, const double *at_weeks)
{
    size_t reps = (size_t)run->replications;
    double *v = malloc(reps * sizeof *v);
    fputs("metric,week,n,mean,sd,p5,p50,p95\n", fp);
    for (size_t m = 0; m < nm && v; m++) {
        for (int k = 0; k < run->n_summary_weeks; k++) {
            size_t n = 0;
            for (size_t r = 0; r < reps; r++) {
                double x = at_weeks[(r * (size_t)run->n_summary_weeks + (size_t)k) * nm + m];
                if (!isnan(x)) v[n++] = x;
            }
            fprintf(fp, "%s,%d,%zu,", metrics[m].name, run->summary_weeks[k], n);
            if (n == 0) {
                fputs("nan,nan,nan,nan,nan\n", fp);
                continue;
            }
            gsl_sort(v, 1, n);
            double mean = gsl_stats_mean(v, 1, n);
            double sd = n > 1 ? gsl_stats_sd_m(v, 1, n, mean) : 0.0;
            ps_write_double(fp, mean);
            fputc(',', fp);
            ps_write_double(fp, sd);
            const double qs[3] = {0.05, 0.5, 0.95};
            for (int q = 0; q < 3; q++) {
                fputc(',', fp);
                ps_write_double(fp, gsl_stats_quantile_from_sorted_data(v, 1, n, qs[q]));
            }
            fputc('\n', fp);
        }
    }
    free(v);
}

static void S_json_string(FILE *fp, const char *s) { ps_write_json_string(fp, s); }

static int S_write_manifest(const char *dir, const ps_model_type *type, const void *place,
                            const ps_scenario *scen, const ps_run_options *opt, long population,
                            const ps_run_result *res, int finished,
                            int annual, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "manifest.json", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("{\n  \"program\": \"placesim\",\n  \"version\": ", fp);
    S_json_string(fp, opt->version ? opt->version : "unknown");
    fputs(",\n  \"scenario\": ", fp);
    S_json_string(fp, scen->path);
    fprintf(fp, ",\n  \"scenario_hash\": \"fnv1a64:%016llx\"",
            (unsigned long long)scen->content_hash);
    fprintf(fp, ",\n  \"seed\": %llu", (unsigned long long)scen->run.seed);
    fprintf(fp, ",\n  \"replications\": %d", scen->run.replications);
    fprintf(fp, ",\n  \"replications_done\": %d", res->replications_done);
    fprintf(fp, ",\n  \"weeks\": %d,\n  \"warmup\": %d", scen->run.weeks,
            scen->run.warmup);
    fprintf(fp, ",\n  \"population\": %ld", population);
    fprintf(fp, ",\n  \"threads\": %d", opt->threads);
    fprintf(fp, ",\n  \"wall_seconds\": %.3f", res->wall_seconds);
    fprintf(fp, ",\n  \"citizen_weeks_per_second\": %.0f",
            res->citizen_weeks_per_second);
    fputs(",\n  \"phase_seconds\": {", fp);
    for (size_t k = 0; k < res->n_phases; k++)
        fprintf(fp, "%s\"%s\": %.4f", k ? ", " : "", res->phase_names[k], res->phase_seconds[k]);
    fputs("}", fp);
    if (res->serial_seconds >= 0)
        fprintf(fp, ",\n  \"serial_seconds\": %.4f", res->serial_seconds);
    if (finished) {
        const ps_metric *metrics;
        type->metrics(place, &metrics);
        fputs(",\n  \"steady_state\": ", fp);
        ps_steady_write_json(fp, &res->steady, metrics);
    }
    fprintf(fp, ",\n  \"finished\": %s", finished ? "true" : "false");
    (void)annual; /* the list is of the files actually committed */
    ps_outfile_write_files(&f);
    fputs("\n}\n", fp);
    return ps_outfile_commit(&f, d);
}

int ps_sim_run(const ps_model_type *type, const void *place,
               const ps_scenario *scen, const ps_run_options *opt,
               ps_run_result *result, ps_diag *d)
{
    const ps_run_settings *run = &scen->run;
    memset(result, 0, sizeof *result);
    if (!type->serial_seconds) result->serial_seconds = -1;
    if (type->phase_names && type->phase_seconds) {
        const char *const *pn;
        size_t n = type->phase_names(&pn);
        for (size_t k = 0; k < n && k + 1 < PS_MAX_PHASES; k++)
            result->phase_names[result->n_phases++] = pn[k];
    }
    result->phase_names[result->n_phases++] = "observe";
    if (ps_output_prepare_dir(opt->out_dir, opt->overwrite, d) != 0)
        return d->status;

    const ps_metric *metrics;
    const char *const *anames = NULL;
    size_t nm = type->metrics(place, &metrics);
    size_t na = type->annual_names ? type->annual_names(place, &anames) : 0;
    long population = type->population(place);

    S_writer w = {run, NULL, NULL, nm, na, 0, NULL, NULL};
    w.at_weeks = calloc((size_t)run->replications * (size_t)run->n_summary_weeks * nm + 1,
                        sizeof *w.at_weeks);
    w.all = calloc((size_t)run->replications * (size_t)(run->weeks + 1) * nm + 1, sizeof *w.all);
    ps_outfile series = {0}, annual = {0}, summary = {0};
    int rc = 0;
    if (!w.at_weeks || !w.all) {
        free(w.at_weeks);
        free(w.all);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return PS_ERR_MEMORY;
    }
    if (ps_outfile_open(&series, opt->out_dir, "series.csv", d) != 0 ||
        (na && ps_outfile_open(&annual, opt->out_dir, "annual.csv", d) != 0)) {
        rc = d->status;
        goto done;
    }
    w.series = series.fp;
    w.annual = annual.fp;
    fputs("replication,week", w.series);
    for (size_t m = 0; m < nm; m++) fprintf(w.series, ",%s", metrics[m].name);
    fputc('\n', w.series);
    if (na) {
        fputs("replication,year", w.annual);
        for (size_t m = 0; m < na; m++) fprintf(w.annual, ",%s", anames[m]);
        fputc('\n', w.annual);
    }

    double t0 = S_now();
    ps_progress prog;
    ps_progress_start(&prog, "replications", (size_t)run->replications, opt->quiet);
    /* the warm-up series of the steady metrics, [rep][tick][metric], for
     * the steady-state checks */
    size_t n_track = ps_metric_select(metrics, nm, PS_METRIC_STEADY, NULL);
    size_t *track = calloc(n_track + 1, sizeof *track);
    double *tol = calloc(n_track + 1, sizeof *tol);
    double *warm = calloc((size_t)run->replications * (size_t)run->warmup * n_track + 1,
                          sizeof *warm);
    double ticks = 0;
    if (!track || !warm || !tol) {
        free(track);
        free(tol);
        free(warm);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        rc = PS_ERR_MEMORY;
        goto done;
    }
    n_track = ps_steady_metric_indices(type, place, track, tol);
    const ps_scenario *wscen = opt->warm_scen ? opt->warm_scen : scen;
    S_warm sw = {opt->cache, opt->warm_place, wscen->state_hash, NULL};
    int observed_warmup = !(opt->snapshot && opt->snapshot->from);
    for (int r = 0; r < run->replications; r++) {
        w.rep = (unsigned)r;
        ps_warm_record rec;
        rc = S_replicate(type, place, run, opt->timeline, (unsigned)r, S_series_row,
                         S_annual_row, &w, result, opt->snapshot, &sw, &rec, d);
        if (rc) break;
        if (rec.series && rec.n_track == n_track)
            memcpy(warm + (size_t)r * (size_t)run->warmup * n_track, rec.series,
                   (size_t)run->warmup * n_track * sizeof *warm);
        result->steady.reps_from_cache += (size_t)rec.from_cache;
        ticks += run->weeks + (rec.from_cache || !observed_warmup ? 0 : run->warmup);
        ps_warm_record_free(&rec);
        result->replications_done = r + 1;
        ps_progress_update(&prog, (size_t)r + 1);
    }
    ps_progress_finish(&prog);
    result->wall_seconds = S_now() - t0;
    if (result->wall_seconds > 0)
        result->citizen_weeks_per_second = (double)population * ticks / result->wall_seconds;
    if (rc == 0) {
        size_t from_cache = result->steady.reps_from_cache;
        if (ps_steady_assess(observed_warmup ? warm : NULL, w.all, (size_t)run->replications,
                             run->warmup, run->weeks, track, tol, n_track, nm,
                             ps_timeline_first_effect(opt->timeline, run->weeks),
                             &result->steady) != 0) {
            ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
            rc = PS_ERR_MEMORY;
        }
        result->steady.reps_from_cache = from_cache;
    }
    free(track);
    free(tol);
    free(warm);
    if (rc) goto done;

    if (ps_outfile_open(&summary, opt->out_dir, "summary.csv", d) != 0) {
        rc = d->status;
        goto done;
    }
    S_write_summary(summary.fp, run, nm, metrics, w.at_weeks);
    if (ps_outfile_commit(&summary, d) != 0 ||
        ps_outfile_commit(&series, d) != 0 ||
        (na && ps_outfile_commit(&annual, d) != 0)) {
        rc = d->status;
        goto done;
    }
    {
        ps_arm arm = {"baseline", "", place, scen, opt->timeline};
        ps_compare_data c = {.n_arms = 1, .reps = (size_t)run->replications,
                             .weeks = (size_t)run->weeks, .n_metrics = nm,
                             .metrics = metrics, .rows = w.all, .steady = &result->steady};
        if (ps_report_compare(opt->out_dir, type, &arm, 1, &c, d) != 0) {
            rc = d->status;
            goto done;
        }
    }
    if (S_write_manifest(opt->out_dir, type, place, scen, opt, population, result, 1,
                         na > 0, d) != 0)
        rc = d->status;
done:
    if (series.fp) ps_outfile_abandon(&series);
    if (annual.fp) ps_outfile_abandon(&annual);
    if (summary.fp) ps_outfile_abandon(&summary);
    if (rc) {
        ps_diag scratch;
        ps_diag_init(&scratch);
        ps_output_discard(opt->out_dir);
        S_write_manifest(opt->out_dir, type, place, scen, opt, population, result, 0,
                         na > 0, &scratch);
    }
    free(w.at_weeks);
    free(w.all);
    return rc;
}
