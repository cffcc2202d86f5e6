#include "scenario.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "nearest.h"
#include "text.h"

uint64_t ps_fnv1a64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* ---- locations and paths --------------------------------------------- */

void ps_cfg_where(const config_setting_t *s, const char **file, int *line)
{
    int l = s ? (int)config_setting_source_line(s) : 0;
    const char *f = s ? config_setting_source_file(s) : NULL;
    if (s && !config_setting_parent(s) && s->config && s->config->num_filenames > 0) {
        /* the root: the file itself, at no line (a missing top-level key) */
        *file = s->config->filenames[0];
        *line = 0;
    } else if (l <= 0 || !f) {
        *file = "--set";
        *line = 0;
    } else {
        *file = f;
        *line = l;
    }
}

void ps_cfg_path(const config_setting_t *s, char *buf, size_t size)
{
    const config_setting_t *chain[64];
    int n = 0;
    for (const config_setting_t *c = s; c && n < 64; c = config_setting_parent(c))
        chain[n++] = c;
    size_t used = 0;
    buf[0] = '\0';
    /* chain[n-1] is the root; skip it */
    for (int i = n - 2; i >= 0; i--) {
        const config_setting_t *c = chain[i];
        const config_setting_t *parent = chain[i + 1];
        char part[140];
        if (config_setting_is_group(parent) && config_setting_name(c))
            snprintf(part, sizeof part, "%s%s", used ? "." : "",
                     config_setting_name(c));
        else
            snprintf(part, sizeof part, "%s[%d]", used ? "." : "",
                     config_setting_index(c));
        size_t len = strlen(part);
        if (used + len + 1 > size) break;
        memcpy(buf + used, part, len + 1);
        used += len;
    }
}

static void S_vreport(const config_setting_t *s, const char *member, ps_diag *d,
                      const char *fmt, va_list ap) __attribute__((format(printf, 4, 0)));
static void S_vreport(const config_setting_t *s, const char *member,
                      ps_diag *d, const char *fmt, va_list ap)
{
    const char *file;
    int line;
    ps_cfg_where(s, &file, &line);
    char path[128];
    ps_cfg_path(s, path, sizeof path);
    if (member) {
        size_t len = strlen(path);
        snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", member);
    }
    char msg[384];
    vsnprintf(msg, sizeof msg, fmt, ap);
    ps_diag_add(d, PS_ERR_INPUT, file, line, path, "%s", msg);
}

void ps_cfg_error(const config_setting_t *s, ps_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    S_vreport(s, NULL, d, fmt, ap);
    va_end(ap);
}

static void S_member_error(const config_setting_t *grp, const char *name,
                           ps_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void S_member_error(const config_setting_t *grp, const char *name,
                           ps_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    S_vreport(grp, name, d, fmt, ap);
    va_end(ap);
}

static const char *S_type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP: return "a group { ... }";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "true or false";
    case CONFIG_TYPE_ARRAY: return "an array [ ... ]";
    case CONFIG_TYPE_LIST: return "a list ( ... )";
    default: return "a value";
    }
}

int ps_cfg_expect_type(const config_setting_t *s, int type, ps_diag *d)
{
    int t = config_setting_type(s);
    int ok = t == type || (type == CONFIG_TYPE_LIST && t == CONFIG_TYPE_ARRAY) ||
             (type == CONFIG_TYPE_ARRAY && t == CONFIG_TYPE_LIST);
    if (ok) return 0;
    ps_cfg_error(s, d, "expected %s, got %s", S_type_name(type),
                 S_type_name(t));
    return -1;
}

/* ---- strict getters --------------------------------------------------- */

static int S_number_of(const config_setting_t *s, double *out)
{
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: *out = config_setting_get_int(s); return 0;
    case CONFIG_TYPE_INT64: *out = (double)config_setting_get_int64(s); return 0;
    case CONFIG_TYPE_FLOAT: *out = config_setting_get_float(s); return 0;
    default: return -1;
    }
}

int ps_cfg_elem_double(const config_setting_t *s, double min, double max,
                       double *out, ps_diag *d)
{
    double v;
    if (S_number_of(s, &v) != 0) {
        ps_cfg_error(s, d, "expected a number, got %s",
                     S_type_name(config_setting_type(s)));
        return -1;
    }
    if (!isfinite(v)) {
        ps_cfg_error(s, d, "must be a finite number");
        return -1;
    }
    if (v < min || v > max) {
        ps_cfg_error(s, d, "%g is out of range [%g, %g]", v, min, max);
        return -1;
    }
    *out = v;
    return 1;
}

static const config_setting_t *S_member(const config_setting_t *grp,
                                        const char *name, int required,
                                        ps_diag *d)
{
    const config_setting_t *s =
        grp ? config_setting_get_member(grp, name) : NULL;
    if (!s && required && grp)
        S_member_error(grp, name, d, "required setting is missing");
    return s;
}

int ps_cfg_double(const config_setting_t *grp, const char *name, int required,
                  double def, double min, double max, double *out, ps_diag *d)
{
    const config_setting_t *s = S_member(grp, name, required, d);
    if (!s) {
        *out = def;
        return required ? -1 : 0;
    }
    return ps_cfg_elem_double(s, min, max, out, d);
}

