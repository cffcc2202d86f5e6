/* Metrics (section 7): one row a week from the tallies of the citizen pass
 * and the actor state; a per-year table of contact overlap between the
 * housing, substance-use and offending systems (section 8). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reduce.h"
#include "sc.h"

/* The weekly metrics, in the order of series.csv's columns: one row each,
 * X(name, better, roles, unit, group, label). sc_observe fills column
 * SC_M_name of the row, so a name and the value under it cannot part.
 * better: +1 higher is better, -1 lower, 0 neither. roles (engine/metric.h):
 * H headline, S steady (tolerance by unit: half a point for shares, 0.01
 * for indices), R resilience, C count (scaled to the whole place). */
#define S_H PS_METRIC_HEADLINE
#define S_S PS_METRIC_STEADY
#define S_R PS_METRIC_RESILIENCE
#define S_C PS_METRIC_COUNT
#define S_PRECONDITION(X, id, label)                                                          \
    X(id, +1, S_S | S_R, U_INDEX, "preconditions", label)
#define S_METRICS(X)                                                                          \
    S_PRECONDITION(X, P_A, "beneficiary impact (A)")                                          \
    S_PRECONDITION(X, P_B, "citizen-centred (B)")                                             \
    S_PRECONDITION(X, P_C, "systemic (C)")                                                    \
    S_PRECONDITION(X, P_D, "grounded in place (D)")                                           \
    S_PRECONDITION(X, P_E, "trusted partners (E)")                                            \
    S_PRECONDITION(X, P_F, "strengths based (F)")                                             \
    S_PRECONDITION(X, P_G, "distributed leadership (G)")                                      \
    S_PRECONDITION(X, P_H, "resilient and risk embracing (H)")                                \
    S_PRECONDITION(X, P_I, "able to let go (I)")                                              \
    X(trust_density, +1, S_H | S_S | S_R, U_INDEX, "trust and leadership",        \
      "trust between organisations (trust x understanding)")                                  \
    X(leadership_entropy, 0, 0, U_INDEX, "trust and leadership",                        \
      "how evenly influence is spread (normalised entropy)")                                  \
    X(wellbeing_mean, +1, 0, U_SCORE, "outcomes", "wellbeing of all adults")            \
    X(wellbeing_with_needs, +1, S_H | S_S | S_R, U_SCORE, "outcomes",             \
      "wellbeing among people with needs")                                                    \
    X(wellbeing_needs_1, +1, 0, U_SCORE, "outcomes", "wellbeing with one need")         \
    X(wellbeing_needs_2, +1, 0, U_SCORE, "outcomes", "wellbeing with two needs")        \
    X(wellbeing_needs_3plus, +1, 0, U_SCORE, "outcomes",                                \
      "wellbeing with three or more needs")                                                   \
    X(wellbeing_gap_1_vs_3plus, -1, S_H, U_SCORE, "outcomes",                     \
      "wellbeing gap between one need and three or more")                                     \
    X(prevalence_1plus, -1, S_S, U_SHARE_ADULTS, "needs",                            \
      "adults with at least one need")                                                        \
    X(prevalence_2plus, -1, S_S, U_SHARE_ADULTS, "needs",                            \
      "adults with two or more needs")                                                        \
    X(prevalence_3plus, -1, S_S, U_SHARE_ADULTS, "needs",                            \
      "adults with three or more needs")                                                      \
    X(unmet_share, -1, 0, U_SHARE_ADULTS, "outcomes",                                \
      "adults with a need that is not served")                                                \
    X(unmet_share_of_needs, -1, S_H | S_S | S_R, U_SHARE_NEEDS,    \
      "outcomes", "share of people with needs whose needs are unmet")                         \
    X(weeks_to_first_support, -1, 0, U_WEEKS, "services",                                   \
      "weeks from a need to first support")                                                   \
    X(first_supports, 0, S_C, U_EPISODES, "services", "episodes first supported")      \
    X(episodes_closed, 0, S_C, U_EPISODES, "services", "episodes closed, needs met")   \
    X(assessments_per_episode, -1, 0, U_ASSESSMENTS, "services",                \
      "assessments per episode of support")                                                   \
    X(assessments_per_episode_1, -1, 0, U_ASSESSMENTS, "services",                \
      "assessments per episode, one need")                                                    \
    X(assessments_per_episode_2, -1, 0, U_ASSESSMENTS, "services",                \
      "assessments per episode, two needs")                                                   \
    X(assessments_per_episode_3plus, -1, 0, U_ASSESSMENTS, "services",            \
      "assessments per episode, three or more needs")                                         \
    X(handoffs_per_episode, -1, 0, U_HANDOFFS, "services",                        \
      "signposts, turn-aways and early closures per episode")                                 \
    X(requests, 0, S_C, U_REQUESTS, "services", "requests for support")                \
    X(admitted, 0, 0, U_REQUESTS, "services", "requests admitted")                     \
    X(turned_away, -1, S_C, U_REQUESTS, "services", "requests turned away")            \
    X(setbacks, -1, S_C, U_ADULTS, "services", "setbacks in follow-up")                \
    X(reengaged_share, +1, 0, U_SHARE_SETBACKS, "services",                          \
      "setbacks picked up at once by the old lead")                                           \
    X(joint_work_success, +1, 0, U_SHARE_OUTCOMES, "trust and leadership",           \
      "success of joint work")                                                                \
    X(referral_uptake, +1, 0, U_SHARE_OFFERS, "trust and leadership",                \
      "warm referrals taken up")                                                              \
    X(open_cases, 0, S_C, U_CASES, "services", "open cases")                                  \
    X(capacity_total, 0, S_C, U_PLACES, "services", "places in all organisations")            \
    X(community_capacity, 0, 0, U_PLACES, "services", "places in community organisations")    \
    X(community_assets, +1, 0, U_LEVEL, "community", "neighbourhood assets")            \
    X(actors_active, 0, 0, U_ORGANISATIONS, "services", "organisations active")               \
    X(onsets, 0, S_C, U_NEEDS, "needs", "new needs")                                   \
    X(dropouts, -1, 0, U_CASES_WEEK, "services", "cases ended by drop-out")                 \
    X(early_closures, -1, 0, U_CASES_WEEK, "services", "cases closed early")                \
    X(volunteers, 0, S_C, U_VOLUNTEERS, "community", "active volunteers")                     \
    X(cost_services, 0, PS_METRIC_COST, U_POUNDS, "costs", "services")                 \
    X(cost_crisis_unmet, 0, PS_METRIC_COST, U_POUNDS, "costs", "crisis: unmet need")   \
    X(cost_crisis_turned_away, 0, PS_METRIC_COST, U_POUNDS, "costs",                   \
      "crisis: requests turned away")                                                         \
    X(cost_crisis, 0, PS_METRIC_COST, U_POUNDS, "costs", "crisis")                     \
    X(cost_total, 0, PS_METRIC_COST, U_POUNDS, "costs", "total")

