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

int ps_compare_alloc(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                     ps_compare_data *data, ps_diag *d)
{
    memset(data, 0, sizeof *data);
    if (S_check_arms(arms, n_arms, d) != 0) return PS_ERR_INPUT;
    const ps_run_settings *run = &arms[0].scen->run;
    data->n_arms = n_arms;
    data->reps = (size_t)run->replications;
    data->weeks = (size_t)run->weeks;
    data->n_metrics = type->metric_names(arms[0].place, &data->metric_names);
    data->rows = calloc(n_arms * data->reps * (data->weeks + 1) * data->n_metrics + 1,
                        sizeof *data->rows);
    if (!data->rows) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory for %zu x %zu x %zu values",
                    n_arms * data->reps, data->weeks + 1, data->n_metrics);
        return PS_ERR_MEMORY;
    }
    return 0;
}

int ps_compare_collect_replication(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                                   size_t rep, const ps_snapshot_io *snap,
                                   ps_compare_data *data, ps_diag *d)
{
    if (S_check_arms(arms, n_arms, d) != 0) return PS_ERR_INPUT;
    const ps_run_settings *run = &arms[0].scen->run;
    if (n_arms != data->n_arms || rep >= data->reps || (size_t)run->weeks != data->weeks ||
        (size_t)run->replications != data->reps) {
        ps_diag_add(d, PS_ERR_INPUT, arms[0].scen->path, 0, "run",
                    "the arms of replication %zu do not match the comparison's shape", rep);
        return PS_ERR_INPUT;
    }
    for (size_t a = 0; a < n_arms; a++) {
        int rc = ps_sim_replication(type, arms[a].place, run, arms[a].timeline, (unsigned)rep,
                                    ps_compare_at(data, a, rep, 0), snap, d);
        if (rc) return rc;
    }
    return 0;
}

int ps_compare_collect(const ps_model_type *type, const ps_arm *arms, size_t n_arms,
                       int quiet, const ps_snapshot_io *snap, ps_compare_data *data, ps_diag *d)
{
    int rc = ps_compare_alloc(type, arms, n_arms, data, d);
    if (rc) return rc;
    ps_progress prog;
    ps_progress_start(&prog, "paired replications", data->reps, quiet);
    for (size_t r = 0; r < data->reps; r++) {
        rc = ps_compare_collect_replication(type, arms, n_arms, r, snap, data, d);
        if (rc) {
            ps_progress_finish(&prog);
            return rc;
        }
        ps_progress_update(&prog, r + 1);
    }
    ps_progress_finish(&prog);
    return 0;
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

double ps_compare_horizon_mean(const ps_compare_data *c, size_t arm, size_t rep, size_t m)
{
    double s = 0;
    size_t k = 0;
    for (size_t w = 1; w <= c->weeks; w++) {
        double v = ps_compare_at(c, arm, rep, w)[m];
        if (!isnan(v)) {
            s += v;
            k++;
        }
    }
    return k ? s / (double)k : NAN;
}

/* The value of metric m in (arm, rep) at a summary point: a week, or the
 * mean over weeks 1..W when week < 0. */
static double S_point(const ps_compare_data *c, size_t arm, size_t rep, int week, size_t m)
{
    return week >= 0 ? ps_compare_at(c, arm, rep, (size_t)week)[m]
                     : ps_compare_horizon_mean(c, arm, rep, m);
}

static void S_write_compare(FILE *fp, const ps_model_type *type, const void *place,
                            const ps_compare_data *c, const ps_run_settings *run)
{
    fputs("metric,week,direction,baseline_mean,baseline_lo,baseline_hi,policy_mean,policy_lo,"
          "policy_hi,difference,difference_lo,difference_hi,unpaired_lo,unpaired_hi,"
          "share_better\n", fp);
    double *x = malloc(c->reps * sizeof *x), *y = malloc(c->reps * sizeof *y);
    if (!x || !y) {
        free(x);
        free(y);
        return;
    }
    for (size_t m = 0; m < c->n_metrics; m++) {
        int dir = type->metric_direction ? type->metric_direction(place, m) : 0;
        for (int k = -1; k < run->n_summary_weeks; k++) {
            int week = k < 0 ? -1 : run->summary_weeks[k];
            size_t better = 0, pairs = 0;
            for (size_t r = 0; r < c->reps; r++) {
                x[r] = S_point(c, 0, r, week, m);
                y[r] = S_point(c, 1, r, week, m);
                if (!isnan(x[r]) && !isnan(y[r])) {
                    pairs++;
                    better += dir * (y[r] - x[r]) > 0;
                }
            }
            ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps);
            ps_interval pd = ps_paired_ci(x, y, c->reps), ud = ps_unpaired_ci(x, y, c->reps);
            if (week < 0) fprintf(fp, "%s,all,%d", c->metric_names[m], dir);
            else fprintf(fp, "%s,%d,%d", c->metric_names[m], week, dir);
            S_csv_interval(fp, bx);
            S_csv_interval(fp, by);
            S_csv_interval(fp, pd);
            S_csv_double(fp, ud.lo);
            S_csv_double(fp, ud.hi);
            S_csv_double(fp, dir && pairs ? (double)better / (double)pairs : NAN);
            fputc('\n', fp);
        }
    }
    free(x);
    free(y);
}

