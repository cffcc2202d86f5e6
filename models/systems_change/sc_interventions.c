/* Interventions of the systems-change model: the targets and named shocks
 * a timeline entry can name (docs/scenario.md, "Timeline").
 *
 *   a parameter by its registry path       trust.alpha, switches.single_front_door
 *   an actor field through a selector      actors[kind=statutory].capacity
 *                                          actors[id=police].preconditions.H
 *                                          actors[all].influence
 *   a precondition (a forcing on p)        preconditions.C   (all actors)
 *   its institutional level (p0)           anchors.C, actors[kind=statutory].anchors.C
 *   a link field                           links[from=a,to=b].trust, links[all].understanding
 *   a need hazard (a demand surge)         needs.housing.onset, needs[all].onset
 *
 * Selectors: all, id=ID, kind=KIND, system=SYSTEM, domain=DOMAIN.
 * Operations move a value with the intervention's level l in [0, 1]:
 * scale multiplies by 1 + l (value - 1), add adds l value, set moves from
 * the value at the start to `value`; at `until` each returns to where it
 * started (scale and add exactly undo their own change and keep any change
 * the dynamics made meanwhile).
 *
 * Named shocks: funding_cut (share, selector: default kind=statutory),
 * demand_surge (factor, domain: default all), leader_departure (actor:
 * default the most influential at the time), service_closure (actor),
 * new_actor (actor: one marked dormant = true in the scenario, which is
 * absent until then).
 *
 * Named events (a policy's own acts, not shocks): secondment (share, from:
 * a selector, default kind=statutory; to: an actor): the share of the
 * selected actors' places moves to the receiving actor with their staff,
 * who keep their capacity (no cut stress; the I uplift does not apply to
 * them) and bring the domains their services serve. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"
#include "sc.h"

enum {
    T_PARAM, T_ACTOR, T_LINK, T_ONSET,
    SH_FUNDING_CUT, SH_DEMAND_SURGE, SH_LEADER_DEPARTURE, SH_SERVICE_CLOSURE, SH_NEW_ACTOR,
    EV_SECONDMENT
};
/* F_P0 + k: precondition k; F_ANCHOR0 + k: its institutional level */
enum { F_CAPACITY, F_INFLUENCE, F_P0, F_ANCHOR0 = F_P0 + SC_K };
enum { LF_TRUST, LF_UNDERSTANDING };

typedef struct sc_iv {
    int kind;
    size_t offset;        /* T_PARAM */
    int ptype;
    double pmin, pmax;
    uint8_t *actors;      /* T_ACTOR, SH_FUNDING_CUT: selected actors [A] */
    int field;            /* T_ACTOR: F_*; T_LINK: LF_* */
    int from, to;         /* T_LINK: -1 = any */
    int domain;           /* T_ONSET, SH_DEMAND_SURGE: -1 = all */
    int actor;            /* departures: -1 = the most influential; secondment: the receiver */
    double value;         /* op value, cut share or surge factor */
    ps_op op;
} sc_iv;

void sc_intervention_free(void *handle)
{
    sc_iv *h = handle;
    if (!h) return;
    free(h->actors);
    free(h);
}

static int S_actor_id(const sc_place *pl, const char *id)
{
    for (int a = 0; a < pl->A; a++)
        if (strcmp(pl->actors[a].id, id) == 0) return a;
    return -1;
}

static int S_domain_id(const sc_place *pl, const char *name)
{
    for (int d = 0; d < pl->D; d++)
        if (strcmp(pl->domain_name[d], name) == 0) return d;
    return -1;
}

