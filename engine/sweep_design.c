/* A sweep against its scenario: each factor's path resolved to the
 * settings it names, each metric to the model's, and the design's points
 * (in the unit cube, then in each factor's own units). */
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "loaded_scenario.h"
#include "nearest.h"
#include "scenario_select.h"
#include "sensitivity.h"
#include "snapshot.h"
#include "sweep.h"


static void S_note(ps_sweep *sw, const char *text)
{
    if (sw->n_notes < 4) snprintf(sw->notes[sw->n_notes++], sizeof sw->notes[0], "%s", text);
}

/* ---- factors and metrics against the scenario --------------------------- */

static int S_resolve_factor(ps_sweep_factor *f, const ps_loaded *l, ps_diag *d)
{
    const char *reg_path = f->path;
    if (strncmp(reg_path, "model.", 6) == 0 && ps_params_find(l->reg, reg_path + 6))
        reg_path += 6;
    const ps_param *p = ps_params_find(l->reg, reg_path);
    const config_setting_t *where = config_setting_get_member(f->where, "path");
    if (p) {
        f->n_paths = 1;
        f->paths = calloc(1, sizeof *f->paths);
        f->base = calloc(1, sizeof *f->base);
        f->kind = calloc(1, sizeof *f->kind);
        if (!f->paths || !f->base || !f->kind || !(f->paths[0] = strdup(reg_path))) goto nomem;
        f->base[0] = p->value;
        f->kind[0] = p->type == PS_PARAM_DOUBLE ? 0 : p->type == PS_PARAM_INT ? 1 : 2;
        return 0;
    }
    char why[256];
    const config_setting_t **settings;
    long n = ps_scenario_select(&l->scen.cfg, f->path, &f->paths, &settings, why, sizeof why);
    if (n < 0) {
        const char *near = ps_params_nearest(l->reg, f->path);
        if (near && !strchr(f->path, '['))
            ps_cfg_error(where, d, "'%s' is neither a parameter nor a scenario setting (did you "
                         "mean '%s'?)", f->path, near);
        else
            ps_cfg_error(where, d, "%s", why);
        return -1;
    }
    f->n_paths = (size_t)n;
    f->base = calloc((size_t)n, sizeof *f->base);
    f->kind = calloc((size_t)n, sizeof *f->kind);
    if (!f->base || !f->kind) {
        free(settings);
        goto nomem;
    }
    for (long i = 0; i < n; i++) {
        int t = config_setting_type(settings[i]);
        f->kind[i] = t == CONFIG_TYPE_FLOAT ? 0 : t == CONFIG_TYPE_BOOL ? 2 : 1;
        f->base[i] = t == CONFIG_TYPE_FLOAT ? config_setting_get_float(settings[i])
                     : t == CONFIG_TYPE_BOOL ? config_setting_get_bool(settings[i])
                                             : (double)config_setting_get_int64(settings[i]);
    }
    free(settings);
    return 0;
nomem:
    ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
    return -1;
}

static int S_resolve_metrics(ps_sweep *sw, const ps_loaded *l, ps_diag *d)
{
    const ps_metric *table;
    size_t nm = l->type->metrics(l->place, &table);
    const char **names = malloc((nm + 1) * sizeof *names);
    if (!names) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    for (size_t j = 0; j < nm; j++) names[j] = table[j].name;
    int weeks = l->scen.run.weeks;
    int before = d->count;
    for (size_t i = 0; i < sw->n_metrics; i++) {
        ps_sweep_metric *m = &sw->metrics[i];
        const config_setting_t *g = config_setting_get_elem(sw->metrics_setting, (unsigned)i);
        size_t j = 0;
        while (j < nm && strcmp(names[j], m->metric) != 0) j++;
        if (j == nm) {
            const char *near = ps_nearest(m->metric, names, nm);
            if (near)
                ps_cfg_error(config_setting_get_member(g, "metric"), d,
                             "unknown metric '%s' (did you mean '%s'?)", m->metric, near);
            else
                ps_cfg_error(config_setting_get_member(g, "metric"), d,
                             "unknown metric '%s' (placesim metrics %s lists the %zu there are)",
                             m->metric, l->scen.path, nm);
            continue;
        }
        m->index = j;
        if (m->from < 0) {
            m->from = 1;
            m->to = weeks;
        } else if (m->to > weeks) {
            const config_setting_t *s = config_setting_get_member(g, "week");
            ps_cfg_error(s ? s : config_setting_get_member(g, "to"), d,
                         "week %d is after the horizon (the run reports weeks 0 to %d)", m->to,
                         weeks);
        }
    }
    free(names);
    return d->count > before ? -1 : 0;
}

/* ---- the design ---------------------------------------------------------- */

