/* The citizen pass (section 4, step 1): needs, status and treatment, in
 * parallel over fixed chunks of citizens. A citizen reads actors as they
 * were at the end of the previous tick and writes only itself and its
 * thread's integer tallies; requests and referrals go to per-thread buffers
 * that the serial admission step sorts into a fixed order. So any thread
 * count gives the same bits. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <omp.h>
#include <string.h>

#include "reduce.h"
#include "sc.h"

/* Beta(a, b) with the given mean and sd (sd^2 < mean (1 - mean)). */
static double S_beta(gsl_rng *g, double mean, double sd)
{
    double common = mean * (1 - mean) / (sd * sd) - 1;
    if (common <= 0) return mean;
    return gsl_ran_beta(g, mean * common, (1 - mean) * common);
}

/* A new adult: neighbourhood, latent disadvantage, assets, engagement, and
 * (at the start only) the needs present in the population. */
static void S_init_citizen(sc_state *st, size_t i, gsl_rng *g, uint32_t stream,
                           uint32_t tick, int at_start)
{
    const sc_place *pl = st->pl;
    const sc_params *P = st->prm;
    sc_citizens *c = &st->c;
    int D = pl->D;
    ps_rng_gsl_position(g, st->key, stream, (uint32_t)i, tick);
    double u = gsl_rng_uniform(g), cum = 0;
    int h = pl->H - 1;
    for (int k = 0; k < pl->H; k++) {
        cum += pl->hood_share[k];
        if (u < cum) {
            h = k;
            break;
        }
    }
    /* z: c->z_class holds these values for the state's parameters (see
     * sc_z_refresh) */
    int high = gsl_rng_uniform(g) < P->high_share;
    if (c->z) {
        double norm = 1 - P->high_share + P->high_share * P->high_ratio;
        c->z[i] = (float)((high ? P->high_ratio : 1.0) / norm);
    }
    /* a newcomer moves into the home the leaver left: neighbourhood
     * populations stay as they were drawn */
    if (at_start) c->hood[i] = (uint16_t)h;
    c->assets[i] = (float)S_beta(g, P->assets_mean, P->assets_sd);
    c->engagement[i] = (float)S_beta(g, P->eng_mean, P->eng_sd);
    c->status[i] = ST_NONE;
    c->flags[i] = high ? (uint8_t)CF_HIGH : 0; /* no year contact, no needs */
    c->follow_left[i] = 0;
    c->assess[i] = c->handoffs[i] = 0;
    c->relapse[i] = 0;
    c->lead[i] = LEAD_NONE;
    c->episode_tick[i] = 0;
    c->told[i] = 0;
    const double z = sc_z(c, i);
    float *sev = &c->sev[i * (size_t)D];
    uint8_t *partner = &c->partner[i * (size_t)D];
    int n_act = 0;
    for (int d = 0; d < D; d++) {
        sev[d] = 0;
        partner[d] = PARTNER_NONE;
        if (at_start && gsl_rng_uniform(g) < pl->initial[d] * z) {
            sev[d] = (float)(P->threshold +
                             gsl_rng_uniform(g) * (P->initial_severity_max - P->threshold));
            n_act++;
        }
    }
    if (n_act) {
        c->status[i] = ST_UNMET;
        sc_set_max_needs(c, i, n_act);
        c->episode_tick[i] = (uint16_t)tick;
    }
}

void sc_citizens_init(sc_state *st)
{
    size_t n = st->c.n;
    size_t chunks = ps_chunk_count(n);
#pragma omp parallel
    {
        gsl_rng *g = gsl_rng_alloc(ps_rng_philox);
#pragma omp for schedule(dynamic, 1)
        for (size_t ch = 0; ch < chunks; ch++) {
            size_t end = (ch + 1) * PS_CHUNK < n ? (ch + 1) * PS_CHUNK : n;
            for (size_t i = ch * PS_CHUNK; i < end && g; i++)
                S_init_citizen(st, i, g, S_INIT, 0, 1);
        }
        gsl_rng_free(g);
    }
    memset(st->hood_pop, 0, (size_t)st->pl->H * sizeof *st->hood_pop);
    for (size_t i = 0; i < n; i++) st->hood_pop[st->c.hood[i]]++;
}

