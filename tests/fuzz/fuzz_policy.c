/* libFuzzer target for policy files: any bytes, read as a policy file and
 * applied to a scenario as `run --policy` applies it (its set list as
 * overrides, its timeline appended and compiled), must give either a
 * loaded arm or diagnostics, never a crash, a leak or undefined behaviour.
 * The policy goes on top of both places a policy is written for: the
 * flagship (configs/coventry.cfg, whose actors the files of configs/
 * policies/ and configs/shocks/ name) and tests/data/small.cfg (those of
 * tests/data/policies/). Loading a place builds no citizens, so the
 * flagship's size costs nothing here. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "loaded_scenario.h"
#include "systems_change.h"

static char S_path[512], S_scenarios[2][1024];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0]) {
        fz_path(S_path, sizeof S_path, fz_workdir("policy"), "policy.cfg");
        fz_source(S_scenarios[0], sizeof S_scenarios[0], "configs/coventry.cfg");
        fz_source(S_scenarios[1], sizeof S_scenarios[1], "tests/data/small.cfg");
    }
    if (fz_write(S_path, data, size) != 0) abort();
    for (size_t i = 0; i < 2; i++) {
        ps_loaded l;
        ps_diag d;
        ps_diag_init(&d);
        int rc = ps_loaded_open(&l, &sc_model_type, S_scenarios[i], S_path, NULL, 0, &d);
        /* a policy that loads has a name, and something to do */
        if (rc == 0 && (!l.policy.name || (!l.policy.n_sets && !l.policy.timeline))) abort();
        fz_check_diag(&d, rc);
        ps_loaded_close(&l);
    }
    return 0;
}
