/* Warm referrals (section 4, step 2, after admission): a lead offers each
 * pending need to a partner, chosen in proportion to the lead's trust in
 * it times its free capacity, and the partner takes it up with
 * probability trust (1 + lambda_G conv), so untrusted referrals wait (the
 * direct channel of E, amendment 7b) unless common partners who convene
 * vouch for them (G).
 *
 * The referrals are taken one by one in (citizen, domain, lead) order:
 * each placed one changes the free places the next one sees, so the
 * choices are serial. What they read and write of the citizens is not:
 *
 * 1. before the serial loop, the threads read each referral's citizen in
 *    parallel (is the need still pending with this lead? which services
 *    hold the story?). Nothing the loop does changes a citizen's status or
 *    lead, and the loop changes a pending partner only through a referral
 *    for the same citizen and domain, the one just before in the order;
 * 2. the serial loop works on the actors, the links and those copies
 *    alone, so it runs without the cache misses of 40,000 scattered
 *    citizens a week (the misses were two thirds of its time);
 * 3. after it, the threads write the placed referrals back to their
 *    citizens, split at citizen boundaries, in the loop's order.
 *
 * Any thread count gives the same bits: the draws are keyed by citizen,
 * and the serial loop sees exactly what it would see reading the citizens
 * itself. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sc.h"

static int S_cmp_referral(const void *x, const void *y)
{
    const sc_referral *a = x, *b = y;
    if (a->citizen != b->citizen) return a->citizen < b->citizen ? -1 : 1;
    if (a->domain != b->domain) return a->domain < b->domain ? -1 : 1;
    /* (citizen, domain) is unique in practice; a total order keeps the
     * result independent of the order the referrals were gathered in */
    return (a->lead > b->lead) - (a->lead < b->lead);
}

/* Referrals in (citizen, domain, lead) order: the comparator above as an
 * integer key, sorted in linear time (qsort if memory runs out: the same
 * order) */
static void S_sort(sc_state *st, sc_referral *rf, size_t n)
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

/* The referrals in (citizen, domain, lead) order, into st->refs, without
 * sorting them all: the citizen pass's are already in that order chunk by
 * chunk (a citizen's pending needs in domain order, with one lead; the
 * chunks cover the citizens in order), and admission's are sorted within
 * each thread's range of citizens, the ranges in order. The pass's are
 * copied in parallel, checking their order, and admission's merged in.
 * Should the pass's ever be out of order, everything is sorted. */