#define S_ID(id, better, roles, unit, group, label) SC_M_##id,
enum { S_METRICS(S_ID) S_N_BASE };

/* The units, once each, with what a steady drift may be before it matters
 * (half a point of a share, 0.01 of an index or a score) and how the
 * report's sentences show it (shares as percentage points, indices and
 * scores as points out of 100). */
enum {
    U_INDEX, U_SCORE, U_SHARE_ADULTS, U_SHARE_NEEDS, U_WEEKS, U_EPISODES, U_ASSESSMENTS,
    U_HANDOFFS, U_REQUESTS, U_ADULTS, U_SHARE_SETBACKS, U_SHARE_OUTCOMES, U_SHARE_OFFERS,
    U_CASES, U_PLACES, U_LEVEL, U_ORGANISATIONS, U_NEEDS, U_CASES_WEEK, U_VOLUNTEERS, U_POUNDS
};
static const struct {
    const char *name;
    double steady_tolerance, display_scale;
    const char *display_unit;
} S_units[] = {
    [U_INDEX] = {"index (0-1)", 0.01, 100, "points (0-100)"},
    [U_SCORE] = {"score (0-1)", 0.01, 100, "points (0-100)"},
    [U_SHARE_ADULTS] = {"share of adults (0-1)", 0.005, 100, "% points"},
    [U_SHARE_NEEDS] = {"share of people with needs (0-1)", 0.005, 100, "% points"},
    [U_WEEKS] = {"weeks", 0, 0, NULL},
    [U_EPISODES] = {"episodes a week", 0, 0, NULL},
    [U_ASSESSMENTS] = {"assessments per episode", 0, 0, NULL},
    [U_HANDOFFS] = {"handoffs per episode", 0, 0, NULL},
    [U_REQUESTS] = {"requests a week", 0, 0, NULL},
    [U_ADULTS] = {"adults a week", 0, 0, NULL},
    [U_SHARE_SETBACKS] = {"share of setbacks (0-1)", 0.005, 100, "% points"},
    [U_SHARE_OUTCOMES] = {"share of outcomes (0-1)", 0.005, 100, "% points"},
    [U_SHARE_OFFERS] = {"share of offers (0-1)", 0.005, 100, "% points"},
    [U_CASES] = {"cases", 0, 0, NULL},
    [U_PLACES] = {"places", 0, 0, NULL},
    [U_LEVEL] = {"level (0-1)", 0.01, 100, "points (0-100)"},
    [U_ORGANISATIONS] = {"organisations", 0, 0, NULL},
    [U_NEEDS] = {"needs a week", 0, 0, NULL},
    [U_CASES_WEEK] = {"cases a week", 0, 0, NULL},
    [U_VOLUNTEERS] = {"volunteers", 0, 0, NULL},
    [U_POUNDS] = {"pounds a week", 0, 0, NULL},
};

