/* The actor pass (section 4, step 3; section 5): serial and small. Stress,
 * performance and aspiration; the nine dispositions with interdependence,
 * peers, feedback, institutional memory and stress; trust and
 * understanding with convening; influence; capacity, commissioning, new
 * community actors and neighbourhood assets. Then a snapshot of what the
 * next citizen pass reads. */
#include <gsl/gsl_randist.h>
#include <math.h>
#include <string.h>

#include "sc.h"

/* C: row k says what supports precondition k (0.4 on itself, 0.2 on each
 * of three supporters). Rows sum to 1. */
#define S_ROW(k, a, b, c)                                                      \
    [k] = {[k] = 0.4, [a] = 0.2, [b] = 0.2, [c] = 0.2}
const double sc_interdependence[SC_K][SC_K] = {
    S_ROW(P_A, P_B, P_C, P_E), S_ROW(P_B, P_A, P_F, P_G),
    S_ROW(P_C, P_A, P_E, P_G), S_ROW(P_D, P_F, P_H, P_I),
    S_ROW(P_E, P_C, P_G, P_H), S_ROW(P_F, P_B, P_D, P_I),
    S_ROW(P_G, P_E, P_H, P_I), S_ROW(P_H, P_E, P_G, P_I),
    S_ROW(P_I, P_G, P_H, P_E)};
#undef S_ROW

double sc_system_index(const sc_state *st, int k, int system)
{
    const sc_actors *A = &st->a;
    double num = 0, den = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || (system >= 0 && A->system[a] != system)) continue;
        num += A->influence[a] * A->p[a][k];
        den += A->influence[a];
    }
    if (den > 0) return num / den;
    /* no influence among them: the plain mean */
    int n = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || (system >= 0 && A->system[a] != system)) continue;
        num += A->p[a][k];
        n++;
    }
    return n ? num / n : NAN;
}

double sc_statutory_index(const sc_state *st, int k)
{
    const sc_actors *A = &st->a;
    double num = 0, den = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || A->kind[a] != KIND_STATUTORY) continue;
        num += (A->influence[a] + 1e-12) * A->p[a][k];
        den += A->influence[a] + 1e-12;
    }
    return den > 0 ? num / den : 0;
}

static int S_in(const sc_actors *A, int a, int system)
{
    return A->alive[a] && (system < 0 || A->system[a] == system);
}

double sc_trust_density(const sc_state *st, int system)
{
    const sc_links *l = &st->l;
    double s = 0;
    int n = 0;
    for (int k = 0; k < l->n; k++) {
        if (!S_in(&st->a, l->from[k], system) || !S_in(&st->a, l->to[k], system)) continue;
        s += l->trust[k] * l->und[k];
        n++;
    }
    return n ? s / n : (system < 0 ? 0 : NAN);
}

double sc_leadership_entropy(const sc_state *st, int system)
{
    const sc_actors *A = &st->a;
    double h = 0, total = 0;
    int n = 0;
    for (int a = 0; a < A->n; a++)
        if (S_in(A, a, system)) {
            n++;
            total += A->influence[a];
        }
    for (int a = 0; a < A->n && total > 0; a++) {
        double l = A->influence[a] / total;
        if (S_in(A, a, system) && l > 0) h -= l * log(l);
    }
    return n > 1 ? h / log((double)n) : (system < 0 ? 0 : NAN);
}

static int S_adj(const sc_state *st, int a, int b)
{
    size_t bit = (size_t)a * (size_t)st->a.cap_n + (size_t)b;
    return (st->adj[bit >> 3] >> (bit & 7)) & 1;
}

static void S_rebuild_adjacency(sc_state *st)
{
    size_t n = (size_t)st->a.cap_n;
    memset(st->adj, 0, (n * n + 7) / 8);
    for (int k = 0; k < st->l.n; k++) {
        size_t x = (size_t)st->l.from[k], y = (size_t)st->l.to[k];
        size_t b1 = x * n + y, b2 = y * n + x;
        st->adj[b1 >> 3] |= (uint8_t)(1u << (b1 & 7));
        st->adj[b2 >> 3] |= (uint8_t)(1u << (b2 & 7));
    }
    st->adj_dirty = 0;
}

/* Convening by common partners (G): the influence of actors linked to both
 * a and b. */
