/* The model's metric table (engine/metric.h): every column of the weekly
 * row is described once, is filled by observe, and what the engine does
 * with each metric is consistent with its unit and direction. */
#include <criterion/criterion.h>
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "metric.h"
#include "report_spec.h"
#include "support.h"
#include "systems_change.h"

static tp_place S_tp;

static void S_setup(void)
{
    static const char *const sets[] = {"population.size=600", "run.weeks=8", "run.warmup=2",
                                       "run.replications=1"};
    cr_assert_eq(tp_load(&S_tp, "configs/coventry.cfg", sets, 4), 0);
}

static void S_teardown(void) { tp_free(&S_tp); }

TestSuite(metric_table, .init = S_setup, .fini = S_teardown);

Test(metric_table, every_row_is_complete_and_every_name_unique)
{
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    cr_assert_gt(n, 50);
    for (size_t m = 0; m < n; m++) {
        cr_expect(t[m].name && t[m].name[0], "row %zu has no name", m);
        for (const char *p = t[m].name; *p; p++)
            cr_expect(isalnum((unsigned char)*p) || *p == '_' || *p == '.',
                      "%s: a name for a CSV header has letters, digits, '_' and '.' only",
                      t[m].name);
        cr_expect(t[m].label && t[m].label[0], "%s has no label", t[m].name);
        cr_expect(t[m].unit && t[m].unit[0], "%s has no unit", t[m].name);
        cr_expect(t[m].group && t[m].group[0], "%s has no group", t[m].name);
        cr_expect(t[m].better >= -1 && t[m].better <= 1, "%s", t[m].name);
        cr_expect_eq(ps_metric_index(t, n, t[m].name), m, "%s is named twice", t[m].name);
    }
    cr_expect_eq(ps_metric_index(t, n, "no_such_metric"), n);
}

Test(metric_table, roles_agree_with_units_and_directions)
{
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    for (unsigned role = 1; role <= PS_METRIC_RESILIENCE; role <<= 1)
        cr_expect_gt(ps_metric_select(t, n, role, NULL), 0, "no metric has role %u", role);
    for (size_t m = 0; m < n; m++) {
        const ps_metric *x = &t[m];
        /* a comparison is judged, and --precision reached, on a 0-1 scale */
        if (x->roles & PS_METRIC_HEADLINE)
            cr_expect(strstr(x->unit, "(0-1)") && x->better != 0, "%s", x->name);
        if (x->roles & PS_METRIC_STEADY)
            cr_expect(x->steady_tolerance > 0 && x->steady_tolerance <= 0.01, "%s", x->name);
        else
            cr_expect_eq(x->steady_tolerance, 0, "%s", x->name);
        /* a fall is a loss, or a rise is: never neither */
        if (x->roles & PS_METRIC_RESILIENCE) cr_expect(x->better != 0, "%s", x->name);
        if (x->roles & PS_METRIC_COST)
            cr_expect(x->cost_kind && strstr(x->unit, "pounds"), "%s", x->name);
        else
            cr_expect_null(x->cost_kind, "%s", x->name);
        if (x->roles & PS_METRIC_COUNT) cr_expect(!strstr(x->unit, "(0-1)"), "%s", x->name);
        cr_expect(!x->display_scale == !x->display_unit, "%s: a scale with its unit", x->name);
    }
    /* the headline metrics of model.md section 7 */
    static const char *const headline[] = {"wellbeing_with_needs", "unmet_share_of_needs",
                                           "wellbeing_gap_1_vs_3plus", "trust_density"};
    for (size_t k = 0; k < 4; k++) {
        size_t m = ps_metric_index(t, n, headline[k]);
        cr_assert_lt(m, n, "%s", headline[k]);
        cr_expect(t[m].roles & PS_METRIC_HEADLINE, "%s", headline[k]);
    }
    cr_expect_eq(ps_metric_select(t, n, PS_METRIC_HEADLINE, NULL), 4);
    cr_expect_eq(t[ps_metric_index(t, n, "unmet_share_of_needs")].better, -1);
    cr_expect_eq(t[ps_metric_index(t, n, "P_H")].better, 1);
    cr_expect_eq(t[ps_metric_index(t, n, "leadership_entropy")].better, 0);
}

Test(metric_table, per_system_rows_follow_the_system_labels)
{
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    cr_assert_gt(S_tp.place->S, 0);
    for (int s = 0; s < S_tp.place->S; s++) {
        char name[96];
        snprintf(name, sizeof name, "trust_density.%s", S_tp.place->system_name[s]);
        size_t m = ps_metric_index(t, n, name);
        cr_assert_lt(m, n, "%s", name);
        cr_expect_eq(t[m].better, 1);
        cr_expect(strstr(t[m].label, S_tp.place->system_name[s]) != NULL, "%s", t[m].label);
        cr_expect_eq(t[m].roles, 0, "a system's copy is written, not judged");
    }
}

