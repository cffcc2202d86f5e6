/* One replication's state: allocation, the starting point taken from the
 * place, and release. No allocation happens inside the tick loop except the
 * growth of the request buffers (amortised). */
#include <omp.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reduce.h"
#include "sc.h"

static double S_value_distance(const double *x, const double *y)
{
    double s = 0;
    for (int k = 0; k < SC_VALUES; k++) s += x[k] > y[k] ? x[k] - y[k] : y[k] - x[k];
    return s / SC_VALUES;
}

void sc_destroy(void *vs)
{
    sc_state *st = vs;
    if (!st) return;
    sc_citizens *c = &st->c;
    free(c->sev); free(c->assets); free(c->engagement); free(c->z);
    free(c->status); free(c->flags); free(c->follow_left); free(c->assess);
    free(c->handoffs); free(c->hood);
    free(c->relapse); free(c->lead); free(c->partner); free(c->episode_tick); free(c->told);
    sc_actors *a = &st->a;
    free(a->alive); free(a->left); free(a->kind); free(a->role); free(a->system); free(a->hood);
    free(a->domains); free(a->budget); free(a->seconded); free(a->seconded_cost); free(a->visibility); free(a->influence0); free(a->capacity); free(a->values);
    free(a->p); free(a->p0); free(a->p_next); free(a->influence); free(a->perf);
    free(a->asp); free(a->rej); free(a->cut); free(a->stress); free(a->avail);
    free(a->cases); free(a->requests); free(a->turned_away); free(a->succ);
    free(a->fail); free(a->joint_succ); free(a->case_mean); free(a->request_mean);
    free(a->case_adjust);
    sc_links *l = &st->l;
    free(l->from); free(l->to); free(l->trust); free(l->und); free(l->dist);
    free(l->row); free(l->s); free(l->f); free(l->rec_n); free(l->rec_s);
    free(st->hood_assets); free(st->hood_volunteers); free(st->hood_pop);
    free(st->onset_hood);
    free(st->entry_actor); free(st->entry_off); free(st->entry_cum);
    if (st->req)
        for (int t = 0; t < st->threads; t++) free(st->req[t].data);
    if (st->ref)
        for (int t = 0; t < st->threads; t++) free(st->ref[t].data);
    if (st->adm_ref)
        for (int t = 0; t < st->threads; t++) free(st->adm_ref[t].data);
    free(st->req); free(st->ref); free(st->adm_ref);
    free(st->chunk_out); free(st->adm_chunk_count);
    free(st->reqs.data); free(st->refs.data);
    free(st->tally);
    free(st->tl_actor); free(st->tl_link); free(st->tl_hood);
    free(st->metrics);
    free(st->adj);
    free(st->link_index);
    free(st->iv_base);
    if (st->g) gsl_rng_free(st->g);
    if (st->thread_g)
        for (int t = 0; t < st->threads; t++)
            if (st->thread_g[t]) gsl_rng_free(st->thread_g[t]);
    free(st->thread_g);
    if (st->rank)
        for (int t = 0; t < st->threads; t++) free(st->rank[t]);
    free(st->rank);
    free(st->rank_cap);
    if (st->rank_sort)
        for (int t = 0; t < st->threads; t++) ps_sort_scratch_free(&st->rank_sort[t]);
    free(st->rank_sort);
    free(st->adm_groups);
    free(st->adm_order);
    free(st->adm_events);
    free(st->adm_split);
    free(st->adm_actor);
    free(st->adm_count);
    ps_sort_scratch_free(&st->adm_sort);
    free(st->refer_full);
    free(st->refer_cand);
    free(st->refer_cand_n);
    free(st);
}

size_t sc_state_bytes(const void *vplace)
{
    const sc_place *pl = vplace;
    size_t n = (size_t)pl->population, D = (size_t)pl->D;
    size_t actors = (size_t)(pl->A + pl->prm.max_new_actors);
    size_t links = (size_t)pl->L + 4 * (size_t)pl->prm.max_new_actors;
    /* per citizen: severity (float) and partner (byte) per domain, two
     * floats, six bytes, three uint16 and the story mask (sc_citizens); z
     * gets its own floats only if a run changes the disadvantage
     * parameters */
    size_t per_citizen = D * (sizeof(float) + sizeof(uint8_t)) + 2 * sizeof(float) + 6 +
                         3 * sizeof(uint16_t) + sizeof(uint32_t);
    size_t per_actor = 400 + D * (size_t)pl->H * sizeof(double) + actors / 8 + 64;
    /* the link index by pair, and each lead's referral candidates per domain */
    per_actor += actors * sizeof(int32_t) + D * actors * sizeof(sc_candidate) + D * 3;
    /* admission: where each chunk of citizens left its requests, and their
     * count per actor */
    size_t per_chunk = sizeof(sc_chunk_out) + actors * sizeof(uint32_t);
    return n * per_citizen + ps_chunk_count(n) * per_chunk + actors * per_actor + links * 80;
}