int ps_cfg_int(const config_setting_t *grp, const char *name, int required,
               long long def, long long min, long long max, long long *out,
               ps_diag *d)
{
    const config_setting_t *s = S_member(grp, name, required, d);
    if (!s) {
        *out = def;
        return required ? -1 : 0;
    }
    long long v;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_INT: v = config_setting_get_int(s); break;
    case CONFIG_TYPE_INT64: v = config_setting_get_int64(s); break;
    case CONFIG_TYPE_FLOAT: {
        /* "got 2000" for 2000.0 would read as a contradiction: say why */
        double f = config_setting_get_float(s);
        if (isfinite(f) && f == floor(f))
            ps_cfg_error(s, d, "expected an integer, got the decimal number %g "
                         "(write it without a decimal point or exponent)", f);
        else
            ps_cfg_error(s, d, "expected a whole number, got %g", f);
        return -1;
    }
    default:
        ps_cfg_error(s, d, "expected an integer, got %s",
                     S_type_name(config_setting_type(s)));
        return -1;
    }
    if (v < min || v > max) {
        ps_cfg_error(s, d, "%lld is out of range [%lld, %lld]", v, min, max);
        return -1;
    }
    *out = v;
    return 1;
}

int ps_cfg_bool(const config_setting_t *grp, const char *name, int required,
                int def, int *out, ps_diag *d)
{
    const config_setting_t *s = S_member(grp, name, required, d);
    if (!s) {
        *out = def;
        return required ? -1 : 0;
    }
    if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
        ps_cfg_error(s, d, "expected true or false, got %s",
                     S_type_name(config_setting_type(s)));
        return -1;
    }
    *out = config_setting_get_bool(s);
    return 1;
}

int ps_cfg_string(const config_setting_t *grp, const char *name, int required,
                  const char *def, const char **out, ps_diag *d)
{
    const config_setting_t *s = S_member(grp, name, required, d);
    if (!s) {
        *out = def;
        return required ? -1 : 0;
    }
    if (config_setting_type(s) != CONFIG_TYPE_STRING) {
        ps_cfg_error(s, d, "expected a string, got %s",
                     S_type_name(config_setting_type(s)));
        return -1;
    }
    *out = config_setting_get_string(s);
    return 1;
}

int ps_cfg_text(const config_setting_t *grp, const char *name, int required, const char *def,
                int kind, const char **out, ps_diag *d)
{
    int got = ps_cfg_string(grp, name, required, def, out, d);
    if (got <= 0) return got;
    char why[160], shown[64];
    const char *problem = kind == PS_TEXT_LABEL ? ps_label_problem(*out, why, sizeof why)
                                                : ps_text_problem(*out, why, sizeof why);
    if (!problem) return 1;
    ps_text_shown(*out, shown, sizeof shown);
    ps_cfg_error(config_setting_get_member(grp, name), d, "'%s' %s", shown, problem);
    return -1;
}

/* ps_nearest accepts up to two edits even for a one-letter name, which
 * turns "J" into "A"; a suggestion must keep part of what was typed. */
static const char *S_plausible(const char *name, const char *const *names,
                               size_t n)
{
    const char *near = ps_nearest(name, names, n);
    if (near && (size_t)ps_edit_distance(name, near) >= strlen(name))
        return NULL;
    return near;
}

/* "a, b, c" for a short list of valid names; "" when too long to help. */
static void S_name_list(const char *const *names, size_t n, char *buf,
                        size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    if (n == 0 || n > 12) return;
    for (size_t i = 0; i < n && used < size; i++) {
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0) break;
        used += (size_t)w;
    }
}

int ps_cfg_check_keys(const config_setting_t *grp, const char *const *known,
                      size_t n_known, ps_diag *d)
{
    int unknown = 0;
    int n = config_setting_length(grp);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(grp, (unsigned)i);
        const char *name = config_setting_name(m);
        if (!name) continue;
        size_t k;
        for (k = 0; k < n_known; k++)
            if (strcmp(name, known[k]) == 0) break;
        if (k < n_known) continue;
        unknown++;
        const char *near = S_plausible(name, known, n_known);
        char list[256];
        S_name_list(known, n_known, list, sizeof list);
        if (near)
            ps_cfg_error(m, d, "unknown setting (did you mean '%s'?)", near);
        else if (list[0])
            ps_cfg_error(m, d, "unknown setting (expected one of: %s)", list);
        else
            ps_cfg_error(m, d, "unknown setting");
    }
    return unknown;
}

/* ---- overrides -------------------------------------------------------- */

/* Finds the child of s named by one path component: a member name in a
 * group, "[i]" or "i" in a list or array, or the id (or else the name) of a
 * group in a list. */
config_setting_t *ps_cfg_child(const config_setting_t *s_, const char *part)
{
    /* libconfig's getters take non-const settings */
    config_setting_t *s = (config_setting_t *)s_;
    if (config_setting_is_group(s)) return config_setting_get_member(s, part);
    if (!config_setting_is_aggregate(s)) return NULL;
    const char *digits = part[0] == '[' ? part + 1 : part;
    char *end;
    errno = 0;
    long idx = strtol(digits, &end, 10);
    if (end != digits && errno == 0 &&
        (*end == '\0' || (part[0] == '[' && end[0] == ']' && end[1] == '\0'))) {
        if (idx < 0 || idx >= config_setting_length(s)) return NULL;
        return config_setting_get_elem(s, (unsigned)idx);
    }
    int n = config_setting_length(s);
    for (int i = 0; i < n; i++) {
        config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *id;
        if (config_setting_is_group(e) &&
            ((config_setting_lookup_string(e, "id", &id) && strcmp(id, part) == 0) ||
             (config_setting_lookup_string(e, "name", &id) && strcmp(id, part) == 0)))
            return e;
    }
    return NULL;
}