/* observe writes every column, every week: no column keeps what was there */
Test(metric_table, observe_fills_every_column)
{
    size_t n = tp_n_metrics(&S_tp);
    ps_rng_key key = ps_rng_key_make(1, 0);
    ps_diag d;
    ps_diag_init(&d);
    void *st = sc_model_type.create(S_tp.place, key, &d);
    cr_assert_not_null(st);
    double *row = malloc(n * sizeof *row);
    cr_assert_not_null(row);
    for (int tick = 0; tick < 3; tick++) {
        ps_step_ctx ctx = {tick, tick, key};
        cr_assert_eq(sc_model_type.step(st, &ctx, &d), 0);
        for (size_t m = 0; m < n; m++) row[m] = -123456.0;
        sc_model_type.observe(st, row);
        const ps_metric *t;
        sc_model_type.metrics(S_tp.place, &t);
        for (size_t m = 0; m < n; m++)
            cr_expect_neq(row[m], -123456.0, "week %d: %s was not written", tick, t[m].name);
    }
    free(row);
    sc_model_type.destroy(st);
}

/* series.csv's columns are the table's names, in its order */
Test(metric_table, series_header_is_the_table)
{
    char dir[512], cmd[1536], path[600];
    tp_mktmp(dir, sizeof dir, "metric-table");
    snprintf(cmd, sizeof cmd,
             "%s run %s/configs/coventry.cfg --reps 1 --threads 1 --set population.size=600 "
             "--set run.weeks=4 --set run.warmup=2 --no-cache --quiet --overwrite --out %s/out "
             ">/dev/null 2>&1",
             PLACESIM_BINARY, PLACESIM_SOURCE_DIR, dir);
    cr_assert_eq(tp_shell(cmd), 0, "%s", cmd);
    snprintf(path, sizeof path, "%s/out/series.csv", dir);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    static char header[65536];
    cr_assert_not_null(fgets(header, sizeof header, fp));
    fclose(fp);
    header[strcspn(header, "\r\n")] = 0;
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    char *save = NULL, *tok = strtok_r(header, ",", &save);
    size_t col = 0, m = 0;
    for (; tok; tok = strtok_r(NULL, ",", &save), col++) {
        if (col < 2) continue; /* replication, week */
        cr_assert_lt(m, n, "more columns than metrics: %s", tok);
        cr_expect_str_eq(tok, t[m].name, "column %zu", col);
        m++;
    }
    cr_expect_eq(m, n);
    tp_rmtmp(dir);
}

/* placesim metrics lists the table as CSV, one row per column of series.csv */
Test(metric_table, the_metrics_command_lists_the_table)
{
    char dir[512], cmd[1536], path[600];
    tp_mktmp(dir, sizeof dir, "metric-list");
    snprintf(path, sizeof path, "%s/metrics.csv", dir);
    snprintf(cmd, sizeof cmd,
             "%s metrics %s/configs/coventry.cfg --set population.size=600 >%s 2>/dev/null",
             PLACESIM_BINARY, PLACESIM_SOURCE_DIR, path);
    cr_assert_eq(tp_shell(cmd), 0, "%s", cmd);
    static char text[65536];
    tp_read_text(path, text, sizeof text);
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    size_t lines = 0;
    for (const char *p = text; *p; p++) lines += *p == '\n';
    cr_expect_eq(lines, n + 1, "a header and a row per metric");
    cr_expect(strncmp(text, "metric,unit,better,roles,group,label\n", 37) == 0, "%.60s", text);
    cr_expect(strstr(text, "\nunmet_share_of_needs,share of people with needs (0-1),lower,"
                           "headline steady resilience,outcomes,") != NULL);
    /* a label with a comma is quoted */
    cr_expect(strstr(text, ",\"episodes closed, needs met\"\n") != NULL);
    tp_rmtmp(dir);
}

/* the report spec names only metrics of the table; an unknown one is an
 * error that names it, never a chart silently left out */
Test(metric_table, the_report_spec_names_metrics_of_the_table)
{
    const ps_metric *t;
    size_t n = sc_model_type.metrics(S_tp.place, &t);
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_not_null(sc_model_type.report);
    cr_expect_eq(ps_report_spec_check(sc_model_type.report, t, n, &d), 0);
    cr_expect_eq(d.count, 0);
    cr_expect_eq(sc_model_type.report->n_radar, 9);

    static const char *const keys[] = {"wellbeing_with_needs", "wellbeing_with_need"};
    static const char *const lines[] = {"trust_densty"};
    ps_report_spec bad = *sc_model_type.report;
    bad.key_figures = keys;
    bad.n_key_figures = 2;
    bad.resilience.metrics = lines;
    bad.resilience.n_metrics = 1;
    cr_expect_eq(ps_report_spec_check(&bad, t, n, &d), -1);
    cr_assert_eq(d.count, 2);
    char line[512];
    ps_diag_format(&d, 0, line, sizeof line);
    cr_expect(strstr(line, "key_figures") && strstr(line, "unknown metric 'wellbeing_with_need'"),
              "%s", line);
    ps_diag_format(&d, 1, line, sizeof line);
    cr_expect(strstr(line, "resilience") && strstr(line, "'trust_densty'"), "%s", line);
}
