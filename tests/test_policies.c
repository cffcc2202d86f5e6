/* The ready-made policy and shock files: every file in configs/policies/ and
 * configs/shocks/ validates against the flagship scenario, begins with a
 * comment that says what it represents, and there are enough of them (one
 * policy per citizen story, and the four named shocks). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "loaded_scenario.h"
#include "support.h"
#include "systems_change.h"

#define MAX_FILES 256

typedef struct {
    size_t n;
    char name[MAX_FILES][256];
} S_list;

static int S_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* The .cfg files of a directory under the source tree, sorted. */
static void S_list_dir(const char *sub, S_list *l)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", PLACESIM_SOURCE_DIR, sub);
    DIR *dp = opendir(dir);
    cr_assert_not_null(dp, "cannot open %s", dir);
    l->n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || len >= sizeof l->name[0] || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        cr_assert_lt(l->n, MAX_FILES);
        snprintf(l->name[l->n++], sizeof l->name[0], "%s", e->d_name);
    }
    closedir(dp);
    qsort(l->name, l->n, sizeof l->name[0], S_cmp);
}

/* Runs `placesim validate configs/coventry.cfg --policy FILE`; returns its
 * exit status (-1 if it did not exit), its stderr in err. */
static int S_validate(const char *file, char *err, size_t size)
{
    char errfile[] = "/tmp/placesim-policy-XXXXXX";
    int fd = mkstemp(errfile);
    cr_assert_geq(fd, 0);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' validate '%s/configs/coventry.cfg' --policy '%s' >/dev/null 2>'%s'",
             PLACESIM_BINARY, PLACESIM_SOURCE_DIR, file, errfile);
    int st = tp_shell(cmd);
    tp_read_text(errfile, err, size);
    unlink(errfile);
    return st;
}

/* Every file of the directory validates and opens with a comment. */
static void S_check_dir(const char *sub, size_t at_least)
{
    S_list *l = malloc(sizeof *l);
    cr_assert_not_null(l);
    S_list_dir(sub, l);
    cr_expect_geq(l->n, at_least, "%s: %zu files, expected at least %zu", sub, l->n, at_least);
    for (size_t i = 0; i < l->n; i++) {
        char path[2048], err[4096], first[256] = "";
        snprintf(path, sizeof path, "%s/%s/%s", PLACESIM_SOURCE_DIR, sub, l->name[i]);
        int rc = S_validate(path, err, sizeof err);
        cr_expect_eq(rc, 0, "%s/%s does not validate against configs/coventry.cfg "
                            "(exit status %d):\n%s", sub, l->name[i], rc, err);
        FILE *fp = fopen(path, "r");
        cr_expect_not_null(fp, "cannot read %s", path);
        if (!fp) continue;
        if (!fgets(first, sizeof first, fp)) first[0] = '\0';
        fclose(fp);
        cr_expect_eq(first[0], '#', "%s/%s: should begin with a comment saying what it "
                                    "represents and what it moves", sub, l->name[i]);
    }
    free(l);
}

Test(policies, every_policy_validates, .timeout = 120)
{
    S_check_dir("configs/policies", 8);
}

Test(policies, every_shock_validates, .timeout = 120)
{
    S_check_dir("configs/shocks", 4);
}

/* The four named shocks each have a file. */
Test(policies, every_named_shock_has_a_file, .timeout = 30)
{
    static const char *const shocks[] = {"funding_cut", "demand_surge", "leader_departure",
                                         "service_closure"};
    S_list *l = malloc(sizeof *l);
    cr_assert_not_null(l);
    S_list_dir("configs/shocks", l);
    for (size_t k = 0; k < sizeof shocks / sizeof *shocks; k++) {
        char want[64];
        snprintf(want, sizeof want, "\"%s\"", shocks[k]);
        int found = 0;
        for (size_t i = 0; i < l->n && !found; i++) {
            char path[2048], line[1024];
            snprintf(path, sizeof path, "%s/configs/shocks/%s", PLACESIM_SOURCE_DIR,
                     l->name[i]);
            FILE *fp = fopen(path, "r");
            if (!fp) continue;
            while (!found && fgets(line, sizeof line, fp))
                if (line[0] != '#' && strstr(line, "shock") && strstr(line, want)) found = 1;
            fclose(fp);
        }
        cr_expect(found, "no file in configs/shocks uses the shock %s", shocks[k]);
    }
    free(l);
}

/* ---- every file changes exactly what docs/policies.md says ---------------- */

/* What a timeline may change, as names: "param:PATH", "actor:ID:FIELD",
 * "link:FROM>TO:FIELD", "onset:DOMAIN". */
#define S_MAX_CHANGES 4096
typedef struct {
    size_t n;
    char item[S_MAX_CHANGES][96];
} S_changes;

static void S_add(S_changes *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void S_add(S_changes *c, const char *fmt, ...)
{
    char buf[96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->item[i], buf) == 0) return;
    cr_assert_lt(c->n, S_MAX_CHANGES);
    snprintf(c->item[c->n++], sizeof c->item[0], "%s", buf);
}

static int S_has(const S_changes *c, const char *s)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->item[i], s) == 0) return 1;
    return 0;
}