double sc_convening(sc_state *st, int a, int b)
{
    if (st->adj_dirty) S_rebuild_adjacency(st);
    double s = 0;
    for (int k = st->l.row[a]; k < st->l.row[a + 1]; k++) {
        int c = st->l.to[k];
        if (c != b && st->a.alive[c] && S_adj(st, b, c)) s += st->a.influence[c];
    }
    return s;
}

static void S_dispositions(sc_state *st)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    const sc_links *l = &st->l;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        const double *p = A->p[a];
        double peer[SC_K] = {0}, wsum = 0;
        for (int k = l->row[a]; k < l->row[a + 1]; k++) {
            int b = l->to[k];
            if (!A->alive[b]) continue;
            double w = l->trust[k] * A->influence[b];
            wsum += w;
            for (int j = 0; j < SC_K; j++) peer[j] += w * A->p[b][j];
        }
        ps_rng_gsl_position(st->g, st->key, S_ACTOR, (uint32_t)a, (uint32_t)st->tick);
        double rate = P->eta * (1 + P->mu_H * p[P_H]);
        double fb = A->perf[a] - A->asp[a];
        for (int k = 0; k < SC_K; k++) {
            double target = 0;
            for (int j = 0; j < SC_K; j++) target += sc_interdependence[k][j] * p[j];
            double pk = wsum > 0 ? peer[k] / wsum : p[k];
            double cfb = (k == P_C || k == P_E || k == P_H) ? P->fb_core : P->fb_other;
            double dp = rate * (P->c_self * (target - p[k]) + P->c_peer * (pk - p[k]) +
                                cfb * fb + P->c_anchor * (A->p0[a][k] - p[k])) -
                        P->rho[k] * A->stress[a] * (1 - p[P_H]) * p[k];
            if (P->noise > 0) dp += gsl_ran_gaussian_ziggurat(st->g, P->noise);
            A->p_next[a][k] = sc_clamp01(p[k] + dp);
        }
    }
    for (int a = 0; a < A->n; a++)
        if (A->alive[a]) memcpy(A->p[a], A->p_next[a], sizeof A->p[a]);
}

/* Trust and understanding (section 5.3). Each link keeps a record of its
 * joint work: EWMAs (weight trust.memory) of the outcomes and successes of
 * a week, counted per capacity_reference adults. Trust moves toward the
 * record's success share with the weight of n cases' evidence,
 * 1 - (1 - omega)^n, and decays toward its floor in proportion to the
 * evidence it lacks; understanding grows with the chance of at least one
 * joint case in a week, 1 - exp(-n). Counting per reference population and
 * over a few months makes a run at 20,000 adults see the record a run at
 * the place's full size sees, instead of a week's handful of cases. */
static void S_trust(sc_state *st)
{
    const sc_params *P = st->prm;
    sc_links *l = &st->l;
    const sc_actors *A = &st->a;
    const double per_reference = 1 / st->pl->capacity_scale;
    if (st->adj_dirty) S_rebuild_adjacency(st);
    for (int k = 0; k < l->n; k++) {
        int a = l->from[k], b = l->to[k];
        if (!A->alive[a] || !A->alive[b]) continue;
        double conv = 1 + P->lambda_G * sc_convening(st, a, b);
        l->rec_n[k] += P->trust_memory * ((double)(l->s[k] + l->f[k]) * per_reference - l->rec_n[k]);
        l->rec_s[k] += P->trust_memory * ((double)l->s[k] * per_reference - l->rec_s[k]);
        double n = l->rec_n[k];
        double tau = l->trust[k], u = l->und[k];
        double evidence = 1 - pow(1 - P->trust_omega, n);
        if (n > 0) {
            double observed = l->rec_s[k] / n;
            if (observed > 1) observed = 1; /* rounding of the two EWMAs */
            double step = P->trust_alpha * evidence;
            if (observed > tau) step *= conv;
            if (step > 1) step = 1;
            tau += step * (observed - tau);
            u += P->u_beta * A->p[a][P_E] * conv * (1 - u) * (1 - exp(-n));
        }
        tau -= P->trust_delta * (tau - P->trust_floor) / conv * (1 - evidence);
        u -= P->u_delta * u / conv;
        l->trust[k] = sc_clamp01(tau);
        l->und[k] = sc_clamp01(u);
    }
}

/* Influence (G): it flows toward actors whose joint work succeeds in
 * proportion to P_G, concentrates on the already influential otherwise, and
 * is pulled back toward the scenario's roles. Each target sums to 1 over the
 * live actors, so total influence relaxes toward 1: when a leader leaves,
 * its influence is a vacuum that the others fill over months, rather than
 * being handed out at once. */
