/* Charts are drawn as SVG by hand: a line chart with 90 % bands, and a
 * radar; what they show is the model's report spec (engine/report_spec.h). Everything a reader needs is inside
 * report.html; the SVG files are the same charts for slides and print. */
#include "report.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "report_spec.h"
#include "stats.h"

static const char *const S_colors[] = {"#1b6ca8", "#d95f02", "#1b9e77", "#7570b3"};
/* the most lines one chart holds (arms x metrics) */
#define S_MAX_SERIES 8

typedef struct {
    const char *name;
    const char *color;
    double *mean, *lo, *hi; /* n values; lo/hi may be NULL */
} S_series;

static void S_range(const S_series *s, size_t ns, size_t n, int zero, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t k = 0; k < ns; k++)
        for (size_t i = 0; i < n; i++) {
            double vals[3] = {s[k].mean[i], s[k].lo ? s[k].lo[i] : NAN, s[k].hi ? s[k].hi[i] : NAN};
            for (int j = 0; j < 3; j++)
                if (isfinite(vals[j])) {
                    if (vals[j] < *lo) *lo = vals[j];
                    if (vals[j] > *hi) *hi = vals[j];
                }
        }
    if (zero) {
        if (*lo > 0) *lo = 0;
        if (*hi < 0) *hi = 0;
    }
    if (!isfinite(*lo)) *lo = 0, *hi = 1;
    if (*hi - *lo < 1e-12) *hi = *lo + 1e-6;
    double pad = 0.05 * (*hi - *lo);
    *lo -= pad;
    *hi += pad;
}

/* A line chart of n weekly values per series, with bands, shock marks. */
static void S_chart(FILE *fp, const char *title, const char *ylabel, size_t n,
                    const S_series *s, size_t ns, const int *marks, const char *const *mark_names,
                    size_t nmarks, int zero_line)
{
    const double W = 720, H = 320, L = 80, R = 20, T = 40, B = 50;
    double lo, hi;
    S_range(s, ns, n, zero_line, &lo, &hi);
#define X(i) (L + (W - L - R) * (double)(i) / (double)(n > 1 ? n - 1 : 1))
#define Y(v) (T + (H - T - B) * (1 - ((v)-lo) / (hi - lo)))
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(fp, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", W, H);
    fputs("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">", fp);
    ps_write_html(fp, title);
    fputs("</text>\n", fp);
    /* axes and ticks */
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L,
            H - B, W - R, H - B);
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L, T,
            L, H - B);
    for (int k = 0; k <= 4; k++) {
        double v = lo + (hi - lo) * k / 4.0;
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L,
                Y(v), W - R, Y(v));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.4g</text>\n", L - 5,
                Y(v) + 4, v);
    }
    for (size_t w = 0; w < n; w += 52) {
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n",
                X(w), H - B, X(w), H - B + 5);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n", X(w),
                H - B + 18, w);
    }
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">week (after the warm-up)</text>\n",
            (L + W - R) / 2, H - 8);
    fprintf(fp, "<text transform=\"translate(16,%.1f) rotate(-90)\" text-anchor=\"middle\">",
            (T + H - B) / 2);
    ps_write_html(fp, ylabel);
    fputs("</text>\n", fp);
    if (zero_line && lo < 0 && hi > 0)
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
                    "stroke-dasharray=\"2,2\"/>\n", L, Y(0.0), W - R, Y(0.0));
    for (size_t k = 0; k < nmarks; k++) {
        if (marks[k] < 0 || (size_t)marks[k] >= n) continue;
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#b00\" "
                    "stroke-dasharray=\"5,3\"/>\n", X(marks[k]), T, X(marks[k]), H - B);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#b00\">", X(marks[k]) + 3, T + 12 + 12.0 * (double)k);
        ps_write_html(fp, mark_names[k]);
        fputs("</text>\n", fp);
    }
    for (size_t k = 0; k < ns; k++) {
        if (s[k].lo && s[k].hi) {
            fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"0.18\" stroke=\"none\" points=\"",
                    s[k].color);
            for (size_t i = 0; i < n; i++)
                if (isfinite(s[k].hi[i])) fprintf(fp, "%.1f,%.1f ", X(i), Y(s[k].hi[i]));
            for (size_t i = n; i-- > 0;)
                if (isfinite(s[k].lo[i])) fprintf(fp, "%.1f,%.1f ", X(i), Y(s[k].lo[i]));
            fputs("\"/>\n", fp);
        }
        fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", s[k].color);
        for (size_t i = 0; i < n; i++)
            if (isfinite(s[k].mean[i])) fprintf(fp, "%.1f,%.1f ", X(i), Y(s[k].mean[i]));
        fputs("\"/>\n", fp);
        fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"14\" height=\"4\" fill=\"%s\"/>",
                W - R - 230, T + 4 + 16.0 * (double)k, s[k].color);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">", W - R - 210, T + 10 + 16.0 * (double)k);
        ps_write_html(fp, s[k].name);
        fputs("</text>\n", fp);
    }
    fputs("</svg>\n", fp);
