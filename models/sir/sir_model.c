/* The SIR model's interface to the engine: what its report shows, and the
 * hooks. It has no interventions and no snapshots (the engine says so
 * when asked). */

#include "sir.h"

static long S_population(const void *place) { return ((const sir_place *)place)->population; }

static size_t S_state_bytes(const void *place)
{
    return sizeof(sir_state) + (size_t)((const sir_place *)place)->population;
}

static const char *const S_key_figures[] = {"attack_rate", "infectious_share"};
static const char *const S_curve[] = {"infectious_share"};
static const char *const S_compartments[] = {"susceptible_share", "infectious_share",
                                             "recovered_share"};
static const ps_report_chart S_outcomes[] = {
    {"agents infectious (share)", "share of agents (0 to 1)", S_curve, NULL, 1},
    {"susceptible, infectious, recovered", "share of agents (0 to 1)", S_compartments, NULL, 3},
};

static const ps_report_spec S_report = {
    .key_figures = S_key_figures,
    .n_key_figures = 2,
    .outcomes = S_outcomes,
    .n_outcomes = 2,
    .difference_metric = "infectious_share",
    .difference_unit = "% points",
    .difference_scale = 100,
};

static const char *const S_scenario_keys[] = {"population"};

const ps_model_type sir_model_type = {
    .name = "sir",
    .scenario_keys = S_scenario_keys,
    .n_scenario_keys = 1,
    .declare = sir_declare,
    .load = sir_load,
    .unload = sir_unload,
    .population = S_population,
    .state_bytes = S_state_bytes,
    .create = sir_create,
    .step = sir_step,
    .destroy = sir_destroy,
    .metrics = sir_metrics,
    .observe = sir_observe,
    .report = &S_report,
};
