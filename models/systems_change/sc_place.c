/* Loading a place from its scenario file, strictly: every problem is
 * reported with file:line and the setting's path, and nothing is clamped. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nearest.h"
#include "sc.h"

const char *const sc_scenario_keys[] = {"population", "needs",
                                        "neighbourhoods", "actors", "links",
                                        "costs"};
const size_t sc_n_scenario_keys =
    sizeof sc_scenario_keys / sizeof *sc_scenario_keys;

static const char *const S_precondition_keys[SC_K] = {"A", "B", "C", "D", "E",
                                                      "F", "G", "H", "I"};

long sc_population(const void *place) { return ((const sc_place *)place)->population; }

void sc_unload(void *vp)
{
    sc_place *pl = vp;
    if (!pl) return;
    free(pl->hood_name);
    free(pl->hood_share);
    free(pl->hood_assets);
    free(pl->actors);
    free(pl->links);
    free(pl->metrics);
    free(pl->metric_text);
    free(pl);
}

/* Reports the required member name missing from grp as
 * "file:line: grp.name: ...", the form the engine's getters use. */
static void S_missing(const config_setting_t *grp, const char *name, ps_diag *d)
{
    const char *file;
    int line;
    char path[128];
    ps_cfg_where(grp, &file, &line);
    ps_cfg_path(grp, path, sizeof path);
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", name);
    ps_diag_add(d, PS_ERR_INPUT, file, line, path, "required setting is missing");
}

/* A top-level group. The root has no line, so ps_cfg_where would call it
 * "--set": a missing group is reported against the file itself. */
static const config_setting_t *S_group(const ps_scenario *s, const char *name,
                                       int type, ps_diag *d)
{
    const config_setting_t *g =
        config_setting_get_member(config_root_setting(&s->cfg), name);
    if (!g) {
        ps_diag_add(d, PS_ERR_INPUT, s->path, 0, name,
                    "required setting is missing");
        return NULL;
    }
    if (ps_cfg_expect_type(g, type, d) != 0) return NULL;
    return g;
}

/* Finds name among names[0..n); reports an unknown name with the nearest,
 * or else with the valid names when there are few. */
static int S_lookup_name(const config_setting_t *where, const char *what,
                         const char *name, const char *const *names, int n,
                         ps_diag *d)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0) return i;
    const char *near = ps_nearest(name, names, (size_t)n);
    /* two edits turn any short word into another: keep a suggestion only
     * when it shares something with what was written */
    if (near && (size_t)ps_edit_distance(name, near) >= strlen(name)) near = NULL;
    char list[256] = "";
    for (int i = 0; i < n && n <= 8; i++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "", names[i]);
    }
    if (near)
        ps_cfg_error(where, d, "unknown %s '%s' (did you mean '%s'?)", what,
                     name, near);
    else if (list[0])
        ps_cfg_error(where, d, "unknown %s '%s' (expected one of: %s)", what,
                     name, list);
    else
        ps_cfg_error(where, d, "unknown %s '%s'", what, name);
    return -1;
}

static void S_load_population(sc_place *pl, const config_setting_t *pop,
                              ps_diag *d)
{
    static const char *const keys[] = {"size", "capacity_reference"};
    ps_cfg_check_keys(pop, keys, 2, d);
    long long n, ref;
    if (ps_cfg_int(pop, "size", 1, 0, 100, 200000000LL, &n, d) > 0)
        pl->population = (long)n;
    /* capacities are given for a reference population; a run at another
     * size (a quick test at 20,000 adults) scales them with it */
    if (ps_cfg_int(pop, "capacity_reference", 0, pl->population, 100, 200000000LL,
                   &ref, d) >= 0 && ref > 0)
        pl->capacity_scale = (double)pl->population / (double)ref;
}

