/* The systems-change model: internal types shared by its files.
 * See docs/model.md for the equations; section numbers below refer to it. */
#ifndef SC_H
#define SC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "model.h"
#include "params.h"
#include "rng.h"
#include "scenario.h"
#include "sort_by_key.h"

#define SC_MAX_DOMAINS 16
#define SC_K 9          /* preconditions A..I */
#define SC_VALUES 4     /* protection, efficiency, empowerment, equity */
#define SC_MAX_ACTORS 10000
#define SC_MAX_HOODS 4096
#define SC_MAX_SYSTEMS 16

enum { P_A, P_B, P_C, P_D, P_E, P_F, P_G, P_H, P_I };

enum sc_status { ST_NONE = 0, ST_UNMET = 1, ST_SUPPORTED = 2, ST_FOLLOW_UP = 3 };

/* partner[d] and lead are actor indices in a byte; the top three values are
 * not actors. A place has at most SC_BYTE_ACTORS actors, counting the new
 * community actors it may gain (checked at load). */
enum { PARTNER_SIGNPOSTED = 253, PARTNER_PENDING = 254, PARTNER_NONE = 255 };
#define SC_BYTE_ACTORS 253
#define LEAD_NONE 255
static inline int sc_is_actor(uint8_t p) { return p < SC_BYTE_ACTORS; }
/* episode_tick keeps the tick modulo 2^16: waits are exact for runs of at
 * most SC_MAX_TICKS weeks, warm-up included (checked at load and at every
 * step) */
#define SC_MAX_TICKS 65535

enum sc_kind {
    KIND_STATUTORY,
    KIND_VOLUNTARY,
    KIND_COMMUNITY,
    KIND_PRIVATE,
    KIND_CITIZEN_PANEL,
    KIND_COUNT
};
/* sc_kinds.c: the names as a scenario spells them */
extern const char *const sc_kind_names[KIND_COUNT];

enum sc_role { ROLE_LEAD, ROLE_CONVENER, ROLE_MEMBER, ROLE_COUNT };
extern const char *const sc_role_names[ROLE_COUNT];

/* citizen flags: two switches, the systems met this year, the latent
 * disadvantage class and the most needs of the episode (3 for 3 or more) */
#define CF_OUT_OF_AREA 0x01u
#define CF_FIRST_SUPPORT_DONE 0x02u
#define CF_YEAR_SHIFT 2
#define CF_YEAR_MASK 0x1Cu   /* bits: housing, substance, offending contact */
#define CF_HIGH 0x20u        /* high-disadvantage class (bit 5) */
#define CF_MAX_SHIFT 6
#define CF_MAX_NEEDS 0xC0u   /* min(most needs at once this episode, 3) */

/* random streams: every draw is keyed by (seed, replication, stream,
 * entity, tick, block) */
enum sc_stream {
    S_INIT = 1,
    S_CITIZEN,
    S_TURNOVER,
    S_ADMIT,
    S_REFER,
    S_ACTOR,
    S_PLACE
};

/* Registry-backed parameters (sc_params.c registers every field). */
typedef struct sc_params {
    double high_share, high_ratio;
    double s0, kappa_onset, kappa_growth, psi, chi, relapse, relapse_fade;
    double growth, recovery, threshold, spontaneous;
    double seek_nu, local_weight, away_weight;
    double eps, beta_F;
    double eng_gain, eng_turned_away, eng_setback, eng_relax, eng_mean, eng_sd;
    double assets_mean, assets_sd, assets_gain, assets_loss, assets_relax;
    double dropout, out_of_area, early_close;
    int follow_up_weeks, single_front_door, information_sharing;
    double volunteer_assets, volunteer_leave;
    double eta, mu_H, c_self, c_peer, c_anchor, noise, perf_weight, asp_weight;
    double fb_core, fb_other;
    double rho[SC_K];
    double rej_weight, cut_decay;
    double trust_alpha, trust_omega, trust_delta, trust_floor, trust_default, trust_memory;
    double scale_memory;
    double u_beta, u_delta, lambda_G;
    double zeta, influence_anchor;
    double ramp_d;
    double lambda_I, iota, new_capacity, community_lifetime;
    int max_new_actors;
    int commission_period;
    double commission_rate;
    double nu_F, delta_A;
    double turnover;
    double initial_severity_max;
} sc_params;

int sc_declare(ps_params *reg);