static void S_influence(sc_state *st, double PG)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    int64_t joint = 0;
    double l2 = 0, l0 = 0, total = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        joint += A->joint_succ[a];
        l2 += A->influence[a] * A->influence[a];
        l0 += A->influence0[a];
        total += A->influence[a];
    }
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        double conv = joint > 0   ? (double)A->joint_succ[a] / (double)joint
                      : total > 0 ? A->influence[a] / total
                                  : 0;
        double conc = l2 > 0 ? A->influence[a] * A->influence[a] / l2 : 0;
        double anchor = l0 > 0 ? A->influence0[a] / l0 : 0;
        A->influence[a] = (1 - P->zeta) * A->influence[a] +
                          P->zeta * (PG * conv + (1 - PG) * conc) +
                          P->influence_anchor * (anchor - A->influence[a]);
    }
}

/* The demand an actor sees: its open cases, the requests it turns away
 * (EWMA), and its share of the unmet need in the domains it serves. */
static double S_demand(const sc_state *st, int a, const int64_t *servers)
{
    const sc_actors *A = &st->a;
    double da = (double)A->cases[a] + A->rej[a];
    for (int d = 0; d < st->pl->D; d++)
        if ((A->domains[a] & (1u << d)) && servers[d])
            da += (double)st->unmet_domain[d] / (double)servers[d];
    return da;
}

/* Adaptive commissioning (B): budget-neutral within each kind of actor,
 * moving budgets toward demand in proportion to P_B. */
static void S_commission(sc_state *st, double PB)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    const int D = st->pl->D;
    int64_t servers[SC_MAX_DOMAINS] = {0};
    for (int a = 0; a < A->n; a++)
        if (A->alive[a])
            for (int d = 0; d < D; d++)
                if (A->domains[a] & (1u << d)) servers[d]++;
    for (int kind = 0; kind < KIND_COUNT; kind++) {
        double budget = 0, dem_total = 0;
        for (int a = 0; a < A->n; a++) {
            if (!A->alive[a] || A->kind[a] != kind) continue;
            budget += A->budget[a];
            dem_total += S_demand(st, a, servers);
        }
        if (budget <= 0 || dem_total <= 0) continue;
        /* shares first, then the update, so the order of actors is moot */
        for (int a = 0; a < A->n; a++) {
            if (!A->alive[a] || A->kind[a] != kind) continue;
            A->p_next[a][0] = budget * S_demand(st, a, servers) / dem_total;
        }
        for (int a = 0; a < A->n; a++) {
            if (!A->alive[a] || A->kind[a] != kind) continue;
            A->budget[a] += P->commission_rate * PB * (A->p_next[a][0] - A->budget[a]);
        }
    }
}

/* Community actors that emerged during the run (slots from the place's own
 * actors on) fold, each with chance 1 / community.lifetime a week: a group
 * that loses its volunteers or its small grant. Its cases go back to
 * unmet, as in any departure. With births at iota P_I a week this is a
 * birth-death process whose number of emerging actors settles (about
 * iota P_I lifetime) instead of climbing to its cap over decades, so a
 * place reaches a steady state and letting go (I) keeps a channel open. */
static void S_fold_community_actors(sc_state *st)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    if (P->community_lifetime <= 0) return;
    for (int a = st->pl->A; a < A->n; a++) {
        if (!A->alive[a]) continue;
        sc_draws r;
        sc_draws_init(&r, st->key, S_PLACE, (uint32_t)(SC_MAX_ACTORS + 2 + a), (uint32_t)st->tick);
        if (sc_u(&r) * P->community_lifetime < 1) {
            sc_actor_depart(st, a);
            st->a.n_new--;
        }
    }
}