static void S_load_domain(sc_place *pl, int i, const config_setting_t *g,
                          ps_diag *d)
{
    static const char *const keys[] = {"name", "onset", "initial", "weight",
                                       "treatment"};
    if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) return;
    ps_cfg_check_keys(g, keys, sizeof keys / sizeof *keys, d);
    const char *name;
    if (ps_cfg_text(g, "name", 1, "", PS_TEXT_LABEL, &name, d) > 0) {
        /* at the name itself, which has the line to fix */
        const config_setting_t *ns = config_setting_get_member(g, "name");
        if (strlen(name) == 0 || strlen(name) >= sizeof pl->domain_name[0])
            ps_cfg_error(ns, d, "domain name must have 1 to 31 characters");
        for (int j = 0; j < i; j++)
            if (strcmp(pl->domain_name[j], name) == 0)
                ps_cfg_error(ns, d, "duplicate need domain '%s' (first at "
                             "needs.domains.[%d])", name, j);
        snprintf(pl->domain_name[i], sizeof pl->domain_name[i], "%s", name);
    }
    ps_cfg_double(g, "onset", 1, 0, 0, 0.5, &pl->onset[i], d);
    ps_cfg_double(g, "initial", 0, 0, 0, 1, &pl->initial[i], d);
    ps_cfg_double(g, "weight", 0, 1, 0, 100, &pl->weight[i], d);
    ps_cfg_double(g, "treatment", 0, 1, 0, 10, &pl->treat[i], d);
}

static void S_load_cooccurrence(sc_place *pl, const config_setting_t *needs,
                                ps_diag *d)
{
    const int n = pl->D;
    const config_setting_t *W = config_setting_get_member(needs, "cooccurrence");
    memset(pl->W, 0, sizeof pl->W);
    if (!W || ps_cfg_expect_type(W, CONFIG_TYPE_ARRAY, d) != 0) return;
    int len = config_setting_length(W);
    if (len != n * n) {
        ps_cfg_error(W, d, "expected %d x %d = %d numbers (one row per domain), got %d",
                     n, n, n * n, len);
        return;
    }
    for (int k = 0; k < len; k++) {
        double v;
        if (ps_cfg_elem_double(config_setting_get_elem(W, (unsigned)k), 0, 1000,
                               &v, d) > 0)
            pl->W[k / n][k % n] = v;
    }
    /* at the element, whose line is the one to fix */
    for (int k = 0; k < n; k++)
        if (pl->W[k][k] != 0)
            ps_cfg_error(config_setting_get_elem(W, (unsigned)(k * n + k)), d,
                         "the diagonal must be 0 (row and column of '%s')",
                         pl->domain_name[k]);
}

static void S_load_needs(sc_place *pl, const config_setting_t *needs,
                         ps_diag *d)
{
    static const char *const keys[] = {"domains", "cooccurrence"};
    ps_cfg_check_keys(needs, keys, 2, d);
    const config_setting_t *doms = config_setting_get_member(needs, "domains");
    if (!doms) {
        S_missing(needs, "domains", d);
        return;
    }
    if (ps_cfg_expect_type(doms, CONFIG_TYPE_LIST, d) != 0) return;
    int n = config_setting_length(doms);
    if (n < 1 || n > SC_MAX_DOMAINS) {
        ps_cfg_error(doms, d, "expected 1 to %d need domains, got %d",
                     SC_MAX_DOMAINS, n);
        return;
    }
    pl->D = n;
    for (int i = 0; i < n; i++)
        S_load_domain(pl, i, config_setting_get_elem(doms, (unsigned)i), d);
    double wsum = 0;
    for (int i = 0; i < n; i++) wsum += pl->weight[i];
    if (wsum <= 0) ps_cfg_error(doms, d, "at least one domain weight must be positive");
    pl->dom_housing = pl->dom_substance = pl->dom_offending = -1;
    for (int i = 0; i < n; i++) {
        if (strcmp(pl->domain_name[i], "housing") == 0) pl->dom_housing = i;
        if (strcmp(pl->domain_name[i], "substance_use") == 0) pl->dom_substance = i;
        if (strcmp(pl->domain_name[i], "offending") == 0) pl->dom_offending = i;
    }
    S_load_cooccurrence(pl, needs, d);
}