static size_t S_metric_index(const ps_compare_data *c, const char *name)
{
    for (size_t m = 0; m < c->n_metrics; m++)
        if (strcmp(c->metric_names[m], name) == 0) return m;
    return (size_t)-1;
}

/* Resilience of every resilience metric to every dated shock of every arm,
 * per replication, on a 4-week trailing mean (weekly noise would otherwise
 * pass for recovery). */
static void S_write_resilience(FILE *per_rep, FILE *summary, const ps_model_type *type,
                               const ps_arm *arms, const ps_compare_data *c)
{
    fputs("arm,shock,at,metric,replication,baseline,drawdown,recovered,time_to_recover,loss\n",
          per_rep);
    fputs("arm,shock,at,metric,n,drawdown_mean,drawdown_lo,drawdown_hi,loss_mean,loss_lo,"
          "loss_hi,recovered,median_time_to_recover_if_recovered,loss_difference_vs_baseline,"
          "loss_difference_lo,loss_difference_hi\n",
          summary);
    size_t W = c->weeks;
    double *y = malloc((W + 1) * sizeof *y);
    double *dd = malloc(c->reps * sizeof *dd), *loss = malloc(c->reps * sizeof *loss);
    double *base_loss = malloc(c->reps * sizeof *base_loss);
    int *ttr = malloc(c->reps * sizeof *ttr);
    if (!y || !dd || !loss || !base_loss || !ttr) goto done;
    for (size_t a = 0; a < c->n_arms; a++) {
        const ps_timeline *tl = arms[a].timeline;
        for (size_t i = 0; tl && i < tl->n; i++) {
            const ps_intervention *iv = &tl->items[i];
            if (!iv->shock || iv->at < 1) continue;
            for (size_t k = 0; k < type->n_resilience_metrics; k++) {
                size_t m = S_metric_index(c, type->resilience_metrics[k]);
                if (m == (size_t)-1) continue;
                int dir = type->metric_direction ? type->metric_direction(arms[a].place, m) : 1;
                int recovered = 0;
                for (size_t r = 0; r < c->reps; r++) {
                    for (size_t w = 0; w <= W; w++) {
                        double s = 0;
                        int n = 0;
                        for (size_t v = w >= 3 ? w - 3 : 0; v <= w; v++) {
                            double x = ps_compare_at(c, a, r, v)[m];
                            if (!isnan(x)) {
                                s += x;
                                n++;
                            }
                        }
                        y[w] = n ? s / n : NAN;
                    }
                    ps_resilience res;
                    dd[r] = loss[r] = NAN;
                    ttr[r] = -1;
                    /* the shock acts in week `at`: row at + 1 is its first effect */
                    if (ps_resilience_compute(y, W + 1, (size_t)iv->at + 1, dir >= 0, 13, 0.05,
                                              &res) != 0)
                        continue;
                    dd[r] = res.drawdown;
                    loss[r] = res.loss;
                    recovered += res.recovered;
                    ttr[r] = res.recovered ? res.time_to_recover : -1;
                    ps_write_csv_field(per_rep, arms[a].name);
                    fputc(',', per_rep);
                    ps_write_csv_field(per_rep, iv->label);
                    fprintf(per_rep, ",%d,%s,%zu", iv->at, c->metric_names[m], r);
                    S_csv_double(per_rep, res.baseline);
                    S_csv_double(per_rep, res.drawdown);
                    fprintf(per_rep, ",%s,", res.recovered ? "yes" : "no");
                    if (res.recovered) fprintf(per_rep, "%d", res.time_to_recover);
                    else fprintf(per_rep, "not recovered by week %zu", W);
                    S_csv_double(per_rep, res.loss);
                    fputc('\n', per_rep);
                }
                ps_interval di = ps_mean_ci(dd, c->reps), li = ps_mean_ci(loss, c->reps);
                /* median time to recover among the runs that recovered */
                int times[4096], nt = 0;
                for (size_t r = 0; r < c->reps && nt < 4096; r++)
                    if (ttr[r] >= 0) times[nt++] = ttr[r];
                for (int p = 1; p < nt; p++)
                    for (int q = p; q > 0 && times[q - 1] > times[q]; q--) {
                        int t = times[q];
                        times[q] = times[q - 1];
                        times[q - 1] = t;
                    }
                ps_write_csv_field(summary, arms[a].name);
                fputc(',', summary);
                ps_write_csv_field(summary, iv->label);
                fprintf(summary, ",%d,%s,%zu", iv->at, c->metric_names[m], c->reps);
                S_csv_interval(summary, di);
                S_csv_interval(summary, li);
                fprintf(summary, ",%d of %zu,", recovered, c->reps);
                if (nt) fprintf(summary, "%g", nt % 2 ? times[nt / 2] : 0.5 * (times[nt / 2 - 1] + times[nt / 2]));
                else fputs("none recovered", summary);
                /* the same shock in the baseline arm: paired difference of loss */
                ps_interval diff = {NAN, NAN, NAN};
                if (a > 0) {
                    const ps_timeline *bt = arms[0].timeline;
                    for (size_t j = 0; bt && j < bt->n; j++) {
                        const ps_intervention *bv = &bt->items[j];
                        if (!bv->shock || bv->at != iv->at || strcmp(bv->shock, iv->shock)) continue;
                        for (size_t r = 0; r < c->reps; r++) {
                            for (size_t w = 0; w <= W; w++) {
                                double s = 0;
                                int n = 0;
                                for (size_t v = w >= 3 ? w - 3 : 0; v <= w; v++) {
                                    double x = ps_compare_at(c, 0, r, v)[m];
                                    if (!isnan(x)) {
                                        s += x;
                                        n++;
                                    }
                                }
                                y[w] = n ? s / n : NAN;
                            }
                            ps_resilience res;
                            base_loss[r] = ps_resilience_compute(y, W + 1, (size_t)iv->at + 1,
                                                                 dir >= 0, 13, 0.05, &res) == 0
                                               ? res.loss
                                               : NAN;
                        }
                        diff = ps_paired_ci(base_loss, loss, c->reps);
                        break;
                    }
                }
                S_csv_interval(summary, diff);
                fputc('\n', summary);
            }
        }
    }
done:
    free(y);
    free(dd);
    free(loss);
    free(base_loss);
    free(ttr);
}