static void S_err(const ps_intervention *iv, const char *key, ps_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void S_err(const ps_intervention *iv, const char *key, ps_diag *d, const char *fmt, ...)
{
    const config_setting_t *s = config_setting_get_member(iv->entry, key);
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ps_cfg_error(s ? s : iv->entry, d, "%s", msg);
}

/* " (did you mean 'ID'?)" for an actor id that is not one, or the ids
 * there are when none is close; into buf. */
static const char *S_actor_hint(const sc_place *pl, const char *id, char *buf, size_t size)
{
    buf[0] = '\0';
    const char **ids = malloc(((size_t)pl->A + 1) * sizeof *ids);
    if (!ids) return buf;
    for (int a = 0; a < pl->A; a++) ids[a] = pl->actors[a].id;
    const char *near = ps_nearest(id, ids, (size_t)pl->A);
    free(ids);
    if (near) {
        snprintf(buf, size, " (did you mean '%s'?)", near);
        return buf;
    }
    /* the ids, as many as a line holds */
    size_t at = (size_t)snprintf(buf, size, " (the scenario's actors: ");
    int a = 0;
    for (; a < pl->A && at + strlen(pl->actors[a].id) + 24 < size && at < 150; a++)
        at += (size_t)snprintf(buf + at, size - at, "%s%s", a ? ", " : "", pl->actors[a].id);
    if (a < pl->A) snprintf(buf + at, size - at, " and %d more)", pl->A - a);
    else snprintf(buf + at, size - at, ")");
    return buf;
}

/* Fills sel[A] from a selector; returns how many actors it matched, or -1
 * on a malformed selector. */
static int S_select(const sc_place *pl, const char *spec, uint8_t *sel)
{
    memset(sel, 0, (size_t)pl->A);
    int n = 0;
    if (strcmp(spec, "all") == 0) {
        for (int a = 0; a < pl->A; a++) sel[a] = 1;
        return pl->A;
    }
    const char *eq = strchr(spec, '=');
    if (!eq) return -1;
    size_t klen = (size_t)(eq - spec);
    const char *v = eq + 1;
    for (int a = 0; a < pl->A; a++) {
        const sc_actor_spec *s = &pl->actors[a];
        int hit;
        if (klen == 2 && strncmp(spec, "id", 2) == 0) hit = strcmp(s->id, v) == 0;
        else if (klen == 4 && strncmp(spec, "kind", 4) == 0)
            hit = s->kind >= 0 && strcmp(sc_kind_names[s->kind], v) == 0;
        else if (klen == 6 && strncmp(spec, "system", 6) == 0)
            hit = s->system >= 0 && strcmp(pl->system_name[s->system], v) == 0;
        else if (klen == 6 && strncmp(spec, "domain", 6) == 0) {
            int dd = S_domain_id(pl, v);
            hit = dd >= 0 && (s->domains & (1u << dd));
        } else
            return -1;
        sel[a] = (uint8_t)hit;
        n += hit;
    }
    return n;
}

/* "name[inner].rest": copies inner and returns rest, or NULL. */
static const char *S_bracket(const char *t, const char *name, char *inner, size_t size)
{
    size_t nl = strlen(name);
    if (strncmp(t, name, nl) != 0 || t[nl] != '[') return NULL;
    const char *close = strchr(t + nl, ']');
    if (!close || close[1] != '.' || (size_t)(close - t - nl - 1) >= size) return NULL;
    memcpy(inner, t + nl + 1, (size_t)(close - t - nl - 1));
    inner[close - t - nl - 1] = '\0';
    return close + 2;
}

static int S_precondition(const char *s)
{
    return s[0] >= 'A' && s[0] <= 'I' && s[1] == '\0' ? s[0] - 'A' : -1;
}

static int S_compile_target(const sc_place *pl, const ps_params *reg,
                            const ps_intervention *iv, sc_iv *h, ps_diag *d)
{
    const char *t = iv->target;
    char inner[256];
    const char *rest;
    const ps_param *p = ps_params_find(reg, t);
    if (p && strcmp(t, "switches.single_front_door") == 0 && pl->front_door < 0) {
        S_err(iv, "target", d, "%s",
              "a single front door needs one actor with front_door = true, and none has it");
        return -1;
    }
    if (p) {
        h->kind = T_PARAM;
        h->offset = p->offset;
        h->ptype = p->type;
        h->pmin = p->min;
        h->pmax = p->max;
        double v = iv->value;
        if (iv->op == PS_OP_SET && !(v >= p->min && v <= p->max)) {
            S_err(iv, "value", d, "%s: %g is out of range [%g, %g]", t, v, p->min, p->max);
            return -1;
        }
        /* scale and add act on the place's own value of the parameter: an
         * entry that would take it out of its range is refused, not
         * clamped where nobody sees it */
        double x;
        const char *slot = (const char *)&pl->prm + p->offset;
        if (p->type == PS_PARAM_DOUBLE) memcpy(&x, slot, sizeof x);
        else {
            int xi;
            memcpy(&xi, slot, sizeof xi);
            x = xi;
        }
        double reach = iv->op == PS_OP_ADD ? x + v : iv->op == PS_OP_SCALE ? x * v : v;
        if (iv->op != PS_OP_SET && !(reach >= p->min && reach <= p->max)) {
            S_err(iv, "value", d,
                  "%s %g takes %s from %g to %g, outside its range [%g, %g]; use a value "
                  "that stays inside it (or op = \"set\")",
                  iv->op == PS_OP_ADD ? "adding" : "scaling by", v, t, x, reach, p->min, p->max);
            return -1;
        }
        return 0;
    }
    int all_pre = strncmp(t, "preconditions.", 14) == 0 || strncmp(t, "anchors.", 8) == 0;
    if (all_pre || (rest = S_bracket(t, "actors", inner, sizeof inner)) != NULL) {
        if (all_pre) {
            snprintf(inner, sizeof inner, "all");
            rest = t;
        }
        h->kind = T_ACTOR;
        h->actors = calloc((size_t)pl->A + 1, 1);
        if (!h->actors) return -1;
        int n = S_select(pl, inner, h->actors);
        if (n < 0) {
            S_err(iv, "target", d,
                  "malformed selector '%s' (all, id=ID, kind=KIND, system=SYSTEM or domain=DOMAIN)",
                  inner);
            return -1;
        }
        if (n == 0) {
            char hint[256] = "";
            if (strncmp(inner, "id=", 3) == 0) S_actor_hint(pl, inner + 3, hint, sizeof hint);
            S_err(iv, "target", d, "the selector '%s' matches no actor%s", inner, hint);
            return -1;
        }
        if (strcmp(rest, "capacity") == 0) h->field = F_CAPACITY;
        else if (strcmp(rest, "influence") == 0) h->field = F_INFLUENCE;
        else if (strncmp(rest, "preconditions.", 14) == 0 && S_precondition(rest + 14) >= 0)
            h->field = F_P0 + S_precondition(rest + 14);
        else if (strncmp(rest, "anchors.", 8) == 0 && S_precondition(rest + 8) >= 0)
            h->field = F_ANCHOR0 + S_precondition(rest + 8);
        else {
            S_err(iv, "target", d,
                  "unknown actor field '%s' (capacity, influence, preconditions.A to .I or "
                  "anchors.A to .I)", rest);
            return -1;
        }
        return 0;
    }
    if ((rest = S_bracket(t, "links", inner, sizeof inner)) != NULL) {
        h->kind = T_LINK;
        h->from = h->to = -1;
        if (strcmp(inner, "all") != 0) {
            char *save = NULL, *part = strtok_r(inner, ",", &save);
            for (; part; part = strtok_r(NULL, ",", &save)) {
                int *slot = strncmp(part, "from=", 5) == 0 ? &h->from
                            : strncmp(part, "to=", 3) == 0 ? &h->to
                                                           : NULL;
                const char *id = slot == &h->from ? part + 5 : part + 3;
                if (!slot) {
                    S_err(iv, "target", d, "malformed link selector '%s' (all, from=ID, to=ID)",
                          part);
                    return -1;
                }
                *slot = S_actor_id(pl, id);
                if (*slot < 0) {
                    char hint[256];
                    S_err(iv, "target", d, "unknown actor '%s' in the link selector%s", id,
                          S_actor_hint(pl, id, hint, sizeof hint));
                    return -1;
                }
            }
        }
        int matched = 0;
        for (int k = 0; k < pl->L; k++)
            if ((h->from < 0 || pl->links[k].from == h->from) &&
                (h->to < 0 || pl->links[k].to == h->to))
                matched++;
        if (!matched) {
            S_err(iv, "target", d, "the link selector '%s' matches no link", t);
            return -1;
        }
        if (strcmp(rest, "trust") == 0) h->field = LF_TRUST;
        else if (strcmp(rest, "understanding") == 0) h->field = LF_UNDERSTANDING;
        else {
            S_err(iv, "target", d, "unknown link field '%s' (trust or understanding)", rest);
            return -1;
        }
        return 0;
    }
    h->kind = T_ONSET;
    if ((rest = S_bracket(t, "needs", inner, sizeof inner)) != NULL && strcmp(inner, "all") == 0 &&
        strcmp(rest, "onset") == 0) {
        h->domain = -1;
        return 0;
    }
    if (strncmp(t, "needs.", 6) == 0) {
        const char *dot = strrchr(t, '.');
        char name[64];
        size_t len = (size_t)(dot - t - 6);
        if (dot > t + 6 && strcmp(dot, ".onset") == 0 && len < sizeof name) {
            memcpy(name, t + 6, len);
            name[len] = '\0';
            h->domain = S_domain_id(pl, name);
            if (h->domain >= 0) return 0;
            S_err(iv, "target", d, "unknown need domain '%s'", name);
            return -1;
        }
    }
    const char *near = ps_params_nearest(reg, t);
    if (near) {
        S_err(iv, "target", d, "unknown target '%s' (did you mean '%s'?)", t, near);
    } else {
        S_err(iv, "target", d,
              "unknown target '%s' (a parameter path, actors[SELECTOR].FIELD, "
              "preconditions.X, links[SELECTOR].FIELD or needs.DOMAIN.onset)", t);
    }
    return -1;
}

static int S_compile_secondment(const sc_place *pl, const ps_intervention *iv, sc_iv *h,
                                ps_diag *d)
{
    const config_setting_t *g = iv->entry;
    const char *s;
    if (ps_cfg_double(g, "share", 1, 0.2, 0, 0.95, &h->value, d) < 0) return -1;
    if (ps_cfg_string(g, "to", 1, NULL, &s, d) <= 0) return -1;
    h->actor = S_actor_id(pl, s);
    if (h->actor < 0) {
        char hint[256];
        S_err(iv, "to", d, "unknown actor '%s'%s", s, S_actor_hint(pl, s, hint, sizeof hint));
        return -1;
    }
    ps_cfg_string(g, "from", 0, "kind=statutory", &s, d);
    h->actors = calloc((size_t)pl->A + 1, 1);
    if (!h->actors) return -1;
    if (S_select(pl, s, h->actors) < 0) {
        S_err(iv, "from", d, "malformed selector '%s'", s);
        return -1;
    }
    h->actors[h->actor] = 0; /* an actor does not second staff to itself */
    int left = 0;
    for (int a = 0; a < pl->A; a++) left += h->actors[a];
    if (left == 0) {
        S_err(iv, "from", d, "the selector '%s' matches no actor other than the receiver", s);
        return -1;
    }
    return 0;
}

static int S_compile_shock(const sc_place *pl, const ps_intervention *iv, sc_iv *h,
                           ps_diag *d)
{
    static const char *const names[] = {"funding_cut", "demand_surge", "leader_departure",
                                        "service_closure", "new_actor"};
    static const char *const events[] = {"secondment"};
    const config_setting_t *g = iv->entry;
    const char *key = iv->event ? "event" : "shock";
    int k, e;
    for (k = 0; k < 5; k++)
        if (strcmp(iv->shock, names[k]) == 0) break;
    for (e = 0; e < 1; e++)
        if (strcmp(iv->shock, events[e]) == 0) break;
    if (iv->event && k < 5) {
        S_err(iv, key, d, "'%s' is a shock: write shock = \"%s\"", iv->shock, iv->shock);
        return -1;
    }
    if (!iv->event && e < 1) {
        S_err(iv, key, d, "'%s' is a policy's event, not a shock: write event = \"%s\"",
              iv->shock, iv->shock);
        return -1;
    }
    h->domain = -1;
    h->actor = -1;
    if (iv->event) {
        if (e == 1) {
            const char *near = ps_nearest(iv->shock, events, 1);
            if (near)
                S_err(iv, key, d, "unknown event '%s' (did you mean '%s'?)", iv->shock, near);
            else
                S_err(iv, key, d, "unknown event '%s' (secondment)", iv->shock);
            return -1;
        }
        h->kind = EV_SECONDMENT;
        return S_compile_secondment(pl, iv, h, d);
    }
    if (k == 5) {
        const char *near = ps_nearest(iv->shock, names, 5);
        if (near)
            S_err(iv, "shock", d, "unknown shock '%s' (did you mean '%s'?)", iv->shock, near);
        else
            S_err(iv, "shock", d,
                  "unknown shock '%s' (funding_cut, demand_surge, leader_departure, "
                  "service_closure or new_actor)", iv->shock);
        return -1;
    }
    h->kind = SH_FUNDING_CUT + k;
    const char *s;
    if (h->kind == SH_FUNDING_CUT) {
        if (ps_cfg_double(g, "share", 1, 0.2, 0, 1, &h->value, d) < 0) return -1;
        ps_cfg_string(g, "selector", 0, "kind=statutory", &s, d);
        h->actors = calloc((size_t)pl->A + 1, 1);
        if (!h->actors) return -1;
        int n = S_select(pl, s, h->actors);
        if (n <= 0) {
            if (n < 0) S_err(iv, "selector", d, "malformed selector '%s'", s);
            else S_err(iv, "selector", d, "the selector '%s' matches no actor", s);
            return -1;
        }
    } else if (h->kind == SH_DEMAND_SURGE) {
        if (ps_cfg_double(g, "factor", 1, 1.5, 0, 1000, &h->value, d) < 0) return -1;
        if (ps_cfg_string(g, "domain", 0, NULL, &s, d) > 0) {
            h->domain = S_domain_id(pl, s);
            if (h->domain < 0) {
                S_err(iv, "domain", d, "unknown need domain '%s'", s);
                return -1;
            }
        }
    } else if (h->kind == SH_NEW_ACTOR) {
        if (ps_cfg_string(g, "actor", 1, NULL, &s, d) <= 0) return -1;
        h->actor = S_actor_id(pl, s);
        if (h->actor < 0) {
            char hint[256];
        S_err(iv, "actor", d, "unknown actor '%s'%s", s, S_actor_hint(pl, s, hint, sizeof hint));
            return -1;
        }
        if (!pl->actors[h->actor].dormant) {
            S_err(iv, "actor", d,
                  "actor '%s' is there from the start; give it dormant = true to bring it in "
                  "at a date", s);
            return -1;
        }
        if (iv->until >= 0) {
            S_err(iv, "until", d, "%s", "a new actor stays (close it with service_closure)");
            return -1;
        }
    } else {
        int need = h->kind == SH_SERVICE_CLOSURE;
        if (ps_cfg_string(g, "actor", need, NULL, &s, d) > 0) {
            h->actor = S_actor_id(pl, s);
            if (h->actor < 0) {
                char hint[256];
        S_err(iv, "actor", d, "unknown actor '%s'%s", s, S_actor_hint(pl, s, hint, sizeof hint));
                return -1;
            }
        } else if (need) {
            return -1;
        }
        if (iv->until >= 0) {
            S_err(iv, "until", d, "%s cannot be undone (model a return as a new policy)",
                  iv->shock);
            return -1;
        }
    }
    return 0;
}

void *sc_intervention_compile(const void *place, const ps_params *reg,
                              const ps_intervention *iv, ps_diag *d)
{
    const sc_place *pl = place;
    /* the common keys (less op and value for a shock), plus the shock's own */
    static const struct {
        const char *shock;
        const char *keys[3];
    } own[] = {{"funding_cut", {"share", "selector", NULL}},
               {"demand_surge", {"factor", "domain", NULL}},
               {"leader_departure", {"actor", NULL, NULL}},
               {"service_closure", {"actor", NULL, NULL}},
               {"new_actor", {"actor", NULL, NULL}},
               {"secondment", {"share", "from", "to"}}};
    const char *known[32];
    size_t n = 0;
    for (size_t k = 0; k < ps_timeline_n_common_keys && n < 28; k++) {
        const char *key = ps_timeline_common_keys[k];
        if (iv->shock && (strcmp(key, "op") == 0 || strcmp(key, "value") == 0)) continue;
        if ((!iv->shock || iv->event) && strcmp(key, "shock") == 0) continue;
        if ((!iv->shock || !iv->event) && strcmp(key, "event") == 0) continue;
        known[n++] = key;
    }
    for (size_t k = 0; iv->shock && k < sizeof own / sizeof *own; k++)
        if (strcmp(iv->shock, own[k].shock) == 0)
            for (int j = 0; j < 3 && own[k].keys[j]; j++) known[n++] = own[k].keys[j];
    int before = d->count;
    ps_cfg_check_keys(iv->entry, known, n, d);
    sc_iv *h = calloc(1, sizeof *h);
    if (!h) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return NULL;
    }
    h->op = iv->op;
    h->value = iv->value;
    int rc = iv->shock ? S_compile_shock(pl, iv, h, d) : S_compile_target(pl, reg, iv, h, d);
    if (rc != 0 || d->count > before) {
        if (d->count == before)
            ps_diag_add(d, PS_ERR_MEMORY, iv->file, iv->line, "timeline", "out of memory");
        sc_intervention_free(h);
        return NULL;
    }
    return h;
}

