/* Admission and referrals (section 4, step 2), in a fixed order.
 * Requests from the citizen pass are sorted by (actor, citizen, domain);
 * an actor with more requests than free places rations them by its p_A
 * (low A admits the simplest cases first, high A the most severe); warm
 * referrals are then offered to partners in proportion to trust times free
 * capacity, and taken up with probability trust (1 + lambda_G conv), so
 * untrusted referrals wait (the direct channel of E, amendment 7b) unless
 * common partners who convene vouch for them (G).
 *
 * Which requests an actor admits depends only on its own free places and
 * the requests themselves, so the decisions are made first, serially, as a
 * list in the order the rules give. Carrying them out touches citizens
 * scattered over the population (a cache miss each) and is split between
 * threads by citizen: each thread walks the whole list and carries out the
 * decisions about its own citizens, in list order, so every citizen sees
 * them in the serial order; the draws are keyed by citizen and domain, and
 * the counts are integers summed over threads. Any thread count gives the
 * same bits. Referrals stay serial: each one changes the free places the
 * next one sees. */
#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

static int S_cmp_request(const void *x, const void *y)
{
    const sc_request *a = x, *b = y;
    if (a->actor != b->actor) return a->actor < b->actor ? -1 : 1;
    if (a->citizen != b->citizen) return a->citizen < b->citizen ? -1 : 1;
    return (a->domain > b->domain) - (a->domain < b->domain);
}

static int S_cmp_referral(const void *x, const void *y)
{
    const sc_referral *a = x, *b = y;
    if (a->citizen != b->citizen) return a->citizen < b->citizen ? -1 : 1;
    if (a->domain != b->domain) return a->domain < b->domain ? -1 : 1;
    /* (citizen, domain) is unique in practice; a total order keeps the
     * result independent of the order the referrals were gathered in */
    return (a->lead > b->lead) - (a->lead < b->lead);
}

/* Requests in (actor, citizen, domain) order, and referrals in (citizen,
 * domain, lead) order: the comparators above as integer keys, sorted in
 * linear time (qsort if memory runs out: the same order) */
static void S_sort_requests(sc_state *st, sc_request *rq, size_t n)
{
    uint64_t *key = ps_sort_keys(&st->adm_sort, n);
    if (key) {
        for (size_t j = 0; j < n; j++)
            key[j] = (uint64_t)(uint16_t)rq[j].actor << 40 |
                     (uint64_t)(uint32_t)rq[j].citizen << 8 | (uint8_t)(rq[j].domain + 1);
        if (ps_sort_by_key(rq, n, sizeof *rq, key, &st->adm_sort) == 0) return;
    }
    qsort(rq, n, sizeof *rq, S_cmp_request);
}

static void S_sort_referrals(sc_state *st, sc_referral *rf, size_t n)
{
    uint64_t *key = ps_sort_keys(&st->adm_sort, n);
    if (key) {
        for (size_t j = 0; j < n; j++)
            key[j] = (uint64_t)(uint32_t)rf[j].citizen << 24 |
                     (uint64_t)(uint8_t)rf[j].domain << 16 | (uint16_t)rf[j].lead;
        if (ps_sort_by_key(rf, n, sizeof *rf, key, &st->adm_sort) == 0) return;
    }
    qsort(rf, n, sizeof *rf, S_cmp_referral);
}

/* A decision: request index, and whether it is admitted (1), turned away
 * (0) or left undecided (-1: memory ran out) */
typedef struct {
    int32_t request;
    int32_t admit;
} S_event;

typedef struct {
    double score;
    int32_t citizen;
    int32_t index;
} S_ranked;

static int S_cmp_ranked(const void *x, const void *y)
{
    const S_ranked *a = x, *b = y;
    if (a->score != b->score) return a->score > b->score ? -1 : 1;
    return (a->citizen > b->citizen) - (a->citizen < b->citizen);
}

/* Appends the n per-thread parts to dst, in thread order */
static int S_append(sc_vec *dst, const sc_vec *parts, int n)
{
    for (int k = 0; k < n; k++) {
        for (size_t j = 0; j < parts[k].n; j++) {
            void *slot = sc_vec_push(dst);
            if (!slot) return -1;
            memcpy(slot, (char *)parts[k].data + j * parts[k].size, dst->size);
        }
    }
    return 0;
}

static double S_free(const sc_actors *A, int a)
{
    return A->capacity[a] - (double)A->cases[a];
}

/* A service taking a citizen on: in a place that acknowledges issues as
 * systemic (C), the story already told to another service this episode
 * reaches the new one with probability p_C of the new service (always with
 * information sharing); otherwise the citizen is assessed again. */
