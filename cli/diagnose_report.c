/* The diagnosis report: report.html, self-contained (inline SVG, no
 * scripts, no requests), written for a board as much as for analysts: a
 * plain summary first, then the profile, the leverage ranking with its
 * intervals, the systems and the links between them, and the method. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "diagnose.h"
#include "output.h"

static const char *const S_names[SC_DX_K] = {
    "beneficiary impact over organisation focus", "citizen-centred, concept to delivery",
    "issues acknowledged as systemic", "grounded in place, open to new approaches",
    "trusted partners", "strengths based", "distributed leadership",
    "resilient and risk embracing", "able to let go"};

static const char *const S_colors[] = {"#1b6ca8", "#d95f02", "#1b9e77", "#7570b3", "#e7298a",
                                       "#66a61e", "#e6ab02", "#a6761d", "#666666"};

/* Numbers for people: NaN as a dash; signed with `digits` significant
 * digits, or fixed with `digits` decimals. */
static void S_signed(FILE *fp, double v, int digits)
{
    if (isnan(v)) fputs("&ndash;", fp);
    else fprintf(fp, "%+.*g", digits, v);
}

static void S_fixed(FILE *fp, double v, int digits)
{
    if (isnan(v)) fputs("&ndash;", fp);
    else fprintf(fp, "%.*f", digits, v);
}

static void S_interval(FILE *fp, const ps_interval *iv, int direction)
{
    int s = dx_sure(iv, direction);
    fprintf(fp, "<td class=\"%s\">", s > 0 ? "good" : s < 0 ? "bad" : "");
    S_signed(fp, iv->mean, 3);
    fputs(" <small>[", fp);
    S_signed(fp, iv->lo, 2);
    fputs(", ", fp);
    S_signed(fp, iv->hi, 2);
    fputs("]</small></td>", fp);
}

/* The nine indices of the place and of each system on one radar. */
static void S_radar(FILE *fp, const sc_dx_profile *pr)
{
    const double W = 560, H = 440, cx = 220, cy = 225, R = 170;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(fp, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", W, H);
    fputs("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Precondition profile "
          "(0 absent, 1 fully present)</text>\n", fp);
    for (int ring = 1; ring <= 4; ring++)
        fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"none\" stroke=\"#ddd\"/>\n",
                cx, cy, R * ring / 4.0);
    for (int k = 0; k < SC_DX_K; k++) {
        double ang = -M_PI / 2 + 2 * M_PI * k / SC_DX_K;
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ccc\"/>\n", cx,
                cy, cx + R * cos(ang), cy + R * sin(ang));
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\">%c"
                    "</text>\n", cx + (R + 16) * cos(ang), cy + (R + 16) * sin(ang) + 4, 'A' + k);
    }
    for (int g = pr->n_groups - 1; g >= 0; g--) {
        const sc_dx_group *G = &pr->groups[g];
        if (G->n_actors == 0) continue;
        const char *color = g == 0 ? "#000" : S_colors[(g - 1) % 9];
        fprintf(fp, "<polygon fill=\"%s\" fill-opacity=\"%s\" stroke=\"%s\" stroke-width=\"%s\" "
                    "points=\"", g == 0 ? "#1b6ca8" : "none", g == 0 ? "0.15" : "0", color,
                g == 0 ? "2.5" : "1.2");
        for (int k = 0; k < SC_DX_K; k++) {
            double ang = -M_PI / 2 + 2 * M_PI * k / SC_DX_K, v = G->index[k];
            if (isnan(v)) v = 0;
            fprintf(fp, "%.1f,%.1f ", cx + R * v * cos(ang), cy + R * v * sin(ang));
        }
        fputs("\"/>\n", fp);
        double ly = 50 + 18 * g;
        fprintf(fp, "<line x1=\"430\" y1=\"%.0f\" x2=\"450\" y2=\"%.0f\" stroke=\"%s\" "
                    "stroke-width=\"%s\"/>", ly - 4, ly - 4, color, g == 0 ? "2.5" : "1.2");
        fprintf(fp, "<text x=\"455\" y=\"%.0f\">", ly);
        ps_write_html(fp, G->name);
        fputs("</text>\n", fp);
    }
    fputs("</svg>\n", fp);
}

