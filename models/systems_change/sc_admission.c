/* Admission (section 4, step 2), in a fixed order. Requests from the
 * citizen pass are taken in (actor, citizen, domain) order; an actor with
 * more requests than free places rations them by its p_A (low A admits
 * the simplest cases first, high A the most severe). The referrals made
 * on admission join the pass's for sc_referrals.c.
 *
 * Which requests an actor admits depends only on its own free places and
 * the requests themselves, so the decisions are made first, in parallel
 * over actors, as a list in the order the rules give. Carrying them out
 * touches citizens scattered over the population (a cache miss each) and
 * is split between threads by citizen: the list is dealt to the threads
 * that own the citizens, each keeping list order, so every citizen sees
 * its decisions in the serial order; the draws are keyed by citizen and
 * domain, and the counts are integers summed over threads. Any thread
 * count gives the same bits. */
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

/* The citizen pass's requests in (actor, citizen, domain) order, into
 * st->reqs, with actor a's run at st->adm_groups[a .. a + 1). No sort: the
 * pass leaves each chunk's requests in (citizen, domain) order and the
 * chunks cover the citizens in order, so a stable counting sort by actor,
 * chunk by chunk, gives the order. Counting and placing are split between
 * threads by chunk, the runs' offsets by actor. S_decide checks the order
 * it relies on. Returns 0 if memory runs out. */