static double S_quantile(const ps_sweep_factor *f, double u)
{
    switch (f->dist) {
    case PS_DIST_NORMAL: {
        /* normal factors stay between the 0.1 % and 99.9 % quantiles, so a
         * grid point at 0 or 1 (factorial, Morris) is finite */
        double c = u < 0.001 ? 0.001 : u > 0.999 ? 0.999 : u;
        return f->mean + f->sd * gsl_cdf_ugaussian_Pinv(c);
    }
    case PS_DIST_LOGUNIFORM: return exp(log(f->min) + u * (log(f->max) - log(f->min)));
    case PS_DIST_DISCRETE: {
        size_t i = (size_t)(u * (double)f->n_levels);
        return f->levels[i < f->n_levels ? i : f->n_levels - 1];
    }
    default: return f->min + u * (f->max - f->min);
    }
}

static int S_is_power_of_two(size_t n) { return n && !(n & (n - 1)); }

static int S_factorial(ps_sweep *sw, ps_diag *d)
{
    size_t n = 1;
    for (size_t i = 0; i < sw->k; i++) {
        const ps_sweep_factor *f = &sw->factors[i];
        size_t L = f->dist == PS_DIST_DISCRETE ? f->n_levels : (size_t)sw->factorial_levels;
        if (n > 1000000 / L) {
            ps_diag_add(d, PS_ERR_INPUT, sw->path, 0, "design",
                        "a full factorial of these factors has over a million points; use "
                        "fewer levels (factorial_levels) or a sampling design");
            return -1;
        }
        n *= L;
    }
    sw->n_points = n;
    sw->unit = malloc(n * sw->k * sizeof *sw->unit);
    if (!sw->unit) return -1;
    for (size_t p = 0; p < n; p++) {
        /* mixed radix, the last factor fastest */
        size_t rest = p;
        for (size_t i = sw->k; i-- > 0;) {
            const ps_sweep_factor *f = &sw->factors[i];
            size_t L = f->dist == PS_DIST_DISCRETE ? f->n_levels : (size_t)sw->factorial_levels;
            size_t level = rest % L;
            rest /= L;
            sw->unit[p * sw->k + i] = f->dist == PS_DIST_DISCRETE
                                          ? ((double)level + 0.5) / (double)L
                                          : (double)level / (double)(L - 1);
        }
    }
    return 0;
}

static int S_saltelli(ps_sweep *sw)
{
    size_t n = sw->samples, k = sw->k;
    sw->n_points = n * (k + 2);
    double *A = malloc(n * k * sizeof *A), *B = malloc(n * k * sizeof *B);
    sw->unit = malloc(sw->n_points * k * sizeof *sw->unit);
    int rc = -1;
    if (!A || !B || !sw->unit) goto out;
    if (ps_saltelli_design(n, k, sw->seed, A, B, &sw->fallback) != 0) goto out;
    /* points: A's rows, B's rows, then A_B^i for each factor i */
    memcpy(sw->unit, A, n * k * sizeof *A);
    memcpy(sw->unit + n * k, B, n * k * sizeof *B);
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j < n; j++)
            ps_saltelli_row(A, B, k, j, i, sw->unit + ((2 + i) * n + j) * k);
    rc = 0;
out:
    free(A);
    free(B);
    return rc;
}

/* Reads a design matrix: a header naming every factor once, then one row
 * of values per point (in the factors' own units). */
