/* A sweep's report.html: self-contained (inline SVG, no scripts), with per
 * metric the indices as ranked bars with their intervals and the metric
 * against each factor as scatter plots. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "sweep.h"


/* Horizontal bars, one row per factor in rank order: the first index
 * (filled) and, for Sobol, the total (outlined), each with its interval. */
static void S_bars(FILE *fp, const ps_sweep *sw, const ps_sweep_analysis *a, size_t m)
{
    int sobol = a->kind == PS_SWEEP_SALTELLI;
    size_t k = sw->k;
    double hi = 0;
    for (size_t i = 0; i < k; i++) {
        const ps_sweep_index *x = &a->idx[m * k + i];
        double vals[4] = {x->first, x->first_hi, x->total, x->total_hi};
        for (int v = 0; v < (sobol ? 4 : 1); v++)
            if (isfinite(vals[v]) && vals[v] > hi) hi = vals[v];
    }
    if (sobol && hi < 1) hi = hi > 0.5 ? 1 : hi > 0 ? hi * 1.1 : 1;
    if (!(hi > 0)) hi = 1;
    const double left = 230, width = 420, row = 26, top = 30;
    double height = top + row * (double)k + 30;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"700\" height=\"%.0f\" "
                "role=\"img\" aria-label=\"indices\" font-family=\"sans-serif\" font-size=\"12\">\n",
            height);
    fprintf(fp, "<text x=\"%.0f\" y=\"16\">%s</text>\n", left,
            sobol ? "first order S1 (filled) and total ST (outline), with 95 % intervals"
                  : "Morris mu* (bars) and sigma (dots), unit-scaled");
    for (size_t i = 0; i < k; i++) {
        const ps_sweep_index *x = &a->idx[m * k + i];
        double y = top + row * (double)i;
        fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">", left - 8, y + 15);
        ps_write_html(fp, sw->factors[x->factor].name);
        fputs("</text>\n", fp);
        if (isfinite(x->first) && x->first > 0)
            fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"9\" fill=\"#1b6ca8\"/>\n",
                    left, y + 3, width * x->first / hi);
        if (sobol) {
            if (isfinite(x->total) && x->total > 0)
                fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"9\" fill=\"none\" "
                            "stroke=\"#d95f02\" stroke-width=\"1.5\"/>\n",
                        left, y + 13, width * x->total / hi);
            double iv[2][3] = {{x->first_lo, x->first_hi, y + 7.5}, {x->total_lo, x->total_hi, y + 17.5}};
            for (int b = 0; b < 2; b++)
                if (isfinite(iv[b][0]) && isfinite(iv[b][1]))
                    fprintf(fp, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" "
                                "stroke=\"#333\"/>\n",
                            left + width * fmax(iv[b][0], 0) / hi,
                            left + width * fmin(iv[b][1], hi) / hi, iv[b][2], iv[b][2]);
        } else if (isfinite(x->total)) {
            fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#d95f02\"/>\n",
                    left + width * fmin(x->total, hi) / hi, y + 8);
        }
    }
    double ya = top + row * (double)k + 4;
    fprintf(fp, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" stroke=\"#333\"/>\n", left,
            left + width, ya, ya);
    for (int t = 0; t <= 4; t++)
        fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.3g</text>\n",
                left + width * t / 4.0, ya + 16, hi * t / 4.0);
    fputs("</svg>\n", fp);
}

