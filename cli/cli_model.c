/* The models the front end can run, and the choice of one by the
 * scenario's run.model (cli/cli.h). */
#include <string.h>

#include "cli.h"
#include "scenario.h"
#include "sir.h"
#include "systems_change.h"

static const ps_model_type *const S_models[] = {&sc_model_type, &sir_model_type};
enum { S_N_MODELS = sizeof S_models / sizeof *S_models };

const ps_model_type *cli_model = &sc_model_type;

int cli_choose_model(const char *scenario, ps_diag *d)
{
    char name[64];
    int line;
    /* a file that cannot be read is reported by the full load, with the
     * default model */
    ps_diag scratch;
    ps_diag_init(&scratch);
    if (ps_scenario_model_name(scenario, name, sizeof name, &line, &scratch) != 0 || !name[0]) {
        cli_model = S_models[0];
        return 0;
    }
    for (size_t k = 0; k < S_N_MODELS; k++)
        if (strcmp(S_models[k]->name, name) == 0) {
            cli_model = S_models[k];
            return 0;
        }
    char list[256] = "";
    for (size_t k = 0; k < S_N_MODELS; k++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", k ? ", " : "",
                 S_models[k]->name);
    ps_diag_add(d, PS_ERR_INPUT, scenario, line, "run.model",
                "unknown model '%s' (placesim runs: %s)", name, list);
    return -1;
}