/* Bits of the three Hard Edges systems (housing, substance, offending). */
static uint8_t S_contact_bits(const sc_place *pl, const float *sev)
{
    uint8_t m = 0;
    if (pl->dom_housing >= 0 && sev[pl->dom_housing] > 0) m |= 1;
    if (pl->dom_substance >= 0 && sev[pl->dom_substance] > 0) m |= 2;
    if (pl->dom_offending >= 0 && sev[pl->dom_offending] > 0) m |= 4;
    return m;
}

void sc_year_reset(sc_state *st)
{
    sc_citizens *c = &st->c;
    const sc_place *pl = st->pl;
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < c->n; i++)
        c->flags[i] = (uint8_t)((c->flags[i] & ~CF_YEAR_MASK) |
                                (unsigned)S_contact_bits(pl, &c->sev[i * (size_t)pl->D])
                                    << CF_YEAR_SHIFT);
}

/* An entry actor for domain d seen from neighbourhood h, or -1. */
static int S_pick_entry(const sc_state *st, int d, int h, double u, int new_case)
{
    /* a single front door takes every new case; a need it cannot serve is
     * then referred (or signposted) to the services that can */
    if (new_case && st->prm->single_front_door && st->pl->front_door >= 0 &&
        st->a.alive[st->pl->front_door])
        return st->pl->front_door;
    int lo = st->entry_off[d], hi = st->entry_off[d + 1];
    if (hi <= lo) return -1;
    const double *cum = &st->entry_cum[((size_t)d * (size_t)st->pl->H + (size_t)h) *
                                       (size_t)st->a.cap_n];
    double total = cum[hi - lo - 1];
    if (total <= 0) return -1;
    double x = u * total;
    for (int j = 0; j < hi - lo; j++)
        if (x < cum[j]) return st->entry_actor[lo + j];
    return st->entry_actor[hi - 1];
}

static void S_push_request(sc_state *st, sc_vec *v, size_t i, int actor, int domain,
                           int needs, double maxsev)
{
    sc_request *r = sc_vec_push(v);
    if (!r) {
        sc_out_of_memory(st);
        return;
    }
    r->citizen = (int32_t)i;
    r->actor = (int16_t)actor;
    r->domain = (int8_t)domain;
    r->needs = (uint8_t)needs;
    r->maxsev = (float)maxsev;
}

static void S_start_episode(sc_citizens *c, size_t i, int n_act, int tick)
{
    c->assess[i] = 0;
    c->told[i] = 0;
    c->handoffs[i] = 0;
    sc_set_max_needs(c, i, n_act);
    c->episode_tick[i] = (uint16_t)tick;
    c->flags[i] &= (uint8_t)~(CF_FIRST_SUPPORT_DONE | CF_OUT_OF_AREA);
}

static void S_release(sc_citizens *c, size_t i, int D)
{
    c->lead[i] = LEAD_NONE;
    for (int d = 0; d < D; d++) c->partner[i * (size_t)D + (size_t)d] = PARTNER_NONE;
    c->flags[i] &= (uint8_t)~CF_OUT_OF_AREA;
}

/* s^nu for help seeking. nu is 1 unless a scenario says otherwise, and
 * pow(s, 1) is s exactly (glibc's pow errs by under one ulp, so a result
 * that is representable comes back exact): skipping the call changes no bit
 * and saved about 6 % of the pass. */
static inline double S_pow_nu(double s, double nu)
{
    return nu == 1 ? s : pow(s, nu);
}

static uint8_t S_sat_inc(uint8_t v) { return v < 255 ? (uint8_t)(v + 1) : v; }

static float S_clampf(double x) { return (float)(x < 0 ? 0 : (x > 1 ? 1 : x)); }

/* Treatment quality of joint work between lead a and partner b (E):
 * 1 - d_ab (1 - u_ab), and the link index (or -1). */
static double S_quality(const sc_state *st, int a, int b, int *link)
{
    *link = sc_link_of(st, a, b);
    if (*link >= 0) return 1 - st->l.dist[*link] * (1 - st->l.und[*link]);
    double s = 0;
    for (int k = 0; k < SC_VALUES; k++) s += fabs(st->a.values[a][k] - st->a.values[b][k]);
    return 1 - s / SC_VALUES * (1 - st->prm->trust_default);
}

