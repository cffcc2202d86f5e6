#include "experiment.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output.h"
#include "progress.h"
#include "report.h"
#include "resilience.h"
#include "stats.h"

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int S_check_arms(const ps_arm *arms, size_t n_arms, ps_diag *d)
{
    const ps_run_settings *r0 = &arms[0].scen->run;
    for (size_t a = 1; a < n_arms; a++) {
        const ps_run_settings *r = &arms[a].scen->run;
        if (r->seed != r0->seed || r->replications != r0->replications ||
            r->weeks != r0->weeks || r->warmup != r0->warmup) {
            ps_diag_add(d, PS_ERR_INPUT, arms[a].scen->path, 0, "run",
                        "every arm needs the same seed, replications, weeks and warm-up "
                        "(a policy may not change run settings)");
            return -1;
        }
    }
    return 0;
}

/* Sizes data for arms with room for reps_alloc replications (at least the
 * scenario's). */
static int S_alloc(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                   size_t reps_alloc, ps_compare_data *data, ps_diag *d)
{
    memset(data, 0, sizeof *data);
    if (S_check_arms(arms, n_arms, d) != 0) return PS_ERR_INPUT;
    const ps_run_settings *run = &arms[0].scen->run;
    data->n_arms = n_arms;
    data->reps = (size_t)run->replications;
    data->reps_alloc = reps_alloc > data->reps ? reps_alloc : data->reps;
    data->weeks = (size_t)run->weeks;
    data->n_metrics = type->metrics(arms[0].place, &data->metrics);
    data->rows = calloc(n_arms * data->reps_alloc * (data->weeks + 1) * data->n_metrics + 1,
                        sizeof *data->rows);
    data->warmup = run->warmup;
    size_t n_steady = ps_metric_select(data->metrics, data->n_metrics, PS_METRIC_STEADY, NULL);
    data->track = calloc(n_steady + 1, sizeof *data->track);
    data->tolerance = calloc(n_steady + 1, sizeof *data->tolerance);
    if (data->track && data->tolerance)
        data->n_track =
            ps_steady_metric_indices(type, arms[0].place, data->track, data->tolerance);
    data->warm = calloc(data->reps_alloc * (size_t)run->warmup * data->n_track + 1,
                        sizeof *data->warm);
    if (!data->rows || !data->track || !data->tolerance || !data->warm) {
        ps_compare_data_free(data);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory for %zu x %zu x %zu values",
                    n_arms * data->reps_alloc, data->weeks + 1, data->n_metrics);
        return PS_ERR_MEMORY;
    }
    return 0;
}

int ps_compare_alloc(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                     ps_compare_data *data, ps_diag *d)
{
    return S_alloc(type, arms, n_arms, 0, data, d);
}

/* Replication rep of every arm from the baseline's warm state */
static int S_branch(const ps_model_type *type, const ps_arm *arms, size_t n_arms, size_t rep,
                    const ps_warm_cache *cache, ps_compare_data *data, ps_diag *d)
{
    const ps_run_settings *run = &arms[0].scen->run;
    ps_warm_record rec;
    void *state = ps_warm_start(type, arms[0].place, run, arms[0].scen->state_hash,
                                (unsigned)rep, cache, &rec, d);
    if (!state) return d->status ? d->status : PS_ERR_MEMORY;
    if (rec.n_track == data->n_track)
        memcpy(data->warm + rep * (size_t)data->warmup * data->n_track, rec.series,
               (size_t)data->warmup * data->n_track * sizeof *data->warm);
    data->reps_from_cache += (size_t)rec.from_cache;
    ps_state_blob blob;
    int rc = ps_state_blob_save(type, state, &blob, d);
    type->destroy(state);
    ps_sim_start start = {&blob, rec.row0};
    for (size_t a = 0; a < n_arms && rc == 0; a++)
        rc = ps_sim_replication_from(type, arms[a].place, run, arms[a].timeline, (unsigned)rep,
                                     &start, ps_compare_at(data, a, rep, 0), d);
    ps_state_blob_free(&blob);
    ps_warm_record_free(&rec);
    return rc;
}