/* "[a, b, c]": an array of numbers in place of an array (or nothing). */
static int S_set_array(config_setting_t *parent, const char *name,
                       config_setting_t *existing, const char *value)
{
    size_t len = strlen(value);
    if (existing && config_setting_type(existing) != CONFIG_TYPE_ARRAY) return -1;
    char *text = strndup(value + 1, len - 2);
    if (!text) return -1;
    /* all numbers, whole or not: one type, as libconfig's arrays need */
    int is_float = strpbrk(text, ".eE") != NULL;
    if (existing && config_setting_remove(parent, name) != CONFIG_TRUE) {
        free(text);
        return -1;
    }
    config_setting_t *a = config_setting_add(parent, name, CONFIG_TYPE_ARRAY);
    int rc = a ? 0 : -1;
    char *save = NULL;
    for (char *tok = strtok_r(text, ", ", &save); a && tok; tok = strtok_r(NULL, ", ", &save)) {
        char *end;
        errno = 0;
        if (is_float) {
            double v = strtod(tok, &end);
            if (*end || !config_setting_set_float_elem(a, -1, v)) rc = -1;
        } else {
            long long v = strtoll(tok, &end, 10);
            if (*end || errno || !config_setting_set_int64_elem(a, -1, v)) rc = -1;
        }
    }
    free(text);
    return rc;
}

static int S_set_value(config_setting_t *parent, const char *name,
                       config_setting_t *existing, const char *value)
{
    size_t vlen = strlen(value);
    if (vlen >= 2 && value[0] == '[' && value[vlen - 1] == ']' && config_setting_is_group(parent))
        return S_set_array(parent, name, existing, value);
    char *end;
    errno = 0;
    long long iv = strtoll(value, &end, 10);
    int is_int = *value && *end == '\0' && errno == 0;
    double fv = strtod(value, &end);
    int is_float = *value && *end == '\0';
    int is_bool = strcmp(value, "true") == 0 || strcmp(value, "false") == 0;
    int type = is_bool ? CONFIG_TYPE_BOOL
               : is_int ? CONFIG_TYPE_INT64
               : is_float ? CONFIG_TYPE_FLOAT
                          : CONFIG_TYPE_STRING;
    if (existing && config_setting_is_aggregate(existing)) return -1;
    int index = -1;
    if (existing) {
        /* keep an existing float a float: "--set x=1" means 1.0 there */
        if (type == CONFIG_TYPE_INT64 &&
            config_setting_type(existing) == CONFIG_TYPE_FLOAT) {
            type = CONFIG_TYPE_FLOAT;
            fv = (double)iv;
        }
        if (!config_setting_is_group(parent))
            index = config_setting_index(existing);
        if (config_setting_is_group(parent)) {
            if (config_setting_remove(parent, name) != CONFIG_TRUE) return -1;
        } else if (config_setting_remove_elem(parent, (unsigned)index) !=
                   CONFIG_TRUE) {
            return -1;
        }
    }
    if (!config_setting_is_group(parent) && index < 0) return -1;
    /* libconfig appends; a list element re-added goes last, which is fine
     * only for groups. Lists of scalars are arrays of one type: refuse. */
    if (!config_setting_is_group(parent)) return -1;
    config_setting_t *s = config_setting_add(parent, name, type);
    if (!s) return -1;
    switch (type) {
    case CONFIG_TYPE_BOOL: config_setting_set_bool(s, value[0] == 't'); break;
    case CONFIG_TYPE_INT64: config_setting_set_int64(s, iv); break;
    case CONFIG_TYPE_FLOAT: config_setting_set_float(s, fv); break;
    default: {
        size_t len = strlen(value);
        if (len >= 2 && value[0] == '"' && value[len - 1] == '"') {
            char *copy = strndup(value + 1, len - 2);
            if (!copy) return -1;
            config_setting_set_string(s, copy);
            free(copy);
        } else {
            config_setting_set_string(s, value);
        }
    }
    }
    return 0;
}

/* Reports a list element that part does not name, with the nearest id or
 * name of the list's groups, or the valid indices. */
static void S_no_element(const config_setting_t *list, const char *part,
                         const char *path, ps_diag *d)
{
    int n = config_setting_length(list);
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    size_t k = 0;
    for (int i = 0; names && i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(list, (unsigned)i);
        const char *id;
        if (config_setting_is_group(e) &&
            (config_setting_lookup_string(e, "id", &id) ||
             config_setting_lookup_string(e, "name", &id)))
            names[k++] = id;
    }
    const char *near = names ? S_plausible(part, names, k) : NULL;
    if (near)
        ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                    "'%s' names no element (did you mean '%s'?)", part, near);
    else if (n == 0)
        ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                    "'%s' names no element (the list is empty)", part);
    else
        ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                    "'%s' names no element (there are %d, from [0] to [%d])",
                    part, n, n - 1);
    free(names);
}