#define S_ROW(id, better, roles, unit, group, label) {#id, label, group, better, roles, unit},
static const struct {
    const char *name, *label, *group;
    int better;
    unsigned roles;
    int unit;
} S_base[] = {S_METRICS(S_ROW)};

static ps_metric S_metric(const char *name, const char *label, const char *group, int better,
                          unsigned roles, int unit)
{
    ps_metric m = {name, label, S_units[unit].name, group, better, roles, 0, NULL, 0, NULL};
    if (roles & PS_METRIC_STEADY) m.steady_tolerance = S_units[unit].steady_tolerance;
    if (roles & PS_METRIC_COST) m.cost_kind = label;
    m.display_scale = S_units[unit].display_scale;
    m.display_unit = S_units[unit].display_unit;
    return m;
}

static const char *const S_annual[] = {
    "housing_only", "substance_only", "offending_only", "housing_substance",
    "housing_offending", "substance_offending", "all_three", "any_of_three",
    "two_or_more", "population"};

/* Per system label: its nine indices, trust density and leadership
 * entropy, as "P_A.housing", "trust_density.housing" ... */
#define S_PER_SYSTEM (SC_K + 2)
enum { S_NAME = 64, S_LABEL = 128 };

int sc_build_metrics(sc_place *pl)
{
    size_t n = S_N_BASE + (size_t)pl->S * S_PER_SYSTEM;
    pl->metrics = calloc(n, sizeof *pl->metrics);
    pl->metric_text = calloc((size_t)pl->S * S_PER_SYSTEM + 1, S_NAME + S_LABEL);
    if (!pl->metrics || !pl->metric_text) return -1;
    for (size_t i = 0; i < S_N_BASE; i++)
        pl->metrics[i] = S_metric(S_base[i].name, S_base[i].label, S_base[i].group,
                                  S_base[i].better, S_base[i].roles, S_base[i].unit);
    for (int s = 0; s < pl->S; s++)
        for (int k = 0; k < S_PER_SYSTEM; k++) {
            size_t at = (size_t)(s * S_PER_SYSTEM + k);
            char *name = pl->metric_text + at * (S_NAME + S_LABEL), *label = name + S_NAME;
            const char *sys = pl->system_name[s];
            /* the system's own copy of the whole place's metric */
            const ps_metric *of = &pl->metrics[k < SC_K ? SC_M_P_A + k
                                               : k == SC_K ? SC_M_trust_density
                                                           : SC_M_leadership_entropy];
            snprintf(name, S_NAME, "%s.%s", of->name, sys);
            snprintf(label, S_LABEL, "%s, among the %s organisations", of->label, sys);
            pl->metrics[S_N_BASE + at] = (ps_metric){name, label, of->unit, "by system",
                                                     of->better, 0, 0, NULL, of->display_scale,
                                                     of->display_unit};
        }
    pl->n_metrics = n;
    return 0;
}

