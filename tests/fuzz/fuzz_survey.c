/* libFuzzer target for the survey reader: any bytes, read as a survey
 * against a fixed list of actor ids (those of configs/coventry.cfg and
 * tests/data/small.cfg), must give either a survey whose levels are in
 * [0, 1] or diagnostics, never a crash, a leak or undefined behaviour.
 * The reader parses a buffer, so no file is written. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "sc_survey.h"

static const char *const S_ids[] = {
    "council_housing", "adult_social_care", "childrens_services", "acute_hospital",
    "mental_health_trust", "gp_federation", "drug_alcohol_service", "police", "probation",
    "jobcentre", "refuge", "food_bank", "community_network", "small_business_forum",
    "faith_voluntary", "citizens_panel", "housing_association", "debt_advice",
    "offender_mentoring", "public_health", "council", "health", "recovery", "community"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const size_t n_ids = sizeof S_ids / sizeof *S_ids;
    sc_survey sv;
    ps_diag d;
    ps_diag_init(&d);
    int rc = sc_survey_parse(&sv, (const char *)data, size, "fuzz.csv", S_ids, n_ids, &d);
    if (rc == 0) {
        /* a survey that reads has respondents and levels within [0, 1] */
        if (sv.respondents == 0 || d.count != 0) abort();
        for (size_t i = 0; i < n_ids * SC_SURVEY_K; i++) {
            if (sv.n[i] == 0) continue;
            if (!(sv.mean[i] >= 0 && sv.mean[i] <= 1 && sv.sd[i] >= 0 && sv.sd[i] <= 1)) abort();
        }
    }
    fz_check_diag(&d, rc);
    sc_survey_free(&sv);
    return 0;
}