static void S_load_hoods(sc_place *pl, const config_setting_t *hoods, ps_diag *d)
{
    static const char *const keys[] = {"name", "share", "assets"};
    int n = config_setting_length(hoods);
    if (n < 1 || n > SC_MAX_HOODS) {
        ps_cfg_error(hoods, d, "expected 1 to %d neighbourhoods, got %d",
                     SC_MAX_HOODS, n);
        return;
    }
    pl->hood_name = calloc((size_t)n, sizeof *pl->hood_name);
    pl->hood_share = calloc((size_t)n, sizeof *pl->hood_share);
    pl->hood_assets = calloc((size_t)n, sizeof *pl->hood_assets);
    if (!pl->hood_name || !pl->hood_share || !pl->hood_assets) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return;
    }
    pl->H = n;
    /* problems before this group (population, needs) must not hide the
     * check of the shares' sum: count only this group's */
    int before = d->count;
    double total = 0;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(hoods, (unsigned)i);
        if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) continue;
        ps_cfg_check_keys(g, keys, 3, d);
        const char *name;
        if (ps_cfg_text(g, "name", 1, "", PS_TEXT_LABEL, &name, d) > 0) {
            const config_setting_t *ns = config_setting_get_member(g, "name");
            if (strlen(name) == 0 || strlen(name) >= sizeof pl->hood_name[0])
                ps_cfg_error(ns, d, "neighbourhood name must have 1 to 63 characters");
            for (int j = 0; j < i; j++)
                if (strcmp(pl->hood_name[j], name) == 0)
                    ps_cfg_error(ns, d, "duplicate neighbourhood '%s' (first at "
                                 "neighbourhoods.[%d])", name, j);
            snprintf(pl->hood_name[i], sizeof pl->hood_name[i], "%s", name);
        }
        ps_cfg_double(g, "share", 1, 0, 0, 1, &pl->hood_share[i], d);
        ps_cfg_double(g, "assets", 0, 0.3, 0, 1, &pl->hood_assets[i], d);
        total += pl->hood_share[i];
    }
    /* with a share missing or out of range the sum says nothing more */
    if (d->count > before) return;
    if (fabs(total - 1) > 0.01)
        ps_cfg_error(hoods, d, "neighbourhood shares must add up to 1 (they add up to %g)",
                     total);
    else
        for (int i = 0; i < n; i++) pl->hood_share[i] /= total;
}

static int S_domain_index(const sc_place *pl, const config_setting_t *where,
                          const char *name, ps_diag *d)
{
    const char *names[SC_MAX_DOMAINS];
    for (int i = 0; i < pl->D; i++) names[i] = pl->domain_name[i];
    return S_lookup_name(where, "need domain", name, names, pl->D, d);
}

static void S_actor_id(sc_place *pl, int i, const config_setting_t *g,
                       ps_diag *d)
{
    sc_actor_spec *a = &pl->actors[i];
    const char *s = "";
    /* ids go into profile.csv as they are, names only into the report */
    if (ps_cfg_text(g, "id", 1, "", PS_TEXT_LABEL, &s, d) > 0) {
        if (strlen(s) == 0 || strlen(s) >= sizeof a->id)
            ps_cfg_error(config_setting_get_member(g, "id"), d,
                         "actor id must have 1 to 63 characters");
        for (int j = 0; j < i; j++)
            if (strcmp(pl->actors[j].id, s) == 0)
                ps_cfg_error(config_setting_get_member(g, "id"), d,
                             "duplicate actor id '%s' (first used at actors.[%d])",
                             s, j);
        snprintf(a->id, sizeof a->id, "%s", s);
    }
    /* s keeps the id when name is absent or not a string: never read an
     * unset pointer */
    s = a->id;
    ps_cfg_text(g, "name", 0, a->id, PS_TEXT_FREE, &s, d);
    snprintf(a->name, sizeof a->name, "%s", s);
}