static void S_new_community_actor(sc_state *st, double PI)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    sc_links *l = &st->l;
    if (st->a.n_new >= P->max_new_actors) return;
    /* the slot of a community actor that folded, or a new one */
    int n = st->pl->A;
    while (n < A->n && A->alive[n]) n++;
    if (n >= A->cap_n) return;
    sc_draws r;
    sc_draws_init(&r, st->key, S_PLACE, (uint32_t)(SC_MAX_ACTORS + 1), (uint32_t)st->tick);
    if (sc_u(&r) >= P->iota * PI) return;
    int worst = 0;
    for (int d = 1; d < st->pl->D; d++)
        if (st->unmet_domain[d] > st->unmet_domain[worst]) worst = d;
    if (st->unmet_domain[worst] == 0) return;
    A->alive[n] = 1;
    A->left[n] = 0;
    A->kind[n] = KIND_COMMUNITY;
    A->role[n] = ROLE_MEMBER;
    A->system[n] = -1;
    A->hood[n] = -1;
    A->domains[n] = 1u << worst;
    A->budget[n] = P->new_capacity * st->pl->capacity_scale;
    A->visibility[n] = A->budget[n];
    A->influence0[n] = 0.01;
    double vmean[SC_VALUES] = {0};
    int alive = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || a == n) continue;
        alive++;
        for (int k = 0; k < SC_VALUES; k++) vmean[k] += A->values[a][k];
    }
    for (int k = 0; k < SC_VALUES; k++) A->values[n][k] = alive ? vmean[k] / alive : 0.5;
    /* the system indices of the others (the slot counts as alive already) */
    A->alive[n] = 0;
    for (int k = 0; k < SC_K; k++) A->p[n][k] = A->p0[n][k] = sc_system_index(st, k, -1);
    A->alive[n] = 1;
    /* it takes its small influence from the others, so the total stays */
    for (int a = 0; a < A->n; a++)
        if (a != n) A->influence[a] *= 0.99;
    A->influence[n] = 0.01;
    A->perf[n] = A->asp[n] = 0.5;
    A->avail[n] = 1;
    A->rej[n] = A->cut[n] = A->stress[n] = A->seconded[n] = A->seconded_cost[n] = 0;
    A->cases[n] = A->requests[n] = A->turned_away[n] = 0;
    A->succ[n] = A->fail[n] = A->joint_succ[n] = 0;
    A->case_mean[n] = A->request_mean[n] = A->case_adjust[n] = 0;
    if (n == A->n) A->n++;
    st->a.n_new++;
    /* linked both ways to the two leading conveners */
    int top[2] = {-1, -1};
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || a == n) continue;
        if (top[0] < 0 || A->influence[a] > A->influence[top[0]]) {
            top[1] = top[0];
            top[0] = a;
        } else if (top[1] < 0 || A->influence[a] > A->influence[top[1]]) {
            top[1] = a;
        }
    }
    for (int t = 0; t < 2; t++) {
        if (top[t] < 0 || l->n + 2 > l->cap_n) continue;
        for (int dir = 0; dir < 2; dir++) {
            int k = l->n++;
            l->from[k] = dir ? top[t] : n;
            l->to[k] = dir ? n : top[t];
            l->trust[k] = 0.3;
            l->und[k] = 0.3;
            double s = 0;
            for (int v = 0; v < SC_VALUES; v++) s += fabs(A->values[n][v] - A->values[top[t]][v]);
            l->dist[k] = s / SC_VALUES;
            l->rec_n[k] = l->rec_s[k] = 0;
        }
    }
    sc_links_rebuild_rows(l, A->cap_n);
    st->adj_dirty = 1;
}

void sc_actor_pass(sc_state *st)
{
    const sc_params *P = st->prm;
    sc_actors *A = &st->a;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        A->rej[a] += P->rej_weight * ((double)A->turned_away[a] - A->rej[a]);
        A->cut[a] *= 1 - P->cut_decay;
        if (A->cut[a] > 1) A->cut[a] = 1; /* repeated cuts: at most a whole budget's stress */
        double load = A->capacity[a] > 0
                          ? (sc_seen_cases(A, a) + A->rej[a]) / A->capacity[a] - 1
                          : 1;
        load = load < 0 ? 0 : (load > 1 ? 1 : load);
        A->stress[a] = load + A->cut[a];
        int64_t total = A->succ[a] + A->fail[a];
        if (total > 0)
            A->perf[a] += P->perf_weight * ((double)A->succ[a] / (double)total - A->perf[a]);
        A->asp[a] += P->asp_weight * (A->perf[a] - A->asp[a]);
        A->request_mean[a] += P->scale_memory * ((double)A->requests[a] - A->request_mean[a]);
    }
    double PG = sc_system_index(st, P_G, -1);
    double PB = sc_system_index(st, P_B, -1);
    S_dispositions(st);
    S_trust(st);
    S_influence(st, PG);
    if ((st->tick + 1) % P->commission_period == 0) S_commission(st, PB);
    S_fold_community_actors(st);
    S_new_community_actor(st, sc_statutory_index(st, P_I));
    for (int h = 0; h < st->pl->H; h++) {
        double pop = st->hood_pop[h] > 0 ? (double)st->hood_pop[h] : 1;
        double *as = &st->hood_assets[h];
        *as += P->nu_F * st->hood_volunteers[h] / pop -
               P->delta_A * (*as - st->pl->hood_assets[h]);
        *as = sc_clamp01(*as);
        st->hood_volunteers[h] *= 1 - P->volunteer_leave;
    }
    sc_actor_snapshot(st);
}