/* The paired difference in the first outcome of each arm of the whole
 * place, alone and with supporters, as interval bars, in rank order. */
static void S_leverage_chart(FILE *fp, const dx_result *res)
{
    const dx_lever *rows[2 * SC_DX_K];
    int n = 0;
    for (int rank = 1; rank <= SC_DX_K; rank++)
        for (size_t i = 0; i < res->n_levers; i++)
            if (res->levers[i].group == 0 && !res->levers[i].joint && res->levers[i].rank == rank)
                rows[n++] = &res->levers[i];
    double lo = 0, hi = 0;
    for (size_t i = 0; i < res->n_levers; i++) {
        const ps_interval *iv = &res->levers[i].eff[0].diff;
        if (res->levers[i].group) continue;
        double v[3] = {iv->mean, iv->lo, iv->hi};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) {
                if (v[j] < lo) lo = v[j];
                if (v[j] > hi) hi = v[j];
            }
    }
    if (hi - lo < 1e-12) hi = lo + 1e-6;
    double pad = 0.08 * (hi - lo);
    lo -= pad;
    hi += pad;
    const double W = 720, L = 210, Rm = 30, T = 50, rowh = 34;
    double H = T + rowh * n + 50;
#define X(v) (L + (W - L - Rm) * ((v)-lo) / (hi - lo))
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fprintf(fp, "<rect width=\"%.0f\" height=\"%.0f\" fill=\"white\"/>\n", W, H);
    fputs("<text x=\"10\" y=\"20\" font-size=\"15\" font-weight=\"bold\">Leverage: change in ", fp);
    ps_write_html(fp, dx_outcomes[0].label);
    fputs("</text>\n<text x=\"10\" y=\"38\" fill=\"#555\">paired difference from the baseline "
          "with its 95 % interval; blue: raised alone, orange: with its supporters</text>\n", fp);
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#888\" "
                "stroke-dasharray=\"4 3\"/>\n", X(0.0), T - 4, X(0.0), T + rowh * n);
    for (int i = 0; i < n; i++) {
        const dx_lever *alone = rows[i];
        const dx_lever *joint = alone + 1; /* the joint arm follows its alone arm */
        double y = T + rowh * i + 10;
        fprintf(fp, "<text x=\"10\" y=\"%.0f\">%d. %c: ", y + 6, i + 1, 'A' + alone->k);
        ps_write_html(fp, S_names[alone->k]);
        fputs("</text>\n", fp);
        const dx_lever *pair[2] = {alone, joint};
        for (int j = 0; j < 2; j++) {
            const ps_interval *iv = &pair[j]->eff[0].diff;
            double yy = y + (j ? 9 : -1);
            const char *color = j ? "#d95f02" : "#1b6ca8";
            if (isfinite(iv->lo) && isfinite(iv->hi))
                fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                            "stroke-width=\"3\"/>\n", X(iv->lo), yy, X(iv->hi), yy, color);
            if (isfinite(iv->mean))
                fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\"/>\n", X(iv->mean),
                        yy, color);
        }
    }
    double yb = T + rowh * n + 8;
    fprintf(fp, "<line x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"black\"/>\n", L, yb,
            W - Rm, yb);
    for (int t = 0; t <= 4; t++) {
        double v = lo + (hi - lo) * t / 4;
        fprintf(fp, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%+.2g</text>\n", X(v),
                yb + 16, v);
    }
#undef X
    fputs("</svg>\n", fp);
}

/* The preconditions a lever raises, as a set (bit k: precondition k):
 * two joint raises of the same set are the same raise. */
static unsigned S_raised_set(const dx_lever *L)
{
    unsigned set = 0;
    for (const char *c = L->raised; *c; c++)
        if (*c >= 'A' && *c < 'A' + SC_DX_K) set |= 1u << (*c - 'A');
    return set;
}

