/* Reading a sweep file: every problem is reported as file:line: setting,
 * with the nearest valid name for a misspelt one. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nearest.h"
#include "scenario.h"
#include "snapshot.h"
#include "sweep.h"

static const char *const S_keys[] = {
    "name", "scenario", "set", "design", "samples", "replications", "seed", "seeds",
    "bootstrap", "morris_levels", "factorial_levels", "matrix", "factors", "metrics"};
const char *const ps_sweep_design_names[] = {"factorial", "random", "lhs",   "sobol",
                                        "saltelli",  "morris", "matrix"};
const char *const ps_sweep_dist_names[] = {"uniform", "normal", "loguniform", "discrete"};
const char *const ps_sweep_op_names[] = {"set", "scale", "add"};
static const char *const S_factor_keys[] = {"name", "path",  "op", "distribution", "min",
                                            "max",  "mean",  "sd", "levels"};
static const char *const S_metric_keys[] = {"metric", "name", "week", "from", "to"};

#define S_COUNT(a) (sizeof(a) / sizeof *(a))

/* Reads a string setting that must be one of names; returns its index, the
 * default when absent, or -1 (reported). */
static int S_choice(const config_setting_t *grp, const char *key, const char *const *names,
                    size_t n, int def, ps_diag *d)
{
    const char *v;
    int got = ps_cfg_string(grp, key, 0, NULL, &v, d);
    if (got <= 0) return got < 0 ? -1 : def;
    for (size_t i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0) return (int)i;
    const config_setting_t *s = config_setting_get_member(grp, key);
    const char *near = ps_nearest(v, names, n);
    char list[256] = "";
    for (size_t i = 0; i < n; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        if (i + 1 < n) strncat(list, ", ", sizeof list - strlen(list) - 1);
    }
    if (near)
        ps_cfg_error(s, d, "'%s' is not one of %s (did you mean '%s'?)", v, list, near);
    else
        ps_cfg_error(s, d, "'%s' is not one of %s", v, list);
    return -1;
}

/* A path relative to the directory of `file` (an absolute one as it is). */
static void S_relative_to(const char *file, const char *rel, char *out, size_t size)
{
    const char *slash = strrchr(file, '/');
    if (rel[0] == '/' || !slash) snprintf(out, size, "%s", rel);
    else snprintf(out, size, "%.*s/%s", (int)(slash - file), file, rel);
}

