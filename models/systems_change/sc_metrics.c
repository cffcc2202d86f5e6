/* Metrics (section 7): one row a week from the tallies of the citizen pass
 * and the actor state; a per-year table of contact overlap between the
 * housing, substance-use and offending systems (section 8). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reduce.h"
#include "sc.h"

static const char *const S_base_names[] = {
    "P_A", "P_B", "P_C", "P_D", "P_E", "P_F", "P_G", "P_H", "P_I",
    "trust_density", "leadership_entropy",
    "wellbeing_mean", "wellbeing_with_needs", "wellbeing_needs_1",
    "wellbeing_needs_2", "wellbeing_needs_3plus", "wellbeing_gap_1_vs_3plus",
    "prevalence_1plus", "prevalence_2plus", "prevalence_3plus",
    "unmet_share", "unmet_share_of_needs",
    "weeks_to_first_support", "first_supports",
    "episodes_closed", "assessments_per_episode", "assessments_per_episode_1",
    "assessments_per_episode_2", "assessments_per_episode_3plus",
    "handoffs_per_episode",
    "requests", "admitted", "turned_away",
    "setbacks", "reengaged_share", "joint_work_success", "referral_uptake",
    "open_cases", "capacity_total", "community_capacity", "community_assets",
    "actors_active", "onsets", "dropouts", "early_closures", "volunteers",
    "cost_services", "cost_crisis_unmet", "cost_crisis_turned_away", "cost_crisis",
    "cost_total"};
enum { S_N_BASE = sizeof S_base_names / sizeof *S_base_names };

static const char *const S_annual[] = {
    "housing_only", "substance_only", "offending_only", "housing_substance",
    "housing_offending", "substance_offending", "all_three", "any_of_three",
    "two_or_more", "population"};

/* Per system label: its nine indices, trust density and leadership
 * entropy, as "P_A.housing", "trust_density.housing" ... */
#define S_PER_SYSTEM (SC_K + 2)

int sc_build_metric_names(sc_place *pl)
{
    size_t n = S_N_BASE + (size_t)pl->S * S_PER_SYSTEM;
    pl->metric_names = calloc(n, sizeof *pl->metric_names);
    pl->metric_name_buf = calloc((size_t)pl->S * S_PER_SYSTEM + 1, 64);
    if (!pl->metric_names || !pl->metric_name_buf) return -1;
    for (size_t i = 0; i < S_N_BASE; i++) pl->metric_names[i] = S_base_names[i];
    for (int s = 0; s < pl->S; s++)
        for (int k = 0; k < S_PER_SYSTEM; k++) {
            char *slot = pl->metric_name_buf + (size_t)(s * S_PER_SYSTEM + k) * 64;
            if (k < SC_K) snprintf(slot, 64, "P_%c.%s", 'A' + k, pl->system_name[s]);
            else if (k == SC_K) snprintf(slot, 64, "trust_density.%s", pl->system_name[s]);
            else snprintf(slot, 64, "leadership_entropy.%s", pl->system_name[s]);
            pl->metric_names[S_N_BASE + (size_t)(s * S_PER_SYSTEM + k)] = slot;
        }
    pl->n_metrics = n;
    return 0;
}

size_t sc_metric_names(const void *place, const char *const **names)
{
    const sc_place *pl = place;
    *names = pl->metric_names;
    return pl->n_metrics;
}

static double S_ratio(double num, double den) { return den > 0 ? num / den : NAN; }

void sc_observe(const void *vs, double *row)
{
    const sc_state *st = vs;
    const sc_tally *t = &st->sum;
    const sc_actors *A = &st->a;
    double n = (double)t->citizens;
    int m = 0;
    for (int k = 0; k < SC_K; k++) row[m++] = sc_system_index(st, k, -1);
    row[m++] = sc_trust_density(st, -1);
    row[m++] = sc_leadership_entropy(st, -1);
    int64_t needs = t->with_needs[1] + t->with_needs[2] + t->with_needs[3];
    row[m++] = S_ratio(ps_unfixed(t->wb_sum_all), n);
    row[m++] = S_ratio(ps_unfixed(t->wb_sum_needs), (double)needs);
    double w1 = S_ratio(ps_unfixed(t->wb_sum[1]), (double)t->with_needs[1]);
    double w3 = S_ratio(ps_unfixed(t->wb_sum[3]), (double)t->with_needs[3]);
    row[m++] = w1;
    row[m++] = S_ratio(ps_unfixed(t->wb_sum[2]), (double)t->with_needs[2]);
    row[m++] = w3;
    row[m++] = w1 - w3;
    row[m++] = S_ratio((double)needs, n);
    row[m++] = S_ratio((double)(t->with_needs[2] + t->with_needs[3]), n);
    row[m++] = S_ratio((double)t->with_needs[3], n);
    row[m++] = S_ratio((double)t->unmet, n);
    row[m++] = S_ratio((double)t->unmet, (double)needs);
    row[m++] = S_ratio((double)t->first_support_weeks, (double)t->first_support_n);
    row[m++] = (double)t->first_support_n;
    row[m++] = (double)t->episodes_closed;
    row[m++] = S_ratio((double)t->assess_sum, (double)t->episodes_closed);
    for (int b = 1; b <= 3; b++)
        row[m++] = S_ratio((double)t->assess_by_needs[b], (double)t->episodes_by_needs[b]);
    row[m++] = S_ratio((double)t->handoff_sum, (double)t->episodes_closed);
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
    row[m++] = (double)requests;
    row[m++] = (double)st->admitted_tick;
    row[m++] = (double)st->turned_away_tick;
    row[m++] = (double)t->setbacks;
    row[m++] = S_ratio((double)t->reengaged, (double)t->setbacks);
    row[m++] = S_ratio((double)t->joint_succ, (double)t->joint_total);
    row[m++] = S_ratio((double)t->referral_taken, (double)t->referral_offers);
    row[m++] = (double)cases;
    row[m++] = capacity;
    row[m++] = st->community_capacity;
    double assets = 0, pop = 0, vol = 0;
    for (int h = 0; h < st->pl->H; h++) {
        assets += st->hood_assets[h] * (double)st->hood_pop[h];
        pop += (double)st->hood_pop[h];
        vol += st->hood_volunteers[h];
    }
    row[m++] = S_ratio(assets, pop);
    row[m++] = alive;
    row[m++] = (double)t->onsets;
    row[m++] = (double)t->dropouts;
    row[m++] = (double)t->early_closures;
    row[m++] = vol;
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
    row[m++] = cost_cases;
    row[m++] = cost_unmet;
    row[m++] = cost_away;
    row[m++] = cost_unmet + cost_away;
    row[m++] = cost_cases + cost_unmet + cost_away;
    for (int s = 0; s < st->pl->S; s++) {
        for (int k = 0; k < SC_K; k++) row[m++] = sc_system_index(st, k, s);
        row[m++] = sc_trust_density(st, s);
        row[m++] = sc_leadership_entropy(st, s);
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