static void S_actor_system(sc_place *pl, sc_actor_spec *a,
                           const config_setting_t *g, ps_diag *d)
{
    const char *s;
    a->system = -1;
    /* a system label names metrics (P_A.<label>), the columns of series.csv */
    if (ps_cfg_text(g, "system", 0, "", PS_TEXT_LABEL, &s, d) <= 0) return;
    const config_setting_t *where = config_setting_get_member(g, "system");
    for (int k = 0; k < pl->S; k++)
        if (strcmp(pl->system_name[k], s) == 0) {
            a->system = k;
            return;
        }
    if (strlen(s) == 0 || strlen(s) >= sizeof pl->system_name[0])
        ps_cfg_error(where, d, "a system name must have 1 to 31 characters");
    else if (pl->S == SC_MAX_SYSTEMS)
        ps_cfg_error(where, d, "at most %d different systems (this is one more)",
                     SC_MAX_SYSTEMS);
    else {
        snprintf(pl->system_name[pl->S], sizeof pl->system_name[0], "%s", s);
        a->system = pl->S++;
    }
}

static void S_actor_domains(const sc_place *pl, sc_actor_spec *a,
                            const config_setting_t *g, ps_diag *d)
{
    const config_setting_t *doms = config_setting_get_member(g, "domains");
    if (!doms) {
        S_missing(g, "domains", d);
        return;
    }
    if (ps_cfg_expect_type(doms, CONFIG_TYPE_ARRAY, d) != 0) return;
    for (int k = 0; k < config_setting_length(doms); k++) {
        const config_setting_t *e = config_setting_get_elem(doms, (unsigned)k);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            ps_cfg_error(e, d, "expected a need domain name");
            continue;
        }
        int di = S_domain_index(pl, e, config_setting_get_string(e), d);
        if (di >= 0) a->domains |= 1u << di;
    }
}

static void S_actor_hood(const sc_place *pl, sc_actor_spec *a,
                         const config_setting_t *g, ps_diag *d)
{
    const char *s;
    a->hood = -1;
    if (ps_cfg_string(g, "neighbourhood", 0, "", &s, d) <= 0) return;
    const char **names = malloc((size_t)pl->H * sizeof *names);
    if (!names) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return;
    }
    for (int h = 0; h < pl->H; h++) names[h] = pl->hood_name[h];
    a->hood = S_lookup_name(config_setting_get_member(g, "neighbourhood"),
                            "neighbourhood", s, names, pl->H, d);
    free(names);
}

static void S_actor_values(sc_actor_spec *a, const config_setting_t *g,
                           ps_diag *d)
{
    const config_setting_t *v = config_setting_get_member(g, "values");
    for (int k = 0; k < SC_VALUES; k++) a->values[k] = 0.5;
    if (!v || ps_cfg_expect_type(v, CONFIG_TYPE_ARRAY, d) != 0) return;
    if (config_setting_length(v) != SC_VALUES) {
        ps_cfg_error(v, d, "expected %d values (protection, efficiency, "
                     "empowerment, equity), got %d",
                     SC_VALUES, config_setting_length(v));
        return;
    }
    for (int k = 0; k < SC_VALUES; k++)
        ps_cfg_elem_double(config_setting_get_elem(v, (unsigned)k), 0, 1,
                           &a->values[k], d);
}

static void S_actor_preconditions(sc_actor_spec *a, const config_setting_t *g,
                                  ps_diag *d)
{
    const config_setting_t *p = config_setting_get_member(g, "preconditions");
    if (!p) {
        S_missing(g, "preconditions", d);
        return;
    }
    if (ps_cfg_expect_type(p, CONFIG_TYPE_GROUP, d) != 0) return;
    ps_cfg_check_keys(p, S_precondition_keys, SC_K, d);
    for (int k = 0; k < SC_K; k++)
        ps_cfg_double(p, S_precondition_keys[k], 1, 0.5, 0, 1, &a->p[k], d);
}