/* Whether set is among the first *n of seen; adds it when not. */
static int S_seen(unsigned *seen, size_t *n, unsigned set)
{
    for (size_t i = 0; i < *n; i++)
        if (seen[i] == set) return 1;
    seen[(*n)++] = set;
    return 0;
}

static const dx_lever *S_find(const dx_result *res, int k, int joint, int group)
{
    for (size_t i = 0; i < res->n_levers; i++)
        if (res->levers[i].k == k && res->levers[i].joint == joint && res->levers[i].group == group)
            return &res->levers[i];
    return NULL;
}

static void S_summary(FILE *fp, const dx_result *res)
{
    const sc_dx_profile *pr = res->profile;
    const sc_dx_group *P = &pr->groups[0];
    fputs("<h2>In short</h2>\n<ul>\n", fp);
    fprintf(fp, "<li>From %s, the place is strongest on <b>%c</b> (%s, %.2f) and weakest on "
                "<b>%c</b> (%s, %.2f).</li>\n",
            pr->survey ? "the survey" : "the scenario's levels", 'A' + P->strongest,
            S_names[P->strongest], P->index[P->strongest], 'A' + P->weakest, S_names[P->weakest],
            P->index[P->weakest]);
    int best = -1;
    for (int k = 0; k < SC_DX_K; k++) {
        const dx_lever *L = S_find(res, k, 0, 0);
        if (L && L->rank == 1) best = k;
    }
    if (best >= 0) {
        const dx_lever *L = S_find(res, best, 0, 0);
        int s = dx_sure(&L->eff[0].diff, dx_outcomes[0].direction);
        fprintf(fp, "<li>Raising <b>%c</b> (%s) by %.2g moves the %s most: %+.3g "
                    "(95 %% interval %+.2g to %+.2g), %s.</li>\n",
                'A' + best, S_names[best], res->step, dx_outcomes[0].label, L->eff[0].diff.mean,
                L->eff[0].diff.lo, L->eff[0].diff.hi,
                s > 0 ? "an improvement the model is sure of at this number of replications "
                        "(sure within the model, not of the place)"
                : s < 0 ? "yet the interval says it makes things worse"
                        : "but the interval includes zero: not a sure improvement");
    }
    fputs("<li>Improvements in the wellbeing of people with needs that the model is sure of "
          "(interval above zero; sure within the model, which is not the same as sure of the "
          "place): ", fp);
    int any = 0;
    unsigned listed[2 * SC_DX_K];
    size_t n_listed = 0;
    for (int joint = 0; joint < 2; joint++)
        for (int k = 0; k < SC_DX_K; k++) {
            const dx_lever *L = S_find(res, k, joint, 0);
            if (L && dx_sure(&L->eff[0].diff, dx_outcomes[0].direction) > 0 &&
                !S_seen(listed, &n_listed, S_raised_set(L))) {
                fprintf(fp, "%s%s%s", any ? ", " : "", L->raised, joint ? " together" : "");
                any = 1;
            }
        }
    fputs(any ? ".</li>\n" : "none at this number of replications (try more with --reps).</li>\n",
          fp);
    fputs("<li>Only pays off together (alone not sure, with its supporters sure, and clearly "
          "more than alone): ", fp);
    any = 0;
    n_listed = 0;
    for (int k = 0; k < SC_DX_K; k++) {
        const dx_lever *A = S_find(res, k, 0, 0), *J = S_find(res, k, 1, 0);
        if (!A || !J) continue;
        int dir = dx_outcomes[0].direction;
        if (dx_sure(&A->eff[0].diff, dir) <= 0 && dx_sure(&J->eff[0].diff, dir) > 0 &&
            dx_sure(&J->eff[0].vs_alone, dir) > 0 &&
            !S_seen(listed, &n_listed, S_raised_set(J))) {
            fprintf(fp, "%s%s", any ? ", " : "", J->raised);
            any = 1;
        }
    }
    fputs(any ? ".</li>\n" : "none.</li>\n", fp);
    fputs("<li>More than the sum of its parts (the joint raise beats the members' separate "
          "effects added up, interval above zero): ", fp);
    any = 0;
    n_listed = 0;
    for (int k = 0; k < SC_DX_K; k++) {
        const dx_lever *J = S_find(res, k, 1, 0);
        if (J && dx_sure(&J->eff[0].synergy, dx_outcomes[0].direction) > 0 &&
            !S_seen(listed, &n_listed, S_raised_set(J))) {
            fprintf(fp, "%s%s", any ? ", " : "", J->raised);
            any = 1;
        }
    }
    fputs(any ? ".</li>\n" : "none.</li>\n", fp);
    if (pr->n_groups > 1) {
        fprintf(fp, "<li>%d systems; %d links join organisations of different systems (mean "
                    "trust ", pr->n_groups - 1, pr->cross_links);
        S_fixed(fp, pr->cross_trust, 2);
        fputs("). Lowest system on each weak spot: ", fp);
        int g_low = -1;
        for (int g = 1; g < pr->n_groups; g++)
            if (pr->groups[g].n_actors &&
                (g_low < 0 || pr->groups[g].index[P->weakest] < pr->groups[g_low].index[P->weakest]))
                g_low = g;
        if (g_low > 0) {
            fprintf(fp, "on %c, the ", 'A' + P->weakest);
            ps_write_html(fp, pr->groups[g_low].name);
            fprintf(fp, " system (%.2f).", pr->groups[g_low].index[P->weakest]);
        }
        fputs("</li>\n", fp);
    }
    fputs("</ul>\n", fp);
}