static void S_take_story(sc_state *st, size_t i, int a, sc_draws *r)
{
    sc_citizens *c = &st->c;
    if (c->told[i] && (st->prm->information_sharing || sc_u(r) < st->a.p[a][P_C]))
        c->told[i] |= 1u << ((unsigned)a & 31u);
    else
        sc_assess(c, i, a);
}

/* One thread's share of carrying out the decisions */
typedef struct {
    int64_t *actor;  /* [actor][2]: cases taken on, turned away */
    int64_t *count;  /* [SC_ADM_N] */
    sc_vec *refs;    /* referrals made on admission */
} S_carry;

static void S_admit(sc_state *st, const sc_request *rq, S_carry *k)
{
    const sc_params *P = st->prm;
    sc_citizens *c = &st->c;
    const sc_actors *A = &st->a;
    const int D = st->pl->D;
    const size_t i = (size_t)rq->citizen;
    const int a = rq->actor;
    uint8_t *partner = &c->partner[i * (size_t)D];
    sc_draws r;
    sc_draws_init(&r, st->key, S_ADMIT, (uint32_t)i, (uint32_t)st->tick);
    r.block = (uint32_t)(rq->domain + 1) * 4;

    if (rq->domain < 0) {
        if (c->status[i] != ST_UNMET) return;
        c->status[i] = ST_SUPPORTED;
        c->lead[i] = (uint8_t)a;
        S_take_story(st, i, a, &r);
        if (!(c->flags[i] & CF_FIRST_SUPPORT_DONE)) {
            c->flags[i] |= CF_FIRST_SUPPORT_DONE;
            k->count[SC_ADM_FIRST_N]++;
            /* the wait modulo 2^16 is the wait: runs are at most SC_MAX_TICKS */
            k->count[SC_ADM_FIRST_WEEKS] +=
                (uint16_t)((unsigned)st->tick - c->episode_tick[i]);
        }
        if (sc_u(&r) < P->out_of_area * (1 - A->p[a][P_D]))
            c->flags[i] |= CF_OUT_OF_AREA;
        k->actor[(size_t)a * 2]++;
        for (int d = 0; d < D; d++) {
            partner[d] = PARTNER_NONE;
            if (c->sev[i * (size_t)D + (size_t)d] <= 0 || (A->domains[a] & (1u << d)))
                continue;
            if (sc_u(&r) < A->p[a][P_C]) {
                partner[d] = PARTNER_PENDING;
                sc_referral *rf = sc_vec_push(k->refs);
                if (rf) {
                    rf->citizen = (int32_t)i;
                    rf->lead = (int16_t)a;
                    rf->domain = (int8_t)d;
                }
            } else {
                partner[d] = PARTNER_SIGNPOSTED;
                if (c->handoffs[i] < 255) c->handoffs[i]++;
            }
        }
    } else {
        int d = rq->domain;
        if (c->status[i] != ST_SUPPORTED || partner[d] != PARTNER_SIGNPOSTED) return;
        partner[d] = (uint8_t)a;
        S_take_story(st, i, a, &r);
        k->actor[(size_t)a * 2]++;
    }
    k->count[SC_ADM_ADMITTED]++;
}

static void S_turn_away(sc_state *st, const sc_request *rq, S_carry *k)
{
    sc_citizens *c = &st->c;
    size_t i = (size_t)rq->citizen;
    double e = c->engagement[i] - st->prm->eng_turned_away;
    c->engagement[i] = (float)(e < 0 ? 0 : e);
    if (c->handoffs[i] < 255) c->handoffs[i]++;
    k->actor[(size_t)rq->actor * 2 + 1]++;
    k->count[SC_ADM_TURNED_AWAY]++;
}

