/* What the report shows of the systems-change model (engine/report_spec.h):
 * its key figures, the radar of the nine preconditions, wellbeing and
 * unmet need over time, and trust and resilience after a shock. */
#include "sc.h"

static const char *const S_key_figures[] = {
    "wellbeing_with_needs",    "unmet_share_of_needs",   "wellbeing_gap_1_vs_3plus",
    "assessments_per_episode", "weeks_to_first_support", "trust_density"};

static const char *const S_preconditions[] = {"P_A", "P_B", "P_C", "P_D", "P_E",
                                              "P_F", "P_G", "P_H", "P_I"};
static const char *const S_precondition_labels[] = {
    "A beneficiary impact", "B citizen-centred",        "C systemic",
    "D grounded in place",  "E trusted partners",       "F strengths based",
    "G distributed leadership", "H resilient, risk embracing", "I able to let go"};

static const char *const S_wellbeing[] = {"wellbeing_with_needs"};
static const char *const S_unmet[] = {"unmet_share_of_needs"};
static const ps_report_chart S_outcomes[] = {
    {"wellbeing among people with needs (0 to 1)", "wellbeing among people with needs (0 to 1)",
     S_wellbeing, NULL, 1},
    {"share of people with needs unmet", "share of people with needs unmet", S_unmet, NULL, 1},
};

static const char *const S_resilience[] = {"trust_density", "P_H"};
static const char *const S_resilience_names[] = {"trust density", "P_H"};

const ps_report_spec sc_report_spec = {
    .key_figures = S_key_figures,
    .n_key_figures = sizeof S_key_figures / sizeof *S_key_figures,
    .radar_heading = "Readiness: the nine preconditions",
    .radar_title = "Precondition profile (system index, 0 to 1)",
    .radar_metrics = S_preconditions,
    .radar_labels = S_precondition_labels,
    .n_radar = SC_K,
    .outcomes = S_outcomes,
    .n_outcomes = sizeof S_outcomes / sizeof *S_outcomes,
    .difference_metric = "wellbeing_with_needs",
    .difference_unit = "points (0-100)",
    .difference_scale = 100,
    .resilience = {"Trust density and resilience (H)", "index (0 to 1)", S_resilience,
                   S_resilience_names, 2},
    .resilience_text = "Trust between organisations and their resilience (H) over time",
    .costs_text = "Services are the case-weeks of every organisation; crisis is what unmet "
                  "need costs elsewhere (emergency care, police and courts, temporary "
                  "accommodation) and the contacts wasted when people are turned away. The "
                  "unit costs are the scenario's costs group (defaults: illustrative, rounded "
                  "from published unit costs; docs/model.md, section 7.4).",
};