static void S_profile_table(FILE *fp, const sc_dx_profile *pr)
{
    const sc_dx_group *P = &pr->groups[0];
    fputs("<table><tr><th>precondition</th><th>index</th><th>spread across actors</th>"
          "<th>spread across respondents</th><th>furthest below the place</th></tr>\n", fp);
    for (int k = 0; k < SC_DX_K; k++) {
        fprintf(fp, "<tr%s><td>%c: %s</td><td>%.2f</td><td>", k == P->weakest ? " class=\"bad\""
                                                           : k == P->strongest ? " class=\"good\""
                                                                               : "",
                'A' + k, S_names[k], P->index[k]);
        S_fixed(fp, P->spread_actors[k], 2);
        fputs("</td><td>", fp);
        S_fixed(fp, P->spread_respondents[k], 2);
        fputs("</td><td>", fp);
        for (int w = 0; w < SC_DX_WORST && P->below[k][w] >= 0; w++) {
            fputs(w ? ", " : "", fp);
            ps_write_html(fp, pr->actors[P->below[k][w]].id);
            fprintf(fp, " (&minus;%.2f)", P->below_gap[k][w]);
        }
        fputs("</td></tr>\n", fp);
    }
    fprintf(fp, "</table>\n<p>Structural companions: trust density (mean trust &times; "
                "understanding over links) %.3f, for E; leadership entropy (normalised entropy "
                "of influence; 1 = evenly spread) %.3f, for G.</p>\n",
            P->trust_density, P->leadership_entropy);
}

static void S_leverage_table(FILE *fp, const dx_result *res, int group)
{
    fputs("<table><tr><th>rank</th><th>raise</th>", fp);
    for (int o = 0; o < DX_N_OUTCOMES; o++) {
        fputs("<th>", fp);
        ps_write_html(fp, dx_outcomes[o].label);
        fprintf(fp, " <small>(%s is better)</small></th>", dx_outcomes[o].direction > 0 ? "higher"
                                                                                       : "lower");
    }
    if (group == 0) fputs("<th>joint minus alone</th><th>synergy</th>", fp);
    fputs("</tr>\n", fp);
    for (int joint = 0; joint < 2; joint++)
        for (int rank = 1; rank <= SC_DX_K; rank++)
            for (size_t i = 0; i < res->n_levers; i++) {
                const dx_lever *L = &res->levers[i];
                if (L->group != group || L->joint != joint || L->rank != rank) continue;
                fprintf(fp, "<tr><td>%d</td><td>%s%s</td>", rank, L->raised,
                        joint ? " (with supporters)" : "");
                for (int o = 0; o < DX_N_OUTCOMES; o++)
                    S_interval(fp, &L->eff[o].diff, dx_outcomes[o].direction);
                if (group == 0 && joint) {
                    S_interval(fp, &L->eff[0].vs_alone, dx_outcomes[0].direction);
                    S_interval(fp, &L->eff[0].synergy, dx_outcomes[0].direction);
                } else if (group == 0) {
                    fputs("<td></td><td></td>", fp);
                }
                fputs("</tr>\n", fp);
            }
    fputs("</table>\n", fp);
}

