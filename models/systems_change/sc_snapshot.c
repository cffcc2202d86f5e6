/* Saving and restoring one replication's state for snapshots. Everything
 * that the next tick reads is written; what the actor snapshot derives
 * (effective capacity, entry tables, onset by neighbourhood, adjacency) is
 * rebuilt on restore from what was saved. */
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
} S_io;

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
    sc_params place_prm = st->pl->prm;
    MOVE(io, &place_prm, 1);
    if (!io->writing && !io->bad) S_apply_overrides(st, &place_prm);
    MOVE(io, &st->sum, 1);
    MOVE(io, &st->turned_away_tick, 1);
    MOVE(io, &st->admitted_tick, 1);
    MOVE(io, &st->community_capacity, 1);
    MOVE(io, st->unmet_domain, SC_MAX_DOMAINS);

    uint64_t rows = st->iv_base_rows, cols = st->iv_base_cols;
    MOVE(io, &rows, 1);
    MOVE(io, &cols, 1);
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

int sc_save(const void *vs, FILE *fp)
{
    S_io io = {fp, 1, 0, SC_SNAPSHOT_FORMAT};
    S_transfer(&io, (sc_state *)vs);
    return io.bad ? -1 : 0;
}

void *sc_restore(const void *place, ps_rng_key key, FILE *fp, ps_diag *d)
{
    sc_state *st = sc_create(place, key, d);
    if (!st) return NULL;
    S_io io = {fp, 0, 0, 0};
    S_transfer(&io, st);
    if (io.bad && io.format && io.format != SC_SNAPSHOT_FORMAT) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "--from",
                    "the snapshot holds the model's state in format %llu; this build reads "
                    "format %d: make a new one with --snapshot-at WEEK FILE",
                    (unsigned long long)io.format, SC_SNAPSHOT_FORMAT);
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
