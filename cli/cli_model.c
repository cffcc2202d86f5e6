/* The model the front end runs (cli/cli.h). */
#include "cli.h"
#include "systems_change.h"

const ps_model_type *const cli_model = &sc_model_type;