static void S_load_actor(sc_place *pl, int i, const config_setting_t *g,
                         ps_diag *d)
{
    static const char *const keys[] = {
        "id", "name", "kind", "role", "system", "domains", "capacity",
        "neighbourhood", "values", "preconditions", "influence", "front_door",
        "dormant"};
    sc_actor_spec *a = &pl->actors[i];
    ps_cfg_check_keys(g, keys, sizeof keys / sizeof *keys, d);
    S_actor_id(pl, i, g, d);
    const char *s;
    a->kind = -1;
    if (ps_cfg_string(g, "kind", 1, "", &s, d) > 0)
        a->kind = S_lookup_name(config_setting_get_member(g, "kind"), "actor kind",
                                s, sc_kind_names, KIND_COUNT, d);
    a->role = ROLE_MEMBER;
    if (ps_cfg_string(g, "role", 0, "member", &s, d) > 0)
        a->role = S_lookup_name(config_setting_get_member(g, "role"), "role", s,
                                sc_role_names, ROLE_COUNT, d);
    S_actor_system(pl, a, g, d);
    S_actor_domains(pl, a, g, d);
    ps_cfg_double(g, "capacity", 1, 0, 0, 1e8, &a->capacity, d);
    S_actor_hood(pl, a, g, d);
    S_actor_values(a, g, d);
    S_actor_preconditions(a, g, d);
    double inf_default = a->role == ROLE_LEAD ? 3 : a->role == ROLE_CONVENER ? 2 : 1;
    ps_cfg_double(g, "influence", 0, inf_default, 0, 1e6, &a->influence, d);
    int fd = 0;
    if (ps_cfg_bool(g, "front_door", 0, 0, &fd, d) > 0 && fd) {
        if (pl->front_door >= 0)
            ps_cfg_error(config_setting_get_member(g, "front_door"), d,
                         "only one actor can be the front door (also '%s')",
                         pl->actors[pl->front_door].id);
        else
            pl->front_door = i;
    }
    /* a dormant actor exists from a date on (the new_actor shock) */
    ps_cfg_bool(g, "dormant", 0, 0, &a->dormant, d);
}

static int S_actor_index(const sc_place *pl, const config_setting_t *where,
                         const char *id, ps_diag *d)
{
    const char **names = malloc((size_t)pl->A * sizeof *names);
    if (!names) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    for (int i = 0; i < pl->A; i++) names[i] = pl->actors[i].id;
    int r = S_lookup_name(where, "actor", id, names, pl->A, d);
    free(names);
    return r;
}

static int S_find_link(const sc_place *pl, int from, int to)
{
    for (int k = 0; k < pl->L; k++)
        if (pl->links[k].from == from && pl->links[k].to == to) return k;
    return -1;
}

/* One element of links: one directed link, or two when mutual. origin[k]
 * is the element that gave directed link k, to name it in a duplicate. */
static void S_load_link(sc_place *pl, int i, const config_setting_t *g,
                        int *origin, ps_diag *d)
{
    static const char *const keys[] = {"from", "to", "trust", "understanding",
                                       "mutual"};
    if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) != 0) return;
    ps_cfg_check_keys(g, keys, sizeof keys / sizeof *keys, d);
    const char *from, *to;
    int a = -1, b = -1, mutual = 1;
    if (ps_cfg_string(g, "from", 1, "", &from, d) > 0)
        a = S_actor_index(pl, config_setting_get_member(g, "from"), from, d);
    if (ps_cfg_string(g, "to", 1, "", &to, d) > 0)
        b = S_actor_index(pl, config_setting_get_member(g, "to"), to, d);
    double trust = 0.5, und = 0.5;
    ps_cfg_double(g, "trust", 1, 0.5, 0, 1, &trust, d);
    ps_cfg_double(g, "understanding", 0, trust, 0, 1, &und, d);
    ps_cfg_bool(g, "mutual", 0, 1, &mutual, d);
    if (a < 0 || b < 0) return;
    if (a == b) {
        ps_cfg_error(g, d, "a link from '%s' to itself", from);
        return;
    }
    int dirs = mutual ? 2 : 1;
    for (int dir = 0; dir < dirs; dir++) {
        int x = dir ? b : a, y = dir ? a : b;
        int k = S_find_link(pl, x, y);
        if (k >= 0) {
            ps_cfg_error(g, d, "duplicate link: links.[%d] already links '%s' to '%s'",
                         origin[k], pl->actors[x].id, pl->actors[y].id);
            return;
        }
    }
    for (int dir = 0; dir < dirs; dir++) {
        sc_link_spec *l = &pl->links[pl->L];
        l->from = dir ? b : a;
        l->to = dir ? a : b;
        l->trust = trust;
        l->understanding = und;
        origin[pl->L++] = i;
    }
}