int ps_compare_collect_replication(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                                   size_t rep, const ps_compare_start *start,
                                   ps_compare_data *data, ps_diag *d)
{
    const ps_snapshot_io *snap = start ? start->snapshot : NULL;
    if (S_check_arms(arms, n_arms, d) != 0) return PS_ERR_INPUT;
    const ps_run_settings *run = &arms[0].scen->run;
    if (n_arms != data->n_arms || rep >= data->reps_alloc || (size_t)run->weeks != data->weeks) {
        ps_diag_add(d, PS_ERR_INPUT, arms[0].scen->path, 0, "run",
                    "the arms of replication %zu do not match the comparison's shape", rep);
        return PS_ERR_INPUT;
    }
    data->reps_computed++;
    if (start && start->branch && !(snap && snap->from))
        return S_branch(type, arms, n_arms, rep, start->cache, data, d);
    for (size_t a = 0; a < n_arms; a++) {
        int rc = ps_sim_replication(type, arms[a].place, run, arms[a].timeline, (unsigned)rep,
                                    ps_compare_at(data, a, rep, 0), snap, d);
        if (rc) return rc;
    }
    return 0;
}

int ps_compare_collect(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                       int quiet, const ps_compare_start *start, ps_compare_data *data,
                       ps_diag *d)
{
    int rc = ps_compare_alloc(type, arms, n_arms, data, d);
    if (rc) return rc;
    ps_progress prog;
    ps_progress_start(&prog, "paired replications", data->reps, quiet);
    for (size_t r = 0; r < data->reps; r++) {
        rc = ps_compare_collect_replication(type, arms, n_arms, r, start, data, d);
        if (rc) {
            ps_progress_finish(&prog);
            return rc;
        }
        ps_progress_update(&prog, r + 1);
    }
    ps_progress_finish(&prog);
    return 0;
}

/* Replications in batches until the precision holds or the cap is
 * reached; keeps the smallest number that meets it, so the batch size
 * changes nothing but the order of work. */
static int S_collect_to_precision(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                                  int quiet, const ps_compare_start *start, ps_precision *p,
                                  ps_compare_data *data, ps_diag *d)
{
    size_t n0 = (size_t)arms[0].scen->run.replications;
    size_t cap = p->max_reps > n0 ? p->max_reps : n0, batch = p->batch ? p->batch : 4;
    int rc = S_alloc(type, arms, n_arms, cap, data, d);
    if (rc) return rc;
    p->met = 0;
    ps_progress prog;
    ps_progress_start(&prog, "paired replications (at most)", cap, quiet);
    size_t done = 0, checked = n0 - 1;
    while (done < cap && !p->met) {
        size_t upto = done + batch < n0 ? n0 : done + batch;
        if (upto > cap) upto = cap;
        for (size_t r = done; r < upto; r++) {
            rc = ps_compare_collect_replication(type, arms, n_arms, r, start, data, d);
            if (rc) {
                ps_progress_finish(&prog);
                return rc;
            }
            ps_progress_update(&prog, r + 1);
        }
        done = upto;
        for (size_t n = checked + 1; n <= done && !p->met; n++) {
            data->reps = n;
            p->met = ps_compare_precise(type, arms[0].place, data, n, p->half_width,
                                        &p->worst_half_width, &p->worst_metric);
            checked = n;
        }
    }
    ps_progress_finish(&prog);
    data->reps = checked;
    p->reps = checked;
    return 0;
}

const char *ps_effect_label(ps_interval diff, int direction)
{
    if (!(diff.lo > 0 || diff.hi < 0)) return "no detectable effect";
    if (direction == 0) return diff.mean > 0 ? "higher" : "lower";
    return direction * diff.mean > 0 ? "better" : "worse";
}

static void S_csv_double(FILE *fp, double v)
{
    fputc(',', fp);
    ps_write_double(fp, v);
}

static void S_csv_interval(FILE *fp, ps_interval iv)
{
    S_csv_double(fp, iv.mean);
    S_csv_double(fp, iv.lo);
    S_csv_double(fp, iv.hi);
}