size_t sc_metrics(const void *place, const ps_metric **table)
{
    const sc_place *pl = place;
    *table = pl->metrics;
    return pl->n_metrics;
}

static double S_ratio(double num, double den) { return den > 0 ? num / den : NAN; }

void sc_observe(const void *vs, double *row)
{
    const sc_state *st = vs;
    const sc_tally *t = &st->sum;
    const sc_actors *A = &st->a;
    double n = (double)t->citizens;
#define S_SET(id, value) (row[SC_M_##id] = (value))
    for (int k = 0; k < SC_K; k++) row[SC_M_P_A + k] = sc_system_index(st, k, -1);
    S_SET(trust_density, sc_trust_density(st, -1));
    S_SET(leadership_entropy, sc_leadership_entropy(st, -1));
    int64_t needs = t->with_needs[1] + t->with_needs[2] + t->with_needs[3];
    S_SET(wellbeing_mean, S_ratio(ps_unfixed(t->wb_sum_all), n));
    S_SET(wellbeing_with_needs, S_ratio(ps_unfixed(t->wb_sum_needs), (double)needs));
    double w1 = S_ratio(ps_unfixed(t->wb_sum[1]), (double)t->with_needs[1]);
    double w3 = S_ratio(ps_unfixed(t->wb_sum[3]), (double)t->with_needs[3]);
    S_SET(wellbeing_needs_1, w1);
    S_SET(wellbeing_needs_2, S_ratio(ps_unfixed(t->wb_sum[2]), (double)t->with_needs[2]));
    S_SET(wellbeing_needs_3plus, w3);
    S_SET(wellbeing_gap_1_vs_3plus, w1 - w3);
    S_SET(prevalence_1plus, S_ratio((double)needs, n));
    S_SET(prevalence_2plus, S_ratio((double)(t->with_needs[2] + t->with_needs[3]), n));
    S_SET(prevalence_3plus, S_ratio((double)t->with_needs[3], n));
    S_SET(unmet_share, S_ratio((double)t->unmet, n));
    S_SET(unmet_share_of_needs, S_ratio((double)t->unmet, (double)needs));
    S_SET(weeks_to_first_support,
          S_ratio((double)t->first_support_weeks, (double)t->first_support_n));
    S_SET(first_supports, (double)t->first_support_n);
    S_SET(episodes_closed, (double)t->episodes_closed);
    S_SET(assessments_per_episode, S_ratio((double)t->assess_sum, (double)t->episodes_closed));
    for (int b = 1; b <= 3; b++)
        row[SC_M_assessments_per_episode_1 + b - 1] =
            S_ratio((double)t->assess_by_needs[b], (double)t->episodes_by_needs[b]);
    S_SET(handoffs_per_episode, S_ratio((double)t->handoff_sum, (double)t->episodes_closed));
    int64_t requests = 0, cases = 0;
    double capacity = 0;
    int alive = 0;
    for (int a = 0; a < A->n; a++) {
        requests += A->requests[a];
        if (!A->alive[a]) continue;
        cases += A->cases[a];
        capacity += A->capacity[a];
        alive++;
    }
    S_SET(requests, (double)requests);
    S_SET(admitted, (double)st->admitted_tick);
    S_SET(turned_away, (double)st->turned_away_tick);
    S_SET(setbacks, (double)t->setbacks);
    S_SET(reengaged_share, S_ratio((double)t->reengaged, (double)t->setbacks));
    S_SET(joint_work_success, S_ratio((double)t->joint_succ, (double)t->joint_total));
    S_SET(referral_uptake, S_ratio((double)t->referral_taken, (double)t->referral_offers));
    S_SET(open_cases, (double)cases);
    S_SET(capacity_total, capacity);
    S_SET(community_capacity, st->community_capacity);
    double assets = 0, pop = 0, vol = 0;
    for (int h = 0; h < st->pl->H; h++) {
        assets += st->hood_assets[h] * (double)st->hood_pop[h];
        pop += (double)st->hood_pop[h];
        vol += st->hood_volunteers[h];
    }
    S_SET(community_assets, S_ratio(assets, pop));
    S_SET(actors_active, alive);
    S_SET(onsets, (double)t->onsets);
    S_SET(dropouts, (double)t->dropouts);
    S_SET(early_closures, (double)t->early_closures);
    S_SET(volunteers, vol);
    /* costs this week: open cases at their kind's unit cost; unmet needs at
     * their domain's crisis cost times their severity; requests turned away */
    double cost_cases = 0, cost_unmet = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        /* a case-week at the actor's own unit cost, blended with that of
         * the staff seconded to it, by their share of its places */
        double rate = st->pl->case_week_cost[A->kind[a]];
        double own = A->capacity[a] - A->seconded[a];
        if (A->seconded[a] > 0 && own + A->seconded[a] > 0)
            rate = (own * rate + A->seconded_cost[a]) / (own + A->seconded[a]);
        cost_cases += (double)A->cases[a] * rate;
    }
    for (int d = 0; d < st->pl->D; d++)
        cost_unmet += ps_unfixed(t->unmet_severity[d]) * st->pl->crisis_week_cost[d];
    double cost_away = (double)st->turned_away_tick * st->pl->turned_away_cost;
    S_SET(cost_services, cost_cases);
    S_SET(cost_crisis_unmet, cost_unmet);
    S_SET(cost_crisis_turned_away, cost_away);
    S_SET(cost_crisis, cost_unmet + cost_away);
    S_SET(cost_total, cost_cases + cost_unmet + cost_away);