static int S_apply_tree_override(config_t *cfg, const char *path,
                                 const char *value, ps_diag *d)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", path);
    config_setting_t *cur = config_root_setting(cfg);
    char *save = NULL;
    char *part = strtok_r(buf, ".", &save);
    while (part) {
        char *next = strtok_r(NULL, ".", &save);
        config_setting_t *child = ps_cfg_child(cur, part);
        if (!next) {
            if (!config_setting_is_group(cur)) {
                ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                            "only a setting inside a group can be set");
                return -1;
            }
            if (S_set_value(cur, part, child, value) != 0) {
                ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                            "cannot set this setting to '%s'", value);
                return -1;
            }
            return 0;
        }
        if (!child) {
            if (!config_setting_is_group(cur)) {
                S_no_element(cur, part, path, d);
                return -1;
            }
            child = config_setting_add(cur, part, CONFIG_TYPE_GROUP);
            if (!child) {
                ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                            "cannot create group '%s'", part);
                return -1;
            }
        }
        cur = child;
        part = next;
    }
    ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path, "empty path");
    return -1;
}

/* ---- run and model groups ------------------------------------------- */

static const char *const S_run_keys[] = {"seed", "replications", "weeks",
                                         "warmup", "summary_weeks", "model"};

static void S_read_run(ps_scenario *s, ps_diag *d)
{
    ps_run_settings *r = &s->run;
    const config_setting_t *run =
        config_setting_get_member(config_root_setting(&s->cfg), "run");
    long long v;
    r->seed = 1;
    r->replications = 1;
    r->weeks = 260;
    r->warmup = 52;
    if (run) {
        if (ps_cfg_expect_type(run, CONFIG_TYPE_GROUP, d) != 0) return;
        ps_cfg_check_keys(run, S_run_keys,
                          sizeof S_run_keys / sizeof *S_run_keys, d);
        if (ps_cfg_int(run, "seed", 0, 1, 0, INT64_MAX, &v, d) >= 0)
            r->seed = (uint64_t)v;
        if (ps_cfg_int(run, "replications", 0, 1, 1, 100000, &v, d) >= 0)
            r->replications = (int)v;
        if (ps_cfg_int(run, "weeks", 0, 260, 1, 100000, &v, d) >= 0)
            r->weeks = (int)v;
        if (ps_cfg_int(run, "warmup", 0, 52, 0, 10000, &v, d) >= 0)
            r->warmup = (int)v;
        const char *model;
        if (ps_cfg_text(run, "model", 0, "", PS_TEXT_LABEL, &model, d) > 0) {
            snprintf(r->model, sizeof r->model, "%s", model);
        }
    }
    const config_setting_t *sw =
        run ? config_setting_get_member(run, "summary_weeks") : NULL;
    r->n_summary_weeks = 0;
    if (sw) {
        if (ps_cfg_expect_type(sw, CONFIG_TYPE_ARRAY, d) != 0) return;
        int n = config_setting_length(sw);
        if (n < 1 || n > PS_MAX_SUMMARY_WEEKS) {
            ps_cfg_error(sw, d, "expected 1 to %d weeks, got %d",
                         PS_MAX_SUMMARY_WEEKS, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            double w;
            const config_setting_t *e = config_setting_get_elem(sw, (unsigned)i);
            if (ps_cfg_elem_double(e, 0, r->weeks, &w, d) < 0) continue;
            if (w != floor(w)) {
                ps_cfg_error(e, d, "expected a whole week, got %g", w);
                continue;
            }
            /* summary.csv has one row per metric and listed week: a week
             * listed twice would give two rows for it */
            int prev = r->n_summary_weeks
                           ? r->summary_weeks[r->n_summary_weeks - 1] : -1;
            if ((int)w <= prev) {
                ps_cfg_error(e, d, "weeks must increase (%g after %d)", w, prev);
                continue;
            }
            r->summary_weeks[r->n_summary_weeks++] = (int)w;
        }
    } else {
        /* year ends and the horizon */
        for (int w = 52; w < r->weeks && r->n_summary_weeks < PS_MAX_SUMMARY_WEEKS - 1; w += 52)
            r->summary_weeks[r->n_summary_weeks++] = w;
        r->summary_weeks[r->n_summary_weeks++] = r->weeks;
    }
}

/* Walks the nested `model` group: each leaf's dotted path (without the
 * "model." prefix) must be a registry parameter. */
static void S_read_model_group(const config_setting_t *g, const char *prefix,
                               ps_params *reg, ps_diag *d)
{
    int n = config_setting_length(g);
    for (int i = 0; i < n; i++) {
        const config_setting_t *m = config_setting_get_elem(g, (unsigned)i);
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", prefix, *prefix ? "." : "",
                 config_setting_name(m));
        if (config_setting_is_group(m)) {
            S_read_model_group(m, path, reg, d);
            continue;
        }
        const char *file;
        int line;
        ps_cfg_where(m, &file, &line);
        const ps_param *p = ps_params_find(reg, path);
        if (!p) {
            const char *near = ps_params_nearest(reg, path);
            char full[300];
            snprintf(full, sizeof full, "model.%s", path);
            if (near)
                ps_diag_add(d, PS_ERR_INPUT, file, line, full,
                            "unknown parameter (did you mean 'model.%s'?)", near);
            else
                ps_diag_add(d, PS_ERR_INPUT, file, line, full,
                            "unknown parameter (see 'placesim params')");
            continue;
        }
        double v;
        if (config_setting_type(m) == CONFIG_TYPE_BOOL) {
            if (p->type != PS_PARAM_BOOL) {
                ps_cfg_error(m, d, "expected a number, got true or false");
                continue;
            }
            v = config_setting_get_bool(m);
        } else if (S_number_of(m, &v) != 0) {
            ps_cfg_error(m, d, "expected %s, got %s",
                         p->type == PS_PARAM_BOOL ? "true or false" : "a number",
                         S_type_name(config_setting_type(m)));
            continue;
        } else if (p->type == PS_PARAM_BOOL) {
            ps_cfg_error(m, d, "expected true or false, got a number");
            continue;
        }
        char full[300];
        snprintf(full, sizeof full, "model.%s", path);
        ps_diag tmp;
        ps_diag_init(&tmp);
        if (ps_params_set(reg, path, v, file, line, &tmp) != 0) {
            for (int k = 0; k < tmp.count && k < PS_DIAG_MAX; k++)
                ps_diag_add(d, PS_ERR_INPUT, file, line, full, "%s",
                            tmp.entries[k].message);
        }
    }
}

