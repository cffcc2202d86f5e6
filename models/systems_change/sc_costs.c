/* Costs (section 7): a case-week costs its actor kind's unit cost; a week
 * in which a citizen's need is severe (severity at least `severe`) and not
 * served costs that domain's crisis cost (A&E, police, temporary
 * accommodation ...). Totals are discounted by the engine at
 * discount_rate a year.
 *
 * The defaults are ILLUSTRATIVE: orders of magnitude in pounds a week chosen
 * to be plausible for an English city, not taken from a published unit-cost
 * table. A place should set its own in the scenario's `costs` group. */
#include <string.h>

#include "sc.h"

static const double S_case_week[KIND_COUNT] = {
    150, /* statutory: a caseworker's share of a week */
    80,  /* voluntary */
    40,  /* community */
    60,  /* private */
    20   /* citizen panel */
};

/* crisis cost of a severe unmet need-week, by the default domain names */
static const struct {
    const char *domain;
    double cost;
} S_crisis[] = {{"housing", 400},  {"physical_health", 350}, {"mental_health", 350},
                {"substance_use", 250}, {"safety", 450}, {"offending", 600},
                {"employment", 100}, {"money", 80}};

void sc_costs_defaults(sc_place *pl)
{
    memcpy(pl->case_week_cost, S_case_week, sizeof S_case_week);
    for (int d = 0; d < pl->D; d++) {
        pl->crisis_week_cost[d] = 200; /* a domain of the place's own naming */
        for (size_t k = 0; k < sizeof S_crisis / sizeof *S_crisis; k++)
            if (strcmp(pl->domain_name[d], S_crisis[k].domain) == 0)
                pl->crisis_week_cost[d] = S_crisis[k].cost;
    }
    pl->severe = 0.6;
    pl->discount_rate = 0.035;
}

void sc_costs_load(sc_place *pl, const config_setting_t *costs, ps_diag *d)
{
    sc_costs_defaults(pl);
    if (!costs) return;
    if (ps_cfg_expect_type(costs, CONFIG_TYPE_GROUP, d) != 0) return;
    static const char *const keys[] = {"case_week", "crisis_week", "severe", "discount_rate"};
    ps_cfg_check_keys(costs, keys, 4, d);
    ps_cfg_double(costs, "severe", 0, 0.6, 0.05, 1, &pl->severe, d);
    ps_cfg_double(costs, "discount_rate", 0, 0.035, 0, 1, &pl->discount_rate, d);
    const config_setting_t *cw = config_setting_get_member(costs, "case_week");
    if (cw && ps_cfg_expect_type(cw, CONFIG_TYPE_GROUP, d) == 0) {
        ps_cfg_check_keys(cw, sc_kind_names, KIND_COUNT, d);
        for (int k = 0; k < KIND_COUNT; k++)
            ps_cfg_double(cw, sc_kind_names[k], 0, S_case_week[k], 0, 1e7, &pl->case_week_cost[k], d);
    }
    const config_setting_t *cr = config_setting_get_member(costs, "crisis_week");
    if (cr && ps_cfg_expect_type(cr, CONFIG_TYPE_GROUP, d) == 0) {
        const char *names[SC_MAX_DOMAINS];
        for (int k = 0; k < pl->D; k++) names[k] = pl->domain_name[k];
        ps_cfg_check_keys(cr, names, (size_t)pl->D, d);
        for (int k = 0; k < pl->D; k++)
            ps_cfg_double(cr, names[k], 0, pl->crisis_week_cost[k], 0, 1e7,
                          &pl->crisis_week_cost[k], d);
    }
}