static int S_gather_requests(sc_state *st)
{
    const size_t nch = st->n_chunks, na = (size_t)st->a.cap_n;
    const sc_chunk_out *out = st->chunk_out;
    uint32_t *at = st->adm_chunk_count; /* [chunk][actor]: a count, then a place */
    size_t *run = st->adm_groups;
    int ok = 1;
    st->reqs.n = 0;
    const double t_par = omp_get_wtime();
#pragma omp parallel num_threads(st->threads)
    {
#pragma omp for schedule(static)
        for (size_t ch = 0; ch < nch; ch++) {
            uint32_t *row = &at[ch * na];
            memset(row, 0, na * sizeof *row);
            const sc_request *rq = st->req[out[ch].thread].data;
            for (size_t j = out[ch].req_lo; j < out[ch].req_hi; j++) row[rq[j].actor]++;
        }
        /* within each actor's run, where each chunk's requests start */
#pragma omp for schedule(static)
        for (size_t a = 0; a < na; a++) {
            /* at most a request per citizen and domain: 2e8 x 16 < 2^32 */
            uint32_t sum = 0;
            for (size_t ch = 0; ch < nch; ch++) {
                uint32_t c = at[ch * na + a];
                at[ch * na + a] = sum;
                sum += c;
            }
            run[a + 1] = sum;
        }
#pragma omp single
        {
            run[0] = 0;
            for (size_t a = 0; a < na; a++) run[a + 1] += run[a];
            ok = sc_vec_reserve(&st->reqs, run[na]) == 0;
        }
        sc_request *dst = st->reqs.data;
#pragma omp for schedule(static)
        for (size_t ch = 0; ch < nch; ch++) {
            uint32_t *row = &at[ch * na];
            const sc_request *rq = st->req[out[ch].thread].data;
            for (size_t j = out[ch].req_lo; ok && j < out[ch].req_hi; j++) {
                size_t a = (size_t)rq[j].actor;
                dst[run[a] + row[a]++] = rq[j];
            }
        }
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
    if (!ok) {
        sc_out_of_memory(st);
        return 0;
    }
    st->reqs.n = run[na];
    return 1;
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

/* rank[0 .. m), given in (citizen, domain) order, by score, highest
 * first, and then as given: a stable sort on the score alone, as an
 * integer key, in linear time. Returns 0, or -1 if memory runs out (no
 * fallback: qsort is stable only while it has memory of its own). */
static int S_sort_ranked(ps_sort_scratch *s, S_ranked *rank, size_t m)
{
    uint64_t *key = ps_sort_keys(s, m);
    if (key) {
        for (size_t k = 0; k < m; k++) {
            double x = rank[k].score == 0 ? 0.0 : rank[k].score; /* -0 ties +0 */
            uint64_t u;
            memcpy(&u, &x, sizeof u);
            /* ascending as unsigned integers, then reversed: highest first */
            u = (u >> 63) ? ~u : u | (uint64_t)1 << 63;
            key[k] = ~u;
        }
        if (ps_sort_by_key(rank, m, sizeof *rank, key, s) == 0) return 0;
    }
    return -1;
}

/* A service taking a citizen on (sc_story) */
static void S_take_story(sc_state *st, size_t i, int a, sc_draws *r)
{
    sc_citizens *c = &st->c;
    if (sc_story(st, &c->told[i], a, r) && c->assess[i] < 255) c->assess[i]++;
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
                } else {
                    sc_out_of_memory(st);
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

/* The decisions about one actor's requests rq[lo .. hi), into ev[lo .. hi);
 * tid's ranking buffer when it has to ration */
static void S_decide(sc_state *st, sc_request *rq, size_t lo, size_t hi, S_event *ev,
                     int tid)
{
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    int a = rq[lo].actor;
    size_t m = hi - lo;
    /* the order S_gather_requests relies on; restored if it ever fails */
    for (size_t k = lo + 1; k < hi; k++) {
        if (S_cmp_request(&rq[k - 1], &rq[k]) > 0) {
            qsort(&rq[lo], m, sizeof *rq, S_cmp_request);
            break;
        }
    }
    A->requests[a] += (int64_t)m;
    double free_places = A->alive[a] ? sc_free_places(A, a) : 0;
    if (free_places < 0) free_places = 0;
    double seen = sc_seen_requests(A, a, (double)m);
    if (seen <= free_places) {
        for (size_t k = lo; k < hi; k++) ev[k] = (S_event){(int32_t)k, 1};
        return;
    }
    /* rationing: admit floor(free + U) ranked by A's priority */
    sc_draws r;
    sc_draws_init(&r, st->key, S_PLACE, (uint32_t)a, (uint32_t)st->tick);
    /* below the place's size, the share of the requests the whole place's
     * organisation would admit */
    double places = A->shrink == 1 ? free_places : (double)m * free_places / seen;
    size_t k_admit = (size_t)floor(places + sc_u(&r));
    if (m > st->rank_cap[tid]) {
        /* kept for the next tick: no allocation in steady state */
        size_t want = m < 2 * st->rank_cap[tid] ? 2 * st->rank_cap[tid] : m; /* grow rarely */
        S_ranked *nr = realloc(st->rank[tid], want * sizeof *nr);
        if (!nr) {
            /* out of memory: this actor decides nothing, and the tick fails */
            for (size_t k = lo; k < hi; k++) ev[k] = (S_event){(int32_t)k, -1};
            sc_out_of_memory(st);
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
    if (S_sort_ranked(&st->rank_sort[tid], rank, m) != 0) {
        for (size_t k = lo; k < hi; k++) ev[k] = (S_event){(int32_t)k, -1};
        sc_out_of_memory(st);
        return;
    }
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

/* The thread that carries out the decisions about citizen i, of pop:
 * thread t of T takes the citizens [pop t / T, pop (t + 1) / T) */
static int S_owner(size_t i, size_t pop, int T)
{
    size_t t = i * (size_t)T / pop;
    if (t + 1 < (size_t)T && pop * (t + 1) / (size_t)T <= i) t++;
    return (int)t;
}

/* Carries out the n decisions ev[0 .. n), in order */
static void S_carry_out(sc_state *st, const S_event *ev, size_t n, S_carry *k)
{
    const sc_request *rq = st->reqs.data;
    for (size_t e = 0; e < n; e++) {
        const sc_request *q = &rq[ev[e].request];
        if (ev[e].admit > 0) S_admit(st, q, k);
        else if (ev[e].admit == 0) S_turn_away(st, q, k);
    }
}

/* Thread tid of T's part of carrying out the decisions ev[0 .. n): first
 * the decisions are dealt to the threads that own their citizens, each
 * thread dealing a slice of the list, so that every thread's share stays
 * in list order (split: [T][T] places, then T + 1 starts; by_owner: room
 * for n); then each carries out its own. */
static void S_deal_and_carry(sc_state *st, const S_event *ev, size_t n, S_event *by_owner,
                             size_t *split, int tid, int T, S_carry *k)
{
    const sc_request *rq = st->reqs.data;
    const size_t pop = st->c.n;
    size_t *mine = &split[(size_t)tid * (size_t)T], *start = &split[(size_t)T * (size_t)T];
    const size_t lo = n * (size_t)tid / (size_t)T, hi = n * (size_t)(tid + 1) / (size_t)T;
    memset(mine, 0, (size_t)T * sizeof *mine);
    for (size_t e = lo; e < hi; e++) mine[S_owner((size_t)rq[ev[e].request].citizen, pop, T)]++;
#pragma omp barrier
#pragma omp single
    {
        size_t at = 0;
        for (int b = 0; b < T; b++) {
            start[b] = at;
            for (int t = 0; t < T; t++) {
                size_t c = split[(size_t)t * (size_t)T + (size_t)b];
                split[(size_t)t * (size_t)T + (size_t)b] = at;
                at += c;
            }
        }
        start[T] = at;
    }
    for (size_t e = lo; e < hi; e++)
        by_owner[mine[S_owner((size_t)rq[ev[e].request].citizen, pop, T)]++] = ev[e];
#pragma omp barrier
    if (start[tid + 1] > start[tid])
        S_carry_out(st, by_owner + start[tid], start[tid + 1] - start[tid], k);
}

void sc_admission(sc_state *st)
{
    sc_actors *A = &st->a;
    const int nt = st->threads;
    st->turned_away_tick = 0;
    st->admitted_tick = 0;
    for (int a = 0; a < A->cap_n; a++) A->requests[a] = A->turned_away[a] = 0;

    /* out of memory: no admissions this week */
    size_t n = S_gather_requests(st) ? st->reqs.n : 0;
    if (!S_events_reserve(st, 2 * n)) { /* the list, then dealt to threads */
        sc_out_of_memory(st);
        n = 0;
    }
    sc_request *rq = st->reqs.data;

    /* 1. decisions, actor by actor: every request is admitted or turned
     * away, in the order the serial rules take them. An actor's decisions
     * depend only on its own requests and places, and its m requests give
     * the m decisions in the same positions of the list, so the actors are
     * shared between threads. */
    S_event *ev = st->adm_events;
    const size_t *run = st->adm_groups;
    /* the actors with most requests first, so that the longest ranking
     * starts at once instead of after the others (the order of the work,
     * not of the results) */
    int *order = st->adm_order, n_busy = 0;
    for (int a = 0; a < A->cap_n; a++) {
        if (n == 0 || run[a] == run[a + 1]) continue;
        int k = n_busy++;
        for (; k > 0 && run[order[k - 1] + 1] - run[order[k - 1]] < run[a + 1] - run[a]; k--)
            order[k] = order[k - 1];
        order[k] = a;
    }
    /* the same team size as every other region, even with one actor: a
     * team of another size makes libgomp allocate a new team each time */
    double t_par = omp_get_wtime();
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
    for (int g = 0; g < n_busy; g++)
        S_decide(st, rq, run[order[g]], run[order[g] + 1], ev, omp_get_thread_num());
    st->parallel_seconds += omp_get_wtime() - t_par;
    const size_t n_ev = n;

    /* 2. carrying them out, split by citizen between the threads, each
     * collecting the referrals made on admission for sc_referrals */
    const size_t acap = (size_t)A->cap_n * 2;
    memset(st->adm_actor, 0, (size_t)nt * acap * sizeof *st->adm_actor);
    memset(st->adm_count, 0, (size_t)nt * SC_ADM_N * sizeof *st->adm_count);
    for (int t = 0; t < nt; t++) st->adm_ref[t].n = 0;
    t_par = omp_get_wtime();
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num(), T = omp_get_num_threads();
        S_carry k = {st->adm_actor + (size_t)tid * acap, st->adm_count + (size_t)tid * SC_ADM_N,
                     &st->adm_ref[tid]};
        S_deal_and_carry(st, ev, n_ev, n_ev ? ev + n_ev : NULL, st->adm_split, tid, T, &k);
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
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
}