typedef struct {
    sc_tally *t;
    int64_t *ta;   /* [actor][TA_N] */
    int64_t *tl;   /* [link][2] */
    int64_t *th;   /* [hood] */
    sc_vec *req, *ref;
    gsl_rng *g;
    /* z of the citizens (sc_z): the value of the citizen's class, or its
     * own z once the run has given every citizen one */
    double z_class[2];
} S_thread;

/* The citizen's contribution to the week's metrics: wellbeing by
 * complexity, prevalence and unmet need. */
static void S_tally(const sc_state *st, size_t i, sc_tally *t)
{
    const sc_place *pl = st->pl;
    const sc_actors *A = &st->a;
    const sc_citizens *c = &st->c;
    const int D = pl->D;
    const float *sev = &c->sev[i * (size_t)D];
    const uint8_t *partner = &c->partner[i * (size_t)D];
    const int lead = sc_lead(c, i), status = c->status[i];
    double wsum = 0, wtot = 0;
    int unserved = 0, n_act = 0;
    for (int d = 0; d < D; d++) {
        wsum += pl->weight[d] * sev[d];
        wtot += pl->weight[d];
        if (sev[d] <= 0) continue;
        n_act++;
        int served = status == ST_SUPPORTED && lead >= 0 &&
                     ((A->domains[lead] & (1u << d)) || sc_is_actor(partner[d]));
        if (!served) {
            unserved = 1;
            t->unmet_domain[d]++;
            t->unmet_severity[d] += ps_fixed(sev[d]);
        }
    }
    double w = 1 - wsum / wtot;
    if (!(w >= 0 && w <= 1) || !(c->assets[i] >= 0 && c->assets[i] <= 1) ||
        !(c->engagement[i] >= 0 && c->engagement[i] <= 1)) {
        /* a non-finite or out-of-range value: remembered, and the step stops */
        if (t->bad_citizen == 0 || (int64_t)i + 1 < t->bad_citizen) t->bad_citizen = (int64_t)i + 1;
        w = 0;
    }
    t->citizens++;
    t->wb_sum_all += ps_fixed(w);
    if (n_act > 0) {
        int b = n_act >= 3 ? 3 : n_act;
        t->with_needs[b]++;
        t->wb_sum[b] += ps_fixed(w);
        t->wb_sum_needs += ps_fixed(w);
        t->unmet += unserved;
    }
}

void sc_census(sc_state *st)
{
    sc_tally *sum = &st->sum;
    memset(sum, 0, sizeof *sum);
    /* serial: it runs once per replication */
    for (size_t i = 0; i < st->c.n; i++) S_tally(st, i, sum);
    memcpy(st->unmet_domain, sum->unmet_domain, sizeof st->unmet_domain);
}

/* own_z: a constant where it is inlined (c->z is set or not for the whole
 * pass), so the common case reads the class bit without a test */
