/* libFuzzer target for the scenario loader: any bytes, read as a scenario
 * file (and its timeline), must give either a place or diagnostics, never a
 * crash, a leak or undefined behaviour. The input is written to the
 * target's working directory, where the loader reads it as a file. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "params.h"
#include "scenario.h"
#include "sim.h"
#include "systems_change.h"
#include "timeline.h"

static char S_path[512];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0]) fz_path(S_path, sizeof S_path, fz_workdir("scenario"), "input.cfg");
    if (fz_write(S_path, data, size) != 0) abort();

    const ps_model_type *type = &sc_model_type;
    ps_params *reg = ps_params_create();
    if (!reg || type->declare(reg) != 0) abort();
    const char *keys[16];
    size_t nk = 0;
    for (size_t i = 0; i < type->n_scenario_keys; i++) keys[nk++] = type->scenario_keys[i];
    keys[nk++] = "timeline";
    ps_scenario scen;
    ps_diag d;
    ps_diag_init(&d);
    void *place = NULL;
    ps_timeline tl = {0, NULL};
    int rc = ps_scenario_open(&scen, S_path, reg, keys, nk, NULL, 0, &d);
    if (rc == 0) {
        place = type->load(&scen, reg, &d);
        rc = place ? 0 : -1;
    }
    if (rc == 0) {
        const config_setting_t *root = config_root_setting(&scen.cfg);
        rc = ps_timeline_read(&tl, config_setting_get_member(root, "timeline"), scen.run.weeks,
                              &d);
        if (rc == 0) rc = ps_sim_compile_timeline(type, place, reg, &tl, &d);
    }
    fz_check_diag(&d, rc);
    ps_timeline_free(&tl, type->intervention_free);
    if (place) type->unload(place);
    ps_scenario_close(&scen);
    ps_params_free(reg);
    return 0;
}