typedef struct sc_actor_spec {
    char id[64];
    char name[128];
    int kind, role, system; /* system: index into place systems, -1 none */
    uint32_t domains;       /* bit d set: serves need domain d */
    double capacity;
    int hood;               /* -1: city-wide */
    double values[SC_VALUES];
    double p[SC_K];
    double influence;
    int dormant; /* absent until a new_actor shock brings it in */
} sc_actor_spec;

typedef struct sc_link_spec {
    int from, to;
    double trust, understanding;
} sc_link_spec;

/* The immutable place: everything a replication starts from. */
typedef struct sc_place {
    sc_params prm;
    long population;
    double capacity_scale; /* population / capacity_reference */
    int D;
    char domain_name[SC_MAX_DOMAINS][32];
    double onset[SC_MAX_DOMAINS];     /* hazard per week */
    double weight[SC_MAX_DOMAINS];    /* omega_d for wellbeing */
    double initial[SC_MAX_DOMAINS];   /* initial prevalence */
    double treat[SC_MAX_DOMAINS];     /* eps_d multiplier */
    double W[SC_MAX_DOMAINS][SC_MAX_DOMAINS];
    int dom_housing, dom_substance, dom_offending; /* -1 when absent */
    int H;
    char (*hood_name)[64];
    double *hood_share, *hood_assets;
    int A;
    sc_actor_spec *actors;
    int L;
    sc_link_spec *links;
    int front_door; /* actor index, -1 none */
    int S;
    char system_name[SC_MAX_SYSTEMS][32];
    /* costs (sc_costs.c): pounds per case-week by actor kind, per unmet
     * need-week at severity 1 by domain, per request turned away;
     * discounting a year */
    double case_week_cost[KIND_COUNT];
    double crisis_week_cost[SC_MAX_DOMAINS];
    double turned_away_cost, discount_rate;
    /* the metric table (sc_metrics.c, built at load: per system label too) */
    size_t n_metrics;
    ps_metric *metrics;
    char *metric_text; /* the per-system names and labels */
} sc_place;

/* One replication's actor state (struct of arrays over actors). */
typedef struct sc_actors {
    int n, cap_n;        /* active slots, allocated slots */
    int n_new;           /* community actors that emerged during the run and have not folded */
    uint8_t *alive;
    uint8_t *left;       /* it has left (departure or closure): it does not come back */
    int *kind, *role, *system, *hood;
    uint32_t *domains;
    double *budget;      /* base capacity after cuts and commissioning */
    double *seconded;    /* places of staff seconded to it by others (a secondment event):
                          * they keep their capacity, and the I uplift does not apply */
    double *seconded_cost; /* what those places cost a case-week together, at the
                            * unit cost of the kind of actor that seconded them */
    double *visibility;  /* how readily citizens find the actor: its initial capacity */
    double *influence0;  /* the scenario's influence (institutional role) */
    double *capacity;    /* effective capacity this tick */
    double (*values)[SC_VALUES];
    double (*p)[SC_K], (*p0)[SC_K], (*p_next)[SC_K];
    double *influence;
    double *perf, *asp, *rej, *cut, *stress, *avail;
    int64_t *cases;      /* open cases this tick */
    int64_t *requests, *turned_away, *succ, *fail, *joint_succ;
    /* recent means (EWMAs, weight scale.memory) of the cases that continue
     * from one week to the next (counted by the citizen pass, before
     * admissions) and of the requests of a week; the factor sqrt(population
     * / capacity_reference) (1 at or above the place's size) by which a run
     * below the place's size shrinks their weekly deviations; and this
     * week's shrinking of the continuing cases, (shrink - 1) (continuing -
     * mean) (sc_seen_cases) */
    double *case_mean, *request_mean, *case_adjust;
    double shrink;
} sc_actors;

/* Directed links in CSR order (sorted by from, then to). */
typedef struct sc_links {
    int n, cap_n;
    int *from, *to;
    double *trust, *und, *dist;
    int *row;            /* row[a]..row[a+1]-1: links from a (size cap actors+1) */
    int64_t *s, *f;      /* joint-work tallies this tick */
    /* the link's joint-work record: EWMAs of its outcomes and successes a
     * week, counted per capacity_reference adults (so a run at another
     * population size sees the same record) */
    double *rec_n, *rec_s;
} sc_links;