static inline __attribute__((always_inline)) void S_citizen(sc_state *st, size_t i,
                                                            S_thread *T, int own_z,
                                                            const uint32_t first[4])
{
    const sc_place *pl = st->pl;
    const sc_params *P = st->prm;
    const sc_actors *A = &st->a;
    sc_citizens *c = &st->c;
    const int D = pl->D;
    const uint32_t tick = (uint32_t)st->tick;
    float *sev = &c->sev[i * (size_t)D];
    uint8_t *partner = &c->partner[i * (size_t)D];
    sc_tally *t = T->t;

    sc_draws r;
    sc_draws_init_from(&r, st->key, S_CITIZEN, (uint32_t)i, tick, first);
    double u0 = sc_u(&r);

    /* population turnover: an adult leaves, a new one arrives */
    if (u0 < P->turnover) {
        S_init_citizen(st, i, T->g, S_TURNOVER, tick, 0);
        u0 = 0.999999999; /* no onset in the week of arrival */
    } else {
        u0 = (u0 - P->turnover) / (1 - P->turnover);
    }
    const int h = c->hood[i];
    const double z = own_z ? (double)c->z[i] : T->z_class[(c->flags[i] & CF_HIGH) >> 5];
    double a = c->assets[i];
    int status = c->status[i];

    /* the quiet majority: no need, no memory of one, and no onset now */
    if (status == ST_NONE && c->relapse[i] == 0 &&
        u0 >= z * (1 - P->psi * a) * st->onset_hood[h]) {
        t->citizens++;
        t->wb_sum_all += ps_fixed(1.0);
        sc_relax_quiet(c, i, P, a);
        return;
    }

    /* no need but a memory of one: the same arithmetic and draws as the full
     * path below, without touching the need arrays (all zero when NONE) */
    if (status == ST_NONE) {
        double base0 = z * (1 - P->psi * a) * (1 - P->chi * st->hood_assets[h]);
        double cum0 = 0, k0 = 0;
        int onset = 0;
        for (int d = 0; d < pl->D && !onset; d++) {
            double p = pl->onset[d] * st->surge[d] * base0 * (1 + P->kappa_onset * k0);
            if (c->relapse[i] & (1u << d)) p *= P->relapse;
            cum0 += p;
            onset = u0 < cum0;
        }
        if (!onset) {
            for (int d = 0; d < pl->D; d++)
                if ((c->relapse[i] & (1u << d)) && sc_u(&r) < P->relapse_fade)
                    c->relapse[i] &= (uint16_t)~(1u << d);
            a += P->assets_relax * (P->assets_mean - a);
            c->assets[i] = S_clampf(a);
            double e0 = c->engagement[i];
            e0 += P->eng_relax * (P->eng_mean - e0);
            c->engagement[i] = S_clampf(e0);
            t->citizens++;
            t->wb_sum_all += ps_fixed(1.0); /* no need: wellbeing 1 */
            return;
        }
    }

    /* 1. needs: onset (at most one a week), then growth, treatment, recovery */
    uint32_t act = 0;
    for (int d = 0; d < D; d++)
        if (sev[d] > 0) act |= 1u << d;
    double base = z * (1 - P->psi * a) * (1 - P->chi * st->hood_assets[h]);
    double cum = 0;
    for (int d = 0; d < D; d++) {
        if (act & (1u << d)) continue;
        double k = 0;
        for (int e = 0; e < D; e++)
            if (act & (1u << e)) k += pl->W[d][e];
        double p = pl->onset[d] * st->surge[d] * base * (1 + P->kappa_onset * k);
        if (c->relapse[i] & (1u << d)) p *= P->relapse;
        cum += p;
        if (u0 < cum) {
            sev[d] = (float)P->s0;
            act |= 1u << d;
            t->onsets++;
            break;
        }
    }
    for (int d = 0; d < D; d++)
        if ((c->relapse[i] & (1u << d)) && sc_u(&r) < P->relapse_fade)
            c->relapse[i] &= (uint16_t)~(1u << d);

    int n_act = __builtin_popcount(act);
    const int lead = sc_lead(c, i);
    const int supported = status == ST_SUPPORTED && lead >= 0;
    for (int d = 0; d < D; d++) {
        if (!(act & (1u << d))) continue;
        double s = sev[d], eff = 0;
        if (supported) {
            int server = -1, link = -1;
            double q = 1;
            if (A->domains[lead] & (1u << d))
                server = lead;
            else if (sc_is_actor(partner[d])) {
                server = partner[d];
                q = S_quality(st, lead, server, &link);
            }
            if (server >= 0) {
                eff = P->eps * pl->treat[d] * (0.5 + A->p[server][P_B]) *
                      (1 + P->beta_F * a * A->p[server][P_F]) * A->avail[server] * q;
                if (server != lead) {
                    int ok = sc_u(&r) < q * A->avail[server];
                    t->joint_total++;
                    if (ok) {
                        t->joint_succ++;
                        T->ta[(size_t)server * TA_N + TA_SUCC]++;
                        T->ta[(size_t)server * TA_N + TA_JOINT]++;
                        T->ta[(size_t)lead * TA_N + TA_JOINT]++;
                    } else {
                        T->ta[(size_t)server * TA_N + TA_FAIL]++;
                    }
                    if (link >= 0) T->tl[(size_t)link * 2 + (ok ? 0 : 1)]++;
                }
            }
        }
        if (eff > 0) {
            s -= eff * s;
        } else {
            s += P->growth * (1 - s) * (1 + P->kappa_growth * (n_act - 1) / D);
            if (sc_u(&r) < P->spontaneous) s = 0;
        }
        s -= P->recovery * s;
        if (s > 1) s = 1;
        if (s < P->threshold) {
            s = 0;
            act &= ~(1u << d);
            c->relapse[i] |= (uint16_t)(1u << d);
            /* a partner stays with the case: if the need comes back while
             * the case is open, the same team picks it up */
            if (!sc_is_actor(partner[d])) partner[d] = PARTNER_NONE;
        }
        sev[d] = (float)s;
    }
    n_act = __builtin_popcount(act);
    double maxsev = 0;
    int worst = -1;
    for (int d = 0; d < D; d++)
        if (sev[d] > maxsev) {
            maxsev = sev[d];
            worst = d;
        }
    c->flags[i] |= (uint8_t)(S_contact_bits(pl, sev) << CF_YEAR_SHIFT);

    /* 2. status */
    double e = c->engagement[i];
    switch (status) {
    case ST_NONE:
        if (n_act == 0) break;
        status = ST_UNMET;
        S_start_episode(c, i, n_act, st->tick);
        /* seek help in the week the need appears */
        __attribute__((fallthrough));
    case ST_UNMET:
        if (n_act == 0) {
            status = ST_NONE;
            c->lead[i] = LEAD_NONE;
            break;
        }
        if (sc_u(&r) < e * S_pow_nu(maxsev, P->seek_nu)) {
            int target = S_pick_entry(st, worst, h, sc_u(&r), 1);
            if (target >= 0) S_push_request(st, T->req, i, target, -1, n_act, maxsev);
        }
        break;
    case ST_SUPPORTED:
        if (n_act == 0) {
            /* every need resolved: close to follow-up */
            t->episodes_closed++;
            t->assess_sum += c->assess[i];
            t->handoff_sum += c->handoffs[i];
            {
                int b = sc_max_needs(c, i);
                t->episodes_by_needs[b]++;
                t->assess_by_needs[b] += c->assess[i];
            }
            T->ta[(size_t)lead * TA_N + TA_SUCC]++;
            e += P->eng_gain * (1 - e);
            if (a > P->volunteer_assets && sc_u(&r) < A->p[lead][P_F]) {
                T->th[h]++;
                t->volunteers_new++;
            }
            for (int d = 0; d < D; d++) partner[d] = PARTNER_NONE;
            c->flags[i] &= (uint8_t)~CF_OUT_OF_AREA;
            c->follow_left[i] = (uint8_t)P->follow_up_weeks;
            status = P->follow_up_weeks > 0 ? ST_FOLLOW_UP : ST_NONE;
            if (status == ST_NONE) c->lead[i] = LEAD_NONE;
            break;
        }
        {
            double stress2 = 2 * A->stress[lead];
            /* A: a stressed, organisation-focused lead closes cases early,
             * complex ones first (in proportion to their needs) */
            double p_early = P->early_close * (1 - A->p[lead][P_A]) *
                             (stress2 < 1 ? stress2 : 1) * n_act / 2.0;
            double p_drop = P->dropout * (1 - A->p[lead][P_D]) *
                            ((c->flags[i] & CF_OUT_OF_AREA) ? 2 : 1);
            double ux = sc_u(&r);
            if (ux < p_early + p_drop) {
                if (ux < p_early) {
                    t->early_closures++;
                    c->handoffs[i] = S_sat_inc(c->handoffs[i]);
                } else {
                    t->dropouts++;
                    e -= P->eng_turned_away;
                }
                T->ta[(size_t)lead * TA_N + TA_FAIL]++;
                S_release(c, i, D);
                status = ST_UNMET;
                break;
            }
        }
        T->ta[(size_t)lead * TA_N + TA_CASES]++;
        for (int d = 0; d < D; d++) {
            if (!(act & (1u << d)) || (A->domains[lead] & (1u << d))) continue;
            if (sc_is_actor(partner[d]) && !A->alive[partner[d]]) partner[d] = PARTNER_PENDING;
            if (partner[d] == PARTNER_NONE) {
                /* C: the lead takes the whole person, or signposts */
                if (sc_u(&r) < A->p[lead][P_C]) {
                    partner[d] = PARTNER_PENDING;
                } else {
                    partner[d] = PARTNER_SIGNPOSTED;
                    c->handoffs[i] = S_sat_inc(c->handoffs[i]);
                }
            }
            if (sc_is_actor(partner[d])) {
                T->ta[(size_t)partner[d] * TA_N + TA_CASES]++;
            } else if (partner[d] == PARTNER_PENDING) {
                sc_referral *rf = sc_vec_push(T->ref);
                if (rf) {
                    rf->citizen = (int32_t)i;
                    rf->lead = (int16_t)lead;
                    rf->domain = (int8_t)d;
                } else {
                    sc_out_of_memory(st);
                }
            } else if (sc_u(&r) < e * S_pow_nu(sev[d], P->seek_nu)) {
                int target = S_pick_entry(st, d, h, sc_u(&r), 0);
                if (target >= 0 && target != lead)
                    S_push_request(st, T->req, i, target, d, n_act, sev[d]);
            }
        }
        break;
    case ST_FOLLOW_UP:
        if (n_act > 0) {
            /* H: a setback after closure */
            t->setbacks++;
            S_start_episode(c, i, n_act, st->tick);
            if (lead >= 0 && A->alive[lead] && sc_u(&r) < A->p[lead][P_H]) {
                t->reengaged++;
                status = ST_SUPPORTED;
                c->told[i] |= 1u << ((unsigned)lead & 31u); /* the old team knows the story */
                c->flags[i] |= CF_FIRST_SUPPORT_DONE;
                t->first_support_n++;
                T->ta[(size_t)lead * TA_N + TA_CASES]++;
            } else {
                e -= P->eng_setback;
                c->lead[i] = LEAD_NONE;
                status = ST_UNMET;
            }
            break;
        }
        if (c->follow_left[i] > 0) c->follow_left[i]--;
        if (c->follow_left[i] == 0) {
            status = ST_NONE;
            c->lead[i] = LEAD_NONE;
        }
        break;
    }
    c->status[i] = (uint8_t)status;
    sc_note_needs(c, i, n_act);

    /* assets (F) and engagement relax, grow and erode */
    int now_lead = sc_lead(c, i);
    if (status == ST_SUPPORTED && now_lead >= 0)
        a += P->assets_gain * A->p[now_lead][P_F] * (1 - a);
    else if (n_act > 0)
        a -= P->assets_loss * a;
    a += P->assets_relax * (P->assets_mean - a);
    c->assets[i] = S_clampf(a);
    e += P->eng_relax * (P->eng_mean - e);
    c->engagement[i] = S_clampf(e);

    S_tally(st, i, t);
}

