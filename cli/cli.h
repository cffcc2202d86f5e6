/* What the commands of the placesim front end share. */
#ifndef PLACESIM_CLI_H
#define PLACESIM_CLI_H

#include "model.h"
#include "ps_error.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "0.0.0"
#endif

/* The model the front end runs: systems_change unless the scenario's
 * run.model names another (cli_choose_model). */
extern const ps_model_type *cli_model;

/* Chooses cli_model by the run.model of the scenario at path. Returns 0,
 * or -1 with a located problem in d (a model placesim does not have). */
int cli_choose_model(const char *scenario, ps_diag *d);

/* Prints every problem in d on stderr, one per line. */
void cli_print_diag(const ps_diag *d);

/* The exit status for the problems in d. */
int cli_exit_code(const ps_diag *d);

/* placesim sweep ... (argv[0] is "sweep"). */
int cli_cmd_sweep(int argc, char **argv);
void cli_usage_sweep(FILE *fp);

#endif