/* ---- applying a change of level ----------------------------------------- */

/* The base slot of (intervention, entity) for `set`, captured at the start. */
static double *S_base(sc_state *st, size_t index, size_t entity)
{
    size_t cols = (size_t)(st->a.cap_n > st->l.cap_n ? st->a.cap_n : st->l.cap_n) + SC_MAX_DOMAINS;
    if (index >= st->iv_base_rows) {
        size_t rows = index + 8;
        double *nb = realloc(st->iv_base, rows * cols * sizeof *nb);
        if (!nb) return NULL;
        memset(nb + st->iv_base_rows * cols, 0, (rows - st->iv_base_rows) * cols * sizeof *nb);
        st->iv_base = nb;
        st->iv_base_rows = rows;
        st->iv_base_cols = cols;
    }
    return entity < cols ? &st->iv_base[index * cols + entity] : NULL;
}

/* Moves x from level `from` to level `to` of the operation. */
static double S_move(sc_state *st, const ps_intervention *iv, size_t entity, double x,
                     double from, double to)
{
    double v = iv->value;
    switch (iv->op) {
    case PS_OP_SCALE: {
        double f0 = 1 + from * (v - 1), f1 = 1 + to * (v - 1);
        return f0 != 0 ? x * f1 / f0 : x;
    }
    case PS_OP_ADD: return x + (to - from) * v;
    case PS_OP_SET: {
        double *base = S_base(st, iv->index, entity);
        if (!base) {
            sc_out_of_memory(st); /* the next tick fails */
            return x;
        }
        if (from == 0) *base = x;
        return *base + to * (v - *base);
    }
    default: return x;
    }
}