static void S_read_factor(ps_sweep_factor *f, const config_setting_t *g, int matrix, ps_diag *d)
{
    f->where = g;
    ps_cfg_check_keys(g, S_factor_keys, S_COUNT(S_factor_keys), d);
    ps_cfg_text(g, "name", 1, NULL, PS_TEXT_FREE, &f->name, d);
    ps_cfg_string(g, "path", 1, NULL, &f->path, d);
    int op = S_choice(g, "op", ps_sweep_op_names, S_COUNT(ps_sweep_op_names), PS_FACTOR_SET, d);
    f->op = op < 0 ? PS_FACTOR_SET : op;
    if (matrix) {
        /* the values come from the design matrix */
        static const char *const ranges[] = {"distribution", "min", "max", "mean", "sd", "levels"};
        for (size_t i = 0; i < S_COUNT(ranges); i++)
            if (config_setting_get_member(g, ranges[i]))
                ps_cfg_error(config_setting_get_member(g, ranges[i]), d,
                             "with design = \"matrix\" the values come from the matrix file");
        return;
    }
    const config_setting_t *levels = config_setting_get_member(g, "levels");
    int dist = S_choice(g, "distribution", ps_sweep_dist_names, S_COUNT(ps_sweep_dist_names),
                        levels ? PS_DIST_DISCRETE : PS_DIST_UNIFORM, d);
    if (dist < 0) return;
    f->dist = dist;
    if (dist == PS_DIST_DISCRETE) {
        if (!levels) {
            ps_cfg_error(g, d, "a discrete factor needs 'levels', e.g. levels = [0.5, 1.0, 2.0]");
            return;
        }
        if (ps_cfg_expect_type(levels, CONFIG_TYPE_ARRAY, d) != 0) return;
        int n = config_setting_length(levels);
        if (n < 2) {
            ps_cfg_error(levels, d, "needs at least two levels");
            return;
        }
        f->levels = calloc((size_t)n, sizeof *f->levels);
        if (!f->levels) return;
        for (int i = 0; i < n; i++)
            if (ps_cfg_elem_double(config_setting_get_elem(levels, (unsigned)i), -HUGE_VAL,
                                   HUGE_VAL, &f->levels[f->n_levels], d) > 0)
                f->n_levels++;
        for (const char *const *k = (const char *const[]){"min", "max", "mean", "sd", NULL}; *k;
             k++)
            if (config_setting_get_member(g, *k))
                ps_cfg_error(config_setting_get_member(g, *k), d,
                             "a discrete factor takes only 'levels'");
        return;
    }
    if (levels) ps_cfg_error(levels, d, "'levels' is for discrete factors only");
    if (dist == PS_DIST_NORMAL) {
        ps_cfg_double(g, "mean", 1, 0, -HUGE_VAL, HUGE_VAL, &f->mean, d);
        if (ps_cfg_double(g, "sd", 1, 1, 0, HUGE_VAL, &f->sd, d) > 0 && !(f->sd > 0))
            ps_cfg_error(config_setting_get_member(g, "sd"), d, "must be above 0");
        for (const char *const *k = (const char *const[]){"min", "max", NULL}; *k; k++)
            if (config_setting_get_member(g, *k))
                ps_cfg_error(config_setting_get_member(g, *k), d,
                             "a normal factor takes 'mean' and 'sd'");
        return;
    }
    int a = ps_cfg_double(g, "min", 1, 0, -HUGE_VAL, HUGE_VAL, &f->min, d);
    int b = ps_cfg_double(g, "max", 1, 0, -HUGE_VAL, HUGE_VAL, &f->max, d);
    if (a > 0 && b > 0 && !(f->max > f->min))
        ps_cfg_error(config_setting_get_member(g, "max"), d, "must be above min (%g)", f->min);
    if (a > 0 && dist == PS_DIST_LOGUNIFORM && !(f->min > 0))
        ps_cfg_error(config_setting_get_member(g, "min"), d,
                     "a log-uniform factor needs min above 0");
    for (const char *const *k = (const char *const[]){"mean", "sd", NULL}; *k; k++)
        if (config_setting_get_member(g, *k))
            ps_cfg_error(config_setting_get_member(g, *k), d,
                         "'%s' is for normal factors only", *k);
}

static void S_read_factors(ps_sweep *sw, const config_setting_t *list, ps_diag *d)
{
    if (ps_cfg_expect_type(list, CONFIG_TYPE_LIST, d) != 0) return;
    int n = config_setting_length(list);
    if (n == 0) {
        ps_cfg_error(list, d, "a sweep needs at least one factor");
        return;
    }
    sw->factors = calloc((size_t)n, sizeof *sw->factors);
    if (!sw->factors) return;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) continue;
        ps_sweep_factor *f = &sw->factors[sw->k++];
        S_read_factor(f, g, sw->design == PS_SWEEP_MATRIX, d);
        for (size_t j = 0; f->name && j + 1 < sw->k; j++)
            if (sw->factors[j].name && strcmp(sw->factors[j].name, f->name) == 0)
                ps_cfg_error(config_setting_get_member(g, "name"), d,
                             "factor '%s' is named twice", f->name);
    }
}