static void S_gather(sc_state *st)
{
    const int T = st->threads;
    sc_chunk_out *out = st->chunk_out;
    size_t np = 0, nq = 0;
    for (size_t ch = 0; ch < st->n_chunks; ch++) {
        out[ch].ref_at = np;
        np += out[ch].ref_hi - out[ch].ref_lo;
    }
    for (int t = 0; t < T; t++) nq += st->adm_ref[t].n;
    st->refs.n = 0;
    if (sc_vec_reserve(&st->refs, np + nq) != 0) {
        sc_out_of_memory(st);
        return;
    }
    sc_referral *dst = st->refs.data;
    int out_of_order = 0;
    const double t_par = omp_get_wtime();
#pragma omp parallel num_threads(T) reduction(| : out_of_order)
    {
#pragma omp for schedule(static) nowait
        for (int t = 0; t < T; t++)
            if (st->adm_ref[t].n > 1)
                qsort(st->adm_ref[t].data, st->adm_ref[t].n, sizeof(sc_referral), S_cmp_referral);
#pragma omp for schedule(static)
        for (size_t ch = 0; ch < st->n_chunks; ch++) {
            size_t m = out[ch].ref_hi - out[ch].ref_lo;
            if (m == 0) continue;
            const sc_referral *src = (const sc_referral *)st->ref[out[ch].thread].data + out[ch].ref_lo;
            memcpy(dst + out[ch].ref_at, src, m * sizeof *src);
            for (size_t j = 1; j < m; j++) out_of_order |= S_cmp_referral(&src[j - 1], &src[j]) > 0;
        }
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
    /* admission's, merged in from the back: the pass's that sort after one
     * of them move up (on a tie the pass's comes first, as in a sort of
     * the pass's followed by admission's) */
    size_t w = np + nq, i = np;
    for (int t = T - 1; t >= 0; t--) {
        const sc_referral *q = st->adm_ref[t].data;
        for (size_t j = st->adm_ref[t].n; j-- > 0;) {
            while (i > 0 && S_cmp_referral(&dst[i - 1], &q[j]) > 0) {
                w--;
                i--;
                dst[w] = dst[i];
            }
            dst[--w] = q[j];
        }
    }
    st->refs.n = np + nq;
    if (out_of_order) S_sort(st, dst, np + nq);
}

/* 1. What the serial loop needs of each referral's citizen */
static void S_read_citizens(sc_state *st, sc_referral *rf, size_t n)
{
    const sc_citizens *c = &st->c;
    const size_t D = (size_t)st->pl->D;
    const double t_par = omp_get_wtime();
#pragma omp parallel for schedule(static) num_threads(st->threads)
    for (size_t j = 0; j < n; j++) {
        size_t i = (size_t)rf[j].citizen;
        rf[j].pending = c->status[i] == ST_SUPPORTED && sc_lead(c, i) == rf[j].lead &&
                        c->partner[i * D + (size_t)rf[j].domain] == PARTNER_PENDING;
        rf[j].told = c->told[i];
        rf[j].placed = -1;
        rf[j].assessed = 0;
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
}

/* The lead's candidates for domain d: the live actors serving d other
 * than the lead, in the entry table's order. Nothing in them changes
 * while referrals run (only free places do), so they are listed once a
 * tick, when first needed. */
static const sc_candidate *S_candidates(sc_state *st, int lead, int d, int *n)
{
    const sc_actors *A = &st->a;
    const size_t cap = (size_t)A->cap_n, D = (size_t)st->pl->D;
    int16_t *count = &st->refer_cand_n[(size_t)lead * D + (size_t)d];
    sc_candidate *cand = &st->refer_cand[(size_t)lead * D * cap + (size_t)st->entry_off[d]];
    if (*count < 0) {
        int m = 0;
        for (int j = st->entry_off[d]; j < st->entry_off[d + 1]; j++) {
            int b = st->entry_actor[j];
            if (b == lead || !A->alive[b]) continue;
            int link = sc_link_of(st, lead, b);
            cand[m++] = (sc_candidate){b, link,
                                       link >= 0 ? st->l.trust[link] : st->prm->trust_default,
                                       sc_convening(st, lead, b)};
        }
        *count = (int16_t)m;
    }
    *n = *count;
    return cand;
}

/* 2. One referral, with *told the citizen's story holders so far this
 * tick and pending whether the need still waits for a partner */
static void S_refer(sc_state *st, sc_referral *rf, int pending, uint32_t *told, sc_draws *r)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    const int d = rf->domain, lead = rf->lead;
    /* once a lead found no partner for d with a free place, none appears
     * later in the tick: places are only taken while referrals are placed,
     * and the weights (trust times free places, both >= 0) only fall */
    uint8_t *full = &st->refer_full[(size_t)lead * (size_t)D + (size_t)d];
    if (*full) return;
    /* candidates with a free place, weighted by the lead's trust in them
     * times their free capacity */
    int nc;
    const sc_candidate *cand = S_candidates(st, lead, d, &nc);
    double total = 0;
    for (int j = 0; j < nc; j++) {
        int b = cand[j].actor;
        double f = sc_free_places(A, b);
        if (f < A->shrink * A->shrink) continue;
        total += cand[j].trust * f;
    }
    /* held by the lead and retried next week. Decided before the pending
     * test (neither draws or writes anything, so the order is free) */
    if (total <= 0) {
        *full = 1;
        return;
    }
    if (!pending) return;
    double x = sc_u(r) * total;
    const sc_candidate *chosen = NULL;
    for (int j = 0; j < nc; j++) {
        int b = cand[j].actor;
        double f = sc_free_places(A, b);
        if (f < A->shrink * A->shrink) continue;
        chosen = &cand[j];
        x -= cand[j].trust * f;
        if (x < 0) break;
    }
    if (!chosen) return;
    const int b = chosen->actor, link = chosen->link;
    const double trust = chosen->trust;
    st->sum.joint_total++;
    st->sum.referral_offers++;
    /* G: common partners who convene vouch for the referral */
    double uptake = trust * (1 + P->lambda_G * chosen->convening);
    if (sc_u(r) >= uptake) {
        /* not taken up this week: a failure of joint work on the link */
        if (link >= 0) st->l.f[link]++;
        A->fail[b]++;
        return;
    }
    st->sum.joint_succ++;
    st->sum.referral_taken++;
    if (link >= 0) st->l.s[link]++;
    A->succ[b]++;
    A->joint_succ[b]++;
    A->joint_succ[lead]++;
    A->cases[b]++;
    rf->placed = (int16_t)b;
    /* the lead hands the story over in person with probability trust;
     * failing that, it may still reach the partner through the system */
    if (P->information_sharing || sc_u(r) < trust)
        *told |= 1u << ((unsigned)b & 31u);
    else
        rf->assessed = (uint8_t)sc_story(st, told, b, r);
    rf->told = *told;
}

/* 3. The placed referrals of rf[lo .. hi), back to their citizens in order */
static void S_write_citizens(sc_state *st, const sc_referral *rf, size_t lo, size_t hi)
{
    sc_citizens *c = &st->c;
    const size_t D = (size_t)st->pl->D;
    for (size_t j = lo; j < hi; j++) {
        if (rf[j].placed < 0) continue;
        size_t i = (size_t)rf[j].citizen;
        c->partner[i * D + (size_t)rf[j].domain] = (uint8_t)rf[j].placed;
        c->told[i] = rf[j].told;
        if (rf[j].assessed && c->assess[i] < 255) c->assess[i]++;
    }
}

/* Where the t-th of T parts of rf[0 .. n) starts: at a citizen boundary */
static size_t S_part_start(const sc_referral *rf, size_t n, int t, int T)
{
    size_t j = n * (size_t)t / (size_t)T;
    while (j > 0 && j < n && rf[j].citizen == rf[j - 1].citizen) j++;
    return j;
}

void sc_referrals(sc_state *st)
{
    S_gather(st);
    sc_referral *rf = st->refs.data;
    const size_t n = st->refs.n;
    S_read_citizens(st, rf, n);
    const size_t cap = (size_t)st->a.cap_n;
    memset(st->refer_full, 0, cap * (size_t)st->pl->D);
    for (size_t k = 0; k < cap * (size_t)st->pl->D; k++) st->refer_cand_n[k] = -1;
    for (size_t k = 0; k < n;) {
        sc_draws r;
        sc_draws_init(&r, st->key, S_REFER, (uint32_t)rf[k].citizen, (uint32_t)st->tick);
        uint32_t told = rf[k].told;
        int placed_here = 0; /* a referral for this citizen and domain was placed */
        size_t j = k;
        for (; j < n && rf[j].citizen == rf[k].citizen; j++) {
            if (j > k && rf[j].domain != rf[j - 1].domain) placed_here = 0;
            S_refer(st, &rf[j], rf[j].pending && !placed_here, &told, &r);
            if (rf[j].placed >= 0) placed_here = 1;
        }
        k = j;
    }
    const double t_par = omp_get_wtime();
#pragma omp parallel num_threads(st->threads)
    {
        int t = omp_get_thread_num(), T = omp_get_num_threads();
        S_write_citizens(st, rf, S_part_start(rf, n, t, T), S_part_start(rf, n, t + 1, T));
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
}