static void S_apply_param(sc_state *st, const ps_intervention *iv, const sc_iv *h, double from,
                          double to)
{
    char *slot = (char *)&st->prm_local + h->offset;
    double x;
    if (h->ptype == PS_PARAM_DOUBLE) memcpy(&x, slot, sizeof x);
    else {
        int xi;
        memcpy(&xi, slot, sizeof xi);
        x = xi;
    }
    double y = S_move(st, iv, 0, x, from, to);
    y = y < h->pmin ? h->pmin : (y > h->pmax ? h->pmax : y);
    if (h->ptype == PS_PARAM_DOUBLE) memcpy(slot, &y, sizeof y);
    else {
        int yi = (int)floor(y + 0.5);
        memcpy(slot, &yi, sizeof yi);
    }
}

static void S_apply_actor(sc_state *st, const ps_intervention *iv, const sc_iv *h, double from,
                          double to)
{
    sc_actors *A = &st->a;
    for (int a = 0; a < st->pl->A; a++) {
        if (!h->actors[a] || !A->alive[a]) continue;
        if (h->field == F_CAPACITY) {
            double before = A->budget[a];
            A->budget[a] = S_move(st, iv, (size_t)a, before, from, to);
            if (A->budget[a] < 0) A->budget[a] = 0;
            if (before > 0 && A->budget[a] < before) A->cut[a] += 1 - A->budget[a] / before;
        } else if (h->field == F_INFLUENCE) {
            double y = S_move(st, iv, (size_t)a, A->influence[a], from, to);
            A->influence[a] = y < 0 ? 0 : y;
        } else if (h->field >= F_ANCHOR0) {
            /* the institutional level the disposition is pulled back to */
            int k = h->field - F_ANCHOR0;
            A->p0[a][k] = sc_clamp01(S_move(st, iv, (size_t)a, A->p0[a][k], from, to));
        } else {
            int k = h->field - F_P0;
            A->p[a][k] = sc_clamp01(S_move(st, iv, (size_t)a, A->p[a][k], from, to));
        }
    }
    if (h->field == F_INFLUENCE) {
        /* keep influence a share: rescale to the total before the change */
        double total = 0;
        for (int a = 0; a < A->n; a++)
            if (A->alive[a]) total += A->influence[a];
        for (int a = 0; a < A->n && total > 1; a++) A->influence[a] /= total;
    }
}