static void S_read_metrics(ps_sweep *sw, const config_setting_t *list, ps_diag *d)
{
    if (ps_cfg_expect_type(list, CONFIG_TYPE_LIST, d) != 0) return;
    int n = config_setting_length(list);
    if (n == 0) {
        ps_cfg_error(list, d, "a sweep needs at least one metric");
        return;
    }
    sw->metrics = calloc((size_t)n, sizeof *sw->metrics);
    if (!sw->metrics) return;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(list, (unsigned)i);
        if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) continue;
        ps_sweep_metric *m = &sw->metrics[sw->n_metrics++];
        ps_cfg_check_keys(g, S_metric_keys, S_COUNT(S_metric_keys), d);
        ps_cfg_string(g, "metric", 1, NULL, &m->metric, d);
        /* the weeks are checked against the horizon in ps_sweep_prepare:
         * -1 stands for "not given" until then */
        long long v;
        m->from = m->to = -1;
        if (ps_cfg_int(g, "week", 0, -1, 0, 1000000, &v, d) > 0) m->from = m->to = (int)v;
        int has_from = ps_cfg_int(g, "from", 0, -1, 0, 1000000, &v, d) > 0;
        if (has_from) m->from = (int)v;
        int has_to = ps_cfg_int(g, "to", 0, -1, 0, 1000000, &v, d) > 0;
        if (has_to) m->to = (int)v;
        if (config_setting_get_member(g, "week") && (has_from || has_to))
            ps_cfg_error(g, d, "give either 'week' or 'from' and 'to'");
        if (has_from != has_to)
            ps_cfg_error(g, d, "'from' and 'to' go together (the mean over those weeks)");
        else if (has_from && m->to < m->from)
            ps_cfg_error(config_setting_get_member(g, "to"), d, "must not be before 'from' (%d)",
                         m->from);
        const char *label = NULL;
        ps_cfg_text(g, "name", 0, NULL, PS_TEXT_FREE, &label, d);
        if (label) snprintf(m->column, sizeof m->column, "%s", label);
        else if (!m->metric) m->column[0] = '\0';
        else if (m->from < 0) snprintf(m->column, sizeof m->column, "%s", m->metric);
        else if (m->from == m->to)
            snprintf(m->column, sizeof m->column, "%s@%d", m->metric, m->from);
        else snprintf(m->column, sizeof m->column, "%s@%d-%d", m->metric, m->from, m->to);
        for (size_t j = 0; m->column[0] && j + 1 < sw->n_metrics; j++)
            if (strcmp(sw->metrics[j].column, m->column) == 0)
                ps_cfg_error(g, d, "metric column '%s' appears twice", m->column);
    }
}