/* Citizens whose first blocks are drawn together: at most 64, one bit each
 * in the quiet screen's mask */
#define S_BATCH 64

void sc_citizen_pass(sc_state *st)
{
    size_t n = st->c.n;
    size_t chunks = ps_chunk_count(n);
    int nt = st->threads;
    size_t acap = (size_t)st->a.cap_n * TA_N, lcap = (size_t)st->l.cap_n * 2;
    memset(st->tally, 0, (size_t)nt * sizeof *st->tally);
    memset(st->tl_actor, 0, (size_t)nt * acap * sizeof *st->tl_actor);
    memset(st->tl_link, 0, (size_t)nt * lcap * sizeof *st->tl_link);
    memset(st->tl_hood, 0, (size_t)nt * (size_t)st->pl->H * sizeof *st->tl_hood);
    for (int k = 0; k < nt; k++) {
        st->req[k].n = 0;
        st->ref[k].n = 0;
    }
    sc_link_index_build(st);
    const double t_par = omp_get_wtime();
#pragma omp parallel num_threads(nt)
    {
        int tid = omp_get_thread_num();
        S_thread T = {&st->tally[tid], st->tl_actor + (size_t)tid * acap,
                      st->tl_link + (size_t)tid * lcap,
                      st->tl_hood + (size_t)tid * (size_t)st->pl->H,
                      &st->req[tid], &st->ref[tid], st->thread_g[tid],
                      {st->c.z_class[0], st->c.z_class[1]}};
        const int own_z = st->c.z != NULL;
        uint32_t first[S_BATCH][4];
#pragma omp for schedule(dynamic, 1)
        for (size_t ch = 0; ch < chunks; ch++) {
            size_t end = (ch + 1) * PS_CHUNK < n ? (ch + 1) * PS_CHUNK : n;
            sc_chunk_out *out = &st->chunk_out[ch];
            out->thread = tid;
            out->req_lo = T.req->n;
            out->ref_lo = T.ref->n;
            for (size_t i0 = ch * PS_CHUNK; i0 < end; i0 += S_BATCH) {
                /* every citizen draws at least one block a week: compute a
                 * batch of them together, eight lanes at a time */
                size_t m = end - i0 < S_BATCH ? end - i0 : S_BATCH;
                ps_rng_blocks(st->key, S_CITIZEN, (uint32_t)i0, (uint32_t)st->tick, 0, m,
                              first);
                /* the quiet majority's week is done in one vector loop; the
                 * rest (bits of busy) go through S_citizen */
                uint64_t busy = m == 64 ? ~(uint64_t)0 : ((uint64_t)1 << m) - 1;
                if (!own_z) {
                    uint64_t quiet = sc_quiet_screen(st, i0, m, first, T.z_class);
                    int64_t n_quiet = __builtin_popcountll(quiet);
                    T.t->citizens += n_quiet;
                    T.t->wb_sum_all += n_quiet * ps_fixed(1.0);
                    busy &= ~quiet;
                }
                /* the few citizens with a need are scattered among the many
                 * without: fetch their needs before the first is reached,
                 * so the loads overlap instead of stalling one by one */
                for (uint64_t b = busy; b; b &= b - 1) {
                    size_t i = i0 + (size_t)__builtin_ctzll(b);
                    if (st->c.status[i] != ST_NONE) {
                        __builtin_prefetch(&st->c.sev[i * (size_t)st->c.D]);
                        __builtin_prefetch(&st->c.partner[i * (size_t)st->c.D]);
                    }
                }
                for (uint64_t b = busy; b; b &= b - 1) {
                    size_t j = (size_t)__builtin_ctzll(b);
                    if (own_z) S_citizen(st, i0 + j, &T, 1, first[j]);
                    else S_citizen(st, i0 + j, &T, 0, first[j]);
                }
            }
            out->req_hi = T.req->n;
            out->ref_hi = T.ref->n;
        }
    }
    st->parallel_seconds += omp_get_wtime() - t_par;
    /* combine: integer sums are exact in any order */
    sc_tally *sum = &st->sum;
    memset(sum, 0, sizeof *sum);
    for (int k = 0; k < nt; k++) {
        const int64_t *src = (const int64_t *)&st->tally[k];
        int64_t *dst = (int64_t *)sum;
        for (size_t j = 0; j < sizeof *sum / sizeof(int64_t); j++) dst[j] += src[j];
    }
    /* the lowest bad id over threads, not their sum */
    sum->bad_citizen = 0;
    for (int k = 0; k < nt; k++) {
        int64_t b = st->tally[k].bad_citizen;
        if (b && (sum->bad_citizen == 0 || b < sum->bad_citizen)) sum->bad_citizen = b;
    }
    sc_actors *A = &st->a;
    for (int x = 0; x < A->cap_n; x++) {
        A->cases[x] = A->succ[x] = A->fail[x] = A->joint_succ[x] = 0;
        for (int k = 0; k < nt; k++) {
            const int64_t *ta = st->tl_actor + (size_t)k * acap + (size_t)x * TA_N;
            A->cases[x] += ta[TA_CASES];
            A->succ[x] += ta[TA_SUCC];
            A->fail[x] += ta[TA_FAIL];
            A->joint_succ[x] += ta[TA_JOINT];
        }
        /* the continuing cases as the whole place's organisation would
         * hold them (sc_seen_cases), and their recent mean */
        double cont = (double)A->cases[x];
        A->case_adjust[x] = (A->shrink - 1) * (cont - A->case_mean[x]);
        A->case_mean[x] += st->prm->scale_memory * (cont - A->case_mean[x]);
    }
    for (int x = 0; x < st->l.n; x++) {
        st->l.s[x] = st->l.f[x] = 0;
        for (int k = 0; k < nt; k++) {
            st->l.s[x] += st->tl_link[(size_t)k * lcap + (size_t)x * 2];
            st->l.f[x] += st->tl_link[(size_t)k * lcap + (size_t)x * 2 + 1];
        }
    }
    for (int hh = 0; hh < st->pl->H; hh++)
        for (int k = 0; k < nt; k++)
            st->hood_volunteers[hh] += (double)st->tl_hood[(size_t)k * (size_t)st->pl->H + (size_t)hh];
    memcpy(st->unmet_domain, sum->unmet_domain, sizeof st->unmet_domain);
}
