/* A sweep's indices: Sobol first-order and total indices (saltelli) or
 * Morris mu* and sigma (morris) per metric, from the mean over each
 * point's replications, with the run-to-run noise beside them. A base row
 * (Sobol) or trajectory (Morris) with a failed run is left out, and the
 * count used is reported. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "sensitivity.h"
#include "sweep.h"

/* The noise of a point's mean. With common seeds every point's replication
 * r shares its random streams, so what the streams do to all points alike
 * (a seed's effect) cancels between points and adds nothing to their
 * spread; only the interaction of seed and point is noise there. That is
 * the residual of a two-way table (points x replications):
 * sum (y_pr - mean_p - mean_r + mean)^2 / ((P - 1)(R - 1)), over R for a
 * mean. With a seed per point nothing cancels: the variance within points,
 * over R. NaN with one replication. */
static double S_noise_var(const ps_sweep *sw, const double *y, const double *pm, size_t m,
                          double *rep_mean)
{
    size_t R = (size_t)sw->replications, nm = sw->n_metrics, P = 0;
    if (R < 2) return NAN;
    double grand = 0;
    for (size_t r = 0; r < R; r++) rep_mean[r] = 0;
    for (size_t p = 0; p < sw->n_points; p++) {
        if (!isfinite(pm[p * nm + m])) continue;
        P++;
        grand += pm[p * nm + m];
        for (size_t r = 0; r < R; r++) rep_mean[r] += y[(p * R + r) * nm + m];
    }
    if (P < 2) return NAN;
    grand /= (double)P;
    for (size_t r = 0; r < R; r++) rep_mean[r] /= (double)P;
    double ss = 0;
    for (size_t p = 0; p < sw->n_points; p++) {
        double mean = pm[p * nm + m];
        if (!isfinite(mean)) continue;
        for (size_t r = 0; r < R; r++) {
            double e = y[(p * R + r) * nm + m] - mean;
            if (!sw->per_point_seeds) e -= rep_mean[r] - grand;
            ss += e * e;
        }
    }
    double df = sw->per_point_seeds ? (double)P * (double)(R - 1)
                                    : (double)(P - 1) * (double)(R - 1);
    return ss / df / (double)R;
}

static int S_point_means(const ps_sweep *sw, const double *y, ps_sweep_analysis *a)
{
    size_t R = (size_t)sw->replications, nm = sw->n_metrics;
    a->point_mean = malloc((sw->n_points ? sw->n_points : 1) * nm * sizeof *a->point_mean);
    double *rep_mean = malloc(R * sizeof *rep_mean);
    if (!a->point_mean || !rep_mean) {
        free(rep_mean);
        return -1;
    }
    for (size_t m = 0; m < nm; m++) {
        double mean_all = 0, ss_all = 0;
        size_t n_points = 0;
        for (size_t p = 0; p < sw->n_points; p++) {
            double sum = 0;
            int ok = 1;
            for (size_t r = 0; r < R; r++) {
                double v = y[(p * R + r) * nm + m];
                if (!isfinite(v)) ok = 0;
                sum += v;
            }
            double mean = ok ? sum / (double)R : NAN;
            a->point_mean[p * nm + m] = mean;
            if (!ok) continue;
            /* Welford, for the variance across points */
            n_points++;
            double delta = mean - mean_all;
            mean_all += delta / (double)n_points;
            ss_all += delta * (mean - mean_all);
        }
        double var_points = n_points > 1 ? ss_all / (double)(n_points - 1) : NAN;
        double noise_var = S_noise_var(sw, y, a->point_mean, m, rep_mean);
        a->noise_sd[m] = sqrt(noise_var);
        a->noise_share[m] = var_points > 0 ? noise_var / var_points : NAN;
    }
    free(rep_mean);
    return 0;
}

/* Ranks one metric's indices by the first key, descending (NaN last). */
static int S_by_total(const void *pa, const void *pb)
{
    const ps_sweep_index *x = pa, *y = pb;
    double u = isnan(x->total) ? -HUGE_VAL : x->total, v = isnan(y->total) ? -HUGE_VAL : y->total;
    if (u != v) return u < v ? 1 : -1;
    return x->factor < y->factor ? -1 : x->factor > y->factor;
}

static int S_by_first(const void *pa, const void *pb)
{
    const ps_sweep_index *x = pa, *y = pb;
    double u = isnan(x->first) ? -HUGE_VAL : x->first, v = isnan(y->first) ? -HUGE_VAL : y->first;
    if (u != v) return u < v ? 1 : -1;
    return x->factor < y->factor ? -1 : x->factor > y->factor;
}