/* The point means of metric m against factor i. */
static void S_scatter(FILE *fp, const ps_sweep *sw, const ps_sweep_analysis *a, size_t m,
                      size_t i)
{
    size_t nm = sw->n_metrics;
    double xlo = HUGE_VAL, xhi = -HUGE_VAL, ylo = HUGE_VAL, yhi = -HUGE_VAL;
    for (size_t p = 0; p < sw->n_points; p++) {
        double x = sw->x[p * sw->k + i], y = a->point_mean[p * nm + m];
        if (!isfinite(x) || !isfinite(y)) continue;
        xlo = fmin(xlo, x);
        xhi = fmax(xhi, x);
        ylo = fmin(ylo, y);
        yhi = fmax(yhi, y);
    }
    const double W = 220, H = 160, L = 52, T = 22, PW = W - L - 10, PH = H - T - 34;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "role=\"img\" font-family=\"sans-serif\" font-size=\"10\">\n", W, H);
    fprintf(fp, "<text x=\"%.0f\" y=\"12\">", L);
    ps_write_html(fp, sw->factors[i].name);
    fputs("</text>\n", fp);
    fprintf(fp, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
                "stroke=\"#999\"/>\n", L, T, PW, PH);
    if (xlo > xhi) {
        fputs("</svg>\n", fp);
        return;
    }
    if (xhi == xlo) xhi = xlo + 1;
    if (yhi == ylo) yhi = ylo + (ylo == 0 ? 1 : fabs(ylo) * 0.01);
    for (size_t p = 0; p < sw->n_points; p++) {
        double x = sw->x[p * sw->k + i], y = a->point_mean[p * nm + m];
        if (!isfinite(x) || !isfinite(y)) continue;
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.8\" fill=\"#1b6ca8\" "
                    "fill-opacity=\"0.6\"/>\n",
                L + PW * (x - xlo) / (xhi - xlo), T + PH * (1 - (y - ylo) / (yhi - ylo)));
    }
    fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\">%.3g</text>", L, T + PH + 12, xlo);
    fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.3g</text>\n", L + PW,
            T + PH + 12, xhi);
    fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.3g</text>", L - 3, T + 8, yhi);
    fprintf(fp, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.3g</text>\n", L - 3, T + PH,
            ylo);
    fputs("</svg>\n", fp);
}

/* One plain sentence on what drives metric m. */
static void S_sentence(FILE *fp, const ps_sweep *sw, const ps_sweep_analysis *a, size_t m)
{
    const ps_sweep_index *top = &a->idx[m * sw->k];
    if (!isfinite(top->first)) {
        fputs("<p>Too few complete runs to estimate the indices for this metric.</p>\n", fp);
        return;
    }
    fputs("<p>", fp);
    if (a->kind == PS_SWEEP_SALTELLI) {
        fputs("Most of the variation comes from <b>", fp);
        ps_write_html(fp, sw->factors[top->factor].name);
        /* a share of the variance is at most all of it: an estimate above
         * 1 (or below 0) is the estimator's noise, and is said to be */
        if (top->total > 1)
            fprintf(fp, "</b>: on its own and with its interactions it accounts for nearly all "
                        "of the variance (its total index is estimated at %.2f, 95 %% interval "
                        "%.2f to %.2f: above 1 only by the estimator's sampling noise, which "
                        "more points would shrink).",
                    top->total, top->total_lo, top->total_hi);
        else
            fprintf(fp, "</b>: on its own and with its interactions it accounts for %.0f %% of "
                        "the variance (95 %% interval %.0f to %.0f %%%s).",
                    100 * top->total, 100 * (top->total_lo > 0 ? top->total_lo : 0),
                    100 * (top->total_hi < 1 ? top->total_hi : 1),
                    top->total_lo < 0 || top->total_hi > 1 ? ", clipped to 0 to 100 %" : "");
        double sum_first = 0;
        for (size_t i = 0; i < sw->k; i++)
            if (isfinite(a->idx[m * sw->k + i].first)) sum_first += a->idx[m * sw->k + i].first;
        fprintf(fp, " The first-order indices add up to %.2f; %s", sum_first,
                sum_first < 0.8 ? "the rest comes from factors acting together." :
                                  "the factors act mostly on their own.");
    } else {
        fputs("The largest elementary effects are those of <b>", fp);
        ps_write_html(fp, sw->factors[top->factor].name);
        fprintf(fp, "</b> (mu* %.3g); a sigma near mu* means its effect depends on the other "
                    "factors.", top->first);
    }
    if (isfinite(a->noise_share[m]))
        fprintf(fp, " Run-to-run noise is %.1f %% of the variance across points%s",
                100 * a->noise_share[m],
                a->noise_share[m] > 0.3 ? ": <b>these indices are largely about noise</b>; add "
                                          "replications or population before reading them."
                                        : ".");
    fputs("</p>\n", fp);
}