#undef X
#undef Y
}

/* Radar of the spec's metrics (on one 0-1 scale): mean over replications
 * at the start and at the horizon of each arm. */
static void S_radar(FILE *fp, const ps_compare_data *c, const ps_arm *arms, size_t n_arms,
                    const ps_report_spec *spec, const size_t *pm)
{
    const double W = 720, H = 450, cx = 380, cy = 245, rad = 160;
    const int K = (int)spec->n_radar;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n"
                "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n"
                "<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">",
            W, H, W, H, W, H);
    ps_write_html(fp, spec->radar_title ? spec->radar_title : "");
    fputs("</text>\n", fp);
    for (int ring = 1; ring <= 4; ring++) {
        fputs("<polygon fill=\"none\" stroke=\"#ccc\" points=\"", fp);
        for (int k = 0; k < K; k++) {
            double ang = -M_PI / 2 + 2 * M_PI * k / K;
            fprintf(fp, "%.1f,%.1f ", cx + rad * ring / 4 * cos(ang), cy + rad * ring / 4 * sin(ang));
        }
        fputs("\"/>\n", fp);
    }
    for (int k = 0; k < K; k++) {
        double ang = -M_PI / 2 + 2 * M_PI * k / K;
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>\n", cx,
                cy, cx + rad * cos(ang), cy + rad * sin(ang));
        double tx = cx + (rad + 12) * cos(ang), ty = cy + (rad + 12) * sin(ang);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">", tx, ty + 4,
                cos(ang) > 0.2 ? "start" : cos(ang) < -0.2 ? "end" : "middle");
        ps_write_html(fp, spec->radar_labels ? spec->radar_labels[k] : c->metrics[pm[k]].label);
        fputs("</text>\n", fp);
    }
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#888\">0.5</text><text x=\"%.1f\" y=\"%.1f\" "
                "fill=\"#888\">1</text>\n", cx + 3, cy - rad / 2, cx + 3, cy - rad);
    int legend = 0;
    for (size_t a = 0; a < n_arms; a++) {
        for (int when = 0; when < 2; when++) {
            size_t week = when ? c->weeks : 0;
            if (a > 0 && when == 0) continue; /* every arm starts from the same place */
            const char *color = S_colors[when ? (a + 1) % 4 : 0];
            fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"0.08\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                    color, color, when ? "" : " stroke-dasharray=\"4,3\"");
            for (int k = 0; k < K; k++) {
                double v = 0;
                for (size_t r = 0; r < c->reps; r++) v += ps_compare_at(c, a, r, week)[pm[k]];
                v /= (double)c->reps;
                double ang = -M_PI / 2 + 2 * M_PI * k / K;
                fprintf(fp, "%.1f,%.1f ", cx + rad * v * cos(ang), cy + rad * v * sin(ang));
            }
            fputs("\"/>\n", fp);
            fprintf(fp, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">",
                    10, 44 + 16 * legend, color, 30, 50 + 16 * legend);
            if (when) {
                ps_write_html(fp, arms[a].name);
                fprintf(fp, ", week %zu", c->weeks);
            } else {
                fputs("start (week 0, every arm)", fp);
            }
            fputs("</text>\n", fp);
            legend++;
        }
    }
    fputs("</svg>\n", fp);
}

