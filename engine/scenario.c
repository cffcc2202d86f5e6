#include "scenario.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"

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
    if (l <= 0 || !f) {
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
        double f = config_setting_get_float(s);
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
        const char *near = ps_nearest(name, known, n_known);
        if (near)
            ps_cfg_error(m, d, "unknown setting (did you mean '%s'?)", near);
        else
            ps_cfg_error(m, d, "unknown setting");
    }
    return unknown;
}

/* ---- overrides -------------------------------------------------------- */

/* Finds the child of s named by one path component: a member name in a
 * group, "[i]" or "i" in a list or array, or the id (or else the name) of a
 * group in a list. */
static config_setting_t *S_child(config_setting_t *s, const char *part)
{
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

static int S_set_value(config_setting_t *parent, const char *name,
                       config_setting_t *existing, const char *value)
{
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
        config_setting_t *child = S_child(cur, part);
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
                ps_diag_add(d, PS_ERR_INPUT, "--set", 0, path,
                            "'%s' names no element", part);
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
                                         "warmup", "summary_weeks"};

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

static int S_hash_file(const char *path, uint64_t *h)
{
    FILE *f = fopen(path, "rb");
    if (!f) return -1;
    unsigned char buf[65536];
    size_t n;
    uint64_t v = PS_FNV_OFFSET;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) v = ps_fnv1a64(v, buf, n);
    int bad = ferror(f);
    fclose(f);
    *h = v;
    return bad ? -1 : 0;
}

int ps_scenario_open(ps_scenario *s, const char *path, ps_params *reg,
                     const char *const *model_keys, size_t n_model_keys,
                     const char *const *sets, size_t n_sets, ps_diag *d)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    config_init(&s->cfg);
    s->cfg_live = 1;
    if (S_hash_file(path, &s->content_hash) != 0) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read the file: %s",
                    strerror(errno));
        return -1;
    }
    if (config_read_file(&s->cfg, path) != CONFIG_TRUE) {
        const char *f = config_error_file(&s->cfg);
        if (config_error_type(&s->cfg) == CONFIG_ERR_FILE_IO)
            ps_diag_add(d, PS_ERR_IO, f ? f : path, 0, "",
                        "cannot read the file");
        else
            ps_diag_add(d, PS_ERR_INPUT, f ? f : path,
                        config_error_line(&s->cfg), "", "syntax error: %s",
                        config_error_text(&s->cfg));
        return -1;
    }
    for (size_t i = 0; i < n_sets; i++) {
        s->content_hash = ps_fnv1a64(s->content_hash, sets[i], strlen(sets[i]) + 1);
        char p[256];
        const char *value, *reg_path;
        if (S_parse_set(sets[i], p, sizeof p, &value) != 0) {
            ps_diag_add(d, PS_ERR_INPUT, "--set", 0, sets[i],
                        "expected path=value");
            continue;
        }
        if (!S_registry_path(reg, p, &reg_path))
            S_apply_tree_override(&s->cfg, p, value, d);
    }
    if (d->count) return -1;

    /* top-level keys: run, model, and the model's own */
    const config_setting_t *root = config_root_setting(&s->cfg);
    const char **known = malloc((n_model_keys + 2) * sizeof *known);
    if (!known) {
        ps_diag_add(d, PS_ERR_MEMORY, path, 0, "", "out of memory");
        return -1;
    }
    known[0] = "run";
    known[1] = "model";
    for (size_t i = 0; i < n_model_keys; i++) known[i + 2] = model_keys[i];
    ps_cfg_check_keys(root, known, n_model_keys + 2, d);
    free(known);

    S_read_run(s, d);
    const config_setting_t *model = config_setting_get_member(root, "model");
    if (model && ps_cfg_expect_type(model, CONFIG_TYPE_GROUP, d) == 0)
        S_read_model_group(model, "", reg, d);

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
    return d->count ? -1 : 0;
}

void ps_scenario_close(ps_scenario *s)
{
    if (s->cfg_live) config_destroy(&s->cfg);
    s->cfg_live = 0;
}