int ps_compare_precise(const ps_model_type *type, const void *place, const ps_compare_data *c,
                       size_t n, double half_width, double *worst, const char **worst_metric)
{
    const ps_metric *metrics;
    size_t nm = type->metrics(place, &metrics);
    double *x = malloc((n + 1) * sizeof *x), *y = malloc((n + 1) * sizeof *y);
    *worst = NAN;
    *worst_metric = NULL;
    int ok = x && y && n >= 2;
    for (size_t m = 0; ok && m < nm; m++) {
        if (!(metrics[m].roles & PS_METRIC_HEADLINE)) continue;
        for (size_t r = 0; r < n; r++) {
            x[r] = ps_compare_horizon_mean(c, 0, r, m);
            y[r] = ps_compare_horizon_mean(c, 1, r, m);
        }
        ps_interval iv = ps_paired_ci(x, y, n);
        double h = (iv.hi - iv.lo) / 2;
        if (!(h <= half_width)) ok = 0; /* NaN fails too */
        if (isnan(*worst) || h > *worst || isnan(h)) {
            *worst = h;
            *worst_metric = metrics[m].name;
        }
    }
    free(x);
    free(y);
    return ok;
}

/* The value of metric m in (arm, rep) at a summary point: a week, or the
 * mean over weeks 1..W when week < 0. */
static double S_point(const ps_compare_data *c, size_t arm, size_t rep, int week, size_t m)
{
    return week >= 0 ? ps_compare_at(c, arm, rep, (size_t)week)[m]
                     : ps_compare_horizon_mean(c, arm, rep, m);
}

static void S_write_compare(FILE *fp, const ps_compare_data *c, const ps_run_settings *run)
{
    fputs("metric,week,direction,baseline_mean,baseline_lo,baseline_hi,policy_mean,policy_lo,"
          "policy_hi,difference,difference_lo,difference_hi,unpaired_lo,unpaired_hi,"
          "share_better,effect,sign_varies\n", fp);
    double *x = malloc(c->reps * sizeof *x), *y = malloc(c->reps * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return;
    }
    for (size_t m = 0; m < c->n_metrics; m++) {
        int dir = c->metrics[m].better;
        for (int k = -1; k < run->n_summary_weeks; k++) {
            int week = k < 0 ? -1 : run->summary_weeks[k];
            size_t better = 0, pairs = 0, up = 0, down = 0;
            for (size_t r = 0; r < c->reps; r++) {
                x[r] = S_point(c, 0, r, week, m);
                y[r] = S_point(c, 1, r, week, m);
                if (!isnan(x[r]) && !isnan(y[r])) {
                    pairs++;
                    better += dir * (y[r] - x[r]) > 0;
                    up += y[r] > x[r];
                    down += y[r] < x[r];
                }
            }
            ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps);
            ps_interval pd = ps_paired_ci(x, y, c->reps), ud = ps_unpaired_ci(x, y, c->reps);
            if (week < 0) fprintf(fp, "%s,all,%d", c->metrics[m].name, dir);
            else fprintf(fp, "%s,%d,%d", c->metrics[m].name, week, dir);
            S_csv_interval(fp, bx);
            S_csv_interval(fp, by);
            S_csv_interval(fp, pd);
            S_csv_double(fp, ud.lo);
            S_csv_double(fp, ud.hi);
            S_csv_double(fp, dir && pairs ? (double)better / (double)pairs : NAN);
            fprintf(fp, ",%s,%s\n", ps_effect_label(pd, dir),
                    (up < down ? up : down) * 4 > pairs ? "yes" : "no");
        }
    }
    free(x);
    free(y);
}

/* Whether arm 0 (the baseline) has the same shock in the same week: then
 * it is not what the arms differ by, and its resilience would need a run
 * without it. */
static int S_shock_in_baseline(const ps_arm *arms, const ps_intervention *iv)
{
    const ps_timeline *bt = arms[0].timeline;
    for (size_t j = 0; bt && j < bt->n; j++) {
        const ps_intervention *bv = &bt->items[j];
        if (bv->shock && !bv->event && bv->at == iv->at && strcmp(bv->shock, iv->shock) == 0)
            return 1;
    }
    return 0;
}

/* Resilience of every resilience metric to every dated shock that a policy
 * arm has and the baseline has not, per replication, on the paired
 * difference from the baseline replication that shares its random streams
 * (4-week trailing means: weekly noise would otherwise pass for recovery).
 * The baseline's own drift and noise cancel; a recovery not reached by the
 * horizon stays censored. */
