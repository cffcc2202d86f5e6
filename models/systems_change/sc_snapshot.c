/* Saving and restoring one replication's state for snapshots. Everything
 * that the next tick reads is written; what the actor snapshot derives
 * (effective capacity, entry tables, onset by neighbourhood, adjacency) is
 * rebuilt on restore from what was saved.
 *
 * The bytes come from a snapshot or the warm-state cache, whose checksums
 * catch damage but not a file made by hand (or a checksum that agrees by
 * chance): so a restored state is checked before anything uses it. Every
 * index must name an element of this place (a citizen's neighbourhood,
 * lead and partners, a link's ends, the links' rows), every count must fit
 * what was allocated, every enumeration must hold one of its values and
 * every number must be finite and in the range a run keeps it in;
 * otherwise the state is refused, naming the first value that is not. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

/* raised whenever the fields below change */
#define SC_SNAPSHOT_FORMAT 6

/* one direction of the transfer, so saving and restoring list the same
 * fields in the same order */
typedef struct {
    FILE *fp;
    int writing, bad;
    uint64_t format; /* the format read, when restoring */
    sc_params saved_prm; /* restoring: the place's parameters when it was saved */
    char why[200];   /* restoring: what does not fit, when known */
} S_io;

/* Says what does not fit (the first thing only). */
static void S_refuse(S_io *io, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void S_refuse(S_io *io, const char *fmt, ...)
{
    if (!io->why[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(io->why, sizeof io->why, fmt, ap);
        va_end(ap);
    }
    io->bad = 1;
}

/* The bytes left in the stream from where it is (-1: not seekable). */
static long S_remaining(FILE *fp)
{
    long at = ftell(fp);
    if (at < 0 || fseek(fp, 0, SEEK_END) != 0) return -1;
    long end = ftell(fp);
    if (fseek(fp, at, SEEK_SET) != 0 || end < at) return -1;
    return end - at;
}

static void S_move(S_io *io, void *p, size_t size, size_t count)
{
    if (io->bad || count == 0) return;
    size_t n = io->writing ? fwrite(p, size, count, io->fp) : fread(p, size, count, io->fp);
    if (n != count) io->bad = 1;
}

#define MOVE(io, ptr, count) S_move(io, (void *)(ptr), sizeof *(ptr), (size_t)(count))

/* Every parameter whose value in this place differs from the place the
 * snapshot was made with moves by that difference in the restored state
 * (which may carry changes of the timeline on top of the place's values). */
static void S_apply_overrides(sc_state *st, const sc_params *saved)
{
    ps_params *reg = ps_params_create();
    if (!reg || sc_declare(reg) != 0) {
        ps_params_free(reg);
        return;
    }
    const char *now = (const char *)&st->pl->prm, *was = (const char *)saved;
    char *state = (char *)&st->prm_local;
    for (size_t i = 0; i < ps_params_count(reg); i++) {
        const ps_param *p = ps_params_at(reg, i);
        if (p->type == PS_PARAM_DOUBLE) {
            double a, b, x;
            memcpy(&a, now + p->offset, sizeof a);
            memcpy(&b, was + p->offset, sizeof b);
            if (a == b) continue;
            memcpy(&x, state + p->offset, sizeof x);
            x += a - b;
            x = x < p->min ? p->min : (x > p->max ? p->max : x);
            memcpy(state + p->offset, &x, sizeof x);
        } else {
            int a, b, x;
            memcpy(&a, now + p->offset, sizeof a);
            memcpy(&b, was + p->offset, sizeof b);
            if (a == b) continue;
            memcpy(&x, state + p->offset, sizeof x);
            x += a - b;
            x = x < (int)p->min ? (int)p->min : (x > (int)p->max ? (int)p->max : x);
            memcpy(state + p->offset, &x, sizeof x);
        }
    }
    ps_params_free(reg);
}

static void S_transfer(S_io *io, sc_state *st)
{
    sc_citizens *c = &st->c;
    size_t n = c->n, D = (size_t)c->D;
    /* the layout below, and the sizes it depends on */
    uint64_t check[4] = {SC_SNAPSHOT_FORMAT, n, D, (uint64_t)st->a.cap_n};
    uint64_t seen[4];
    memcpy(seen, check, sizeof seen);
    MOVE(io, seen, 4);
    if (!io->writing && !io->bad) io->format = seen[0];
    if (!io->writing && memcmp(seen, check, sizeof seen) != 0) io->bad = 1;
    MOVE(io, &st->tick, 1);
    MOVE(io, &st->week, 1);
    MOVE(io, c->sev, n * D);
    MOVE(io, c->assets, n);
    MOVE(io, c->engagement, n);
    MOVE(io, c->z_class, 2);
    MOVE(io, &c->z_share, 1);
    MOVE(io, &c->z_ratio, 1);
    /* z per citizen, present once a run has changed the disadvantage
     * parameters */
    uint8_t own_z = c->z != NULL;
    MOVE(io, &own_z, 1);
    if (!io->writing && !io->bad && own_z && !c->z) {
        c->z = malloc((n + 1) * sizeof *c->z);
        if (!c->z) io->bad = 1;
    }
    if (own_z) MOVE(io, c->z, n);
    MOVE(io, c->status, n);
    MOVE(io, c->flags, n);
    MOVE(io, c->follow_left, n);
    MOVE(io, c->assess, n);
    MOVE(io, c->handoffs, n);
    MOVE(io, c->hood, n);
    MOVE(io, c->relapse, n);
    MOVE(io, c->lead, n);
    MOVE(io, c->partner, n * D);
    MOVE(io, c->episode_tick, n);
    MOVE(io, c->told, n);

    sc_actors *A = &st->a;
    size_t an = (size_t)A->cap_n;
    MOVE(io, &A->n, 1);
    MOVE(io, &A->n_new, 1);
    MOVE(io, A->alive, an);
    MOVE(io, A->left, an);
    MOVE(io, A->kind, an);
    MOVE(io, A->role, an);
    MOVE(io, A->system, an);
    MOVE(io, A->hood, an);
    MOVE(io, A->domains, an);
    MOVE(io, A->budget, an);
    MOVE(io, A->seconded, an);
    MOVE(io, A->seconded_cost, an);
    MOVE(io, A->visibility, an);
    MOVE(io, A->influence0, an);
    MOVE(io, A->capacity, an);
    MOVE(io, A->values, an);
    MOVE(io, A->p, an);
    MOVE(io, A->p0, an);
    MOVE(io, A->influence, an);
    MOVE(io, A->perf, an);
    MOVE(io, A->asp, an);
    MOVE(io, A->rej, an);
    MOVE(io, A->cut, an);
    MOVE(io, A->stress, an);
    MOVE(io, A->avail, an);
    MOVE(io, A->cases, an);
    MOVE(io, A->requests, an);
    MOVE(io, A->turned_away, an);
    MOVE(io, A->succ, an);
    MOVE(io, A->fail, an);
    MOVE(io, A->joint_succ, an);
    MOVE(io, A->case_mean, an);
    MOVE(io, A->request_mean, an);
    MOVE(io, A->case_adjust, an);

    sc_links *l = &st->l;
    size_t ln = (size_t)l->cap_n;
    MOVE(io, &l->n, 1);
    MOVE(io, l->from, ln);
    MOVE(io, l->to, ln);
    MOVE(io, l->trust, ln);
    MOVE(io, l->und, ln);
    MOVE(io, l->dist, ln);
    MOVE(io, l->row, an + 1);
    MOVE(io, l->s, ln);
    MOVE(io, l->f, ln);
    MOVE(io, l->rec_n, ln);
    MOVE(io, l->rec_s, ln);

    size_t H = (size_t)st->pl->H;
    MOVE(io, st->hood_assets, H);
    MOVE(io, st->hood_volunteers, H);
    MOVE(io, st->hood_pop, H);
    MOVE(io, st->surge, SC_MAX_DOMAINS);
    MOVE(io, &st->prm_local, 1);
    /* the place's own parameters when the snapshot was made, so that a run
     * branched with other parameters (a policy's set list, --set) applies
     * its differences on top of the restored state */
    io->saved_prm = st->pl->prm;
    MOVE(io, &io->saved_prm, 1);
    MOVE(io, &st->sum, 1);
    MOVE(io, &st->turned_away_tick, 1);
    MOVE(io, &st->admitted_tick, 1);
    MOVE(io, &st->community_capacity, 1);
    MOVE(io, st->unmet_domain, SC_MAX_DOMAINS);

    uint64_t rows = st->iv_base_rows, cols = st->iv_base_cols;
    MOVE(io, &rows, 1);
    MOVE(io, &cols, 1);
    if (!io->writing && !io->bad && rows) {
        /* the interventions' saved values: as wide as sc_interventions.c
         * makes them, and no more rows than the bytes that are left */
        uint64_t want = (uint64_t)(A->cap_n > l->cap_n ? A->cap_n : l->cap_n) + SC_MAX_DOMAINS;
        long left = S_remaining(io->fp);
        if (cols != want)
            S_refuse(io, "the interventions' saved values are %llu wide, not %llu",
                     (unsigned long long)cols, (unsigned long long)want);
        else if (left < 0 || rows > (uint64_t)left / (cols * sizeof *st->iv_base))
            S_refuse(io, "%llu rows of the interventions' saved values, more than it holds",
                     (unsigned long long)rows);
    }
    if (!io->writing && !io->bad && rows) {
        double *base = calloc(rows * cols + 1, sizeof *base);
        if (!base) io->bad = 1;
        else {
            free(st->iv_base);
            st->iv_base = base;
            st->iv_base_rows = rows;
            st->iv_base_cols = cols;
        }
    }
    MOVE(io, st->iv_base, rows * cols);
}

/* ---- checking a restored state ------------------------------------------ */

#define S_FAIL(...)                        \
    do {                                   \
        S_refuse(io, __VA_ARGS__);         \
        return;                            \
    } while (0)

/* Every parameter finite and in its registered range (interventions clamp
 * them there). */
static void S_check_params(S_io *io, const sc_params *prm, const char *whose)
{
    ps_params *reg = ps_params_create();
    if (!reg || sc_declare(reg) != 0) {
        ps_params_free(reg);
        S_FAIL("out of memory");
    }
    const char *base = (const char *)prm;
    for (size_t i = 0; i < ps_params_count(reg) && !io->bad; i++) {
        const ps_param *p = ps_params_at(reg, i);
        double x;
        if (p->type == PS_PARAM_DOUBLE) {
            memcpy(&x, base + p->offset, sizeof x);
        } else {
            int v;
            memcpy(&v, base + p->offset, sizeof v);
            x = v;
        }
        if (!(x >= p->min && x <= p->max))
            S_refuse(io, "%s parameter %s is %g, outside [%g, %g]", whose, p->path, x, p->min,
                     p->max);
    }
    ps_params_free(reg);
}

static int S_in01(double x) { return x >= 0 && x <= 1; }

/* The citizens: severities, assets and engagement in [0, 1], z positive,
 * the status one of its values, the neighbourhood, lead and partners this
 * place's. */
static void S_check_citizens(S_io *io, const sc_state *st)
{
    const sc_citizens *c = &st->c;
    const size_t D = (size_t)c->D;
    const int n_actors = st->a.n;
    if (!(c->z_class[0] > 0 && c->z_class[1] > 0 && isfinite(c->z_class[0]) &&
          isfinite(c->z_class[1]) && isfinite(c->z_share) && isfinite(c->z_ratio)))
        S_FAIL("the disadvantage classes are %g and %g", c->z_class[0], c->z_class[1]);
    for (size_t i = 0; i < c->n; i++) {
        for (size_t d = 0; d < D; d++) {
            if (!S_in01(c->sev[i * D + d]))
                S_FAIL("citizen %zu: severity of need %zu is %g", i, d, c->sev[i * D + d]);
            uint8_t p = c->partner[i * D + d];
            if (p < SC_BYTE_ACTORS && p >= n_actors)
                S_FAIL("citizen %zu: partner %u for need %zu is not an actor", i, p, d);
        }
        if (!S_in01(c->assets[i]) || !S_in01(c->engagement[i]))
            S_FAIL("citizen %zu: assets %g, engagement %g", i, c->assets[i], c->engagement[i]);
        if (c->z && !(c->z[i] > 0 && isfinite(c->z[i])))
            S_FAIL("citizen %zu: disadvantage %g", i, c->z[i]);
        if (c->status[i] > ST_FOLLOW_UP) S_FAIL("citizen %zu: status %u", i, c->status[i]);
        if (c->hood[i] >= st->pl->H)
            S_FAIL("citizen %zu: neighbourhood %u of %d", i, c->hood[i], st->pl->H);
        if (c->lead[i] != LEAD_NONE && c->lead[i] >= n_actors)
            S_FAIL("citizen %zu: lead %u is not an actor", i, c->lead[i]);
        if (c->status[i] == ST_SUPPORTED && (c->lead[i] == LEAD_NONE || !st->a.alive[c->lead[i]]))
            S_FAIL("citizen %zu: supported without a live lead", i);
    }
}

/* A tally or a count: whole and far from overflowing. */
static int S_count_ok(int64_t x) { return x >= -((int64_t)1 << 53) && x <= (int64_t)1 << 53; }

/* The actors: counts within the slots, enumerations, finite numbers. */
static void S_check_actors(S_io *io, const sc_state *st)
{
    const sc_actors *A = &st->a;
    const sc_place *pl = st->pl;
    if (A->n < pl->A || A->n > A->cap_n)
        S_FAIL("%d actors, where the place has %d and room for %d", A->n, pl->A, A->cap_n);
    if (A->n_new < 0 || A->n_new > A->n - pl->A)
        S_FAIL("%d new actors among %d", A->n_new, A->n - pl->A);
    for (int a = 0; a < A->n; a++) {
        if (A->alive[a] > 1 || A->left[a] > 1) S_FAIL("actor %d: alive %u", a, A->alive[a]);
        if (A->kind[a] < 0 || A->kind[a] >= KIND_COUNT || A->role[a] < 0 ||
            A->role[a] >= ROLE_COUNT)
            S_FAIL("actor %d: kind %d, role %d", a, A->kind[a], A->role[a]);
        if (A->system[a] < -1 || A->system[a] >= pl->S || A->hood[a] < -1 ||
            A->hood[a] >= pl->H)
            S_FAIL("actor %d: system %d, neighbourhood %d", a, A->system[a], A->hood[a]);
        if (A->domains[a] >> pl->D) S_FAIL("actor %d: domains %#x", a, A->domains[a]);
        const double one[] = {A->budget[a],     A->visibility[a], A->influence0[a],
                              A->capacity[a],   A->influence[a],  A->perf[a],
                              A->asp[a],        A->rej[a],        A->cut[a],
                              A->stress[a],     A->avail[a],      A->case_mean[a],
                              A->request_mean[a], A->case_adjust[a], A->seconded[a],
                              A->seconded_cost[a]};
        for (size_t k = 0; k < sizeof one / sizeof *one; k++)
            if (!isfinite(one[k])) S_FAIL("actor %d: a value is %g", a, one[k]);
        for (int k = 0; k < SC_VALUES; k++)
            if (!isfinite(A->values[a][k])) S_FAIL("actor %d: value %d is %g", a, k, A->values[a][k]);
        for (int k = 0; k < SC_K; k++)
            if (!S_in01(A->p[a][k]) || !S_in01(A->p0[a][k]))
                S_FAIL("actor %d: precondition %d is %g", a, k, A->p[a][k]);
        if (!(A->seconded[a] >= 0) || !(A->seconded_cost[a] >= 0))
            S_FAIL("actor %d: %g seconded places costing %g", a, A->seconded[a],
                   A->seconded_cost[a]);
        if (!S_in01(A->influence[a]) || !(A->budget[a] >= 0) || !(A->capacity[a] >= 0))
            S_FAIL("actor %d: influence %g, budget %g, capacity %g", a, A->influence[a],
                   A->budget[a], A->capacity[a]);
        const int64_t counts[] = {A->cases[a], A->requests[a], A->turned_away[a],
                                  A->succ[a],  A->fail[a],     A->joint_succ[a]};
        for (size_t k = 0; k < sizeof counts / sizeof *counts; k++)
            if (!S_count_ok(counts[k]))
                S_FAIL("actor %d: a count is %lld", a, (long long)counts[k]);
    }
}

/* The links: within their slots, between actors, in (from, to) order
 * with the rows that order gives, trust and understanding in [0, 1]. */
static void S_check_links(S_io *io, const sc_state *st)
{
    const sc_links *l = &st->l;
    const int n_actors = st->a.n, cap = st->a.cap_n;
    if (l->n < 0 || l->n > l->cap_n) S_FAIL("%d links, with room for %d", l->n, l->cap_n);
    for (int k = 0; k < l->n; k++) {
        if (l->from[k] < 0 || l->from[k] >= n_actors || l->to[k] < 0 || l->to[k] >= n_actors ||
            l->from[k] == l->to[k])
            S_FAIL("link %d: from %d to %d", k, l->from[k], l->to[k]);
        if (k > 0 && (l->from[k - 1] > l->from[k] ||
                      (l->from[k - 1] == l->from[k] && l->to[k - 1] >= l->to[k])))
            S_FAIL("link %d is out of order", k);
        if (!S_in01(l->trust[k]) || !S_in01(l->und[k]) || !isfinite(l->dist[k]) ||
            !isfinite(l->rec_n[k]) || !isfinite(l->rec_s[k]))
            S_FAIL("link %d: trust %g, understanding %g", k, l->trust[k], l->und[k]);
        if (!S_count_ok(l->s[k]) || !S_count_ok(l->f[k])) S_FAIL("link %d: a count", k);
    }
    /* the rows sc_links_rebuild_rows gives the links */
    int at = 0;
    for (int a = 0; a <= cap; a++) {
        if (l->row[a] != at) S_FAIL("the links' rows disagree with the links at actor %d", a);
        while (a < cap && at < l->n && l->from[at] == a) at++;
    }
}

/* What the place's other parts hold. */
static void S_check_place(S_io *io, const sc_state *st)
{
    const sc_place *pl = st->pl;
    long pop = 0;
    for (int h = 0; h < pl->H; h++) {
        if (!S_in01(st->hood_assets[h]) || !(st->hood_volunteers[h] >= 0) ||
            !isfinite(st->hood_volunteers[h]) || st->hood_pop[h] < 0)
            S_FAIL("neighbourhood %d: assets %g, volunteers %g, %ld adults", h,
                   st->hood_assets[h], st->hood_volunteers[h], st->hood_pop[h]);
        pop += st->hood_pop[h];
        if (pop > (long)st->c.n) break;
    }
    if (pop != (long)st->c.n)
        S_FAIL("the neighbourhoods hold %ld adults, not %zu", pop, st->c.n);
    for (int d = 0; d < SC_MAX_DOMAINS; d++)
        if (!(st->surge[d] >= 0) || !isfinite(st->surge[d]) || !S_count_ok(st->unmet_domain[d]))
            S_FAIL("need %d: surge %g", d, st->surge[d]);
    if (st->tick < 0 || st->tick > SC_MAX_TICKS || st->week > st->tick)
        S_FAIL("tick %d, week %d", st->tick, st->week);
    if (!(st->community_capacity >= 0) || !isfinite(st->community_capacity) ||
        !S_count_ok(st->turned_away_tick) || !S_count_ok(st->admitted_tick))
        S_FAIL("the community's capacity is %g", st->community_capacity);
    /* the tallies: counts, and the first citizen out of range */
    const int64_t *t = (const int64_t *)&st->sum;
    for (size_t k = 0; k < sizeof st->sum / sizeof *t; k++)
        if (!S_count_ok(t[k])) S_FAIL("a tally is %lld", (long long)t[k]);
    if (st->sum.bad_citizen < 0 || st->sum.bad_citizen > (int64_t)st->c.n)
        S_FAIL("the tallies name citizen %lld", (long long)st->sum.bad_citizen - 1);
    for (size_t k = 0; k < st->iv_base_rows * st->iv_base_cols; k++)
        if (!isfinite(st->iv_base[k])) S_FAIL("an intervention's saved value is %g", st->iv_base[k]);
}

#undef S_FAIL

/* Checks a restored state (see the head of this file); applies the
 * place's parameter changes once the saved ones are known to be sane. */
static void S_check(S_io *io, sc_state *st)
{
    S_check_params(io, &st->prm_local, "the state's");
    if (!io->bad) S_check_params(io, &io->saved_prm, "the saved place's");
    if (!io->bad) S_apply_overrides(st, &io->saved_prm);
    /* the actors first: the citizens' and links' indices are checked
     * against their count */
    if (!io->bad) S_check_actors(io, st);
    if (!io->bad) S_check_links(io, st);
    if (!io->bad) S_check_citizens(io, st);
    if (!io->bad) S_check_place(io, st);
}

int sc_save(const void *vs, FILE *fp)
{
    S_io io = {.fp = fp, .writing = 1, .format = SC_SNAPSHOT_FORMAT};
    S_transfer(&io, (sc_state *)vs);
    return io.bad ? -1 : 0;
}

void *sc_restore(const void *place, ps_rng_key key, FILE *fp, ps_diag *d)
{
    sc_state *st = sc_create(place, key, d);
    if (!st) return NULL;
    S_io io = {.fp = fp};
    S_transfer(&io, st);
    if (!io.bad) S_check(&io, st);
    if (io.bad && io.format && io.format != SC_SNAPSHOT_FORMAT) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "--from",
                    "the snapshot holds the model's state in format %llu; this build reads "
                    "format %d: make a new one with --snapshot-at WEEK FILE",
                    (unsigned long long)io.format, SC_SNAPSHOT_FORMAT);
        sc_destroy(st);
        return NULL;
    }
    if (io.bad && io.why[0]) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "--from",
                    "the snapshot's state is not a state of this place (%s): it was made by "
                    "hand or damaged in a way its checksums missed; make a new one with "
                    "--snapshot-at WEEK FILE", io.why);
        sc_destroy(st);
        return NULL;
    }
    if (io.bad) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "--from",
                    "the snapshot's state does not fit this place (truncated or from another "
                    "scenario)");
        sc_destroy(st);
        return NULL;
    }
    st->adj_dirty = 1;
    sc_actor_snapshot(st);
    return st;
}