/* ---- the file's text -------------------------------------------------
 * libconfig reports a syntax error with a line number and little else, and
 * its 1.5 scanner silently wraps an integer literal that does not fit 32
 * bits (4294969296 reads as 2000). Both checks need the raw text, so the
 * file is read once, hashed, and scanned. */

/* Refuses a string longer than PS_INPUT_MAX_STRING bytes (adjacent
 * literals joined, as libconfig joins them), at the line where it starts:
 * libconfig's scanner takes time quadratic in a string's length, so a
 * 10 MB string would keep it busy for minutes. Refuses an @include
 * outside strings and comments too. Walks comments and strings as the
 * scanner does. Returns 0 or -1 (one problem, in d). */
static int S_check_strings(const char *t, size_t len, const char *file, ps_diag *d)
{
    const char *p = t, *end = t + len;
    int line = 1, in_run = 0, run_line = 0;
    size_t run = 0;
    while (p < end) {
        char c = *p;
        /* white space and comments keep adjacent strings joined */
        if (c == '\n') {
            line++;
            p++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
            p++;
            continue;
        }
        if (c == '#' || (c == '/' && p + 1 < end && p[1] == '/')) {
            while (p < end && *p != '\n') p++;
            continue;
        }
        if (c == '/' && p + 1 < end && p[1] == '*') {
            for (p += 2; p < end && !(*p == '*' && p + 1 < end && p[1] == '/'); p++)
                if (*p == '\n') line++;
            p = p < end ? p + 2 : end;
            continue;
        }
        if (c == '@' && (size_t)(end - p) >= 8 && memcmp(p, "@include", 8) == 0) {
            /* libconfig would read the named file itself, unchecked: a
             * device that never ends, or a file of any size */
            ps_diag_add(d, PS_ERR_INPUT, file, line, "",
                        "@include is not allowed: an included file would escape the checks "
                        "every input file gets (section 11 of docs/scenario.md); put its "
                        "settings in this file");
            return -1;
        }
        if (c == '"') {
            if (!in_run) {
                in_run = 1;
                run = 0;
                run_line = line;
            }
            for (p++; p < end && *p != '"'; p++, run++) {
                if (*p == '\\' && p + 1 < end) p++;
                if (*p == '\n') line++;
            }
            if (p < end) p++;
            continue;
        }
        p++;
        /* the string (and any joined to it) has ended */
        if (in_run && run > PS_INPUT_MAX_STRING) break;
        in_run = 0;
    }
    if (!in_run || run <= PS_INPUT_MAX_STRING) return 0;
    ps_diag_add(d, PS_ERR_INPUT, file, run_line, "",
                "a string of %zu bytes starts here; a string may have at most %d bytes "
                "(adjacent strings count as one)", run, PS_INPUT_MAX_STRING);
    return -1;
}

typedef void (*S_int_fn)(void *ctx, int line, const char *lit, size_t len);

static int S_is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '*' || c == '-';
}

/* Skips a number as libconfig's scanner reads it; *is_int tells an
 * integer (decimal or hex, with an optional L) from a float. */
static const char *S_skip_number(const char *p, int *is_int)
{
    if (*p == '+' || *p == '-') p++;
    *is_int = 1;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        p += 2;
        while (isxdigit((unsigned char)*p)) p++;
    } else {
        while (isdigit((unsigned char)*p)) p++;
        if (*p == '.') {
            *is_int = 0;
            p++;
            while (isdigit((unsigned char)*p)) p++;
        }
        if (*p == 'e' || *p == 'E') {
            *is_int = 0;
            p++;
            if (*p == '+' || *p == '-') p++;
            while (isdigit((unsigned char)*p)) p++;
        }
    }
    if (*is_int)
        while (*p == 'L') p++;
    return p;
}

/* Walks the text as libconfig's scanner does (strings with escapes, '#',
 * '//' and C comments) and calls fn, when given, for every integer literal
 * outside them. Returns the line where the first string runs over a line
 * end or to the end of the file, or 0: libconfig allows that, but no
 * scenario string spans lines, so after a syntax error it is the likely
 * cause (a missing closing quote). */