static void S_write_resilience(FILE *per_rep, FILE *summary, const ps_arm *arms,
                               const ps_compare_data *c)
{
    fputs("arm,shock,at,metric,replication,pre_shock_difference,drawdown,recovered,"
          "time_to_recover,loss,loss_censored\n",
          per_rep);
    fputs("arm,shock,at,metric,n,drawdown_mean,drawdown_lo,drawdown_hi,loss_mean,loss_lo,"
          "loss_hi,recovered,median_time_to_recover\n",
          summary);
    size_t W = c->weeks;
    double *y = malloc((W + 1) * sizeof *y), *b = malloc((W + 1) * sizeof *b);
    double *scratch = malloc((W + 1) * sizeof *scratch);
    double *dd = malloc(c->reps * sizeof *dd), *loss = malloc(c->reps * sizeof *loss);
    int *ttr = malloc(c->reps * sizeof *ttr), *rec = malloc(c->reps * sizeof *rec);
    if (!y || !b || !scratch || !dd || !loss || !ttr || !rec) goto done;
    for (size_t a = 1; a < c->n_arms; a++) {
        const ps_timeline *tl = arms[a].timeline;
        for (size_t i = 0; tl && i < tl->n; i++) {
            const ps_intervention *iv = &tl->items[i];
            if (!iv->shock || iv->event || iv->at < 1 || S_shock_in_baseline(arms, iv)) continue;
            for (size_t m = 0; m < c->n_metrics; m++) {
                if (!(c->metrics[m].roles & PS_METRIC_RESILIENCE)) continue;
                /* a fall is a loss unless lower is better */
                int dir = c->metrics[m].better < 0 ? -1 : 1;
                int recovered = 0;
                for (size_t r = 0; r < c->reps; r++) {
                    for (size_t w = 0; w <= W; w++) {
                        y[w] = ps_compare_at(c, a, r, w)[m];
                        b[w] = ps_compare_at(c, 0, r, w)[m];
                    }
                    ps_resilience res;
                    dd[r] = loss[r] = NAN;
                    ttr[r] = rec[r] = 0;
                    /* the shock acts in week `at`: row at + 1 is its first effect */
                    if (ps_resilience_paired(y, b, W + 1, (size_t)iv->at + 1, dir >= 0, 13, 0.05,
                                             4, scratch, &res) != 0)
                        continue;
                    dd[r] = res.drawdown;
                    loss[r] = res.loss;
                    recovered += res.recovered;
                    rec[r] = res.recovered;
                    ttr[r] = res.time_to_recover;
                    ps_write_csv_field(per_rep, arms[a].name);
                    fputc(',', per_rep);
                    ps_write_csv_field(per_rep, iv->label);
                    fprintf(per_rep, ",%d,%s,%zu", iv->at, c->metrics[m].name, r);
                    S_csv_double(per_rep, res.baseline);
                    S_csv_double(per_rep, res.drawdown);
                    fprintf(per_rep, ",%s,", res.recovered ? "yes" : "no");
                    if (res.recovered) fprintf(per_rep, "%d", res.time_to_recover);
                    else fprintf(per_rep, "not recovered by week %zu", W);
                    S_csv_double(per_rep, res.loss);
                    fprintf(per_rep, ",%s\n", res.recovered ? "no" : "yes");
                }
                ps_interval di = ps_mean_ci(dd, c->reps), li = ps_mean_ci(loss, c->reps);
                ps_write_csv_field(summary, arms[a].name);
                fputc(',', summary);
                ps_write_csv_field(summary, iv->label);
                fprintf(summary, ",%d,%s,%zu", iv->at, c->metrics[m].name, c->reps);
                S_csv_interval(summary, di);
                S_csv_interval(summary, li);
                fprintf(summary, ",%d of %zu,", recovered, c->reps);
                int med = ps_recovery_median(ttr, rec, c->reps);
                if (med >= 0) fprintf(summary, "%d\n", med);
                else fprintf(summary, "not reached by week %zu\n", W);
            }
        }
    }
done:
    free(y);
    free(b);
    free(scratch);
    free(dd);
    free(loss);
    free(ttr);
    free(rec);
}