#undef S_SET
    double *sys = row + S_N_BASE;
    for (int s = 0; s < st->pl->S; s++) {
        for (int k = 0; k < SC_K; k++) *sys++ = sc_system_index(st, k, s);
        *sys++ = sc_trust_density(st, s);
        *sys++ = sc_leadership_entropy(st, s);
    }
}

size_t sc_annual_names(const void *place, const char *const **names)
{
    (void)place;
    *names = S_annual;
    return sizeof S_annual / sizeof *S_annual;
}

void sc_observe_year(void *vs, int year, double *row)
{
    sc_state *st = vs;
    (void)year;
    int64_t count[8] = {0};
    const sc_citizens *c = &st->c;
#pragma omp parallel for schedule(static) reduction(+ : count[:8])
    for (size_t i = 0; i < c->n; i++) count[sc_year_mask(c, i)]++;
    /* bit 1 housing, 2 substance, 4 offending */
    row[0] = (double)count[1];
    row[1] = (double)count[2];
    row[2] = (double)count[4];
    row[3] = (double)count[3];
    row[4] = (double)count[5];
    row[5] = (double)count[6];
    row[6] = (double)count[7];
    row[7] = (double)(count[1] + count[2] + count[3] + count[4] + count[5] + count[6] + count[7]);
    row[8] = (double)(count[3] + count[5] + count[6] + count[7]);
    row[9] = (double)c->n;
    sc_year_reset(st);
}