static void S_apply_links(sc_state *st, const ps_intervention *iv, const sc_iv *h, double from,
                          double to)
{
    sc_links *l = &st->l;
    for (int k = 0; k < l->n; k++) {
        if ((h->from >= 0 && l->from[k] != h->from) || (h->to >= 0 && l->to[k] != h->to)) continue;
        double *x = h->field == LF_TRUST ? &l->trust[k] : &l->und[k];
        *x = sc_clamp01(S_move(st, iv, (size_t)k, *x, from, to));
    }
}

void sc_intervention_apply(void *vs, const ps_intervention *iv, double from, double to)
{
    sc_state *st = vs;
    const sc_iv *h = iv->handle;
    if (!h || from == to) return;
    switch (h->kind) {
    case T_PARAM: S_apply_param(st, iv, h, from, to); break;
    case T_ACTOR: S_apply_actor(st, iv, h, from, to); break;
    case T_LINK: S_apply_links(st, iv, h, from, to); break;
    case T_ONSET:
        for (int d = 0; d < st->pl->D; d++)
            if (h->domain < 0 || h->domain == d) {
                double y = S_move(st, iv, (size_t)d, st->surge[d], from, to);
                st->surge[d] = y < 0 ? 0 : y;
            }
        break;
    case SH_FUNDING_CUT: {
        double f0 = 1 - from * h->value, f1 = 1 - to * h->value;
        for (int a = 0; a < st->pl->A; a++) {
            if (!h->actors[a] || !st->a.alive[a] || f0 <= 0) continue;
            st->a.budget[a] *= f1 / f0;
            if (f1 < f0) st->a.cut[a] += 1 - f1 / f0;
        }
        break;
    }
    case SH_DEMAND_SURGE: {
        double f0 = 1 + from * (h->value - 1), f1 = 1 + to * (h->value - 1);
        for (int d = 0; d < st->pl->D; d++)
            if ((h->domain < 0 || h->domain == d) && f0 > 0) st->surge[d] *= f1 / f0;
        break;
    }
    case EV_SECONDMENT: {
        /* the receiver's own domains, kept to give back at `until` */
        double *mask = S_base(st, iv->index, 0);
        if (!mask) sc_out_of_memory(st); /* the next tick fails */
        sc_actors *A = &st->a;
        int to_a = h->actor;
        if (!A->alive[to_a]) break;
        if (from == 0 && to > 0 && mask) *mask = (double)A->domains[to_a];
        double f0 = 1 - from * h->value, f1 = 1 - to * h->value, moved = 0, cost = 0;
        uint32_t brought = 0;
        for (int a = 0; a < st->pl->A; a++) {
            if (!h->actors[a] || !A->alive[a] || f0 <= 0) continue;
            double nb = A->budget[a] * f1 / f0;
            moved += A->budget[a] - nb;
            /* seconded staff cost what they cost where they came from */
            cost += (A->budget[a] - nb) * st->pl->case_week_cost[A->kind[a]];
            A->budget[a] = nb;
            brought |= A->domains[a];
        }
        A->seconded[to_a] += moved;
        A->seconded_cost[to_a] += cost;
        if (A->seconded[to_a] < 0) A->seconded[to_a] = 0;
        if (A->seconded_cost[to_a] < 0) A->seconded_cost[to_a] = 0;
        if (to > 0) A->domains[to_a] |= brought;
        else if (mask) A->domains[to_a] = (uint32_t)*mask;
        st->adj_dirty = 1;
        break;
    }
    case SH_NEW_ACTOR:
        if (from == 0 && to > 0 && !st->a.alive[h->actor] && !st->a.left[h->actor]) {
            st->a.alive[h->actor] = 1;
            st->a.influence[h->actor] = st->a.influence0[h->actor];
            st->adj_dirty = 1;
        }
        break;
    case SH_LEADER_DEPARTURE:
    case SH_SERVICE_CLOSURE:
        if (from == 0 && to > 0)
            sc_actor_depart(st, h->actor >= 0 ? h->actor : sc_most_influential(st));
        break;
    }
    sc_actor_snapshot(st);
}

double sc_ramp_speed(const void *vs)
{
    const sc_state *st = vs;
    double PD = sc_system_index(st, P_D, -1);
    return 1 + st->prm->ramp_d * (isnan(PD) ? 0 : PD);
}