static size_t S_find(const ps_compare_data *c, const char *name)
{
    size_t m = ps_metric_index(c->metrics, c->n_metrics, name);
    return m < c->n_metrics ? m : (size_t)-1;
}

/* A key figure's value as the report shows it, and its unit. */
static double S_shown_scale(const ps_metric *m) { return m->display_scale ? m->display_scale : 1; }
static const char *S_shown_unit(const ps_metric *m)
{
    return m->display_unit ? m->display_unit : m->unit;
}

/* Per-week mean and 5th/95th percentiles of metric m in arm a. */
static void S_band(const ps_compare_data *c, size_t a, size_t m, double *mean, double *lo,
                   double *hi, double *scratch)
{
    for (size_t w = 0; w <= c->weeks; w++) {
        size_t k = 0;
        for (size_t r = 0; r < c->reps; r++) {
            double v = ps_compare_at(c, a, r, w)[m];
            if (!isnan(v)) scratch[k++] = v;
        }
        if (!k) {
            mean[w] = lo[w] = hi[w] = NAN;
            continue;
        }
        gsl_sort(scratch, 1, k);
        mean[w] = gsl_stats_mean(scratch, 1, k);
        lo[w] = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.05);
        hi[w] = gsl_stats_quantile_from_sorted_data(scratch, 1, k, 0.95);
    }
}

/* Paired difference arm 1 - arm 0 per week with its 95 % t-interval, on a
 * 4-week trailing mean. */
static void S_difference(const ps_compare_data *c, size_t m, double *mean, double *lo,
                         double *hi, double *x, double *y)
{
    for (size_t w = 0; w <= c->weeks; w++) {
        for (size_t r = 0; r < c->reps; r++) {
            double sx = 0, sy = 0;
            int n = 0;
            for (size_t v = w >= 3 ? w - 3 : 0; v <= w; v++) {
                double a = ps_compare_at(c, 0, r, v)[m], b = ps_compare_at(c, 1, r, v)[m];
                if (isnan(a) || isnan(b)) continue;
                sx += a;
                sy += b;
                n++;
            }
            x[r] = n ? sx / n : NAN;
            y[r] = n ? sy / n : NAN;
        }
        ps_interval iv = ps_paired_ci(x, y, c->reps);
        mean[w] = iv.mean;
        lo[w] = iv.lo;
        hi[w] = iv.hi;
    }
}

/* One arm: where the place is heading, with the spread across replications. */
static void S_summary_run(FILE *fp, const ps_compare_data *c, const ps_report_spec *spec,
                          const ps_arm *arms, double *x)
{
    fputs("<p class=\"summary\">", fp);
    fprintf(fp, "We simulated %zu replication%s of %zu weeks of ", c->reps, c->reps == 1 ? "" : "s",
            c->weeks);
    ps_write_html(fp, arms[0].scen->path);
    fputs(". On average over the horizon, ", fp);
    int said = 0;
    for (size_t h = 0; h < spec->n_key_figures; h++) {
        size_t m = S_find(c, spec->key_figures[h]);
        const ps_metric *key = &c->metrics[m];
        for (size_t r = 0; r < c->reps; r++) x[r] = ps_compare_horizon_mean(c, 0, r, m);
        ps_interval iv = ps_mean_ci(x, c->reps);
        double k = S_shown_scale(key);
        fprintf(fp, "%s%s was %.3g %s", said ? "; " : "", key->label, k * iv.mean,
                S_shown_unit(key));
        if (isfinite(iv.lo)) fprintf(fp, " (95%% interval %.3g to %.3g)", k * iv.lo, k * iv.hi);
        said = 1;
    }
    fputs(".</p>\n", fp);
}

