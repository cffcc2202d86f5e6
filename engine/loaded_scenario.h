/* A scenario loaded for a model, ready to run: the parameter registry, the
 * scenario file with its overrides (and a policy's, when there is one), the
 * model's place and the compiled timeline. Commands, sweeps and diagnoses
 * all start from one. */
#ifndef PS_LOADED_SCENARIO_H
#define PS_LOADED_SCENARIO_H

#include "model.h"
#include "policy.h"

typedef struct ps_loaded {
    const ps_model_type *type;
    ps_params *reg;
    ps_scenario scen;
    int scen_open;
    ps_policy policy;
    int has_policy;
    void *place;
    ps_timeline timeline;
} ps_loaded;

/* Loads and validates a scenario with the overrides in sets ("path=value",
 * as --set), and a policy on top of it when policy is not NULL. Returns 0,
 * or -1 with the problems in d; ps_loaded_close must be called either way. */
int ps_loaded_open(ps_loaded *l, const ps_model_type *type, const char *scenario,
                   const char *policy, const char *const *sets, size_t n_sets, ps_diag *d);
void ps_loaded_close(ps_loaded *l);

#endif
