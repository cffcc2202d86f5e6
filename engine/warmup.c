#include "warmup.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ps_mser5(const double *y, size_t n, ps_mser *out)
{
    out->truncate = 0;
    out->batches = 0;
    out->statistic = NAN;
    size_t m = n / PS_MSER_BATCH;
    if (!y || m < 2) return -1;
    double *b = malloc(m * sizeof *b);
    if (!b) return -1;
    for (size_t j = 0; j < m; j++) {
        double s = 0;
        int k = 0;
        for (size_t t = j * PS_MSER_BATCH; t < (j + 1) * PS_MSER_BATCH; t++)
            if (!isnan(y[t])) {
                s += y[t];
                k++;
            }
        b[j] = k ? s / k : NAN;
    }
    /* suffix sums from the end, so each candidate costs O(1): with S1 and
     * S2 the sum and sum of squares of the kept batches, the sum of squared
     * deviations is S2 - S1^2 / k */
    double s1 = 0, s2 = 0, best = INFINITY;
    size_t kept = 0, best_d = 0;
    double *mser = malloc((m + 1) * sizeof *mser);
    if (!mser) {
        free(b);
        return -1;
    }
    for (size_t j = m; j-- > 0;) {
        if (!isnan(b[j])) {
            s1 += b[j];
            s2 += b[j] * b[j];
            kept++;
        }
        double ss = kept ? s2 - s1 * s1 / (double)kept : 0;
        if (ss < 0) ss = 0; /* rounding of a constant series */
        mser[j] = kept ? ss / ((double)kept * (double)kept) : INFINITY;
    }
    /* candidates d = 0 .. m/2, the smallest statistic first found wins, so
     * ties go to the shorter truncation */
    for (size_t d = 0; d <= m / 2; d++)
        if (mser[d] < best) {
            best = mser[d];
            best_d = d;
        }
    out->truncate = best_d * PS_MSER_BATCH;
    out->batches = m;
    out->bound = m / 2 * PS_MSER_BATCH;
    out->statistic = best;
    free(mser);
    free(b);
    return 0;
}

static double S_part_mean(const double *x, size_t from, size_t to)
{
    double s = 0;
    size_t k = 0;
    for (size_t t = from; t < to; t++)
        if (!isnan(x[t])) {
            s += x[t];
            k++;
        }
    return k ? s / (double)k : NAN;
}

ps_interval ps_window_drift(const double *x, size_t reps, size_t stride, size_t n, size_t part,
                            double level)
{
    ps_interval none = {NAN, NAN, NAN};
    if (!x || reps == 0 || part == 0 || 2 * part > n) return none;
    double *first = malloc(reps * sizeof *first), *last = malloc(reps * sizeof *last);
    if (!first || !last) {
        free(first);
        free(last);
        return none;
    }
    for (size_t r = 0; r < reps; r++) {
        const double *y = x + r * stride;
        first[r] = S_part_mean(y, 0, part);
        last[r] = S_part_mean(y, n - part, n);
    }
    ps_interval iv = ps_paired_ci_level(first, last, reps, level);
    free(first);
    free(last);
    return iv;
}

void ps_steady_free(ps_steady *s)
{
    free(s->m);
    memset(s, 0, sizeof *s);
}

