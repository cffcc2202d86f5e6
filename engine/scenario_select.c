#include "scenario_select.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"
#include "scenario.h"

typedef struct {
    const config_setting_t **s;
    char **path;
    size_t n, cap;
} S_set;

static int S_push(S_set *set, const config_setting_t *s, const char *prefix, const char *part)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? 2 * set->cap : 16;
        const config_setting_t **ns = realloc(set->s, cap * sizeof *ns);
        if (!ns) return -1;
        set->s = ns;
        char **np = realloc(set->path, cap * sizeof *np);
        if (!np) return -1;
        set->path = np;
        set->cap = cap;
    }
    size_t len = strlen(prefix) + strlen(part) + 2;
    char *p = malloc(len);
    if (!p) return -1;
    snprintf(p, len, "%s%s%s", prefix, prefix[0] ? "." : "", part);
    set->s[set->n] = s;
    set->path[set->n++] = p;
    return 0;
}

static void S_clear(S_set *set)
{
    for (size_t i = 0; i < set->n; i++) free(set->path[i]);
    free(set->path);
    free(set->s);
    memset(set, 0, sizeof *set);
}

/* Whether group element e's member key equals value (as text or number). */
static int S_matches(const config_setting_t *e, const char *key, const char *value)
{
    if (!config_setting_is_group(e)) return 0;
    const config_setting_t *m = config_setting_get_member(e, key);
    if (!m) return 0;
    switch (config_setting_type(m)) {
    case CONFIG_TYPE_STRING: return strcmp(config_setting_get_string(m), value) == 0;
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld", config_setting_get_int64(m));
        return strcmp(buf, value) == 0;
    }
    case CONFIG_TYPE_BOOL:
        return strcmp(config_setting_get_bool(m) ? "true" : "false", value) == 0;
    default: return 0;
    }
}

/* The id or name of an element of list s closest to part, or a member
 * of group s closest to it; NULL when none is close. */
static const char *S_nearest_element(const config_setting_t *s, const char *part)
{
    int n = config_setting_length(s);
    const char **names = malloc(((size_t)n + 1) * sizeof *names);
    if (!names) return NULL;
    size_t k = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *id;
        if (config_setting_is_group(s)) names[k++] = config_setting_name(e);
        else if (config_setting_is_group(e) && (config_setting_lookup_string(e, "id", &id) ||
                                               config_setting_lookup_string(e, "name", &id)))
            names[k++] = id;
    }
    const char *near = ps_nearest(part, names, k);
    free(names);
    return near;
}

/* One step: every child of every setting in cur named by part. */
static int S_step(const S_set *cur, const char *part, S_set *next)
{
    size_t len = strlen(part);
    int bracket = len >= 2 && part[0] == '[' && part[len - 1] == ']';
    const char *eq = bracket ? strchr(part, '=') : NULL;
    int all = bracket && len == 3 && part[1] == '*';
    for (size_t i = 0; i < cur->n; i++) {
        const config_setting_t *s = cur->s[i];
        if ((all || eq) && config_setting_is_aggregate(s) && !config_setting_is_group(s)) {
            char key[128], value[256];
            if (eq) {
                snprintf(key, sizeof key, "%.*s", (int)(eq - part - 1), part + 1);
                snprintf(value, sizeof value, "%.*s", (int)(part + len - 1 - eq - 1), eq + 1);
            }
            int n = config_setting_length(s);
            for (int j = 0; j < n; j++) {
                const config_setting_t *e = config_setting_get_elem(s, (unsigned)j);
                if (eq && !S_matches(e, key, value)) continue;
                char idx[24];
                snprintf(idx, sizeof idx, "[%d]", j);
                if (S_push(next, e, cur->path[i], idx) != 0) return -1;
            }
            continue;
        }
        const config_setting_t *c = ps_cfg_child(s, part);
        if (!c) continue;
        /* keep the name the user wrote for a member, an index otherwise */
        char idx[24];
        const char *name = part;
        if (!config_setting_is_group(s)) {
            snprintf(idx, sizeof idx, "[%d]", config_setting_index(c));
            name = idx;
        }
        if (S_push(next, c, cur->path[i], name) != 0) return -1;
    }
    return 0;
}

long ps_scenario_select(const config_t *cfg, const char *pattern, char ***paths,
                        const config_setting_t ***settings, char *why, size_t why_size)
{
    *paths = NULL;
    *settings = NULL;
    S_set cur = {0}, next = {0};
    if (S_push(&cur, config_root_setting(cfg), "", "") != 0) goto nomem;
    cur.path[0][0] = '\0';
    char buf[512];
    snprintf(buf, sizeof buf, "%s", pattern);
    /* split on dots outside brackets */
    char *p = buf;
    while (*p) {
        char *start = p;
        int depth = 0;
        while (*p && (depth || *p != '.')) {
            if (*p == '[') depth++;
            else if (*p == ']') depth--;
            p++;
        }
        if (*p) *p++ = '\0';
        if (!*start) {
            snprintf(why, why_size, "an empty component in '%s'", pattern);
            goto fail;
        }
        if (S_step(&cur, start, &next) != 0) goto nomem;
        if (next.n == 0) {
            const char *near = cur.n == 1 ? S_nearest_element(cur.s[0], start) : NULL;
            if (near)
                snprintf(why, why_size, "'%s' names nothing in the scenario (did you mean '%s'?)",
                         start, near);
            else
                snprintf(why, why_size, "'%s' names nothing in the scenario", start);
            goto fail;
        }
        S_clear(&cur);
        cur = next;
        memset(&next, 0, sizeof next);
    }
    for (size_t i = 0; i < cur.n; i++) {
        int t = config_setting_type(cur.s[i]);
        if (t != CONFIG_TYPE_INT && t != CONFIG_TYPE_INT64 && t != CONFIG_TYPE_FLOAT &&
            t != CONFIG_TYPE_BOOL) {
            snprintf(why, why_size, "%s is not a number", cur.path[i]);
            goto fail;
        }
        if (!config_setting_is_group(config_setting_parent(cur.s[i]))) {
            snprintf(why, why_size, "%s is an element of an array; only settings in a group "
                                    "can be swept", cur.path[i]);
            goto fail;
        }
    }
    *paths = cur.path;
    *settings = cur.s;
    return (long)cur.n;
nomem:
    snprintf(why, why_size, "out of memory");
fail:
    S_clear(&cur);
    S_clear(&next);
    return -1;
}
