/* Admission and referrals (section 4, step 2): serial, in a fixed order.
 * Requests from the citizen pass are sorted by (actor, citizen, domain);
 * an actor with more requests than free places rations them by its p_A
 * (low A admits the simplest cases first, high A the most severe); warm
 * referrals are then offered to partners in proportion to trust times free
 * capacity, and taken up with probability trust (1 + lambda_G conv), so
 * untrusted referrals wait (the direct channel of E, amendment 7b) unless
 * common partners who convene vouch for them (G). */
#include <math.h>
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
    return (a->domain > b->domain) - (a->domain < b->domain);
}

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

static int S_merge(sc_vec *dst, sc_vec *parts, int n)
{
    dst->n = 0;
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

static void S_admit(sc_state *st, const sc_request *rq)
{
    const sc_params *P = st->prm;
    sc_citizens *c = &st->c;
    sc_actors *A = &st->a;
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
            st->sum.first_support_n++;
            /* the wait modulo 2^16 is the wait: runs are at most SC_MAX_TICKS */
            st->sum.first_support_weeks += (uint16_t)((unsigned)st->tick - c->episode_tick[i]);
        }
        if (sc_u(&r) < P->out_of_area * (1 - A->p[a][P_D]))
            c->flags[i] |= CF_OUT_OF_AREA;
        A->cases[a]++;
        for (int d = 0; d < D; d++) {
            partner[d] = PARTNER_NONE;
            if (c->sev[i * (size_t)D + (size_t)d] <= 0 || (A->domains[a] & (1u << d)))
                continue;
            if (sc_u(&r) < A->p[a][P_C]) {
                partner[d] = PARTNER_PENDING;
                sc_referral *rf = sc_vec_push(&st->refs);
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
        A->cases[a]++;
    }
    st->admitted_tick++;
}

static void S_turn_away(sc_state *st, const sc_request *rq)
{
    sc_citizens *c = &st->c;
    size_t i = (size_t)rq->citizen;
    double e = c->engagement[i] - st->prm->eng_turned_away;
    c->engagement[i] = (float)(e < 0 ? 0 : e);
    if (c->handoffs[i] < 255) c->handoffs[i]++;
    st->a.turned_away[rq->actor]++;
    st->turned_away_tick++;
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
    if (total <= 0) return;
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

void sc_admission(sc_state *st)
{
    sc_actors *A = &st->a;
    const sc_params *P = st->prm;
    const int D = st->pl->D;
    st->turned_away_tick = 0;
    st->admitted_tick = 0;
    for (int a = 0; a < A->cap_n; a++) A->requests[a] = A->turned_away[a] = 0;

    S_merge(&st->reqs, st->req, st->threads);
    S_merge(&st->refs, st->ref, st->threads);
    sc_request *rq = st->reqs.data;
    size_t n = st->reqs.n;
    if (n) qsort(rq, n, sizeof *rq, S_cmp_request);

    S_ranked *rank = st->rank;
    size_t rank_cap = st->rank_cap;
    for (size_t lo = 0; lo < n;) {
        size_t hi = lo;
        while (hi < n && rq[hi].actor == rq[lo].actor) hi++;
        int a = rq[lo].actor;
        size_t m = hi - lo;
        A->requests[a] += (int64_t)m;
        double free_places = A->alive[a] ? S_free(A, a) : 0;
        if (free_places < 0) free_places = 0;
        if ((double)m <= free_places) {
            for (size_t k = lo; k < hi; k++) S_admit(st, &rq[k]);
        } else {
            /* rationing: admit floor(free + U) ranked by A's priority */
            sc_draws r;
            sc_draws_init(&r, st->key, S_PLACE, (uint32_t)a, (uint32_t)st->tick);
            size_t k_admit = (size_t)floor(free_places + sc_u(&r));
            if (m > rank_cap) {
                S_ranked *nr = realloc(rank, m * sizeof *nr);
                if (!nr) k_admit = 0;
                else {
                    rank = nr;
                    rank_cap = m;
                }
            }
            if (rank && m <= rank_cap) {
                double pA = A->p[a][P_A];
                for (size_t k = 0; k < m; k++) {
                    const sc_request *q = &rq[lo + k];
                    rank[k].score = (1 - pA) * (-(double)q->needs / D) + pA * q->maxsev;
                    rank[k].citizen = q->citizen;
                    rank[k].index = (int32_t)(lo + k);
                }
                qsort(rank, m, sizeof *rank, S_cmp_ranked);
                for (size_t k = 0; k < m; k++) {
                    if (k < k_admit) S_admit(st, &rq[rank[k].index]);
                    else S_turn_away(st, &rq[rank[k].index]);
                }
            }
        }
        lo = hi;
    }
    st->rank = rank; /* kept for the next tick: no allocation in steady state */
    st->rank_cap = rank_cap;

    sc_referral *rf = st->refs.data;
    size_t nr = st->refs.n;
    if (nr) qsort(rf, nr, sizeof *rf, S_cmp_referral);
    for (size_t k = 0; k < nr;) {
        sc_draws r;
        sc_draws_init(&r, st->key, S_REFER, (uint32_t)rf[k].citizen, (uint32_t)st->tick);
        size_t j = k;
        while (j < nr && rf[j].citizen == rf[k].citizen) S_refer(st, &rf[j++], &r);
        k = j;
    }
    (void)P;
}