/* Each group at the start and at the horizon of the baseline run. */
static void S_heading_table(FILE *fp, const dx_result *res)
{
    const sc_dx_profile *pr = res->profile;
    fprintf(fp, "<p>Where each system is heading without a change: its indices at the start "
                "and after %d weeks of the baseline (mean over replications; the model's "
                "dispositions move with trust, peers, performance and stress).</p>\n",
            res->weeks);
    fputs("<table><tr><th>system</th>", fp);
    for (int k = 0; k < SC_DX_K; k++) fprintf(fp, "<th>%c</th>", 'A' + k);
    fputs("<th>trust density</th><th>leadership entropy</th></tr>\n", fp);
    for (int g = 0; g < pr->n_groups; g++) {
        const sc_dx_group *G = &pr->groups[g];
        fputs("<tr><td>", fp);
        ps_write_html(fp, G->name);
        fputs("</td>", fp);
        for (int k = 0; k < SC_DX_K; k++) {
            double v = res->sim_index[g][k], dv = v - G->index[k];
            fprintf(fp, "<td class=\"%s\">", dv > 0.02 ? "good" : dv < -0.02 ? "bad" : "");
            S_fixed(fp, G->index[k], 2);
            fputs(" &rarr; ", fp);
            S_fixed(fp, v, 2);
            fputs("</td>", fp);
        }
        fputs("<td>", fp);
        S_fixed(fp, G->trust_density, 3);
        fputs(" &rarr; ", fp);
        S_fixed(fp, res->sim_trust[g], 3);
        fputs("</td><td>", fp);
        S_fixed(fp, G->leadership_entropy, 3);
        fputs(" &rarr; ", fp);
        S_fixed(fp, res->sim_entropy[g], 3);
        fputs("</td></tr>\n", fp);
    }
    fputs("</table>\n", fp);
}

static void S_systems_table(FILE *fp, const sc_dx_profile *pr)
{
    fputs("<table><tr><th>system</th><th>actors</th><th>respondents</th>", fp);
    for (int k = 0; k < SC_DX_K; k++) fprintf(fp, "<th>%c</th>", 'A' + k);
    fputs("<th>trust density</th><th>leadership entropy</th><th>links within</th>"
          "<th>weakest, and who is furthest below on it</th></tr>\n", fp);
    for (int g = 0; g < pr->n_groups; g++) {
        const sc_dx_group *G = &pr->groups[g];
        fputs("<tr><td>", fp);
        ps_write_html(fp, G->name);
        fprintf(fp, "</td><td>%d</td><td>%d</td>", G->n_actors, G->respondents);
        for (int k = 0; k < SC_DX_K; k++) {
            double v = G->index[k];
            /* shade: low levels red, high green */
            int r = isnan(v) ? 255 : (int)(255 - 80 * (v > 0.5 ? (v - 0.5) * 2 : 0));
            int gr = isnan(v) ? 255 : (int)(255 - 80 * (v < 0.5 ? (0.5 - v) * 2 : 0));
            fprintf(fp, "<td style=\"background:rgb(%d,%d,235)\">", r, gr);
            S_fixed(fp, v, 2);
            fputs("</td>", fp);
        }
        fputs("<td>", fp);
        S_fixed(fp, G->trust_density, 3);
        fputs("</td><td>", fp);
        S_fixed(fp, G->leadership_entropy, 3);
        fprintf(fp, "</td><td>%d</td><td>%c", G->links, 'A' + G->weakest);
        if (G->below[G->weakest][0] >= 0) {
            fputs(": ", fp);
            ps_write_html(fp, pr->actors[G->below[G->weakest][0]].id);
            fprintf(fp, " (&minus;%.2f)", G->below_gap[G->weakest][0]);
        }
        fputs("</td></tr>\n", fp);
    }
    fprintf(fp, "</table>\n<p>Links across systems (their ends in different systems, or one end "
                "without a label): %d, mean trust ", pr->cross_links);
    S_fixed(fp, pr->cross_trust, 2);
    fputs(".</p>\n", fp);
}