/* A copy of the state a timeline acts on. */
typedef struct {
    sc_params prm;
    int n_actors, n_links;
    double budget[256], seconded[256], influence[256], cut[256], p[256][SC_K], p0[256][SC_K];
    uint32_t domains[256];
    uint8_t alive[256];
    int from[1024], to[1024];
    double trust[1024], und[1024];
    double surge[SC_MAX_DOMAINS];
} S_copy;

static void S_take(const sc_state *st, S_copy *k)
{
    const sc_actors *A = &st->a;
    k->prm = st->prm_local;
    k->n_actors = A->n;
    cr_assert_leq(A->n, 256);
    for (int a = 0; a < A->n; a++) {
        k->budget[a] = A->budget[a];
        k->seconded[a] = A->seconded[a];
        k->influence[a] = A->influence[a];
        k->cut[a] = A->cut[a];
        k->domains[a] = A->domains[a];
        k->alive[a] = A->alive[a];
        memcpy(k->p[a], A->p[a], sizeof k->p[a]);
        memcpy(k->p0[a], A->p0[a], sizeof k->p0[a]);
    }
    k->n_links = st->l.n;
    cr_assert_leq(st->l.n, 1024);
    for (int l = 0; l < st->l.n; l++) {
        k->from[l] = st->l.from[l];
        k->to[l] = st->l.to[l];
        k->trust[l] = st->l.trust[l];
        k->und[l] = st->l.und[l];
    }
    memcpy(k->surge, st->surge, sizeof k->surge);
}

/* What changed between two copies, as names. */
static void S_diff(const sc_place *pl, const ps_params *reg, const S_copy *x, const S_copy *y,
                   S_changes *c)
{
    for (size_t i = 0; i < ps_params_count(reg); i++) {
        const ps_param *p = ps_params_at(reg, i);
        size_t size = p->type == PS_PARAM_DOUBLE ? sizeof(double) : sizeof(int);
        if (memcmp((const char *)&x->prm + p->offset, (const char *)&y->prm + p->offset, size))
            S_add(c, "param:%s", p->path);
    }
    static const char *const pk = "ABCDEFGHI";
    for (int a = 0; a < x->n_actors; a++) {
        const char *id = pl->actors[a].id;
        if (x->budget[a] != y->budget[a]) S_add(c, "actor:%s:capacity", id);
        if (x->seconded[a] != y->seconded[a]) S_add(c, "actor:%s:seconded", id);
        if (x->influence[a] != y->influence[a]) S_add(c, "actor:%s:influence", id);
        if (x->cut[a] != y->cut[a]) S_add(c, "actor:%s:cut", id);
        if (x->domains[a] != y->domains[a]) S_add(c, "actor:%s:domains", id);
        if (x->alive[a] != y->alive[a]) S_add(c, "actor:%s:alive", id);
        for (int k = 0; k < SC_K; k++) {
            if (x->p[a][k] != y->p[a][k]) S_add(c, "actor:%s:preconditions.%c", id, pk[k]);
            if (x->p0[a][k] != y->p0[a][k]) S_add(c, "actor:%s:anchors.%c", id, pk[k]);
        }
    }
    /* links are kept sorted: find each of x's in y */
    for (int l = 0; l < x->n_links; l++) {
        const char *f = pl->actors[x->from[l]].id, *t = pl->actors[x->to[l]].id;
        int m = -1;
        for (int j = 0; j < y->n_links && m < 0; j++)
            if (y->from[j] == x->from[l] && y->to[j] == x->to[l]) m = j;
        if (m < 0) {
            S_add(c, "link:%s>%s:removed", f, t);
            continue;
        }
        if (x->trust[l] != y->trust[m]) S_add(c, "link:%s>%s:trust", f, t);
        if (x->und[l] != y->und[m]) S_add(c, "link:%s>%s:understanding", f, t);
    }
    for (int d = 0; d < pl->D; d++)
        if (x->surge[d] != y->surge[d]) S_add(c, "onset:%s", pl->domain_name[d]);
}

/* Whether actor a matches a docs selector: all, id=, kind=, system=. */
static int S_match(const sc_place *pl, int a, const char *sel)
{
    const sc_actor_spec *s = &pl->actors[a];
    if (strcmp(sel, "all") == 0) return 1;
    if (strncmp(sel, "id=", 3) == 0) return strcmp(s->id, sel + 3) == 0;
    if (strncmp(sel, "kind=", 5) == 0) return strcmp(sc_kind_names[s->kind], sel + 5) == 0;
    if (strncmp(sel, "system=", 7) == 0)
        return s->system >= 0 && strcmp(pl->system_name[s->system], sel + 7) == 0;
    cr_assert_fail("docs/policies.md: unknown selector '%s'", sel);
    return 0;
}