static void S_refer(sc_state *st, const sc_referral *rf, sc_draws *r)
{
    const sc_params *P = st->prm;
    sc_citizens *c = &st->c;
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    const size_t i = (size_t)rf->citizen;
    const int d = rf->domain, lead = rf->lead;
    uint8_t *partner = &c->partner[i * (size_t)D];
    /* once a lead found no partner for d with a free place, none appears
     * later in the tick: places are only taken while referrals are placed,
     * and the weights (trust times free places, both >= 0) only fall */
    uint8_t *full = &st->refer_full[(size_t)lead * (size_t)D + (size_t)d];
    if (*full) return;
    /* candidates: live actors serving d with a free place, weighted by the
     * lead's trust in them times their free capacity */
    double total = 0;
    for (int j = st->entry_off[d]; j < st->entry_off[d + 1]; j++) {
        int b = st->entry_actor[j];
        if (b == lead || !A->alive[b]) continue;
        double f = S_free(A, b);
        if (f < 1) continue;
        int link = sc_link_find(&st->l, lead, b);
        total += (link >= 0 ? st->l.trust[link] : P->trust_default) * f;
    }
    /* held by the lead and retried next week. Decided before the citizen is
     * read (neither test draws or writes anything, so the order is free):
     * most referrals in a stretched place stop here, and each citizen read
     * is a cache miss */
    if (total <= 0) {
        *full = 1;
        return;
    }
    if (c->status[i] != ST_SUPPORTED || sc_lead(c, i) != lead ||
        partner[d] != PARTNER_PENDING)
        return;
    double x = sc_u(r) * total;
    int chosen = -1;
    double trust = 0;
    for (int j = st->entry_off[d]; j < st->entry_off[d + 1]; j++) {
        int b = st->entry_actor[j];
        if (b == lead || !A->alive[b]) continue;
        double f = S_free(A, b);
        if (f < 1) continue;
        int link = sc_link_find(&st->l, lead, b);
        double tr = link >= 0 ? st->l.trust[link] : P->trust_default;
        chosen = b;
        trust = tr;
        x -= tr * f;
        if (x < 0) break;
    }
    if (chosen < 0) return;
    int link = sc_link_find(&st->l, lead, chosen);
    st->sum.joint_total++;
    st->sum.referral_offers++;
    /* G: common partners who convene vouch for the referral */
    double uptake = trust * (1 + P->lambda_G * sc_convening(st, lead, chosen));
    if (sc_u(r) >= uptake) {
        /* not taken up this week: a failure of joint work on the link */
        if (link >= 0) st->l.f[link]++;
        A->fail[chosen]++;
        return;
    }
    st->sum.joint_succ++;
    st->sum.referral_taken++;
    if (link >= 0) st->l.s[link]++;
    A->succ[chosen]++;
    A->joint_succ[chosen]++;
    A->joint_succ[lead]++;
    partner[d] = (uint8_t)chosen;
    A->cases[chosen]++;
    /* the lead hands the story over in person with probability trust;
     * failing that, it may still reach the partner through the system */
    if (P->information_sharing || sc_u(r) < trust)
        c->told[i] |= 1u << ((unsigned)chosen & 31u);
    else
        S_take_story(st, i, chosen, r);
}

/* The decisions about one actor's requests rq[lo .. hi), into ev[lo .. hi);
 * tid's ranking buffer when it has to ration */
static void S_decide(sc_state *st, const sc_request *rq, size_t lo, size_t hi, S_event *ev,
                     int tid)
{
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    int a = rq[lo].actor;
    size_t m = hi - lo;
    A->requests[a] += (int64_t)m;
    double free_places = A->alive[a] ? S_free(A, a) : 0;
    if (free_places < 0) free_places = 0;
    if ((double)m <= free_places) {
        for (size_t k = lo; k < hi; k++) ev[k] = (S_event){(int32_t)k, 1};
        return;
    }
    /* rationing: admit floor(free + U) ranked by A's priority */
    sc_draws r;
    sc_draws_init(&r, st->key, S_PLACE, (uint32_t)a, (uint32_t)st->tick);
    size_t k_admit = (size_t)floor(free_places + sc_u(&r));
    if (m > st->rank_cap[tid]) {
        /* kept for the next tick: no allocation in steady state */
        size_t want = m < 2 * st->rank_cap[tid] ? 2 * st->rank_cap[tid] : m; /* grow rarely */
        S_ranked *nr = realloc(st->rank[tid], want * sizeof *nr);
        if (!nr) {
            /* out of memory: this actor decides nothing this week */
            for (size_t k = lo; k < hi; k++) ev[k] = (S_event){(int32_t)k, -1};
            return;
        }
        st->rank[tid] = nr;
        st->rank_cap[tid] = want;
    }
    S_ranked *rank = st->rank[tid];
    double pA = A->p[a][P_A];
    for (size_t k = 0; k < m; k++) {
        const sc_request *q = &rq[lo + k];
        rank[k].score = (1 - pA) * (-(double)q->needs / D) + pA * q->maxsev;
        rank[k].citizen = q->citizen;
        rank[k].index = (int32_t)(lo + k);
    }
    qsort(rank, m, sizeof *rank, S_cmp_ranked);
    for (size_t k = 0; k < m; k++) ev[lo + k] = (S_event){rank[k].index, k < k_admit};
}

/* Room for n decisions in the kept buffer; 0 if memory runs out */
static int S_events_reserve(sc_state *st, size_t n)
{
    if (n <= st->adm_events_cap) return 1;
    if (n < 2 * st->adm_events_cap) n = 2 * st->adm_events_cap; /* grow rarely */
    S_event *ev = realloc(st->adm_events, n * sizeof *ev);
    if (!ev) return 0;
    st->adm_events = ev;
    st->adm_events_cap = n;
    return 1;
}