int dx_write_report(const char *dir, const dx_result *res, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "report.html", d) != 0) return -1;
    FILE *fp = f.fp;
    const sc_dx_profile *pr = res->profile;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<title>Diagnosis of a place</title>\n<style>\n"
          "body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}\n"
          "table{border-collapse:collapse;margin:1em 0;font-size:13px}\n"
          "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}\n"
          "td.good,tr.good td{background:#e3f4e3}td.bad,tr.bad td{background:#fbe3e3}\n"
          "small{color:#555}\n</style></head><body>\n", fp);
    fputs("<h1>Diagnosis of a place: ", fp);
    ps_write_html(fp, res->scenario);
    fputs("</h1>\n<p>", fp);
    if (res->survey) {
        fputs("Profile from the survey ", fp);
        ps_write_html(fp, res->survey);
        fputs("; organisations without answers keep the scenario's levels. ", fp);
    } else {
        fputs("Profile from the scenario's precondition levels (no survey given). ", fp);
    }
    fprintf(fp, "Leverage from %d paired replications of %d weeks (after %d weeks of warm-up) "
                "at %ld citizens%s, seed %llu; each raise adds %.2g to a level (capped at 1).</p>\n",
            res->reps, res->weeks, res->warmup, res->population,
            res->population != res->scenario_population ? " (reduced from the scenario's; "
                                                          "capacities in proportion)" : "",
            res->seed, res->step);
    S_summary(fp, res);
    fputs("<h2>Precondition profile</h2>\n", fp);
    S_radar(fp, pr);
    S_profile_table(fp, pr);
    fputs("<h2>Leverage: where investment moves outcomes most</h2>\n", fp);
    S_leverage_chart(fp, res);
    fputs("<p>Each cell: the paired difference from the baseline (mean over the horizon; cost: "
          "discounted total) with its 95 % interval. Green: a sure improvement (the interval "
          "excludes zero on the better side); red: sure to be worse. <i>Joint minus alone</i>: "
          "the joint raise against the precondition raised alone; <i>synergy</i>: the joint "
          "effect minus the members' separate effects added up.</p>\n", fp);
    S_leverage_table(fp, res, 0);
    fputs("<h2>Systems</h2>\n", fp);
    S_systems_table(fp, pr);
    S_heading_table(fp, res);
    for (int g = 1; g < pr->n_groups; g++) {
        if (!S_find(res, 0, 0, g)) continue;
        fputs("<h3>Raised within the ", fp);
        ps_write_html(fp, pr->groups[g].name);
        fputs(" system only</h3>\n", fp);
        S_leverage_table(fp, res, g);
    }
    fputs("<h2>Method and assumptions</h2>\n<ul>\n"
          "<li>A survey rating r (1 to 5) is the level (r &minus; 1) / 4; an organisation's level "
          "is the mean of its respondents' answers; where they disagree, each replication draws "
          "the level from a normal distribution with their mean and standard error (within 0 and "
          "1), the same draw in every arm.</li>\n"
          "<li>An index is the influence-weighted mean over the organisations, as the model's "
          "P_k.</li>\n"
          "<li>A raise moves both the level and the institutional anchor it relaxes back to (a "
          "lasting change, not a one-off push that fades). <i>With supporters</i> also raises "
          "the preconditions in its row of the interdependence matrix C.</li>\n"
          "<li>Every arm shares each replication's random numbers with the baseline (common "
          "random numbers), so the intervals are for paired differences.</li>\n"
          "<li>See docs/diagnose.md for the details.</li>\n</ul>\n", fp);
    fprintf(fp, "<p><small>placesim diagnose, %.1f s.</small></p>\n</body></html>\n", res->seconds);
    return ps_outfile_commit(&f, d);
}