static void S_sobol(const ps_sweep *sw, ps_sweep_analysis *a, size_t m, double *buf,
                    ps_sobol_result *res)
{
    size_t n = sw->samples, k = sw->k, nm = sw->n_metrics, used = 0;
    double *yA = buf, *yB = buf + n, *yAB = buf + 2 * n;
    /* gather the complete base rows; yAB is laid out [i * used + j] after */
    double *tmp = yAB + k * n;
    for (size_t j = 0; j < n; j++) {
        int ok = isfinite(a->point_mean[j * nm + m]) && isfinite(a->point_mean[(n + j) * nm + m]);
        for (size_t i = 0; ok && i < k; i++) ok = isfinite(a->point_mean[((2 + i) * n + j) * nm + m]);
        if (!ok) continue;
        yA[used] = a->point_mean[j * nm + m];
        yB[used] = a->point_mean[(n + j) * nm + m];
        for (size_t i = 0; i < k; i++) tmp[i * n + used] = a->point_mean[((2 + i) * n + j) * nm + m];
        used++;
    }
    for (size_t i = 0; i < k; i++) memmove(yAB + i * used, tmp + i * n, used * sizeof *yAB);
    a->rows_used[m] = used;
    int ok = used >= 2 &&
             ps_sobol_indices(yA, yB, yAB, used, k, sw->bootstrap, sw->seed, res) == 0;
    for (size_t i = 0; i < k; i++) {
        ps_sweep_index *x = &a->idx[m * k + i];
        x->metric = m;
        x->factor = i;
        x->first = ok ? res[i].S : NAN;
        x->first_lo = ok && sw->bootstrap ? res[i].S_lo : NAN;
        x->first_hi = ok && sw->bootstrap ? res[i].S_hi : NAN;
        x->total = ok ? res[i].ST : NAN;
        x->total_lo = ok && sw->bootstrap ? res[i].ST_lo : NAN;
        x->total_hi = ok && sw->bootstrap ? res[i].ST_hi : NAN;
        x->mu = NAN;
    }
    qsort(&a->idx[m * k], k, sizeof *a->idx, S_by_total);
}

static void S_morris(const ps_sweep *sw, ps_sweep_analysis *a, size_t m, double *x,
                     size_t *order, double *yv, ps_morris_result *res)
{
    size_t r = sw->samples, k = sw->k, nm = sw->n_metrics, used = 0;
    for (size_t t = 0; t < r; t++) {
        int ok = 1;
        for (size_t s = 0; ok && s <= k; s++) ok = isfinite(a->point_mean[(t * (k + 1) + s) * nm + m]);
        if (!ok) continue;
        memcpy(x + used * (k + 1) * k, sw->unit + t * (k + 1) * k, (k + 1) * k * sizeof *x);
        memcpy(order + used * k, sw->morris_order + t * k, k * sizeof *order);
        for (size_t s = 0; s <= k; s++) yv[used * (k + 1) + s] = a->point_mean[(t * (k + 1) + s) * nm + m];
        used++;
    }
    a->rows_used[m] = used;
    int ok = used >= 1 && ps_morris_indices(x, order, yv, used, k, res) == 0;
    for (size_t i = 0; i < k; i++) {
        ps_sweep_index *e = &a->idx[m * k + i];
        e->metric = m;
        e->factor = i;
        e->first = ok ? res[i].mu_star : NAN;
        e->total = ok ? res[i].sigma : NAN;
        e->mu = ok ? res[i].mu : NAN;
        e->first_lo = e->first_hi = e->total_lo = e->total_hi = NAN;
    }
    qsort(&a->idx[m * k], k, sizeof *a->idx, S_by_first);
}

int ps_sweep_analyse(const ps_sweep *sw, const double *y, ps_sweep_analysis *a, ps_diag *d)
{
    memset(a, 0, sizeof *a);
    size_t nm = sw->n_metrics, k = sw->k;
    a->kind = sw->design == PS_SWEEP_SALTELLI || sw->design == PS_SWEEP_MORRIS ? sw->design : -1;
    a->noise_sd = calloc(nm, sizeof *a->noise_sd);
    a->noise_share = calloc(nm, sizeof *a->noise_share);
    a->rows_used = calloc(nm, sizeof *a->rows_used);
    if (!a->noise_sd || !a->noise_share || !a->rows_used || S_point_means(sw, y, a) != 0)
        goto nomem;
    if (a->kind < 0) return 0;
    a->n = nm * k;
    a->idx = calloc(a->n, sizeof *a->idx);
    if (!a->idx) goto nomem;
    if (a->kind == PS_SWEEP_SALTELLI) {
        a->rows_total = sw->samples;
        double *buf = malloc(sw->samples * (2 * k + 2) * sizeof *buf);
        ps_sobol_result *res = calloc(k, sizeof *res);
        if (!buf || !res) {
            free(buf);
            free(res);
            goto nomem;
        }
        for (size_t m = 0; m < nm; m++) S_sobol(sw, a, m, buf, res);
        free(buf);
        free(res);
    } else {
        size_t r = sw->samples;
        a->rows_total = r;
        double *x = malloc(r * (k + 1) * k * sizeof *x), *yv = malloc(r * (k + 1) * sizeof *yv);
        size_t *order = malloc(r * k * sizeof *order);
        ps_morris_result *res = calloc(k, sizeof *res);
        if (!x || !yv || !order || !res) {
            free(x);
            free(yv);
            free(order);
            free(res);
            goto nomem;
        }
        for (size_t m = 0; m < nm; m++) S_morris(sw, a, m, x, order, yv, res);
        free(x);
        free(yv);
        free(order);
        free(res);
    }
    return 0;
nomem:
    ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory in the analysis");
    ps_sweep_analysis_free(a);
    return -1;
}