/* Carries out the decisions about citizens in [lo, hi), in list order. */
static void S_carry_out(sc_state *st, const S_event *ev, size_t n_ev, size_t lo, size_t hi,
                        S_carry *k)
{
    const sc_request *rq = st->reqs.data;
    for (size_t e = 0; e < n_ev; e++) {
        const sc_request *q = &rq[ev[e].request];
        size_t i = (size_t)q->citizen;
        if (i < lo || i >= hi) continue;
        if (ev[e].admit > 0) S_admit(st, q, k);
        else if (ev[e].admit == 0) S_turn_away(st, q, k);
    }
}

void sc_admission(sc_state *st)
{
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    const int nt = st->threads;
    st->turned_away_tick = 0;
    st->admitted_tick = 0;
    for (int a = 0; a < A->cap_n; a++) A->requests[a] = A->turned_away[a] = 0;

    st->reqs.n = st->refs.n = 0;
    S_append(&st->reqs, st->req, nt);
    S_append(&st->refs, st->ref, nt);
    sc_request *rq = st->reqs.data;
    size_t n = st->reqs.n;
    S_sort_requests(st, rq, n);

    /* 1. decisions, actor by actor: every request is admitted or turned
     * away, in the order the serial rules take them. An actor's decisions
     * depend only on its own requests and places, and its m requests give
     * the m decisions in the same positions of the list, so the actors are
     * shared between threads. */
    if (!S_events_reserve(st, n)) n = 0; /* out of memory: no admissions this week */
    S_event *ev = st->adm_events;
    size_t n_groups = 0;
    for (size_t lo = 0; lo < n; lo++)
        if (lo == 0 || rq[lo].actor != rq[lo - 1].actor) st->adm_groups[n_groups++] = lo;
    st->adm_groups[n_groups] = n;
    /* the same team size as every other region, even with one actor: a
     * team of another size makes libgomp allocate a new team each time */
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (size_t g = 0; g < n_groups; g++)
        S_decide(st, rq, st->adm_groups[g], st->adm_groups[g + 1], ev, omp_get_thread_num());
    const size_t n_ev = n;

    /* 2. carrying them out, split by citizen between the threads; the
     * pass's per-thread referral buffers, merged above, collect the
     * referrals made on admission */
    const size_t acap = (size_t)A->cap_n * 2;
    memset(st->adm_actor, 0, (size_t)nt * acap * sizeof *st->adm_actor);
    memset(st->adm_count, 0, (size_t)nt * SC_ADM_N * sizeof *st->adm_count);
    const size_t pop = st->c.n;
    for (int t = 0; t < nt; t++) st->ref[t].n = 0;
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num(), T = omp_get_num_threads();
        S_carry k = {st->adm_actor + (size_t)tid * acap, st->adm_count + (size_t)tid * SC_ADM_N,
                     &st->ref[tid]};
        S_carry_out(st, ev, n_ev, pop * (size_t)tid / (size_t)T,
                    pop * (size_t)(tid + 1) / (size_t)T, &k);
    }
    for (int t = 0; t < nt; t++) {
        const int64_t *ka = st->adm_actor + (size_t)t * acap;
        for (int a = 0; a < A->cap_n; a++) {
            A->cases[a] += ka[(size_t)a * 2];
            A->turned_away[a] += ka[(size_t)a * 2 + 1];
        }
        const int64_t *kc = st->adm_count + (size_t)t * SC_ADM_N;
        st->admitted_tick += kc[SC_ADM_ADMITTED];
        st->turned_away_tick += kc[SC_ADM_TURNED_AWAY];
        st->sum.first_support_n += kc[SC_ADM_FIRST_N];
        st->sum.first_support_weeks += kc[SC_ADM_FIRST_WEEKS];
    }
    /* the referrals made on admission join the pass's; sorted below */
    S_append(&st->refs, st->ref, nt);
    for (int t = 0; t < nt; t++) st->ref[t].n = 0;

    sc_referral *rf = st->refs.data;
    size_t nr = st->refs.n;
    S_sort_referrals(st, rf, nr);
    memset(st->refer_full, 0, (size_t)A->cap_n * (size_t)D);
    for (size_t k = 0; k < nr;) {
        sc_draws r;
        sc_draws_init(&r, st->key, S_REFER, (uint32_t)rf[k].citizen, (uint32_t)st->tick);
        size_t j = k;
        while (j < nr && rf[j].citizen == rf[k].citizen) S_refer(st, &rf[j++], &r);
        k = j;
    }
}