static void S_write_costs(FILE *fp, const ps_model_type *type, const void *place,
                          const ps_compare_data *c)
{
    double rate = type->discount_rate ? type->discount_rate(place) : 0.035;
    long sim = type->population(place);
    long whole = type->place_population ? type->place_population(place) : sim;
    fprintf(fp, "metric,kind,population,adults,discount_rate,baseline_total,baseline_lo,"
                "baseline_hi,policy_total,policy_lo,policy_hi,difference,difference_lo,"
                "difference_hi\n");
    double *x = malloc(c->reps * sizeof *x), *y = malloc(c->reps * sizeof *y);
    /* the simulated adults, then the whole place they stand for */
    for (int scope = 0; scope < 2; scope++) {
        double k_scale = scope ? (double)whole / (double)sim : 1;
        for (size_t m = 0; x && y && m < c->n_metrics; m++) {
            if (!(c->metrics[m].roles & PS_METRIC_COST)) continue;
            for (size_t r = 0; r < c->reps; r++) {
                x[r] = k_scale * ps_compare_discounted_total(c, 0, r, m, rate);
                y[r] = k_scale * ps_compare_discounted_total(c, 1, r, m, rate);
            }
            ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps),
                        pd = ps_paired_ci(x, y, c->reps);
            fprintf(fp, "%s,", c->metrics[m].name);
            ps_write_csv_field(fp, c->metrics[m].cost_kind ? c->metrics[m].cost_kind : "");
            fprintf(fp, ",%s,%ld", scope ? "whole place" : "simulated adults", scope ? whole : sim);
            S_csv_double(fp, rate);
            S_csv_interval(fp, bx);
            S_csv_interval(fp, by);
            S_csv_interval(fp, pd);
            fputc('\n', fp);
        }
    }
    free(x);
    free(y);
}

static void S_json_string(FILE *fp, const char *s) { ps_write_json_string(fp, s); }

static int S_write_manifest(const char *dir, const ps_arm *arms, size_t n_arms,
                            const ps_run_options *opt, const ps_run_result *res, int finished,
                            const ps_metric *metrics, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "manifest.json", d) != 0) return -1;
    FILE *fp = f.fp;
    const ps_scenario *s0 = arms[0].scen;
    fputs("{\n  \"program\": \"placesim\",\n  \"command\": \"compare\",\n  \"version\": ", fp);
    S_json_string(fp, opt->version);
    fputs(",\n  \"arms\": [", fp);
    for (size_t a = 0; a < n_arms; a++) {
        fputs(a ? ", {\"name\": " : "{\"name\": ", fp);
        S_json_string(fp, arms[a].name);
        fputs(", \"scenario\": ", fp);
        S_json_string(fp, arms[a].scen->path);
        fprintf(fp, ", \"scenario_hash\": \"fnv1a64:%016llx\", \"interventions\": %zu}",
                (unsigned long long)arms[a].scen->content_hash,
                arms[a].timeline ? arms[a].timeline->n : 0);
    }
    fprintf(fp, "],\n  \"seed\": %llu,\n  \"replications\": %d,\n  \"weeks\": %d,\n"
                "  \"warmup\": %d,\n  \"threads\": %d,\n  \"wall_seconds\": %.3f,\n"
                "  \"citizen_weeks_per_second\": %.0f,\n  \"finished\": %s",
            (unsigned long long)s0->run.seed, s0->run.replications, s0->run.weeks,
            s0->run.warmup, opt->threads, res->wall_seconds, res->citizen_weeks_per_second,
            finished ? "true" : "false");
    fprintf(fp, ",\n  \"replications_used\": %d", res->replications_done);
    const ps_precision *p = opt->precision;
    if (p && p->half_width > 0 && finished) {
        fprintf(fp, ",\n  \"precision\": {\"target_half_width\": %g, \"met\": %s, "
                    "\"replications\": %zu, \"max_replications\": %zu, \"batch\": %zu, "
                    "\"worst_half_width\": ",
                p->half_width, p->met ? "true" : "false", p->reps, p->max_reps,
                p->batch ? p->batch : 4);
        if (isfinite(p->worst_half_width)) fprintf(fp, "%.6g", p->worst_half_width);
        else fputs("null", fp);
        fputs(", \"worst_metric\": ", fp);
        S_json_string(fp, p->worst_metric ? p->worst_metric : "");
        fputc('}', fp);
    }
    if (finished) {
        fputs(",\n  \"steady_state\": ", fp);
        ps_steady_write_json(fp, &res->steady, metrics);
    }
    ps_outfile_write_files(&f);
    fputs("\n}\n", fp);
    return ps_outfile_commit(&f, d);
}