void sc_actor_snapshot(sc_state *st)
{
    const sc_params *P = st->prm;
    const sc_place *pl = st->pl;
    sc_actors *A = &st->a;
    double PI = sc_statutory_index(st, P_I);
    st->community_capacity = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) {
            A->capacity[a] = 0;
            continue;
        }
        int community = A->kind[a] == KIND_COMMUNITY || A->kind[a] == KIND_VOLUNTARY;
        A->capacity[a] = A->budget[a] * (community ? 1 + P->lambda_I * PI : 1) + A->seconded[a];
        if (community) st->community_capacity += A->capacity[a];
        double seen = sc_seen_cases(A, a);
        A->avail[a] = seen > A->capacity[a]
                          ? A->capacity[a] / seen
                          : 1;
    }
    for (int h = 0; h < pl->H; h++) {
        double s = 0;
        for (int d = 0; d < pl->D; d++) s += pl->onset[d] * st->surge[d];
        st->onset_hood[h] = s * (1 - P->chi * st->hood_assets[h]);
    }
    int k = 0;
    for (int d = 0; d < pl->D; d++) {
        st->entry_off[d] = k;
        for (int a = 0; a < A->n; a++)
            if (A->alive[a] && (A->domains[a] & (1u << d))) st->entry_actor[k++] = a;
    }
    st->entry_off[pl->D] = k;
    for (int d = 0; d < pl->D; d++) {
        int lo = st->entry_off[d], hi = st->entry_off[d + 1];
        for (int h = 0; h < pl->H; h++) {
            double *cum = &st->entry_cum[((size_t)d * (size_t)pl->H + (size_t)h) *
                                         (size_t)A->cap_n];
            double c = 0;
            for (int j = lo; j < hi; j++) {
                int a = st->entry_actor[j];
                double prox = A->hood[a] < 0 ? 1 : (A->hood[a] == h ? P->local_weight : P->away_weight);
                c += (A->capacity[a] > 0 ? A->visibility[a] : 0) * prox;
                cum[j - lo] = c;
            }
        }
    }
}

/* The actor leaves: its links and cases go; its citizens return to UNMET
 * and the needs it served as a partner are referred again. */
void sc_actor_depart(sc_state *st, int actor)
{
    sc_actors *A = &st->a;
    if (actor < 0 || actor >= A->n || !A->alive[actor]) return;
    A->alive[actor] = 0;
    A->left[actor] = 1;
    A->influence[actor] = 0; /* a vacuum the others fill over time */
    sc_links *l = &st->l;
    int k = 0;
    for (int j = 0; j < l->n; j++) {
        if (l->from[j] == actor || l->to[j] == actor) continue;
        l->from[k] = l->from[j];
        l->to[k] = l->to[j];
        l->trust[k] = l->trust[j];
        l->und[k] = l->und[j];
        l->dist[k] = l->dist[j];
        l->rec_n[k] = l->rec_n[j];
        l->rec_s[k] = l->rec_s[j];
        k++;
    }
    l->n = k;
    sc_links_rebuild_rows(l, A->cap_n);
    st->adj_dirty = 1;
    sc_citizens *c = &st->c;
    const int D = c->D;
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < c->n; i++) {
        uint8_t *partner = &c->partner[i * (size_t)D];
        if (sc_lead(c, i) == actor) {
            c->lead[i] = LEAD_NONE;
            for (int d = 0; d < D; d++) partner[d] = PARTNER_NONE;
            if (c->status[i] == ST_SUPPORTED) c->status[i] = ST_UNMET;
            if (c->status[i] == ST_FOLLOW_UP) c->status[i] = ST_NONE;
        } else {
            for (int d = 0; d < D; d++)
                if (partner[d] == actor) partner[d] = PARTNER_PENDING;
        }
    }
    A->cases[actor] = 0;
    sc_actor_snapshot(st);
}