static int S_matrix(ps_sweep *sw, ps_diag *d)
{
    if (ps_input_check(sw->matrix, "design matrix", d) != 0) return -1;
    FILE *fp = fopen(sw->matrix, "r");
    if (!fp) {
        ps_diag_add(d, PS_ERR_IO, sw->matrix, 0, "", "cannot read the design matrix: %s",
                    strerror(errno));
        return -1;
    }
    size_t k = sw->k, cap = 64, *col = calloc(k + 1, sizeof *col);
    sw->x = malloc(cap * k * sizeof *sw->x);
    char *line = NULL;
    size_t lsize = 0;
    int lineno = 0, have_header = 0, before = d->count;
    const char **names = calloc(k, sizeof *names);
    if (!col || !sw->x || !names) goto nomem;
    for (size_t i = 0; i < k; i++) names[i] = sw->factors[i].name;
    while (getline(&line, &lsize, fp) > 0) {
        lineno++;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0' || line[0] == '#') continue;
        char *save = NULL, *field = strtok_r(line, ",", &save);
        size_t c = 0;
        if (!have_header) {
            int *seen = calloc(k, sizeof *seen);
            if (!seen) goto nomem;
            for (; field; field = strtok_r(NULL, ",", &save), c++) {
                while (*field == ' ') field++;
                size_t len = strlen(field);
                while (len && field[len - 1] == ' ') field[--len] = '\0';
                if (len >= 2 && field[0] == '"' && field[len - 1] == '"') {
                    field[len - 1] = '\0';
                    field++;
                }
                size_t i = 0;
                while (i < k && strcmp(names[i], field) != 0) i++;
                if (i == k) {
                    const char *near = ps_nearest(field, names, k);
                    ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, field,
                                "not a factor of the sweep%s%s%s", near ? " (did you mean '" : "",
                                near ? near : "", near ? "'?)" : "");
                    continue;
                }
                if (seen[i]) {
                    ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, field,
                                "a factor named twice");
                    continue;
                }
                seen[i] = 1;
                if (c < k) col[c] = i; /* else an earlier column was wrong */
            }
            for (size_t i = 0; i < k; i++)
                if (!seen[i])
                    ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, names[i],
                                "the header has no column for this factor");
            free(seen);
            have_header = 1;
            if (d->count > before) break;
            continue;
        }
        if (sw->n_points == cap) {
            cap *= 2;
            double *nx = realloc(sw->x, cap * k * sizeof *nx);
            if (!nx) goto nomem;
            sw->x = nx;
        }
        double *row = sw->x + sw->n_points * k;
        for (; field && c < k; field = strtok_r(NULL, ",", &save), c++) {
            char *end;
            double v = strtod(field, &end);
            while (*end == ' ') end++;
            if (end == field || *end || !isfinite(v))
                ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, names[col[c]],
                            "expected a finite number, got '%s'", field);
            row[col[c]] = v;
        }
        if (c != k || field)
            ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, "",
                        "expected %zu values (one per factor), got %s%zu", k, field ? "more than " : "", c);
        sw->n_points++;
        if (d->count > before + 20) break;
    }
    if (d->count == before && sw->n_points == 0)
        ps_diag_add(d, PS_ERR_INPUT, sw->matrix, lineno, "",
                    have_header ? "no points after the header" : "empty design matrix");
    free(line);
    free(col);
    free(names);
    fclose(fp);
    return d->count > before ? -1 : 0;
nomem:
    free(line);
    free(col);
    free(names);
    fclose(fp);
    ps_diag_add(d, PS_ERR_MEMORY, sw->matrix, 0, "", "out of memory");
    return -1;
}

static int S_design(ps_sweep *sw, ps_diag *d)
{
    size_t k = sw->k, n = sw->samples;
    char note[256];
    switch (sw->design) {
    case PS_SWEEP_FACTORIAL: return S_factorial(sw, d);
    case PS_SWEEP_MATRIX: return S_matrix(sw, d);
    case PS_SWEEP_SALTELLI:
        if (S_saltelli(sw) != 0) break;
        if (sw->fallback) {
            snprintf(note, sizeof note,
                     "the Saltelli scheme needs 2k = %zu dimensions, beyond the %d of the Sobol "
                     "sequence: its points come from a Latin hypercube",
                     2 * k, PS_SOBOL_MAX_DIM);
            S_note(sw, note);
        } else if (!S_is_power_of_two(n)) {
            snprintf(note, sizeof note,
                     "samples = %zu is not a power of two: Sobol points balance best at "
                     "powers of two (%zu or %zu)", n, (size_t)1 << (size_t)floor(log2((double)n)),
                     (size_t)1 << (size_t)ceil(log2((double)n)));
            S_note(sw, note);
        }
        return 0;
    case PS_SWEEP_MORRIS:
        sw->n_points = n * (k + 1);
        sw->unit = malloc(sw->n_points * k * sizeof *sw->unit);
        sw->morris_order = malloc(n * k * sizeof *sw->morris_order);
        if (!sw->unit || !sw->morris_order) break;
        if (ps_morris_design(n, k, sw->morris_levels, sw->seed, sw->unit, sw->morris_order) != 0)
            break;
        return 0;
    default: {
        enum ps_design_kind kind = sw->design == PS_SWEEP_RANDOM ? PS_DESIGN_RANDOM
                                   : sw->design == PS_SWEEP_LHS  ? PS_DESIGN_LHS
                                                                 : PS_DESIGN_SOBOL;
        if (kind == PS_DESIGN_SOBOL && k > PS_SOBOL_MAX_DIM) {
            snprintf(note, sizeof note,
                     "%zu factors are beyond the %d dimensions of the Sobol sequence: the "
                     "points come from a Latin hypercube", k, PS_SOBOL_MAX_DIM);
            S_note(sw, note);
            kind = PS_DESIGN_LHS;
            sw->fallback = 1;
        } else if (kind == PS_DESIGN_SOBOL && !S_is_power_of_two(n)) {
            snprintf(note, sizeof note,
                     "samples = %zu is not a power of two: Sobol points balance best at "
                     "powers of two", n);
            S_note(sw, note);
        }
        sw->n_points = n;
        sw->unit = malloc(n * k * sizeof *sw->unit);
        if (!sw->unit || ps_design_points(kind, n, k, sw->seed, sw->unit) != 0) break;
        return 0;
    }
    }
    ps_diag_add(d, PS_ERR_MEMORY, sw->path, 0, "design", "the %s design could not be built",
                ps_sweep_design_names[sw->design]);
    return -1;
}

