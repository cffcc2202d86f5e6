/* The outcomes a diagnosis measures each lever by, and how sure an
 * effect is (cli/diagnose.h): shared by the command, its files and its
 * report. */
#include <math.h>

#include "diagnose.h"

const dx_outcome dx_outcomes[DX_N_OUTCOMES] = {
    {"wellbeing_with_needs", "wellbeing of people with needs", +1, 0},
    {"unmet_share_of_needs", "share of people with needs left unmet", -1, 0},
    {"wellbeing_gap_1_vs_3plus", "wellbeing gap, one need against three or more", -1, 0},
    {"assessments_per_episode", "assessments per episode (tell my story once)", -1, 0},
    {"cost_total", "discounted cost of cases and crises (pounds)", -1, 1}};

int dx_sure(const ps_interval *iv, int direction)
{
    if (isnan(iv->lo) || isnan(iv->hi)) return 0;
    if (direction * iv->lo > 0 && direction * iv->hi > 0) return 1;
    if (direction * iv->lo < 0 && direction * iv->hi < 0) return -1;
    return 0;
}