typedef struct sc_citizens {
    size_t n;
    int D;
    float *sev;          /* n * D */
    float *assets, *engagement;
    /* latent disadvantage: the class bit CF_HIGH gives z_class[bit], the
     * value for the disadvantage parameters z_share and z_ratio. When a
     * run changes those parameters, z becomes a per-citizen array (NULL
     * until then) so that adults keep the value they arrived with. */
    float *z;
    float z_class[2];
    double z_share, z_ratio;
    uint8_t *status, *flags, *follow_left, *assess, *handoffs;
    uint16_t *hood, *relapse;
    uint8_t *lead;       /* LEAD_NONE: none */
    uint8_t *partner;    /* n * D; PARTNER_* when not an actor */
    uint16_t *episode_tick; /* modulo 2^16 */
    /* services that already hold the citizen's story this episode: bit
     * (actor mod 32); exact for places of up to 32 actors */
    uint32_t *told;
} sc_citizens;

static inline int sc_lead(const sc_citizens *c, size_t i)
{
    return c->lead[i] == LEAD_NONE ? -1 : c->lead[i];
}

static inline double sc_z(const sc_citizens *c, size_t i)
{
    return c->z ? c->z[i] : c->z_class[(c->flags[i] & CF_HIGH) != 0];
}

static inline int sc_year_mask(const sc_citizens *c, size_t i)
{
    return (c->flags[i] & CF_YEAR_MASK) >> CF_YEAR_SHIFT;
}

static inline int sc_max_needs(const sc_citizens *c, size_t i)
{
    return (c->flags[i] & CF_MAX_NEEDS) >> CF_MAX_SHIFT;
}

static inline void sc_set_max_needs(sc_citizens *c, size_t i, int n_act)
{
    unsigned b = n_act >= 3 ? 3u : (unsigned)n_act;
    c->flags[i] = (uint8_t)((c->flags[i] & ~CF_MAX_NEEDS) | b << CF_MAX_SHIFT);
}

/* Raises the episode's most needs (kept as min(needs, 3): only the tallies
 * by 1, 2, 3+ needs read it). */
static inline void sc_note_needs(sc_citizens *c, size_t i, int n_act)
{
    if ((n_act >= 3 ? 3 : n_act) > sc_max_needs(c, i)) sc_set_max_needs(c, i, n_act);
}

/* Counts an assessment by actor a unless a already has the story. */
static inline void sc_assess(sc_citizens *c, size_t i, int a)
{
    uint32_t bit = 1u << ((unsigned)a & 31u);
    if (c->told[i] & bit) return;
    c->told[i] |= bit;
    if (c->assess[i] < 255) c->assess[i]++;
}

typedef struct sc_request {
    int32_t citizen;
    int16_t actor;
    int8_t domain;       /* -1: a new case; d: a signposted need d */
    uint8_t needs;
    float maxsev;
} sc_request;

/* An actor a lead may refer to: its link from the lead (-1: none), the
 * lead's trust in it and their convening (sc_referrals.c) */
typedef struct sc_candidate {
    int32_t actor, link;
    double trust, convening;
} sc_candidate;

/* A chunk's requests are req[thread][req_lo .. req_hi), its referrals
 * ref[thread][ref_lo .. ref_hi) */
typedef struct sc_chunk_out {
    size_t req_lo, req_hi, ref_lo, ref_hi;
    size_t ref_at; /* where its referrals start among all (sc_referrals.c) */
    int thread;
} sc_chunk_out;

typedef struct sc_referral {
    int32_t citizen;
    int16_t lead;
    int8_t domain;
    /* the referral phase's copies of the citizen (sc_referrals.c) */
    uint8_t pending;     /* the need still waits for a partner of this lead */
    uint32_t told;       /* the services holding the story, after this referral */
    int16_t placed;      /* the partner that took the referral up, or -1 */
    uint8_t assessed;    /* that partner assessed the citizen again */
} sc_referral;

/* admission's per-thread counts (sc_state.adm_count) */
enum { SC_ADM_ADMITTED, SC_ADM_TURNED_AWAY, SC_ADM_FIRST_N, SC_ADM_FIRST_WEEKS, SC_ADM_N };

typedef struct sc_vec {
    void *data;
    size_t n, cap, size;
} sc_vec;

/* Integer tallies of one thread's share of the citizen pass. */
enum { TA_CASES, TA_SUCC, TA_FAIL, TA_JOINT, TA_N };