int ps_sweep_prepare(ps_sweep *sw, const ps_model_type *type, ps_diag *d)
{
    ps_loaded l;
    int rc = -1;
    int first = d->count;
    if (ps_loaded_open(&l, type, sw->scenario, NULL, sw->sets, sw->n_sets, d) != 0) {
        /* a bad override came from the sweep's own `set`: say where */
        const config_setting_t *set = config_lookup(&sw->cfg, "set");
        for (int i = first; set && i < d->count && i < PS_DIAG_MAX; i++) {
            ps_diag_entry *e = &d->entries[i];
            if (strcmp(e->file, "--set") != 0) continue;
            char setting[sizeof e->setting];
            snprintf(setting, sizeof setting, "%s", e->setting);
            snprintf(e->file, sizeof e->file, "%.*s", (int)sizeof e->file - 1, sw->path);
            e->line = config_setting_source_line(set);
            snprintf(e->setting, sizeof e->setting, "set: %.*s", (int)sizeof e->setting - 6,
                     setting);
        }
        goto out;
    }
    if (sw->seed == UINT64_MAX) sw->seed = l.scen.run.seed;
    sw->state_bytes = type->state_bytes ? type->state_bytes(l.place) : 0;
    sw->population = type->population(l.place);
    int before = d->count;
    for (size_t i = 0; i < sw->k; i++) S_resolve_factor(&sw->factors[i], &l, d);
    S_resolve_metrics(sw, &l, d);
    if (d->count > before) goto out;
    uint64_t h = ps_snapshot_file_hash(sw->scenario);
    sw->hash = ps_fnv1a64(sw->hash, &h, sizeof h);
    if (sw->design == PS_SWEEP_MATRIX) {
        h = ps_snapshot_file_hash(sw->matrix);
        sw->hash = ps_fnv1a64(sw->hash, &h, sizeof h);
    }
    if (S_design(sw, d) != 0) goto out;
    if (sw->unit) {
        sw->x = malloc(sw->n_points * sw->k * sizeof *sw->x);
        if (!sw->x) {
            ps_diag_add(d, PS_ERR_MEMORY, sw->path, 0, "", "out of memory");
            goto out;
        }
        for (size_t p = 0; p < sw->n_points; p++)
            for (size_t i = 0; i < sw->k; i++)
                sw->x[p * sw->k + i] = S_quantile(&sw->factors[i], sw->unit[p * sw->k + i]);
    }
    rc = 0;
out:
    ps_loaded_close(&l);
    return rc;
}

uint64_t ps_sweep_seed(const ps_sweep *sw, size_t point)
{
    return sw->per_point_seeds ? sw->seed + point : sw->seed;
}

void ps_sweep_free_sets(char **sets, size_t n)
{
    for (size_t i = 0; sets && i < n; i++) free(sets[i]);
    free(sets);
}

long ps_sweep_run_sets(const ps_sweep *sw, size_t run, char ***out)
{
    size_t point = run / (size_t)sw->replications, n = sw->n_sets + 1;
    for (size_t i = 0; i < sw->k; i++) n += sw->factors[i].n_paths;
    char **sets = calloc(n, sizeof *sets);
    if (!sets) return -1;
    size_t c = 0;
    for (size_t i = 0; i < sw->n_sets; i++)
        if (!(sets[c++] = strdup(sw->sets[i]))) goto nomem;
    for (size_t i = 0; i < sw->k; i++) {
        const ps_sweep_factor *f = &sw->factors[i];
        double v = sw->x[point * sw->k + i];
        for (size_t j = 0; j < f->n_paths; j++) {
            double value = f->op == PS_FACTOR_SCALE ? f->base[j] * v
                           : f->op == PS_FACTOR_ADD ? f->base[j] + v
                                                    : v;
            char text[64];
            if (f->kind[j] == 2) snprintf(text, sizeof text, "%s", value != 0 ? "true" : "false");
            else if (f->kind[j] == 1) snprintf(text, sizeof text, "%lld", llround(value));
            else snprintf(text, sizeof text, "%.17g", value);
            size_t len = strlen(f->paths[j]) + strlen(text) + 2;
            if (!(sets[c] = malloc(len))) goto nomem;
            snprintf(sets[c++], len, "%s=%s", f->paths[j], text);
        }
    }
    if (!(sets[c] = malloc(48))) goto nomem;
    snprintf(sets[c++], 48, "run.seed=%" PRIu64, ps_sweep_seed(sw, point));
    *out = sets;
    return (long)c;
nomem:
    ps_sweep_free_sets(sets, c);
    return -1;
}