static void S_load_links(sc_place *pl, const config_setting_t *links, ps_diag *d)
{
    int n = config_setting_length(links);
    pl->links = calloc((size_t)(2 * n + 1), sizeof *pl->links);
    int *origin = malloc((size_t)(2 * n + 1) * sizeof *origin);
    if (!pl->links || !origin) {
        free(origin);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return;
    }
    pl->L = 0;
    for (int i = 0; i < n; i++)
        S_load_link(pl, i, config_setting_get_elem(links, (unsigned)i), origin, d);
    free(origin);
}

/* Checks over the whole actor list, meaningful only when every actor
 * loaded: an actor that failed would make them report its absence. */
static void S_check_actor_list(sc_place *pl, const config_setting_t *actors,
                               ps_diag *d)
{
    double total = 0;
    for (int i = 0; i < pl->A; i++) total += pl->actors[i].influence;
    if (total <= 0)
        ps_cfg_error(actors, d, "at least one actor needs a positive influence");
    for (int i = 0; i < pl->A && total > 0; i++) pl->actors[i].influence /= total;
    for (int dd = 0; dd < pl->D; dd++) {
        int served = 0;
        for (int i = 0; i < pl->A; i++)
            if (pl->actors[i].domains & (1u << dd)) served = 1;
        if (!served)
            ps_cfg_error(actors, d, "no actor serves the need domain '%s'",
                         pl->domain_name[dd]);
    }
}

/* The single-front-door switch needs its actor. The switch is a parameter:
 * report it where it was set, the model group's line or --set. */
static void S_check_front_door(const ps_scenario *s, const ps_params *reg,
                               const sc_place *pl, ps_diag *d)
{
    if (!pl->prm.single_front_door || pl->front_door >= 0) return;
    const ps_param *p = ps_params_find(reg, "switches.single_front_door");
    const config_setting_t *sw =
        config_lookup(&s->cfg, "model.switches.single_front_door");
    const char *file = s->path;
    int line = 0;
    if (p && strcmp(p->source, "--set") == 0) file = "--set";
    else if (sw) ps_cfg_where(sw, &file, &line);
    ps_diag_add(d, PS_ERR_INPUT, file, line, "model.switches.single_front_door",
                "a single front door needs one actor with front_door = true, "
                "and none has it");
}

/* Parameters that must agree with each other: a new need must start above
 * the severity at which needs resolve, or it would vanish at once. */
static void S_check_severities(const ps_scenario *s, const ps_params *reg,
                               const sc_place *pl, ps_diag *d)
{
    static const char *const paths[2] = {"needs.initial_severity", "needs.initial_severity_max"};
    const double values[2] = {pl->prm.s0, pl->prm.initial_severity_max};
    for (int k = 0; k < 2; k++) {
        if (values[k] > pl->prm.threshold) continue;
        const ps_param *p = ps_params_find(reg, paths[k]);
        char where[160];
        snprintf(where, sizeof where, "model.%s", paths[k]);
        const config_setting_t *set = config_lookup(&s->cfg, where);
        const char *file = s->path;
        int line = 0;
        if (p && strcmp(p->source, "--set") == 0) file = "--set";
        else if (set) ps_cfg_where(set, &file, &line);
        ps_diag_add(d, PS_ERR_INPUT, file, line, where,
                    "%g must be above needs.threshold (%g), where needs resolve",
                    values[k], pl->prm.threshold);
    }
}

/* Whether every domain and neighbourhood has its name: actors refer to
 * them by name, and with one missing every reference to it would be one
 * more false report. */