int ps_sweep_report(const ps_sweep *sw, const ps_sweep_analysis *a, const double *y,
                    const char *dir, ps_diag *d)
{
    (void)y;
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "report.html", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", fp);
    ps_write_html(fp, sw->name);
    fputs(" - placesim sweep</title>\n<style>body{font-family:sans-serif;max-width:1000px;"
          "margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border-bottom:1px "
          "solid #ddd;padding:3px 8px;text-align:left}.grid{display:flex;flex-wrap:wrap}"
          "</style></head><body>\n<h1>Sweep: ",
          fp);
    ps_write_html(fp, sw->name);
    fprintf(fp, "</h1>\n<p>Scenario <code>");
    ps_write_html(fp, sw->scenario);
    fprintf(fp, "</code>; %s design, %zu points &times; %d replication%s = %zu runs; seed %llu "
                "(%s random numbers).</p>\n",
            ps_sweep_design_names[sw->design], sw->n_points, sw->replications,
            sw->replications == 1 ? "" : "s", ps_sweep_run_count(sw),
            (unsigned long long)sw->seed, sw->per_point_seeds ? "per-point" : "common");
    for (int i = 0; i < sw->n_notes; i++) {
        fputs("<p><b>Note:</b> ", fp);
        ps_write_html(fp, sw->notes[i]);
        fputs("</p>\n", fp);
    }
    fputs("<h2>Factors</h2>\n<table><tr><th>factor</th><th>path</th><th>operation</th>"
          "<th>values</th><th>settings</th></tr>\n", fp);
    static const char *const ops[] = {"set to", "scaled by", "plus"};
    for (size_t i = 0; i < sw->k; i++) {
        const ps_sweep_factor *fa = &sw->factors[i];
        fputs("<tr><td>", fp);
        ps_write_html(fp, fa->name);
        fputs("</td><td><code>", fp);
        ps_write_html(fp, fa->path);
        fprintf(fp, "</code></td><td>%s</td><td>", ops[fa->op]);
        if (sw->design == PS_SWEEP_MATRIX) fputs("from the design matrix", fp);
        else if (fa->dist == PS_DIST_NORMAL) fprintf(fp, "normal(%g, %g)", fa->mean, fa->sd);
        else if (fa->dist == PS_DIST_DISCRETE) {
            for (size_t l = 0; l < fa->n_levels; l++) fprintf(fp, "%s%g", l ? ", " : "", fa->levels[l]);
        } else
            fprintf(fp, "%s %g to %g", fa->dist == PS_DIST_LOGUNIFORM ? "log-uniform" : "uniform",
                    fa->min, fa->max);
        fprintf(fp, "</td><td>%zu</td></tr>\n", fa->n_paths);
    }
    fputs("</table>\n", fp);
    for (size_t m = 0; m < sw->n_metrics; m++) {
        const ps_sweep_metric *mt = &sw->metrics[m];
        fputs("<h2>", fp);
        ps_write_html(fp, mt->column);
        if (mt->from == mt->to) fprintf(fp, " <small>(at week %d)</small></h2>\n", mt->from);
        else fprintf(fp, " <small>(mean over weeks %d-%d)</small></h2>\n", mt->from, mt->to);
        if (a->kind >= 0) {
            S_sentence(fp, sw, a, m);
            S_bars(fp, sw, a, m);
        }
        fputs("<div class=\"grid\">\n", fp);
        for (size_t i = 0; i < sw->k; i++) S_scatter(fp, sw, a, m, i);
        fputs("</div>\n", fp);
    }
    fputs("<p><small>Each dot is one design point (the mean of its replications). Indices by "
          "Saltelli (2010) for first order and Jansen for total, with bootstrap intervals; "
          "Morris mu* and sigma are on the unit-scaled factor range. Made by placesim.</small>"
          "</p>\n</body></html>\n", fp);
    return ps_outfile_commit(&f, d);
}