int ps_steady_assess(const double *warm, const double *rows, size_t reps, int warmup, int weeks,
                     const size_t *track, const double *tolerance, size_t n, size_t nm,
                     int first_effect, ps_steady *out)
{
    memset(out, 0, sizeof *out);
    out->warmup = warmup;
    out->reps = reps;
    out->n = n;
    int checked = first_effect - 1 < weeks ? first_effect - 1 : weeks;
    if (checked < 0) checked = 0;
    out->checked_weeks = checked;
    out->part = reps >= 2 ? (checked >= 104 ? 52 : (checked >= 20 ? checked / 4 : 0)) : 0;
    out->level = n ? 1 - 0.05 / (double)n : 0.95;
    out->covered = out->steady = 1;
    out->m = calloc(n + 1, sizeof *out->m);
    int w0 = warm ? warmup : 0;
    size_t len = (size_t)w0 + (size_t)checked;
    double *y = malloc((len + 1) * sizeof *y);
    double *x = malloc((reps * (size_t)checked + 1) * sizeof *x);
    int *trunc = malloc((reps + 1) * sizeof *trunc);
    if (!out->m || !y || !x || !trunc) {
        free(y);
        free(x);
        free(trunc);
        ps_steady_free(out);
        return -1;
    }
    const size_t stride = (size_t)(weeks + 1) * nm;
    for (size_t k = 0; k < n; k++) {
        ps_steady_metric *sm = &out->m[k];
        sm->metric = track[k];
        /* MSER-5 on each replication's series (the warm-up's ticks, then
         * reported week w, observed after tick warmup + w - 1): the
         * transient ends at the median truncation, and is unresolved when
         * most replications put it at MSER's bound. Replications are
         * independent, so a stationary metric, which reaches the bound by
         * chance in about one series in twenty, is not mistaken for a long
         * transient. */
        size_t at_bound = 0, nt = 0;
        for (size_t r = 0; r < reps; r++) {
            for (size_t t = 0; t < len; t++)
                y[t] = (int)t < w0 ? warm[(r * (size_t)warmup + t) * n + k]
                                   : rows[r * stride + (t - (size_t)w0 + 1) * nm + track[k]];
            ps_mser mser;
            if (ps_mser5(y, len, &mser) != 0) continue;
            trunc[nt++] = (int)mser.truncate;
            at_bound += mser.truncate >= mser.bound;
        }
        if (nt) {
            for (size_t i = 1; i < nt; i++)
                for (size_t j = i; j > 0 && trunc[j - 1] > trunc[j]; j--) {
                    int t = trunc[j];
                    trunc[j] = trunc[j - 1];
                    trunc[j - 1] = t;
                }
            sm->transient_end = trunc[(nt - 1) / 2] - w0;
        }
        sm->resolved = nt > 0 && 2 * at_bound <= nt;
        if (!sm->resolved) out->covered = 0;
        sm->drift = (ps_interval){NAN, NAN, NAN};
        sm->tolerance = tolerance ? tolerance[k] : 0;
        sm->drift_ok = 1;
        if (out->part > 0) {
            for (size_t r = 0; r < reps; r++)
                for (int w = 1; w <= checked; w++)
                    x[r * (size_t)checked + (size_t)(w - 1)] =
                        rows[r * stride + (size_t)w * nm + track[k]];
            sm->drift = ps_window_drift(x, reps, (size_t)checked, (size_t)checked,
                                        (size_t)out->part, out->level);
            sm->drift_ok = !(sm->drift.lo > 0 || sm->drift.hi < 0) ||
                           fabs(sm->drift.mean) < sm->tolerance;
        }
        if (k == 0 || sm->transient_end > out->transient_end) {
            out->transient_end = sm->transient_end;
            out->slowest = k;
        }
        if (!sm->drift_ok) out->steady = 0;
    }
    if (out->transient_end > 0) out->covered = 0;
    free(y);
    free(x);
    free(trunc);
    return 0;
}

static void S_json_number(FILE *fp, double v)
{
    if (isfinite(v)) fprintf(fp, "%.6g", v);
    else fputs("null", fp);
}

void ps_steady_write_json(FILE *fp, const ps_steady *s, const ps_metric *metrics)
{
    fprintf(fp, "{\"warmup_weeks\": %d, \"replications_from_cache\": %zu, ", s->warmup,
            s->reps_from_cache);
    fputs("\"truncation_rule\": \"MSER-5 (White 1997) on each replication's series of each "
          "steady metric, over the warm-up and the reported weeks before the first "
          "intervention; the median truncation over replications; unresolved when most "
          "replications reach MSER's bound\", ", fp);
    if (s->n)
        fprintf(fp, "\"transient_ends_week\": %d, \"slowest_metric\": \"%s\", ",
                s->transient_end, metrics[s->m[s->slowest].metric].name);
    fprintf(fp, "\"warmup_covers_transient\": %s, ", s->covered ? "true" : "false");
    fprintf(fp, "\"checked_weeks\": %d, ", s->checked_weeks);
    fputs("\"stationarity_test\": \"paired over replications: mean of the last part of the "
          "checked weeks minus the first, Bonferroni over the metrics; a metric drifts when "
          "the interval excludes 0 and the drift exceeds its tolerance\", ", fp);
    fprintf(fp, "\"part_weeks\": %d, \"confidence\": ", s->part);
    S_json_number(fp, s->level);
    fprintf(fp, ", \"stationarity\": \"%s\", \"metrics\": [",
            s->part == 0 ? "not tested" : (s->steady ? "passed" : "failed"));
    for (size_t k = 0; k < s->n; k++) {
        const ps_steady_metric *m = &s->m[k];
        fprintf(fp, "%s{\"metric\": \"%s\", \"transient_ends_week\": %d, \"resolved\": %s, "
                    "\"drift\": ",
                k ? ", " : "", metrics[m->metric].name, m->transient_end,
                m->resolved ? "true" : "false");
        S_json_number(fp, m->drift.mean);
        fputs(", \"drift_lo\": ", fp);
        S_json_number(fp, m->drift.lo);
        fputs(", \"drift_hi\": ", fp);
        S_json_number(fp, m->drift.hi);
        fputs(", \"tolerance\": ", fp);
        S_json_number(fp, m->tolerance);
        fprintf(fp, ", \"steady\": %s}", m->drift_ok ? "true" : "false");
    }
    fputs("]}", fp);
}
