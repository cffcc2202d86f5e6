/* libFuzzer target for the scenario loader: any bytes, read as a scenario
 * file (and its timeline), must give either a place or diagnostics, never a
 * crash, a leak or undefined behaviour. Built by scripts/fuzz with clang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "params.h"
#include "scenario.h"
#include "sim.h"
#include "systems_change.h"
#include "timeline.h"

static char S_path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0]) snprintf(S_path, sizeof S_path, "/tmp/placesim-fuzz-%d.cfg", (int)getpid());
    FILE *fp = fopen(S_path, "wb");
    if (!fp) return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);

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
    if (ps_scenario_open(&scen, S_path, reg, keys, nk, NULL, 0, &d) == 0) {
        place = type->load(&scen, reg, &d);
        if (place) {
            const config_setting_t *root = config_root_setting(&scen.cfg);
            if (ps_timeline_read(&tl, config_setting_get_member(root, "timeline"), scen.run.weeks,
                                 &d) == 0)
                ps_sim_compile_timeline(type, place, reg, &tl, &d);
        }
    }
    /* every diagnostic formats */
    char line[1024];
    for (int i = 0; i < d.count && i < PS_DIAG_MAX; i++) ps_diag_format(&d, i, line, sizeof line);
    ps_timeline_free(&tl, type->intervention_free);
    if (place) type->unload(place);
    ps_scenario_close(&scen);
    ps_params_free(reg);
    return 0;
}