int ps_sweep_open(ps_sweep *sw, const char *path, ps_diag *d)
{
    memset(sw, 0, sizeof *sw);
    snprintf(sw->path, sizeof sw->path, "%s", path);
    config_init(&sw->cfg);
    sw->live = 1;
    if (ps_cfg_read_file(&sw->cfg, path, "sweep file", d) != 0) return -1;
    sw->hash = ps_snapshot_file_hash(path);
    const config_setting_t *root = config_root_setting(&sw->cfg);
    int before = d->count;
    ps_cfg_check_keys(root, S_keys, S_COUNT(S_keys), d);
    ps_cfg_text(root, "name", 0, path, PS_TEXT_FREE, &sw->name, d);
    const char *scen;
    if (ps_cfg_string(root, "scenario", 1, NULL, &scen, d) > 0) {
        S_relative_to(path, scen, sw->scenario, sizeof sw->scenario);
        /* a missing scenario and one that is no file are the same mistake
         * in the sweep file, reported the same way (exit status 2) */
        struct stat st;
        const config_setting_t *where = config_setting_get_member(root, "scenario");
        if (stat(sw->scenario, &st) != 0 || access(sw->scenario, R_OK) != 0)
            ps_cfg_error(where, d, "cannot read '%s' (a path relative to the sweep file): %s",
                         sw->scenario, strerror(errno));
        else if (!S_ISREG(st.st_mode))
            ps_cfg_error(where, d,
                         "cannot read '%s' (a path relative to the sweep file): it is %s",
                         sw->scenario, S_ISDIR(st.st_mode) ? "a directory" : "not a regular file");
    }

    ps_cfg_sets(config_setting_get_member(root, "set"), &sw->sets, &sw->n_sets, d);

    int design = S_choice(root, "design", ps_sweep_design_names, S_COUNT(ps_sweep_design_names), -1, d);
    if (design == -1 && !config_setting_get_member(root, "design"))
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "design",
                    "missing: one of factorial, random, lhs, sobol, saltelli, morris, matrix");
    sw->design = design;
    long long v;
    int needs_samples = design != PS_SWEEP_FACTORIAL && design != PS_SWEEP_MATRIX;
    if (ps_cfg_int(root, "samples", needs_samples && design >= 0, 0, 1, 10000000, &v, d) > 0)
        sw->samples = (size_t)v;
    if (!needs_samples && config_setting_get_member(root, "samples"))
        ps_cfg_error(config_setting_get_member(root, "samples"), d,
                     "the %s design takes no 'samples'", ps_sweep_design_names[design]);
    if (ps_cfg_int(root, "replications", 0, 1, 1, 100000, &v, d) >= 0)
        sw->replications = (int)v;
    int has_seed = ps_cfg_int(root, "seed", 0, 0, 0, INT64_MAX, &v, d);
    sw->seed = has_seed > 0 ? (uint64_t)v : UINT64_MAX; /* UINT64_MAX: the scenario's */
    static const char *const seeds[] = {"common", "per_point"};
    sw->per_point_seeds = S_choice(root, "seeds", seeds, 2, 0, d) == 1;
    if (ps_cfg_int(root, "bootstrap", 0, 500, 0, 100000, &v, d) >= 0) sw->bootstrap = (size_t)v;
    if (ps_cfg_int(root, "morris_levels", 0, 4, 2, 100, &v, d) >= 0) {
        sw->morris_levels = (int)v;
        if (v % 2)
            ps_cfg_error(config_setting_get_member(root, "morris_levels"), d,
                         "must be even (the Morris step is half the levels)");
    }
    if (ps_cfg_int(root, "factorial_levels", 0, 3, 2, 1000, &v, d) >= 0)
        sw->factorial_levels = (int)v;
    const char *matrix = NULL;
    ps_cfg_string(root, "matrix", design == PS_SWEEP_MATRIX, NULL, &matrix, d);
    if (matrix) {
        if (design != PS_SWEEP_MATRIX)
            ps_cfg_error(config_setting_get_member(root, "matrix"), d,
                         "'matrix' goes with design = \"matrix\"");
        S_relative_to(path, matrix, sw->matrix, sizeof sw->matrix);
    }

    const config_setting_t *factors = config_setting_get_member(root, "factors");
    if (!factors) ps_diag_add(d, PS_ERR_INPUT, path, 0, "factors", "missing: the factors to vary");
    else S_read_factors(sw, factors, d);
    sw->metrics_setting = config_setting_get_member(root, "metrics");
    if (!sw->metrics_setting)
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "metrics", "missing: the metrics to record");
    else S_read_metrics(sw, sw->metrics_setting, d);
    return d->count > before ? -1 : 0;
}

void ps_sweep_close(ps_sweep *sw)
{
    for (size_t i = 0; sw->factors && i < sw->k; i++) {
        ps_sweep_factor *f = &sw->factors[i];
        free(f->levels);
        for (size_t j = 0; j < f->n_paths; j++) free(f->paths[j]);
        free(f->paths);
        free(f->base);
        free(f->kind);
    }
    free(sw->factors);
    free(sw->metrics);
    free(sw->sets);
    free(sw->unit);
    free(sw->x);
    free(sw->morris_order);
    if (sw->live) config_destroy(&sw->cfg);
    memset(sw, 0, sizeof *sw);
}