int ps_compare_run(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                   const ps_run_options *opt, ps_run_result *result, ps_diag *d)
{
    memset(result, 0, sizeof *result);
    if (n_arms != 2) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "a comparison needs two arms");
        return PS_ERR_INPUT;
    }
    if (ps_output_prepare_dir(opt->out_dir, opt->overwrite, d) != 0) return d->status;
    ps_compare_data c = {0};
    double t0 = S_now();
    ps_compare_start start = {1, opt->cache, opt->snapshot};
    int rc = opt->precision && opt->precision->half_width > 0
                 ? S_collect_to_precision(type, arms, n_arms, opt->quiet, &start, opt->precision,
                                          &c, d)
                 : ps_compare_collect(type, arms, n_arms, opt->quiet, &start, &c, d);
    result->wall_seconds = S_now() - t0;
    result->replications_done = rc ? 0 : (int)c.reps;
    const ps_run_settings *run = &arms[0].scen->run;
    int from_file = opt->snapshot && opt->snapshot->from;
    if (result->wall_seconds > 0 && !rc) {
        /* the weeks simulated: one warm-up per replication (unless cached),
         * then each arm's reported weeks */
        double ticks = (double)c.reps_computed * (double)n_arms * run->weeks;
        if (!from_file) ticks += (double)(c.reps_computed - c.reps_from_cache) * run->warmup;
        result->citizen_weeks_per_second =
            (double)type->population(arms[0].place) * ticks / result->wall_seconds;
    }
    ps_outfile series = {0}, cmp = {0}, res = {0}, ressum = {0}, costs = {0};
    if (rc) goto done;
    if (ps_steady_assess(from_file ? NULL : c.warm, c.rows, c.reps, run->warmup, run->weeks,
                         c.track, c.tolerance, c.n_track, c.n_metrics,
                         ps_timeline_first_effect(arms[0].timeline, run->weeks),
                         &result->steady) != 0) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        rc = PS_ERR_MEMORY;
        goto done;
    }
    result->steady.reps_from_cache = c.reps_from_cache;
    c.steady = &result->steady;
    if (ps_outfile_open(&series, opt->out_dir, "series.csv", d) != 0 ||
        ps_outfile_open(&cmp, opt->out_dir, "compare.csv", d) != 0 ||
        ps_outfile_open(&res, opt->out_dir, "resilience.csv", d) != 0 ||
        ps_outfile_open(&ressum, opt->out_dir, "resilience_summary.csv", d) != 0 ||
        ps_outfile_open(&costs, opt->out_dir, "costs.csv", d) != 0) {
        rc = d->status;
        goto done;
    }
    fputs("arm,replication,week", series.fp);
    for (size_t m = 0; m < c.n_metrics; m++) fprintf(series.fp, ",%s", c.metrics[m].name);
    fputc('\n', series.fp);
    for (size_t a = 0; a < n_arms; a++)
        for (size_t r = 0; r < c.reps; r++)
            for (size_t w = 0; w <= c.weeks; w++) {
                ps_write_csv_field(series.fp, arms[a].name);
                fprintf(series.fp, ",%zu,%zu", r, w);
                const double *row = ps_compare_at(&c, a, r, w);
                for (size_t m = 0; m < c.n_metrics; m++) S_csv_double(series.fp, row[m]);
                fputc('\n', series.fp);
            }
    S_write_compare(cmp.fp, &c, &arms[0].scen->run);
    S_write_resilience(res.fp, ressum.fp, arms, &c);
    S_write_costs(costs.fp, type, arms[0].place, &c);
    if (ps_outfile_commit(&series, d) || ps_outfile_commit(&cmp, d) ||
        ps_outfile_commit(&res, d) || ps_outfile_commit(&ressum, d) ||
        ps_outfile_commit(&costs, d)) {
        rc = d->status;
        goto done;
    }
    if (ps_report_compare(opt->out_dir, type, arms, n_arms, &c, d) != 0) {
        rc = d->status;
        goto done;
    }
    if (S_write_manifest(opt->out_dir, arms, n_arms, opt, result, 1, c.metrics, d) != 0) rc = d->status;
done:
    if (series.fp) ps_outfile_abandon(&series);
    if (cmp.fp) ps_outfile_abandon(&cmp);
    if (res.fp) ps_outfile_abandon(&res);
    if (ressum.fp) ps_outfile_abandon(&ressum);
    if (costs.fp) ps_outfile_abandon(&costs);
    if (rc) {
        ps_diag scratch;
        ps_diag_init(&scratch);
        ps_output_discard(opt->out_dir);
        S_write_manifest(opt->out_dir, arms, n_arms, opt, result, 0, c.metrics, &scratch);
    }
    ps_compare_data_free(&c);
    return rc;
}