static void S_summary(FILE *fp, const ps_compare_data *c, const ps_report_spec *spec,
                      const ps_arm *arms, double *x, double *y)
{
    if (c->n_arms < 2) {
        S_summary_run(fp, c, spec, arms, x);
        return;
    }
    fputs("<p class=\"summary\">", fp);
    fprintf(fp, "We simulated %zu paired replications of %zu weeks. Compared with the ", c->reps,
            c->weeks);
    ps_write_html(fp, arms[0].name);
    fputs(", <b>", fp);
    ps_write_html(fp, arms[1].name);
    fputs("</b> ", fp);
    int said = 0;
    for (size_t h = 0; h < spec->n_key_figures; h++) {
        size_t m = S_find(c, spec->key_figures[h]);
        const ps_metric *key = &c->metrics[m];
        size_t better = 0;
        int dir = key->better;
        for (size_t r = 0; r < c->reps; r++) {
            x[r] = ps_compare_horizon_mean(c, 0, r, m);
            y[r] = ps_compare_horizon_mean(c, 1, r, m);
            better += dir * (y[r] - x[r]) > 0;
        }
        ps_interval iv = ps_paired_ci(x, y, c->reps);
        double k = S_shown_scale(key);
        int clear = isfinite(iv.lo) && (iv.lo > 0 || iv.hi < 0);
        const char *verdict = !clear ? "showed no detectable effect" :
                              (dir * iv.mean > 0 ? "improved" : "worsened");
        size_t worse = 0;
        for (size_t r = 0; r < c->reps; r++) worse += dir * (y[r] - x[r]) < 0;
        fprintf(fp, "%s%s %s (%+.3g %s on average over the horizon, 95%% interval %+.3g to %+.3g; "
                    "better in %zu of %zu replications%s)",
                said ? "; " : "", key->label, verdict, k * iv.mean, S_shown_unit(key),
                k * iv.lo, k * iv.hi, better, c->reps,
                dir && (better < worse ? better : worse) * 4 > c->reps
                    ? ": the sign of the effect differs between replications" : "");
        said = 1;
    }
    fputs(". \"No detectable effect\" means the 95 % interval includes zero: at this number of "
          "replications the simulation cannot tell the policy's effect from chance (placesim "
          "compare --precision adds replications until it can, or says it cannot).</p>\n", fp);
}

/* A table of metrics scaled to the whole place: each arm's mean over
 * replications and the paired difference, of either each replication's
 * mean over the reported weeks (rate < 0) or its total discounted at rate. */
typedef struct {
    const char *what, *single; /* column titles */
    unsigned role;             /* the metrics with this role (engine/metric.h), by label */
    double scale, rate, unit;   /* unit: multiplies the shown numbers */
    const char *prefix, *suffix;
    int whole;                  /* 1: shown as whole numbers (counts) */
} S_scaled_table;

/* A number of a scaled table, as a whole number or to four figures. */
static void S_number(FILE *fp, const S_scaled_table *t, double v, int sign)
{
    if (t->whole) fprintf(fp, sign ? "%+.0f" : "%.0f", v);
    else fprintf(fp, sign ? "%+.3g" : "%.4g", v);
}

static void S_table(FILE *html, const ps_compare_data *c, size_t n_arms, const S_scaled_table *t,
                    double *x, double *y)
{
    if (n_arms > 1)
        fprintf(html, "<table><tr><th>%s</th><th>baseline</th><th>policy</th>"
                      "<th>difference (95 %% interval)</th></tr>\n", t->what);
    else
        fprintf(html, "<table><tr><th>%s</th><th>%s</th><th>95 %% interval</th></tr>\n", t->what,
                t->single);
    for (size_t m = 0; m < c->n_metrics; m++) {
        if (!(c->metrics[m].roles & t->role)) continue;
        for (size_t r = 0; r < c->reps; r++)
            for (size_t a = 0; a < 2; a++) {
                size_t arm = n_arms > 1 ? a : 0;
                double v = t->rate < 0 ? ps_compare_horizon_mean(c, arm, r, m)
                                       : ps_compare_discounted_total(c, arm, r, m, t->rate);
                (a ? y : x)[r] = t->scale * t->unit * v;
            }
        ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps),
                    pd = ps_paired_ci(x, y, c->reps);
        fputs("<tr><td>", html);
        ps_write_html(html, c->metrics[m].label);
        const char *p = t->prefix, *q = t->suffix;
        fprintf(html, "</td><td>%s", p);
        S_number(html, t, bx.mean, 0);
        if (n_arms > 1) {
            fprintf(html, "%s</td><td>%s", q, p);
            S_number(html, t, by.mean, 0);
            fprintf(html, "%s</td><td>", q);
            S_number(html, t, pd.mean, 1);
            fprintf(html, "%s (", q);
            S_number(html, t, pd.lo, 1);
            fputs(" to ", html);
            S_number(html, t, pd.hi, 1);
            fputs(")</td></tr>\n", html);
        } else {
            fprintf(html, "%s</td><td>%s", q, p);
            S_number(html, t, bx.lo, 0);
            fprintf(html, "%s to %s", q, p);
            S_number(html, t, bx.hi, 0);
            fprintf(html, "%s</td></tr>\n", q);
        }
    }
    fputs("</table>\n", html);
}