typedef struct sc_tally {
    int64_t citizens, with_needs[4];  /* by 1, 2, 3+ needs at [1..3] */
    int64_t wb_sum_all, wb_sum_needs, wb_sum[4]; /* fixed point */
    int64_t unmet;                     /* citizens with a need not served */
    int64_t unmet_domain[SC_MAX_DOMAINS];
    int64_t unmet_severity[SC_MAX_DOMAINS]; /* unmet needs' severities, fixed point */
    int64_t episodes_closed, assess_sum, handoff_sum;
    /* by the most needs the episode had at once: [1], [2], [3] = 3+ */
    int64_t episodes_by_needs[4], assess_by_needs[4];
    int64_t first_support_n, first_support_weeks;
    int64_t setbacks, reengaged;
    int64_t joint_succ, joint_total;
    int64_t referral_offers, referral_taken;
    int64_t volunteers_new;
    int64_t dropouts, early_closures;
    int64_t onsets;
    /* 1 + the lowest id of a citizen whose state left its range (0: none);
     * integers, so the combination stays exact in any order */
    int64_t bad_citizen;
} sc_tally;

typedef struct sc_state {
    const sc_place *pl;
    const sc_params *prm; /* points at prm_local */
    sc_params prm_local;  /* this replication's parameters (interventions change them) */
    /* values captured when a `set` intervention starts, to revert to:
     * [intervention index][entity] */
    double *iv_base;
    size_t iv_base_rows, iv_base_cols;
    ps_rng_key key;
    int tick, week, threads;
    sc_citizens c;
    sc_actors a;
    sc_links l;
    double *hood_assets, *hood_volunteers;
    long *hood_pop;
    double *onset_hood;  /* per hood: sum_d h_d surge_d (1 - chi A_h) */
    double surge[SC_MAX_DOMAINS];
    /* entry tables: for each domain, actors serving it and their weights
     * by hood: entry_w[(d * H + h) * n_entry[d] + j] cumulative */
    int *entry_actor;    /* [d][j] flattened with entry_off */
    int *entry_off;      /* D + 1 */
    double *entry_cum;   /* [d][h][j] */
    sc_vec *req;         /* per thread: the citizen pass's requests */
    sc_vec *ref;         /* per thread: the citizen pass's referrals */
    sc_vec *adm_ref;     /* per thread: referrals made on admission */
    sc_vec reqs, refs;   /* merged, in the order admission and referrals take them */
    /* where each chunk of citizens left its requests and referrals in its
     * thread's buffers (the citizen pass); one per chunk */
    sc_chunk_out *chunk_out;
    size_t n_chunks;
    uint32_t *adm_chunk_count; /* admission's [chunk][actor] request counts */
    sc_tally *tally;     /* per thread */
    /* per-thread integer tallies: actors [thread][actor][TA_*], links
     * [thread][link][2], neighbourhoods [thread][hood] */
    int64_t *tl_actor, *tl_link, *tl_hood;
    sc_tally sum;        /* this tick's totals */
    int64_t turned_away_tick, admitted_tick;
    double community_capacity;
    double phase_seconds[4]; /* needs, admission, referrals, actors (profiling) */
    double parallel_seconds; /* of those, inside parallel regions (profiling) */
    gsl_rng *g;          /* serial draws of the actor pass, repositioned per draw */
    gsl_rng **thread_g;  /* one per thread for newcomers' draws in the citizen pass */
    void **rank;         /* admission's ranking buffers, per thread, kept */
    size_t *rank_cap;
    ps_sort_scratch *rank_sort; /* and their sorting buffers */
    size_t *adm_groups;  /* actor a's requests: reqs[adm_groups[a] .. adm_groups[a + 1]) */
    int *adm_order;      /* the actors with requests, most first (cap_n) */
    void *adm_events;    /* admission's decisions in their serial order, then
                          * dealt to the threads that carry them out; kept */
    size_t *adm_split;   /* [threads][threads] + threads + 1: how they are dealt */
    size_t adm_events_cap;
    /* admission's per-thread tallies: [thread][actor][2] (cases taken on,
     * turned away) and [thread][SC_ADM_N] */
    int64_t *adm_actor, *adm_count;
    ps_sort_scratch adm_sort; /* admission's sorting buffers, kept */
    /* referrals: [lead][domain] 1 once no partner had a free place this
     * tick (free places only fall while referrals are placed) */
    uint8_t *refer_full;
    /* referrals: a lead's candidates for a domain, fixed while referrals
     * run, listed the first time they are needed in a tick:
     * [lead][entry slot of the domain's actors], refer_cand_n[lead][domain]
     * of them (-1: not listed yet) */
    sc_candidate *refer_cand;
    int16_t *refer_cand_n;
    uint8_t *adj;        /* undirected adjacency bit matrix of actors */
    /* [from][to]: the link's index in l, or -1; made at the start of each
     * citizen pass, for the tick (links change only in the actor pass) */
    int32_t *link_index;
    int adj_dirty;
    /* an allocation failed during the tick (sc_out_of_memory): the step
     * returns PS_ERR_MEMORY rather than go on with something lost */
    int oom;
    /* metrics of the last observed tick */
    double *metrics;
    /* per-domain unmet counts of the last tick (for new actors, commissioning) */
    int64_t unmet_domain[SC_MAX_DOMAINS];
} sc_state;

