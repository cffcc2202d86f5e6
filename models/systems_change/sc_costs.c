/* Costs (docs/model.md, section 7.4). Services: a case-week costs its
 * actor kind's unit cost. Crisis: every week a need goes unmet it costs its
 * domain's crisis cost times its severity (emergency care, police and
 * courts, temporary accommodation: what unmet need costs elsewhere), and a
 * request turned away costs a wasted contact. So turning people away
 * moves cost from services to crisis instead of saving it. Totals are
 * discounted by the engine at discount_rate a year.
 *
 * The defaults are illustrative, rounded from published unit costs (price
 * years 2013/14 to 2022/23, not uprated); the sources are listed beside
 * each and in docs/model.md. A place should set its own in the scenario's
 * `costs` group. */
#include <string.h>

#include "sc.h"

/* pounds a case-week: hours of a caseworker's client-related time at the
 * PSSRU rate of about 55 pounds an hour (Unit Costs of Health and Social
 * Care 2013/14): statutory 2.7 hours, voluntary 1.5, community 0.75 */
static const double S_case_week[KIND_COUNT] = {
    150, /* statutory */
    80,  /* voluntary */
    40,  /* community */
    60,  /* private */
    20   /* citizen panel (volunteers' support) */
};

/* pounds a week of an unmet need at severity 1, by the default domain
 * names */
static const struct {
    const char *domain;
    double cost;
} S_crisis[] = {
    /* homelessness services, 3,702 pounds per 90 days of homelessness
     * (Pleace and Culhane 2016, Better than Cure?, Crisis) */
    {"housing", 300},
    /* an emergency admission, 1,590 pounds (NHS Reference Costs 2016/17),
     * every seven weeks */
    {"physical_health", 230},
    /* an A&E attendance, 148 pounds (NHS Reference Costs 2016/17), a week */
    {"mental_health", 150},
    /* NHS and drug and alcohol services, 1,405 pounds per 90 days
     * (Pleace and Culhane 2016) */
    {"substance_use", 110},
    /* a police response to violence with injury, 1,260 pounds (Home
     * Office, police costs methodology, 2022/23, table 1), every four weeks */
    {"safety", 300},
    /* criminal justice, 2,998 pounds per 90 days (Pleace and Culhane 2016) */
    {"offending", 230},
    /* no published unit: illustrative (advice and crisis payments) */
    {"employment", 40},
    {"money", 60}};

/* pounds a request turned away: an hour of a social worker's
 * client-related time (PSSRU 2013/14), the contact wasted and made again */
#define S_TURNED_AWAY 55

void sc_costs_defaults(sc_place *pl)
{
    memcpy(pl->case_week_cost, S_case_week, sizeof S_case_week);
    for (int d = 0; d < pl->D; d++) {
        pl->crisis_week_cost[d] = 150; /* a domain of the place's own naming */
        for (size_t k = 0; k < sizeof S_crisis / sizeof *S_crisis; k++)
            if (strcmp(pl->domain_name[d], S_crisis[k].domain) == 0)
                pl->crisis_week_cost[d] = S_crisis[k].cost;
    }
    pl->turned_away_cost = S_TURNED_AWAY;
    pl->discount_rate = 0.035;
}

void sc_costs_load(sc_place *pl, const config_setting_t *costs, ps_diag *d)
{
    sc_costs_defaults(pl);
    if (!costs) return;
    if (ps_cfg_expect_type(costs, CONFIG_TYPE_GROUP, d) != 0) return;
    static const char *const keys[] = {"case_week", "crisis_week", "turned_away",
                                       "discount_rate"};
    ps_cfg_check_keys(costs, keys, 4, d);
    ps_cfg_double(costs, "turned_away", 0, S_TURNED_AWAY, 0, 1e7, &pl->turned_away_cost, d);
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