static int S_scan_text(const char *t, S_int_fn fn, void *ctx)
{
    int line = 1, open_line = 0;
    const char *p = t;
    while (*p) {
        if (*p == '\n') {
            line++;
            p++;
        } else if (*p == '#' || (p[0] == '/' && p[1] == '/')) {
            while (*p && *p != '\n') p++;
        } else if (p[0] == '/' && p[1] == '*') {
            for (p += 2; *p && !(p[0] == '*' && p[1] == '/'); p++)
                if (*p == '\n') line++;
            if (*p) p += 2;
        } else if (*p == '"') {
            int start = line;
            for (p++; *p && *p != '"'; p++) {
                if (*p == '\\' && p[1]) p++;
                if (*p == '\n') {
                    line++;
                    if (!open_line) open_line = start;
                }
            }
            if (*p) p++;
            else if (!open_line) open_line = start;
        } else if (isalpha((unsigned char)*p) || *p == '*') {
            while (S_is_name_char(*p)) p++;
        } else if (isdigit((unsigned char)*p) ||
                   ((*p == '-' || *p == '+' || *p == '.') &&
                    isdigit((unsigned char)p[1]))) {
            int is_int;
            const char *start = p;
            p = S_skip_number(p, &is_int);
            if (is_int && fn) fn(ctx, line, start, (size_t)(p - start));
        } else {
            p++;
        }
    }
    return open_line;
}

/* Whether an integer literal keeps its value in libconfig: 32 bits
 * without the L suffix, 64 with it. */
static int S_int_literal_fits(const char *lit, size_t len)
{
    char buf[64];
    if (len >= sizeof buf) return 0;
    memcpy(buf, lit, len);
    buf[len] = '\0';
    int wide = 0;
    while (len && buf[len - 1] == 'L') {
        buf[--len] = '\0';
        wide = 1;
    }
    const char *digits = buf + (buf[0] == '+' || buf[0] == '-');
    errno = 0;
    if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
        unsigned long long v = strtoull(digits + 2, NULL, 16);
        return errno == 0 && v <= (wide ? (unsigned long long)INT64_MAX
                                        : (unsigned long long)INT32_MAX);
    }
    long long v = strtoll(buf, NULL, 10);
    if (errno != 0) return 0;
    return wide || (v >= INT32_MIN && v <= INT32_MAX);
}

typedef struct S_find_int {
    const config_setting_t *found;
    int line, skip;
} S_find_int;

/* The (skip+1)-th integer setting on a line, in file order. */
static void S_find_int_setting(const config_setting_t *s, S_find_int *f)
{
    int t = config_setting_type(s);
    if ((t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64) &&
        (int)config_setting_source_line(s) == f->line && f->skip-- == 0) {
        f->found = s;
        return;
    }
    int n = config_setting_is_aggregate(s) ? config_setting_length(s) : 0;
    for (int i = 0; i < n && !f->found; i++)
        S_find_int_setting(config_setting_get_elem(s, (unsigned)i), f);
}

typedef struct S_int_check {
    const config_t *cfg;
    const char *file;
    ps_diag *d;
    int line, nth; /* integer literals seen so far on this line */
} S_int_check;

static void S_check_int_literal(void *vctx, int line, const char *lit,
                                size_t len)
{
    S_int_check *c = vctx;
    if (line != c->line) {
        c->line = line;
        c->nth = 0;
    }
    int nth = c->nth++;
    if (S_int_literal_fits(lit, len)) return;
    S_find_int f = {NULL, line, nth};
    S_find_int_setting(config_root_setting(c->cfg), &f);
    char path[128] = "";
    if (f.found) ps_cfg_path(f.found, path, sizeof path);
    int l = (int)len;
    if (lit[len - 1] == 'L')
        ps_diag_add(c->d, PS_ERR_INPUT, c->file, line, path,
                    "%.*s does not fit a 64-bit integer", l, lit);
    else
        ps_diag_add(c->d, PS_ERR_INPUT, c->file, line, path,
                    "%.*s does not fit a 32-bit integer, and libconfig would "
                    "silently read another number (write %.*sL for a 64-bit one)",
                    l, lit, l, lit);
}

/* Line n of the text, trimmed and shortened to fit buf; "" past the end. */
static void S_line_text(const char *t, int n, char *buf, size_t size)
{
    buf[0] = '\0';
    int l = 1;
    while (*t && l < n)
        if (*t++ == '\n') l++;
    if (l < n) return;
    while (*t == ' ' || *t == '\t') t++;
    size_t len = strcspn(t, "\r\n");
    while (len && isspace((unsigned char)t[len - 1])) len--;
    if (len < size) {
        snprintf(buf, size, "%.*s", (int)len, t);
    } else if (size > 4) {
        snprintf(buf, size, "%.*s...", (int)(size - 4), t);
    }
}

/* Whether the text has the word w (any case) outside quotes: nan and inf
 * are not numbers to libconfig, only a syntax error. */
static int S_has_word(const char *text, const char *w)
{
    size_t n = strlen(w);
    int quoted = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '"') quoted = !quoted;
        if (quoted || (p > text && S_is_name_char(p[-1]))) continue;
        if (strncasecmp(p, w, n) == 0 && !S_is_name_char(p[n])) return 1;
    }
    return 0;
}

