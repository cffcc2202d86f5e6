#include "params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"

struct ps_params {
    ps_param *items;
    size_t count, cap;
};

ps_params *ps_params_create(void) { return calloc(1, sizeof(ps_params)); }

void ps_params_free(ps_params *p)
{
    if (!p) return;
    free(p->items);
    free(p);
}

static int S_whole(double v) { return isfinite(v) && v == floor(v); }

int ps_params_add(ps_params *p, const char *path, ps_param_type type,
                  size_t offset, double def, double min, double max,
                  const char *unit, const char *doc)
{
    if (ps_params_find(p, path)) return -1;
    if (!(def >= min && def <= max)) return -1;
    if (type != PS_PARAM_DOUBLE && !S_whole(def)) return -1;
    if (p->count == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 64;
        ps_param *items = realloc(p->items, cap * sizeof *items);
        if (!items) return -1;
        p->items = items;
        p->cap = cap;
    }
    ps_param *e = &p->items[p->count++];
    memset(e, 0, sizeof *e);
    e->path = path;
    e->type = type;
    e->offset = offset;
    e->def = def;
    e->min = min;
    e->max = max;
    e->unit = unit ? unit : "";
    e->doc = doc;
    e->value = def;
    snprintf(e->source, sizeof e->source, "default");
    return 0;
}

size_t ps_params_count(const ps_params *p) { return p->count; }

const ps_param *ps_params_at(const ps_params *p, size_t i)
{
    return i < p->count ? &p->items[i] : NULL;
}

const ps_param *ps_params_find(const ps_params *p, const char *path)
{
    for (size_t i = 0; i < p->count; i++)
        if (strcmp(p->items[i].path, path) == 0) return &p->items[i];
    return NULL;
}

const char *ps_params_nearest(const ps_params *p, const char *path)
{
    const char **names = malloc((p->count + 1) * sizeof *names);
    if (!names) return NULL;
    for (size_t i = 0; i < p->count; i++) names[i] = p->items[i].path;
    const char *best = ps_nearest(path, names, p->count);
    free(names);
    return best;
}

int ps_params_set(ps_params *p, const char *path, double value,
                  const char *file, int line, ps_diag *d)
{
    ps_param *e = (ps_param *)ps_params_find(p, path);
    if (!e) {
        const char *near = ps_params_nearest(p, path);
        if (near)
            ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                        "unknown parameter (did you mean '%s'?)", near);
        else
            ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                        "unknown parameter (see 'placesim params')");
        return -1;
    }
    if (!isfinite(value)) {
        ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                    "must be a finite number");
        return -1;
    }
    if (e->type == PS_PARAM_BOOL && value != 0 && value != 1) {
        ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                    "expected true or false");
        return -1;
    }
    if (e->type == PS_PARAM_INT && !S_whole(value)) {
        ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                    "expected a whole number, got %g", value);
        return -1;
    }
    if (value < e->min || value > e->max) {
        ps_diag_add(d, PS_ERR_INPUT, file, line, path,
                    "%g is out of range [%g, %g]", value, e->min, e->max);
        return -1;
    }
    e->value = value;
    if (line > 0)
        snprintf(e->source, sizeof e->source, "%s:%d", file, line);
    else
        snprintf(e->source, sizeof e->source, "%s", file ? file : "--set");
    return 0;
}

void ps_params_reset(ps_params *p)
{
    for (size_t i = 0; i < p->count; i++) {
        p->items[i].value = p->items[i].def;
        snprintf(p->items[i].source, sizeof p->items[i].source, "default");
    }
}

void ps_params_write(const ps_params *p, void *dst)
{
    char *base = dst;
    for (size_t i = 0; i < p->count; i++) {
        const ps_param *e = &p->items[i];
        if (e->type == PS_PARAM_DOUBLE) {
            double v = e->value;
            memcpy(base + e->offset, &v, sizeof v);
        } else {
            int v = (int)e->value;
            memcpy(base + e->offset, &v, sizeof v);
        }
    }
}