/* The names one `Changes:` item of docs/policies.md stands for. */
static void S_expand(const sc_place *pl, const ps_params *reg, const char *item, S_changes *c)
{
    char sel[128], field[64];
    if (sscanf(item, "actors[%127[^]]].%63s", sel, field) == 2) {
        for (int a = 0; a < pl->A; a++)
            if (!pl->actors[a].dormant && S_match(pl, a, sel))
                S_add(c, "actor:%s:%s", pl->actors[a].id, field);
    } else if (sscanf(item, "links[%127[^]]].%63s", sel, field) == 2) {
        for (int l = 0; l < pl->L; l++) {
            const char *f = pl->actors[pl->links[l].from].id, *t = pl->actors[pl->links[l].to].id;
            int hit = strcmp(sel, "all") == 0 ||
                      (strncmp(sel, "actor=", 6) == 0 &&
                       (strcmp(f, sel + 6) == 0 || strcmp(t, sel + 6) == 0));
            if (hit) {
                S_add(c, "link:%s>%s:%s", f, t, field);
                S_add(c, "link:%s>%s:%s", t, f, field); /* scenario links are mutual */
            }
        }
    } else if (strcmp(item, "needs[all].onset") == 0) {
        for (int d = 0; d < pl->D; d++) S_add(c, "onset:%s", pl->domain_name[d]);
    } else if (ps_params_find(reg, item)) {
        S_add(c, "param:%s", item);
    } else {
        cr_assert_fail("docs/policies.md: cannot read the change '%s'", item);
    }
}

/* Applies every entry of the file's timeline at full strength to a new
 * replication and compares what changed with the docs' list. */
static void S_check_changes(const char *file, const char *listed)
{
    char scen[1024], pol[1024];
    snprintf(scen, sizeof scen, "%s/configs/coventry.cfg", PLACESIM_SOURCE_DIR);
    snprintf(pol, sizeof pol, "%s/%s", PLACESIM_SOURCE_DIR, file);
    const char *sets[] = {"population.size=2000"};
    ps_loaded l;
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_loaded_open(&l, &sc_model_type, scen, pol, sets, 1, &d), 0, "%s", file);
    const sc_place *pl = l.place;
    sc_state *st = sc_model_type.create(l.place, ps_rng_key_make(1, 0), &d);
    cr_assert_not_null(st);
    S_copy *before = malloc(sizeof *before), *after = malloc(sizeof *after);
    S_changes *got = malloc(sizeof *got), *want = malloc(sizeof *want);
    cr_assert(before && after && got && want);
    got->n = want->n = 0;
    S_take(st, before);
    for (size_t i = 0; i < l.timeline.n; i++)
        sc_model_type.intervention_apply(st, &l.timeline.items[i], 0, 1);
    S_take(st, after);
    S_diff(pl, l.reg, before, after, got);
    char buf[4096];
    snprintf(buf, sizeof buf, "%.4000s", listed);
    for (char *p = strchr(buf, '`'); p; p = strchr(p, '`')) {
        char *end = strchr(p + 1, '`');
        cr_assert_not_null(end, "docs/policies.md: unbalanced ` in the changes of %s", file);
        *end = '\0';
        S_expand(pl, l.reg, p + 1, want);
        p = end + 1;
    }
    for (size_t i = 0; i < got->n; i++)
        cr_expect(S_has(want, got->item[i]), "%s changes %s, which docs/policies.md does not list",
                  file, got->item[i]);
    for (size_t i = 0; i < want->n; i++)
        cr_expect(S_has(got, want->item[i]), "%s does not change %s, which docs/policies.md lists",
                  file, want->item[i]);
    free(before);
    free(after);
    free(got);
    free(want);
    sc_model_type.destroy(st);
    ps_loaded_close(&l);
}

Test(policies, every_file_changes_exactly_what_the_docs_name, .timeout = 120)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/docs/policies.md", PLACESIM_SOURCE_DIR);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp, "docs/policies.md is missing");
    char line[4096], file[512] = "";
    S_list *seen = malloc(sizeof *seen);
    cr_assert_not_null(seen);
    seen->n = 0;
    while (fgets(line, sizeof line, fp)) {
        if (strncmp(line, "File: `", 7) == 0) {
            char *end = strchr(line + 7, '`');
            cr_assert_not_null(end);
            *end = '\0';
            snprintf(file, sizeof file, "%.500s", line + 7);
        } else if (strncmp(line, "Changes: ", 9) == 0) {
            cr_assert(file[0], "docs/policies.md: a Changes line without a File line");
            S_check_changes(file, line + 9);
            snprintf(seen->name[seen->n++], sizeof seen->name[0], "%s", file);
            file[0] = '\0';
        }
    }
    fclose(fp);
    /* and every file in configs/policies and configs/shocks has its section */
    static const char *const dirs[] = {"configs/policies", "configs/shocks"};
    S_list *l = malloc(sizeof *l);
    cr_assert_not_null(l);
    for (int k = 0; k < 2; k++) {
        S_list_dir(dirs[k], l);
        for (size_t i = 0; i < l->n; i++) {
            char want[512];
            snprintf(want, sizeof want, "%s/%s", dirs[k], l->name[i]);
            int found = 0;
            for (size_t j = 0; j < seen->n; j++) found |= strcmp(seen->name[j], want) == 0;
            cr_expect(found, "docs/policies.md has no section (File:, Changes:) for %s", want);
        }
    }
    free(l);
    free(seen);
}