/* sc_place.c */
void *sc_load(const ps_scenario *s, const ps_params *reg, ps_diag *d);
void sc_unload(void *place);
long sc_population(const void *place);
extern const char *const sc_scenario_keys[];
extern const size_t sc_n_scenario_keys;

/* sc_costs.c */
void sc_costs_defaults(sc_place *pl);
void sc_costs_load(sc_place *pl, const config_setting_t *costs, ps_diag *d);

/* sc_state.c */
void *sc_create(const void *place, ps_rng_key key, ps_diag *d);
size_t sc_state_bytes(const void *place);
/* Sets the class values of z for the state's disadvantage parameters; if
 * they changed, first gives every citizen its own z. -1: out of memory. */
int sc_z_refresh(sc_state *st);

/* sc_snapshot.c */
int sc_save(const void *state, FILE *fp);
void *sc_restore(const void *place, ps_rng_key key, FILE *fp, ps_diag *d);
void sc_destroy(void *state);

/* sc_links.c: the sorted link table, its row index and the actor x actor
 * index of link numbers */
int sc_link_find(const sc_links *l, int from, int to);
void sc_link_index_build(sc_state *st);
static inline int sc_link_of(const sc_state *st, int from, int to)
{
    return st->link_index[(size_t)from * (size_t)st->a.cap_n + (size_t)to];
}
void sc_links_rebuild_rows(sc_links *l, int n_actors);

/* sc_citizens.c */
void sc_citizens_init(sc_state *st);
void sc_citizen_pass(sc_state *st);
void sc_year_reset(sc_state *st);
/* Tallies the metrics of the state as it is (before the first tick). */
void sc_census(sc_state *st);

/* sc_admission.c, sc_referrals.c */
void sc_admission(sc_state *st);
void sc_referrals(sc_state *st);

/* sc_actors.c */
void sc_actor_pass(sc_state *st);
/* The actor leaves (a departure, a closure, a community actor folding):
 * its links and cases go; its citizens return to UNMET and the needs it
 * served as a partner are referred again. */
void sc_actor_depart(sc_state *st, int actor);
void sc_actor_snapshot(sc_state *st);
double sc_system_index(const sc_state *st, int k, int system);
double sc_statutory_index(const sc_state *st, int k);
/* system -1: the whole place; else links with both ends in that system */
double sc_trust_density(const sc_state *st, int system);
double sc_convening(sc_state *st, int a, int b);
/* normalised Shannon entropy of influence, among a system's actors or all */
double sc_leadership_entropy(const sc_state *st, int system);

/* sc_interventions.c */
void *sc_intervention_compile(const void *place, const ps_params *reg,
                              const ps_intervention *iv, ps_diag *d);
void sc_intervention_free(void *handle);
void sc_intervention_apply(void *state, const ps_intervention *iv, double from, double to);
double sc_ramp_speed(const void *state);

/* sc_shocks.c: events that interventions (and tests) apply between ticks */
int sc_most_influential(const sc_state *st);
void sc_scale_budget(sc_state *st, int kind, double factor);
void sc_raise_precondition(sc_state *st, int k, double amount, int with_supporters);
void sc_scale_trust(sc_state *st, double add);
extern const double sc_interdependence[SC_K][SC_K];

/* sc_report.c: what the report shows of the model */
extern const ps_report_spec sc_report_spec;

/* sc_metrics.c */
size_t sc_metrics(const void *place, const ps_metric **table);
int sc_build_metrics(sc_place *pl);
void sc_observe(const void *state, double *row);
size_t sc_annual_names(const void *place, const char *const **names);
void sc_observe_year(void *state, int year, double *row);

/* Records that an allocation failed: the tick ends with PS_ERR_MEMORY
 * (safe from any thread). */
static inline void sc_out_of_memory(sc_state *st)
{
#pragma omp atomic write
    st->oom = 1;
}

/* sc_vec.c */
void *sc_vec_push(sc_vec *v);
int sc_vec_reserve(sc_vec *v, size_t n); /* room for n items: 0, or -1 out of memory */