static void S_z_class(sc_citizens *c, const sc_params *P)
{
    double norm = 1 - P->high_share + P->high_share * P->high_ratio;
    c->z_class[0] = (float)(1.0 / norm);
    c->z_class[1] = (float)(P->high_ratio / norm);
    c->z_share = P->high_share;
    c->z_ratio = P->high_ratio;
}

int sc_z_refresh(sc_state *st)
{
    sc_citizens *c = &st->c;
    const sc_params *P = st->prm;
    if (c->z || (P->high_share == c->z_share && P->high_ratio == c->z_ratio)) return 0;
    /* adults keep the z they arrived with; newcomers draw with the new
     * parameters */
    c->z = malloc((c->n + 1) * sizeof *c->z);
    if (!c->z) return -1;
    for (size_t i = 0; i < c->n; i++) c->z[i] = c->z_class[(c->flags[i] & CF_HIGH) != 0];
    S_z_class(c, P);
    return 0;
}

#define ALLOC(ptr, count)                                                      \
    do {                                                                       \
        (ptr) = calloc((size_t)(count) + 1, sizeof *(ptr));                    \
        if (!(ptr)) goto nomem;                                                \
    } while (0)

void *sc_create(const void *vplace, ps_rng_key key, ps_diag *d)
{
    const sc_place *pl = vplace;
    sc_state *st = calloc(1, sizeof *st);
    if (!st) goto nomem;
    st->pl = pl;
    st->prm_local = pl->prm;
    st->prm = &st->prm_local;
    st->key = key;
    st->threads = omp_get_max_threads();
    for (int k = 0; k < SC_MAX_DOMAINS; k++) st->surge[k] = 1;

    size_t n = (size_t)pl->population;
    int D = pl->D;
    sc_citizens *c = &st->c;
    c->n = n;
    c->D = D;
    ALLOC(c->sev, n * (size_t)D);
    ALLOC(c->assets, n); ALLOC(c->engagement, n);
    S_z_class(c, st->prm);
    ALLOC(c->status, n); ALLOC(c->flags, n); ALLOC(c->follow_left, n);
    ALLOC(c->assess, n); ALLOC(c->handoffs, n);
    ALLOC(c->hood, n); ALLOC(c->relapse, n);
    ALLOC(c->lead, n); ALLOC(c->partner, n * (size_t)D); ALLOC(c->episode_tick, n); ALLOC(c->told, n);

    sc_actors *a = &st->a;
    int cap_n = pl->A + pl->prm.max_new_actors;
    a->n = pl->A;
    a->cap_n = cap_n;
    ALLOC(a->alive, cap_n); ALLOC(a->left, cap_n); ALLOC(a->kind, cap_n); ALLOC(a->role, cap_n);
    ALLOC(a->system, cap_n); ALLOC(a->hood, cap_n); ALLOC(a->domains, cap_n);
    ALLOC(a->budget, cap_n); ALLOC(a->seconded, cap_n); ALLOC(a->seconded_cost, cap_n); ALLOC(a->visibility, cap_n); ALLOC(a->influence0, cap_n); ALLOC(a->capacity, cap_n); ALLOC(a->values, cap_n);
    ALLOC(a->p, cap_n); ALLOC(a->p0, cap_n); ALLOC(a->p_next, cap_n);
    ALLOC(a->influence, cap_n); ALLOC(a->perf, cap_n); ALLOC(a->asp, cap_n);
    ALLOC(a->rej, cap_n); ALLOC(a->cut, cap_n); ALLOC(a->stress, cap_n);
    ALLOC(a->avail, cap_n); ALLOC(a->cases, cap_n); ALLOC(a->requests, cap_n);
    ALLOC(a->turned_away, cap_n); ALLOC(a->succ, cap_n); ALLOC(a->fail, cap_n);
    ALLOC(a->joint_succ, cap_n);
    ALLOC(a->case_mean, cap_n); ALLOC(a->request_mean, cap_n); ALLOC(a->case_adjust, cap_n);
    a->shrink = pl->capacity_scale < 1 ? sqrt(pl->capacity_scale) : 1;
    for (int i = 0; i < pl->A; i++) {
        const sc_actor_spec *s = &pl->actors[i];
        a->alive[i] = (uint8_t)!s->dormant;
        a->kind[i] = s->kind;
        a->role[i] = s->role;
        a->system[i] = s->system;
        a->hood[i] = s->hood;
        a->domains[i] = s->domains;
        a->budget[i] = s->capacity * pl->capacity_scale;
        a->visibility[i] = a->budget[i];
        a->influence0[i] = s->influence;
        memcpy(a->values[i], s->values, sizeof s->values);
        memcpy(a->p[i], s->p, sizeof s->p);
        memcpy(a->p0[i], s->p, sizeof s->p);
        a->influence[i] = s->dormant ? 0 : s->influence;
        a->perf[i] = a->asp[i] = 0.5;
        a->avail[i] = 1;
    }

    sc_links *l = &st->l;
    int lcap = pl->L + 4 * pl->prm.max_new_actors;
    l->n = pl->L;
    l->cap_n = lcap;
    ALLOC(l->from, lcap); ALLOC(l->to, lcap); ALLOC(l->trust, lcap);
    ALLOC(l->und, lcap); ALLOC(l->dist, lcap); ALLOC(l->row, cap_n + 1);
    ALLOC(l->s, lcap); ALLOC(l->f, lcap); ALLOC(l->rec_n, lcap); ALLOC(l->rec_s, lcap);
    for (int i = 0; i < pl->L; i++) {
        const sc_link_spec *s = &pl->links[i];
        l->from[i] = s->from;
        l->to[i] = s->to;
        l->trust[i] = s->trust;
        l->und[i] = s->understanding;
        l->dist[i] = S_value_distance(pl->actors[s->from].values,
                                      pl->actors[s->to].values);
    }
    sc_links_rebuild_rows(l, cap_n);

    ALLOC(st->hood_assets, pl->H); ALLOC(st->hood_volunteers, pl->H);
    ALLOC(st->hood_pop, pl->H); ALLOC(st->onset_hood, pl->H);
    memcpy(st->hood_assets, pl->hood_assets, (size_t)pl->H * sizeof(double));
    ALLOC(st->entry_actor, (size_t)D * (size_t)cap_n);
    ALLOC(st->entry_off, D + 1);
    ALLOC(st->entry_cum, (size_t)D * (size_t)pl->H * (size_t)cap_n);
    ALLOC(st->req, st->threads); ALLOC(st->ref, st->threads); ALLOC(st->adm_ref, st->threads);
    for (int t = 0; t < st->threads; t++) {
        st->req[t].size = sizeof(sc_request);
        st->ref[t].size = sizeof(sc_referral);
        st->adm_ref[t].size = sizeof(sc_referral);
    }
    st->n_chunks = ps_chunk_count(n);
    ALLOC(st->chunk_out, st->n_chunks);
    ALLOC(st->adm_chunk_count, st->n_chunks * (size_t)cap_n);
    st->reqs.size = sizeof(sc_request);
    st->refs.size = sizeof(sc_referral);
    ALLOC(st->tally, st->threads);
    ALLOC(st->tl_actor, (size_t)st->threads * (size_t)cap_n * TA_N);
    ALLOC(st->tl_link, (size_t)st->threads * (size_t)lcap * 2);
    ALLOC(st->tl_hood, (size_t)st->threads * (size_t)pl->H);
    ALLOC(st->adm_actor, (size_t)st->threads * (size_t)cap_n * 2);
    ALLOC(st->adm_count, (size_t)st->threads * SC_ADM_N);
    ALLOC(st->adm_split, (size_t)st->threads * (size_t)st->threads + (size_t)st->threads + 1);
    ALLOC(st->refer_full, (size_t)cap_n * (size_t)D);
    /* the entry tables hold at most every actor for every domain */
    ALLOC(st->refer_cand, (size_t)cap_n * (size_t)D * (size_t)cap_n);
    ALLOC(st->refer_cand_n, (size_t)cap_n * (size_t)D);
    ALLOC(st->rank, st->threads); ALLOC(st->rank_cap, st->threads);
    ALLOC(st->rank_sort, st->threads);
    ALLOC(st->adm_groups, (size_t)cap_n + 1);
    ALLOC(st->adm_order, cap_n);
    ALLOC(st->metrics, pl->n_metrics);
    ALLOC(st->adj, ((size_t)cap_n * (size_t)cap_n + 7) / 8);
    ALLOC(st->link_index, (size_t)cap_n * (size_t)cap_n);
    st->adj_dirty = 1;
    st->g = gsl_rng_alloc(ps_rng_philox);
    if (!st->g) goto nomem;
    /* no allocation in the tick loop: the citizen pass's generators exist
     * from the start */
    ALLOC(st->thread_g, st->threads);
    for (int t = 0; t < st->threads; t++)
        if (!(st->thread_g[t] = gsl_rng_alloc(ps_rng_philox))) goto nomem;

    sc_citizens_init(st);
    sc_actor_snapshot(st);
    sc_census(st);
    return st;
nomem:
    ps_diag_add(d, PS_ERR_MEMORY, "", 0, "",
                "out of memory creating a replication of %ld citizens",
                pl->population);
    sc_destroy(st);
    return NULL;
}