double ps_compare_discounted_total(const ps_compare_data *c, size_t arm, size_t rep, size_t m,
                                   double rate)
{
    double total = 0;
    for (size_t w = 1; w <= c->weeks; w++) {
        double v = ps_compare_at(c, arm, rep, w)[m];
        if (!isnan(v)) total += v * pow(1 + rate, -(double)(w - 1) / 52.0);
    }
    return total;
}

static void S_write_costs(FILE *fp, const ps_model_type *type, const void *place,
                          const ps_compare_data *c)
{
    double rate = type->discount_rate ? type->discount_rate(place) : 0.035;
    fprintf(fp, "metric,discount_rate,baseline_total,baseline_lo,baseline_hi,policy_total,"
                "policy_lo,policy_hi,difference,difference_lo,difference_hi\n");
    double *x = malloc(c->reps * sizeof *x), *y = malloc(c->reps * sizeof *y);
    for (size_t k = 0; x && y && k < type->n_cost_metrics; k++) {
        size_t m = S_metric_index(c, type->cost_metrics[k]);
        if (m == (size_t)-1) continue;
        for (size_t r = 0; r < c->reps; r++) {
            x[r] = ps_compare_discounted_total(c, 0, r, m, rate);
            y[r] = ps_compare_discounted_total(c, 1, r, m, rate);
        }
        ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps),
                    pd = ps_paired_ci(x, y, c->reps);
        fprintf(fp, "%s", c->metric_names[m]);
        S_csv_double(fp, rate);
        S_csv_interval(fp, bx);
        S_csv_interval(fp, by);
        S_csv_interval(fp, pd);
        fputc('\n', fp);
    }
    free(x);
    free(y);
}