/* Where the numbers come from: the warm-up, whether it held the
 * transient, and whether the reported window drifts. */
static void S_steady_section(FILE *fp, const ps_compare_data *c)
{
    const ps_steady *s = c->steady;
    if (!s || s->n == 0) return;
    fputs("<h2>A steady baseline</h2>\n<p>", fp);
    fprintf(fp, "Every replication first simulated %d weeks that are not reported, so that the "
                "place settles before week 0%s. ",
            s->warmup, s->reps_from_cache ? " (the settled state was read from the cache of an "
                                            "earlier run of the same scenario)" : "");
    int unresolved = 0;
    for (size_t k = 0; k < s->n; k++) unresolved |= !s->m[k].resolved;
    if (s->covered)
        fprintf(fp, "The truncation rule MSER-5 (White 1997), applied to each replication's "
                    "series of %zu headline metrics, ends the initial transient by week %d "
                    "(median over replications; ", s->n, s->transient_end);
    else if (unresolved)
        fputs("<b>Warning:</b> the truncation rule MSER-5 (White 1997) finds no end to the "
              "initial transient of at least one headline metric (", fp);
    else
        fprintf(fp, "<b>Warning:</b> the truncation rule MSER-5 (White 1997) ends the initial "
                    "transient only at week %d of the reported window (", s->transient_end);
    ps_write_html(fp, c->metrics[s->m[s->slowest].metric].name);
    fputs(s->covered ? " the slowest), inside the warm-up. "
                     : "): the numbers below are partly read off a transient; lengthen "
                       "run.warmup. ",
          fp);
    if (s->part == 0) {
        fputs("The reported weeks were not tested for drift (fewer than two replications, or "
              "too few weeks before the first intervention).</p>\n", fp);
        return;
    }
    size_t bad = 0;
    for (size_t k = 0; k < s->n; k++) bad += !s->m[k].drift_ok;
    fprintf(fp, "Over the %d reported weeks before the first intervention, the mean of the last "
                "%d weeks minus the first %d, paired by replication (%.1f %% intervals, "
                "Bonferroni over the metrics), %s.</p>\n",
            s->checked_weeks, s->part, s->part, 100 * s->level,
            bad ? "shows a drift larger than its tolerance for some metrics (below): the "
                  "baseline is not steady"
                : "shows no drift beyond each metric's tolerance (half a point for shares, "
                  "0.01 for indices): the baseline is steady");
    if (!bad) return;
    fputs("<table><tr><th>metric</th><th>drift</th><th>95 % interval</th><th>tolerance</th></tr>\n",
          fp);
    for (size_t k = 0; k < s->n; k++) {
        const ps_steady_metric *m = &s->m[k];
        if (m->drift_ok) continue;
        fputs("<tr><td>", fp);
        ps_write_html(fp, c->metrics[m->metric].name);
        fprintf(fp, "</td><td>%+.3g</td><td>%+.3g to %+.3g</td><td>%.3g</td></tr>\n",
                m->drift.mean, m->drift.lo, m->drift.hi, m->tolerance);
    }
    fputs("</table>\n", fp);
}

/* A chart of the spec: per arm and metric, the mean with its 90 % band;
 * drawn into each of fps that is not NULL. At most S_MAX_SERIES series. */