static int S_names_ok(const sc_place *pl)
{
    if (pl->D < 1 || pl->H < 1) return 0;
    for (int i = 0; i < pl->D; i++)
        if (!pl->domain_name[i][0]) return 0;
    for (int i = 0; i < pl->H; i++)
        if (!pl->hood_name[i][0]) return 0;
    return 1;
}

static void S_load_actors(const ps_scenario *s, const ps_params *reg,
                          sc_place *pl, ps_diag *d)
{
    const config_setting_t *actors = S_group(s, "actors", CONFIG_TYPE_LIST, d);
    if (!actors) return;
    int n = config_setting_length(actors);
    if (n < 2 || n > SC_MAX_ACTORS - 1000) {
        ps_cfg_error(actors, d, "expected 2 to %d actors, got %d",
                     SC_MAX_ACTORS - 1000, n);
        return;
    }
    pl->actors = calloc((size_t)n, sizeof *pl->actors);
    if (!pl->actors) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return;
    }
    pl->A = n;
    int before = d->count;
    for (int i = 0; i < n; i++) {
        const config_setting_t *g = config_setting_get_elem(actors, (unsigned)i);
        if (ps_cfg_expect_type(g, CONFIG_TYPE_GROUP, d) == 0)
            S_load_actor(pl, i, g, d);
    }
    if (d->count == before) S_check_actor_list(pl, actors, d);
    S_check_front_door(s, reg, pl, d);
    S_check_severities(s, reg, pl, d);
    /* links name actors by id: without every id they would report actors
     * that are there */
    for (int i = 0; i < n; i++)
        if (!pl->actors[i].id[0]) return;
    const config_setting_t *links =
        config_setting_get_member(config_root_setting(&s->cfg), "links");
    if (links && ps_cfg_expect_type(links, CONFIG_TYPE_LIST, d) == 0)
        S_load_links(pl, links, d);
}

void *sc_load(const ps_scenario *s, const ps_params *reg, ps_diag *d)
{
    sc_place *pl = calloc(1, sizeof *pl);
    if (!pl) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return NULL;
    }
    ps_params_write(reg, &pl->prm);
    pl->front_door = -1;
    pl->capacity_scale = 1;

    const config_setting_t *pop = S_group(s, "population", CONFIG_TYPE_GROUP, d);
    if (pop) S_load_population(pl, pop, d);
    const config_setting_t *needs = S_group(s, "needs", CONFIG_TYPE_GROUP, d);
    if (needs) S_load_needs(pl, needs, d);
    const config_setting_t *hoods = S_group(s, "neighbourhoods", CONFIG_TYPE_LIST, d);
    if (hoods) S_load_hoods(pl, hoods, d);
    if (S_names_ok(pl)) S_load_actors(s, reg, pl, d);
    if (pl->A > 0 && pl->A + pl->prm.max_new_actors > SC_BYTE_ACTORS)
        ps_diag_add(d, PS_ERR_INPUT, s->path, 0, "actors",
                    "%d actors and community.max_new = %d: a place has at most %d actors, "
                    "new community actors included (citizens keep actor numbers in a byte)",
                    pl->A, pl->prm.max_new_actors, SC_BYTE_ACTORS);
    if ((long)s->run.warmup + s->run.weeks > SC_MAX_TICKS)
        ps_diag_add(d, PS_ERR_INPUT, s->path, 0, "run",
                    "run.warmup + run.weeks = %ld: the model runs at most %d weeks, "
                    "warm-up included (citizens keep the start of an episode in 16 bits)",
                    (long)s->run.warmup + s->run.weeks, SC_MAX_TICKS);
    if (S_names_ok(pl))
        sc_costs_load(pl, config_setting_get_member(config_root_setting(&s->cfg), "costs"), d);
    if (d->count) goto fail;
    if (!pl->links) pl->links = calloc(1, sizeof *pl->links);
    if (!pl->links || sc_build_metrics(pl) != 0) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        goto fail;
    }
    return pl;
fail:
    sc_unload(pl);
    return NULL;
}
