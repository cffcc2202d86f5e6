#include "loaded_scenario.h"

#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "snapshot.h"

void ps_loaded_close(ps_loaded *l)
{
    if (l->type) ps_timeline_free(&l->timeline, l->type->intervention_free);
    if (l->place) l->type->unload(l->place);
    if (l->scen_open) ps_scenario_close(&l->scen);
    if (l->has_policy) ps_policy_close(&l->policy);
    ps_params_free(l->reg);
    memset(l, 0, sizeof *l);
}

int ps_loaded_open(ps_loaded *l, const ps_model_type *type, const char *scenario,
                   const char *policy, const char *const *sets, size_t n_sets, ps_diag *d)
{
    memset(l, 0, sizeof *l);
    l->type = type;
    l->reg = ps_params_create();
    if (!l->reg || type->declare(l->reg) != 0) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "the parameter registry could not be built");
        return -1;
    }
    size_t n_policy = 0;
    if (policy) {
        l->has_policy = 1;
        if (ps_policy_open(&l->policy, policy, d) != 0) return -1;
        n_policy = l->policy.n_sets;
    }
    /* the policy's overrides first, so the command line has the last word */
    const char **all = calloc(n_policy + n_sets + 1, sizeof *all);
    if (!all) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    size_t n_all = 0;
    for (size_t i = 0; i < n_policy; i++) all[n_all++] = l->policy.sets[i];
    for (size_t i = 0; i < n_sets; i++) all[n_all++] = sets[i];
    /* the engine's timeline is a top-level group beside the model's */
    const char *keys[64];
    size_t n_keys = 0;
    for (size_t i = 0; i < type->n_scenario_keys && n_keys < 63; i++)
        keys[n_keys++] = type->scenario_keys[i];
    keys[n_keys++] = "timeline";
    /* a scenario written for another model would be read as this one's,
     * and its settings reported as unknown: say which model it is for */
    char model[64];
    int line;
    ps_diag scratch;
    ps_diag_init(&scratch);
    if (ps_scenario_model_name(scenario, model, sizeof model, &line, &scratch) == 0 &&
        model[0] && strcmp(model, type->name) != 0) {
        free(all);
        ps_diag_add(d, PS_ERR_INPUT, scenario, line, "run.model",
                    "the scenario is for the model '%s', and this is '%s'", model, type->name);
        return -1;
    }
    l->scen_open = 1;
    int rc = ps_scenario_open(&l->scen, scenario, l->reg, keys, n_keys, all, n_all, d);
    free(all);
    if (rc != 0) return -1;
    if (policy) {
        /* the policy's timeline is part of what was run */
        uint64_t ph = ps_snapshot_file_hash(policy);
        l->scen.content_hash = ps_fnv1a64(l->scen.content_hash, &ph, sizeof ph);
    }
    l->place = type->load(&l->scen, l->reg, d);
    if (!l->place) return -1;
    const config_setting_t *root = config_root_setting(&l->scen.cfg);
    ps_timeline_read(&l->timeline, config_setting_get_member(root, "timeline"),
                     l->scen.run.weeks, d);
    if (policy) ps_timeline_read(&l->timeline, l->policy.timeline, l->scen.run.weeks, d);
    if (d->count) return -1;
    return ps_sim_compile_timeline(type, l->place, l->reg, &l->timeline, d);
}