static void S_chart_spec(FILE *const fps[2], const ps_compare_data *c, const ps_arm *arms,
                         size_t n_arms, const ps_report_chart *chart, double *buf,
                         double *scratch, size_t n, const int *marks,
                         const char *const *mark_names, size_t nmarks)
{
    S_series s[S_MAX_SERIES];
    char names[S_MAX_SERIES][160];
    size_t ns = 0;
    for (size_t a = 0; a < n_arms; a++)
        for (size_t q = 0; q < chart->n_metrics && ns < S_MAX_SERIES; q++) {
            size_t m = S_find(c, chart->metrics[q]);
            const char *what = chart->short_names ? chart->short_names[q] : c->metrics[m].label;
            /* one metric: the arms by name; several: each metric, per arm */
            if (chart->n_metrics == 1) snprintf(names[ns], sizeof names[ns], "%s", arms[a].name);
            else if (n_arms == 1) snprintf(names[ns], sizeof names[ns], "%s", what);
            else snprintf(names[ns], sizeof names[ns], "%s, %s", what, a ? "policy" : "baseline");
            s[ns].name = names[ns];
            s[ns].color = S_colors[(chart->n_metrics == 1 ? a : a * chart->n_metrics + q) % 4];
            s[ns].mean = buf + (3 * ns) * n;
            s[ns].lo = buf + (3 * ns + 1) * n;
            s[ns].hi = buf + (3 * ns + 2) * n;
            S_band(c, a, m, s[ns].mean, s[ns].lo, s[ns].hi, scratch);
            ns++;
        }
    for (int k = 0; k < 2; k++)
        if (fps[k]) S_chart(fps[k], chart->title, chart->axis, n, s, ns, marks, mark_names,
                            nmarks, 0);
}