static void S_syntax_error(const char *file, int line, const char *what,
                           const char *text, ps_diag *d)
{
    int open = text ? S_scan_text(text, NULL, NULL) : 0;
    if (open > 0 && open <= line) {
        ps_diag_add(d, PS_ERR_INPUT, file, open, "",
                    "syntax error: a string that starts on this line is not "
                    "closed on it (a missing '\"'?)");
        return;
    }
    char src[72] = "";
    if (text && line > 0) S_line_text(text, line, src, sizeof src);
    if (!what) what = "syntax error";
    int plain = strcmp(what, "syntax error") == 0;
    if (!src[0] && plain)
        ps_diag_add(d, PS_ERR_INPUT, file, line, "",
                    "syntax error at the end of the file: a group, list or "
                    "array is not closed (a missing '}', ')' or ']'?)");
    else if (!src[0])
        ps_diag_add(d, PS_ERR_INPUT, file, line, "", "syntax error: %s", what);
    else if (S_has_word(src, "nan") || S_has_word(src, "inf") ||
             S_has_word(src, "infinity"))
        ps_diag_add(d, PS_ERR_INPUT, file, line, "",
                    "syntax error at '%s': numbers must be finite "
                    "(libconfig reads no nan or inf)", src);
    else
        ps_diag_add(d, PS_ERR_INPUT, file, line, "",
                    "syntax error%s%s at or just before '%s'", plain ? "" : ": ",
                    plain ? "" : what, src);
}

int ps_cfg_read_file(config_t *cfg, const char *path, const char *what, ps_diag *d)
{
    size_t len = 0;
    char *bytes = ps_input_read(path, what, &len, d);
    if (!bytes) return -1;
    int bad = S_check_strings(bytes, len, path, d);
    free(bytes);
    if (bad) return -1;
    if (config_read_file(cfg, path) == CONFIG_TRUE) return 0;
    const char *f = config_error_file(cfg);
    if (config_error_type(cfg) == CONFIG_ERR_FILE_IO) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read the %s", what);
    } else {
        const char *text = config_error_text(cfg);
        int plain = text && strncmp(text, "syntax error", 12) == 0;
        ps_diag_add(d, PS_ERR_INPUT, f ? f : path, config_error_line(cfg), "", "%s%s",
                    plain ? "" : "syntax error: ", text ? text : "");
    }
    return -1;
}

int ps_cfg_sets(const config_setting_t *set, const char ***sets, size_t *n, ps_diag *d)
{
    *sets = NULL;
    *n = 0;
    if (!set) return 0;
    if (ps_cfg_expect_type(set, CONFIG_TYPE_ARRAY, d) != 0) return -1;
    int len = config_setting_length(set), before = d->count;
    *sets = calloc((size_t)len + 1, sizeof **sets);
    if (!*sets) {
        ps_cfg_error(set, d, "out of memory");
        return -1;
    }
    for (int i = 0; i < len; i++) {
        const config_setting_t *e = config_setting_get_elem(set, (unsigned)i);
        const char *text = config_setting_get_string(e);
        if (!text || !strchr(text, '=') || text[0] == '=') {
            ps_cfg_error(e, d, "expected \"path=value\"");
            continue;
        }
        (*sets)[(*n)++] = text;
    }
    return d->count > before ? -1 : 0;
}

/* Reads, hashes and parses the file; checks its integer literals. */
static int S_read(ps_scenario *s, const char *path, ps_diag *d)
{
    size_t len = 0;
    char *text = ps_input_read(path, "file", &len, d);
    if (!text) return -1;
    if (S_check_strings(text, len, path, d) != 0) {
        free(text);
        return -1;
    }
    s->content_hash = ps_fnv1a64(PS_FNV_OFFSET, text, len);
    s->state_hash = s->content_hash;
    if (config_read_file(&s->cfg, path) != CONFIG_TRUE) {
        const char *f = config_error_file(&s->cfg);
        if (config_error_type(&s->cfg) == CONFIG_ERR_FILE_IO)
            ps_diag_add(d, PS_ERR_IO, f ? f : path, 0, "",
                        "cannot read the file");
        else
            S_syntax_error(f ? f : path, config_error_line(&s->cfg),
                           config_error_text(&s->cfg),
                           f && strcmp(f, path) != 0 ? NULL : text, d);
        free(text);
        return -1;
    }
    /* the tree holds wrapped values where a literal did not fit: checking
     * them further would only report numbers nobody wrote */
    S_int_check c = {&s->cfg, path, d, 0, 0};
    int before = d->count;
    S_scan_text(text, S_check_int_literal, &c);
    free(text);
    return d->count > before ? -1 : 0;
}

static int S_parse_set(const char *arg, char *path, size_t psize,
                       const char **value)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || (size_t)(eq - arg) >= psize) return -1;
    memcpy(path, arg, (size_t)(eq - arg));
    path[eq - arg] = '\0';
    *value = eq + 1;
    return 0;
}

static int S_registry_path(const ps_params *reg, const char *path,
                           const char **reg_path)
{
    if (ps_params_find(reg, path)) {
        *reg_path = path;
        return 1;
    }
    if (strncmp(path, "model.", 6) == 0) {
        *reg_path = path + 6;
        return 1;
    }
    return 0;
}

/* Whether the first component of a dotted path is a top-level key. */
static int S_top_level(const char *path, const char *const *known, size_t n)
{
    size_t len = strcspn(path, ".");
    for (size_t i = 0; i < n; i++)
        if (strlen(known[i]) == len && strncmp(path, known[i], len) == 0)
            return 1;
    return 0;
}