void ps_sweep_analysis_free(ps_sweep_analysis *a)
{
    free(a->idx);
    free(a->noise_sd);
    free(a->noise_share);
    free(a->rows_used);
    free(a->point_mean);
    memset(a, 0, sizeof *a);
}

int ps_sweep_write_indices(const ps_sweep *sw, const ps_sweep_analysis *a, const char *dir,
                           ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "indices.csv", d) != 0) return -1;
    int sobol = a->kind == PS_SWEEP_SALTELLI;
    fputs(sobol ? "metric,rank,factor,S1,S1_lo,S1_hi,ST,ST_lo,ST_hi"
                : "metric,rank,factor,mu_star,mu,sigma",
          f.fp);
    fputs(",noise_sd,noise_share,rows_used,rows\n", f.fp);
    for (size_t e = 0; e < a->n; e++) {
        const ps_sweep_index *x = &a->idx[e];
        ps_write_csv_field(f.fp, sw->metrics[x->metric].column);
        fprintf(f.fp, ",%zu,", e % sw->k + 1);
        ps_write_csv_field(f.fp, sw->factors[x->factor].name);
        double v[6] = {x->first, x->first_lo, x->first_hi, x->total, x->total_lo, x->total_hi};
        if (!sobol) {
            v[0] = x->first;
            v[1] = x->mu;
            v[2] = x->total;
        }
        for (size_t i = 0; i < (sobol ? 6u : 3u); i++) {
            fputc(',', f.fp);
            ps_write_double(f.fp, v[i]);
        }
        fputc(',', f.fp);
        ps_write_double(f.fp, a->noise_sd[x->metric]);
        fputc(',', f.fp);
        ps_write_double(f.fp, a->noise_share[x->metric]);
        fprintf(f.fp, ",%zu,%zu\n", a->rows_used[x->metric], a->rows_total);
    }
    return ps_outfile_commit(&f, d);
}

static void S_weeks(FILE *fp, const ps_sweep_metric *m)
{
    if (m->from == m->to) fprintf(fp, "at week %d", m->from);
    else fprintf(fp, "mean over weeks %d-%d", m->from, m->to);
}

void ps_sweep_print_indices(FILE *fp, const ps_sweep *sw, const ps_sweep_analysis *a)
{
    for (int i = 0; i < sw->n_notes; i++) fprintf(fp, "note: %s\n", sw->notes[i]);
    if (a->kind < 0) {
        fprintf(fp, "The %s design gives no indices (use saltelli or morris); the report plots "
                    "each metric against each factor.\n",
                sw->design == PS_SWEEP_MATRIX ? "matrix" : "chosen");
        return;
    }
    int sobol = a->kind == PS_SWEEP_SALTELLI;
    for (size_t m = 0; m < sw->n_metrics; m++) {
        const ps_sweep_metric *mt = &sw->metrics[m];
        fprintf(fp, "\n%s (", mt->column);
        S_weeks(fp, mt);
        fprintf(fp, "): %zu of %zu %s used", a->rows_used[m], a->rows_total,
                sobol ? "base rows" : "trajectories");
        if (isnan(a->noise_share[m]))
            fprintf(fp, "; run-to-run noise not measured (one replication per point)\n");
        else
            fprintf(fp, "; run-to-run noise: sd %.3g of a point's mean, %.1f%% of the variance "
                        "across points%s\n",
                    a->noise_sd[m], 100 * a->noise_share[m],
                    a->noise_share[m] > 0.3 ? " (LARGE: the indices are largely about noise)" : "");
        if (sobol)
            fprintf(fp, "  %-4s %-32s %-26s %-26s\n", "rank", "factor", "first order S1 [95% CI]",
                    "total ST [95% CI]");
        else
            fprintf(fp, "  %-4s %-32s %10s %10s %10s\n", "rank", "factor", "mu*", "mu", "sigma");
        for (size_t i = 0; i < sw->k; i++) {
            const ps_sweep_index *x = &a->idx[m * sw->k + i];
            if (sobol)
                fprintf(fp, "  %-4zu %-32.32s %6.3f [%6.3f, %6.3f]   %6.3f [%6.3f, %6.3f]\n",
                        i + 1, sw->factors[x->factor].name, x->first, x->first_lo, x->first_hi,
                        x->total, x->total_lo, x->total_hi);
            else
                fprintf(fp, "  %-4zu %-32.32s %10.4g %10.4g %10.4g\n", i + 1,
                        sw->factors[x->factor].name, x->first, x->mu, x->total);
        }
    }
}