int ps_report_compare(const char *dir, const ps_model_type *type, const ps_arm *arms,
                      size_t n_arms, const ps_compare_data *c, ps_diag *d)
{
    size_t n = c->weeks + 1;
    static const ps_report_spec none = {0};
    const ps_report_spec *spec = type->report ? type->report : &none;
    /* a name the model's table lacks is the model's error: nothing is drawn */
    if (ps_report_spec_check(spec, c->metrics, c->n_metrics, d) != 0) return -1;
    size_t *pm = calloc(spec->n_radar + 1, sizeof *pm);
    double *buf = calloc(3 * S_MAX_SERIES * n + 4 * c->reps + 8, sizeof *buf);
    if (!buf || !pm) {
        free(buf);
        free(pm);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    for (size_t k = 0; k < spec->n_radar; k++) pm[k] = S_find(c, spec->radar_metrics[k]);
    double *scratch = buf + 3 * S_MAX_SERIES * n, *x = scratch + 2 * c->reps, *y = x + c->reps;
    /* shocks and interventions of the policy arm, to mark */
    int marks[32];
    const char *mark_names[32];
    size_t nmarks = 0;
    for (size_t a = 0; a < n_arms; a++)
        for (size_t i = 0; arms[a].timeline && i < arms[a].timeline->n && nmarks < 32; i++) {
            const ps_intervention *iv = &arms[a].timeline->items[i];
            int dup = 0;
            for (size_t k = 0; k < nmarks; k++)
                dup |= marks[k] == iv->at && strcmp(mark_names[k], iv->label) == 0;
            if (dup) continue;
            marks[nmarks] = iv->at;
            mark_names[nmarks++] = iv->label;
        }
    static const char *const files[] = {"radar.svg", "outcomes.svg", "difference.svg",
                                         "resilience.svg", "report.html"};
    ps_outfile out[5];
    memset(out, 0, sizeof out);
    int rc = 0;
    /* a chart file only for a chart the spec has */
    const int wanted[5] = {spec->n_radar > 0, spec->n_outcomes > 0,
                           n_arms > 1 && spec->difference_metric != NULL,
                           spec->resilience.n_metrics > 0, 1};
    for (int f = 0; f < 5 && rc == 0; f++)
        if (wanted[f] && ps_outfile_open(&out[f], dir, files[f], d) != 0) rc = -1;
    if (rc) goto done;
    FILE *html = out[4].fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>placesim report</title>\n<style>\n"
          "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222;line-height:1.4}\n"
          "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 8px;"
          "text-align:right}th{background:#eee}td:first-child{text-align:left}\n"
          ".summary{font-size:1.1em;background:#f4f7fb;padding:1em;border-left:4px solid #1b6ca8}\n"
          "svg{max-width:100%;height:auto}\n"
          "@media print{body{max-width:none}}\n</style></head><body>\n", html);
    const ps_arm *shown = &arms[n_arms > 1 ? 1 : 0];
    fputs(n_arms > 1 ? "<h1>What the policy would do: " : "<h1>Where the place is heading: ",
          html);
    ps_write_html(html, n_arms > 1 ? shown->name : shown->scen->path);
    fputs("</h1>\n", html);
    if (shown->description && shown->description[0]) {
        fputs("<p>", html);
        ps_write_html(html, shown->description);
        fputs("</p>\n", html);
    }
    S_summary(html, c, spec, arms, x, y);
    S_steady_section(html, c);

    if (spec->n_radar) {
        FILE *fps[2] = {out[0].fp, html};
        fputs("<h2>", html);
        ps_write_html(html, spec->radar_heading ? spec->radar_heading : "Profile");
        fputs("</h2>\n", html);
        for (int k = 0; k < 2; k++) S_radar(fps[k], c, arms, n_arms, spec, pm);
    }

    if (spec->n_outcomes)
        fputs("<h2>Outcomes over time</h2>\n<p>Lines are the mean over replications; bands are "
              "the 5th to 95th percentile (90 % of replications).</p>\n", html);
    for (size_t o = 0; o < spec->n_outcomes; o++) {
        FILE *fps[2] = {o == 0 ? out[1].fp : NULL, html};
        S_chart_spec(fps, c, arms, n_arms, &spec->outcomes[o], buf, scratch, n, marks,
                     mark_names, nmarks);
    }

    if (spec->difference_metric && n_arms > 1) {
        size_t mw = S_find(c, spec->difference_metric);
        const ps_metric *dm = &c->metrics[mw];
        double k_diff = spec->difference_scale ? spec->difference_scale : 1;
        const char *unit = spec->difference_unit ? spec->difference_unit : dm->unit;
        S_series s = {"policy - baseline (95 % interval)", S_colors[1], buf, buf + n, buf + 2 * n};
        S_difference(c, mw, s.mean, s.lo, s.hi, x, y);
        for (size_t w = 0; w <= c->weeks; w++) {
            s.mean[w] *= k_diff;
            s.lo[w] *= k_diff;
            s.hi[w] *= k_diff;
        }
        fputs("<h2>The policy's effect over time</h2>\n<p>Paired difference in ", html);
        ps_write_html(html, dm->label);
        fputs(" (", html);
        ps_write_html(html, unit);
        fputs("; 4-week mean), with its 95 % t-interval across replications that share their "
              "random numbers.</p>\n", html);
        char title[192], axis[160];
        snprintf(title, sizeof title, "Difference in %s", dm->label);
        snprintf(axis, sizeof axis, "policy - baseline (%s)", unit);
        FILE *fps[2] = {out[2].fp, html};
        for (int k = 0; k < 2; k++)
            S_chart(fps[k], title, axis, n, &s, 1, marks, mark_names, nmarks, 1);
    }

    if (spec->resilience.n_metrics) {
        fputs("<h2>Resilience</h2>\n<p>", html);
        if (spec->resilience_text) {
            ps_write_html(html, spec->resilience_text);
            fputs("; dashed red lines mark each dated intervention or shock.", html);
        } else {
            fputs("Dashed red lines mark each dated intervention or shock.", html);
        }
        fputs(n_arms > 1 ? " resilience_summary.csv gives the drawdown, time to recover and "
                           "resilience loss of every shock per arm.</p>\n"
                         : " Compare against a baseline (placesim compare) for the drawdown, time to "
                           "recover and resilience loss of each shock.</p>\n",
              html);
        FILE *fps[2] = {out[3].fp, html};
        S_chart_spec(fps, c, arms, n_arms < 2 ? n_arms : 2, &spec->resilience, buf, scratch, n,
                     marks, mark_names, nmarks);
    }

    if (n_arms < 2) {
        fputs("<h2>Key figures at the horizon</h2>\n<table><tr><th>metric</th><th>mean</th>"
              "<th>95 % interval</th></tr>\n", html);
        for (size_t h = 0; h < spec->n_key_figures; h++) {
            size_t m = S_find(c, spec->key_figures[h]);
            const ps_metric *key = &c->metrics[m];
            for (size_t r = 0; r < c->reps; r++) x[r] = ps_compare_at(c, 0, r, c->weeks)[m];
            ps_interval bx = ps_mean_ci(x, c->reps);
            fputs("<tr><td>", html);
            ps_write_html(html, key->label);
            fprintf(html, "</td><td>%.4g</td><td>%.4g to %.4g</td></tr>\n", bx.mean, bx.lo, bx.hi);
        }
    } else {
    fputs("<h2>Key figures at the horizon</h2>\n<table><tr><th>metric</th><th>baseline</th>"
          "<th>policy</th><th>difference (95 % interval)</th><th>policy better in</th></tr>\n",
          html);
    for (size_t h = 0; h < spec->n_key_figures; h++) {
        size_t m = S_find(c, spec->key_figures[h]);
        const ps_metric *key = &c->metrics[m];
        int sign = key->better;
        size_t better = 0;
        for (size_t r = 0; r < c->reps; r++) {
            x[r] = ps_compare_at(c, 0, r, c->weeks)[m];
            y[r] = ps_compare_at(c, 1, r, c->weeks)[m];
            better += sign * (y[r] - x[r]) > 0;
        }
        ps_interval bx = ps_mean_ci(x, c->reps), by = ps_mean_ci(y, c->reps),
                    pd = ps_paired_ci(x, y, c->reps);
        fputs("<tr><td>", html);
        ps_write_html(html, key->label);
        fprintf(html, "</td><td>%.4g</td><td>%.4g</td><td>%+.3g (%+.3g to %+.3g)</td>"
                      "<td>%zu of %zu</td></tr>\n",
                bx.mean, by.mean, pd.mean, pd.lo, pd.hi, better, c->reps);
    }
    }
    fputs("</table>\n", html);
    long sim = type->population(arms[0].place);
    long whole = type->place_population ? type->place_population(arms[0].place) : sim;
    double k_scale = (double)whole / (double)sim;
    if (ps_metric_select(c->metrics, c->n_metrics, PS_METRIC_COUNT, NULL)) {
        fprintf(html, "<h2>Counts a week, for the whole place</h2>\n<p>Means over the %zu "
                      "reported weeks, for the place's %ld adults",
                c->weeks, whole);
        if (whole != sim)
            fprintf(html, " (the %ld simulated adults' counts scaled by %.3g; series.csv has "
                          "the simulated counts)", sim, k_scale);
        fputs(".</p>\n", html);
        S_scaled_table t = {"count", "mean", PS_METRIC_COUNT, k_scale, -1, 1, "", "", 1};
        S_table(html, c, n_arms, &t, x, y);
    }
    if (ps_metric_select(c->metrics, c->n_metrics, PS_METRIC_COST, NULL)) {
        double rate = type->discount_rate ? type->discount_rate(arms[0].place) : 0.035;
        fprintf(html, "<h2>Cost</h2>\n<p>Totals over the %zu weeks in millions of pounds for "
                      "the whole place (%ld adults",
                c->weeks, whole);
        if (whole != sim)
            fprintf(html, ": the %ld simulated adults' costs scaled by %.3g; costs.csv has "
                          "both", sim, k_scale);
        fprintf(html, "), discounted at %.1f %% a year.", 100 * rate);
        if (spec->costs_text) {
            fputc(' ', html);
            ps_write_html(html, spec->costs_text);
        }
        fputs("</p>\n", html);
        S_scaled_table t = {"cost", "total", PS_METRIC_COST, k_scale, rate, 1e-6, "&pound;", " m",
                            0};
        S_table(html, c, n_arms, &t, x, y);
    }
    fputs(n_arms > 1 ? "<p>Every number here comes from compare.csv, costs.csv, series.csv and "
                       "resilience_summary.csv beside this report.</p>\n</body></html>\n"
                     : "<p>Every number here comes from series.csv and summary.csv beside this "
                       "report.</p>\n</body></html>\n",
          html);
    for (int f = 0; f < 5 && rc == 0; f++)
        if (out[f].fp && ps_outfile_commit(&out[f], d) != 0) rc = -1;
done:
    for (int f = 0; f < 5; f++)
        if (out[f].fp) ps_outfile_abandon(&out[f]);
    free(buf);
    free(pm);
    return rc;
}