/* A --set path outside every scenario group can only be meant as a
 * parameter: say so, rather than report an unknown top-level group. */
static void S_unknown_set_path(const ps_params *reg, const char *path,
                               ps_diag *d)
{
    const char *near = ps_params_nearest(reg, path);
    if (near)
        ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                    "unknown parameter (did you mean '%s'?)", near);
    else
        ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                    "neither a parameter (see 'placesim params') nor a "
                    "scenario setting");
}

/* An override that changes only what is reported, not the state a
 * replication reaches at the end of its warm-up. */
static int S_reporting_only(const char *set)
{
    static const char *const keys[] = {"run.replications=", "run.weeks=", "run.summary_weeks="};
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (strncmp(set, keys[k], strlen(keys[k])) == 0) return 1;
    return 0;
}

static void S_apply_tree_sets(ps_scenario *s, const ps_params *reg,
                              const char *const *known, size_t n_known,
                              const char *const *sets, size_t n_sets,
                              ps_diag *d)
{
    for (size_t i = 0; i < n_sets; i++) {
        s->content_hash = ps_fnv1a64(s->content_hash, sets[i], strlen(sets[i]) + 1);
        if (!S_reporting_only(sets[i]))
            s->state_hash = ps_fnv1a64(s->state_hash, sets[i], strlen(sets[i]) + 1);
        char p[256];
        const char *value, *reg_path;
        if (S_parse_set(sets[i], p, sizeof p, &value) != 0) {
            ps_diag_add(d, PS_ERR_INPUT, "--set", 0, sets[i],
                        "expected path=value");
            continue;
        }
        if (S_registry_path(reg, p, &reg_path)) continue;
        if (S_top_level(p, known, n_known))
            S_apply_tree_override(&s->cfg, p, value, d);
        else
            S_unknown_set_path(reg, p, d);
    }
}

static void S_apply_registry_sets(ps_params *reg, const char *const *sets,
                                  size_t n_sets, ps_diag *d)
{
    for (size_t i = 0; i < n_sets; i++) {
        char p[256];
        const char *value, *reg_path;
        if (S_parse_set(sets[i], p, sizeof p, &value) != 0) continue;
        if (!S_registry_path(reg, p, &reg_path)) continue;
        char *end;
        double v;
        if (strcmp(value, "true") == 0) v = 1;
        else if (strcmp(value, "false") == 0) v = 0;
        else {
            v = strtod(value, &end);
            if (end == value || *end != '\0') {
                ps_diag_add(d, PS_ERR_INPUT, "--set", 0, p,
                            "expected a number, got '%s'", value);
                continue;
            }
        }
        ps_params_set(reg, reg_path, v, "--set", 0, d);
    }
}

int ps_scenario_open(ps_scenario *s, const char *path, ps_params *reg,
                     const char *const *model_keys, size_t n_model_keys,
                     const char *const *sets, size_t n_sets, ps_diag *d)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    config_init(&s->cfg);
    s->cfg_live = 1;
    if (S_read(s, path, d) != 0) return -1;

    /* top-level keys: run, model, and the model's own */
    const char **known = malloc((n_model_keys + 2) * sizeof *known);
    if (!known) {
        ps_diag_add(d, PS_ERR_MEMORY, path, 0, "", "out of memory");
        return -1;
    }
    known[0] = "run";
    known[1] = "model";
    for (size_t i = 0; i < n_model_keys; i++) known[i + 2] = model_keys[i];
    S_apply_tree_sets(s, reg, known, n_model_keys + 2, sets, n_sets, d);
    if (d->count) {
        free(known);
        return -1;
    }
    const config_setting_t *root = config_root_setting(&s->cfg);
    ps_cfg_check_keys(root, known, n_model_keys + 2, d);
    free(known);

    S_read_run(s, d);
    const config_setting_t *model = config_setting_get_member(root, "model");
    if (model && ps_cfg_expect_type(model, CONFIG_TYPE_GROUP, d) == 0)
        S_read_model_group(model, "", reg, d);
    S_apply_registry_sets(reg, sets, n_sets, d);
    return d->count ? -1 : 0;
}

int ps_scenario_model_name(const char *path, char *name, size_t size, int *line, ps_diag *d)
{
    ps_scenario s;
    memset(&s, 0, sizeof s);
    snprintf(s.path, sizeof s.path, "%s", path);
    config_init(&s.cfg);
    s.cfg_live = 1;
    int rc = S_read(&s, path, d);
    const char *model = NULL;
    *line = 0;
    if (rc == 0) {
        const config_setting_t *run =
            config_setting_get_member(config_root_setting(&s.cfg), "run");
        const config_setting_t *m = run && config_setting_is_group(run)
                                        ? config_setting_get_member(run, "model")
                                        : NULL;
        /* a model that is not a string is reported by the full load */
        model = m && config_setting_type(m) == CONFIG_TYPE_STRING ? config_setting_get_string(m)
                                                                   : NULL;
        *line = model ? config_setting_source_line(m) : 0;
    }
    snprintf(name, size, "%s", model ? model : "");
    ps_scenario_close(&s);
    return rc;
}

void ps_scenario_close(ps_scenario *s)
{
    if (s->cfg_live) config_destroy(&s->cfg);
    s->cfg_live = 0;
}