/* a sequence of uniform draws for one (stream, entity, tick) */
typedef struct sc_draws {
    ps_rng_key key;
    uint32_t stream, entity, tick, block;
    uint32_t buf[4];
    int pos;
} sc_draws;

static inline void sc_draws_init(sc_draws *r, ps_rng_key key, uint32_t stream,
                                 uint32_t entity, uint32_t tick)
{
    r->key = key;
    r->stream = stream;
    r->entity = entity;
    r->tick = tick;
    r->block = 0;
    r->pos = 4;
}

/* The same stream, with its first block already computed (by
 * ps_rng_blocks for many citizens at once). */
static inline void sc_draws_init_from(sc_draws *r, ps_rng_key key, uint32_t stream,
                                      uint32_t entity, uint32_t tick,
                                      const uint32_t first[4])
{
    sc_draws_init(r, key, stream, entity, tick);
    memcpy(r->buf, first, sizeof r->buf);
    r->block = 1;
    r->pos = 0;
}

static inline double sc_u(sc_draws *r)
{
    if (r->pos >= 4) {
        ps_rng_block(r->key, r->stream, r->entity, r->tick, r->block++, r->buf);
        r->pos = 0;
    }
    return ps_rng_u01(r->buf[r->pos++]);
}

/* The open cases an actor's decisions see. At the place's size, its open
 * cases. A run below it holds the same cases per adult but s = population /
 * capacity_reference times as many, so a week's count strays sqrt(1/s)
 * times further from its mean, relative to capacity, than the whole
 * place's organisation's would: a service of 57 places fills and turns
 * people away while it still has room on average, where one of 770 does
 * not (the Erlang effect of small servers). The run therefore sees the
 * count's deviation from its recent mean shrunk by sqrt(s): the
 * fluctuation of the organisation it stands for. The shrinking applies to
 * the cases that continued into the week; the week's admissions and
 * referrals then add one for one. */
static inline double sc_seen_cases(const sc_actors *A, int a)
{
    if (A->shrink == 1) return (double)A->cases[a];
    return (double)A->cases[a] + A->case_adjust[a];
}

/* The same for the requests an actor receives in a week (m of them). */
static inline double sc_seen_requests(const sc_actors *A, int a, double m)
{
    if (A->shrink == 1) return m;
    return A->request_mean[a] + A->shrink * (m - A->request_mean[a]);
}

/* An actor's free places: capacity less the cases it is seen to hold */
static inline double sc_free_places(const sc_actors *A, int a)
{
    return A->capacity[a] - sc_seen_cases(A, a);
}

/* A service a taking a citizen on, with *told the services that hold the
 * citizen's story this episode: in a place that acknowledges issues as
 * systemic (C), a story already told to another service reaches a with
 * probability p_C of a (always with information sharing); otherwise a
 * assesses the citizen again. Returns 1 when a counts a new assessment
 * (as sc_assess). */
static inline int sc_story(const sc_state *st, uint32_t *told, int a, sc_draws *r)
{
    uint32_t bit = 1u << ((unsigned)a & 31u);
    if (*told && (st->prm->information_sharing || sc_u(r) < st->a.p[a][P_C])) {
        *told |= bit;
        return 0;
    }
    if (*told & bit) return 0;
    *told |= bit;
    return 1;
}

static inline double sc_clamp01(double x)
{
    return x < 0 ? 0 : (x > 1 ? 1 : x);
}

/* A quiet week's assets and engagement: both relax towards their means.
 * The citizen pass's quiet return and the portable quiet screen share it;
 * the AVX2 screen (sc_quiet.c) repeats its operations in the same order. */
static inline void sc_relax_quiet(sc_citizens *c, size_t i, const sc_params *P, double a)
{
    c->assets[i] = (float)(a + P->assets_relax * (P->assets_mean - a));
    c->engagement[i] += (float)(P->eng_relax * (P->eng_mean - c->engagement[i]));
}

/* The quiet majority of citizens i0 .. i0+m-1, m <= 64 (sc_quiet.c):
 * those with no status and no relapse memory whose first uniform,
 * first[j][0], gives no departure and no onset this week. Their week is
 * done here: assets and engagement relax exactly as in the citizen pass's
 * quiet return. Returns them as bits (bit j: citizen i0 + j). For the class
 * z of citizens without their own (c->z NULL). */
uint64_t sc_quiet_screen(sc_state *st, size_t i0, size_t m, const uint32_t (*first)[4],
                         const double z_class[2]);

#endif