static void S_json_string(FILE *fp, const char *s) { ps_write_json_string(fp, s); }

static int S_write_manifest(const char *dir, const ps_arm *arms, size_t n_arms,
                            const ps_run_options *opt, const ps_run_result *res, int finished,
                            ps_diag *d)
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
    ps_compare_data c;
    double t0 = S_now();
    int rc = ps_compare_collect(type, arms, n_arms, opt->quiet, opt->snapshot, &c, d);
    result->wall_seconds = S_now() - t0;
    result->replications_done = rc ? 0 : (int)c.reps;
    if (result->wall_seconds > 0 && !rc)
        result->citizen_weeks_per_second =
            (double)type->population(arms[0].place) *
            (double)(arms[0].scen->run.warmup + arms[0].scen->run.weeks) * (double)c.reps *
            (double)n_arms / result->wall_seconds;
    ps_outfile series = {0}, cmp = {0}, res = {0}, ressum = {0}, costs = {0};
    if (rc) goto done;
    if (ps_outfile_open(&series, opt->out_dir, "series.csv", d) != 0 ||
        ps_outfile_open(&cmp, opt->out_dir, "compare.csv", d) != 0 ||
        ps_outfile_open(&res, opt->out_dir, "resilience.csv", d) != 0 ||
        ps_outfile_open(&ressum, opt->out_dir, "resilience_summary.csv", d) != 0 ||
        ps_outfile_open(&costs, opt->out_dir, "costs.csv", d) != 0) {
        rc = d->status;
        goto done;
    }
    fputs("arm,replication,week", series.fp);
    for (size_t m = 0; m < c.n_metrics; m++) fprintf(series.fp, ",%s", c.metric_names[m]);
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
    S_write_compare(cmp.fp, type, arms[0].place, &c, &arms[0].scen->run);
    S_write_resilience(res.fp, ressum.fp, type, arms, &c);
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
    if (S_write_manifest(opt->out_dir, arms, n_arms, opt, result, 1, d) != 0) rc = d->status;
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
        S_write_manifest(opt->out_dir, arms, n_arms, opt, result, 0, &scratch);
    }
    free(c.rows);
    return rc;
}
