/* Policy files: a policy (or a shock) as a file of its own that applies to
 * any scenario of the same place:
 *
 *   name = "Single front door";
 *   description = "One entry point for every need, with information sharing.";
 *   set = ["switches.single_front_door=true"];   # parameter or scenario overrides
 *   timeline = ( { at = 0; target = "preconditions.C"; op = "add"; value = 0.2; } );
 *
 * `set` entries use the syntax of --set; timeline entries are appended to
 * the scenario's own. */
#ifndef PS_POLICY_H
#define PS_POLICY_H

#include <libconfig.h>
#include <stddef.h>

#include "ps_error.h"

typedef struct ps_policy {
    char path[1024];
    config_t cfg;
    int live;
    const char *name, *description;
    const char **sets;  /* strings owned by cfg */
    size_t n_sets;
    const config_setting_t *timeline; /* or NULL */
} ps_policy;

/* Returns 0 or -1 (problems in d); ps_policy_close must be called either way. */
int ps_policy_open(ps_policy *p, const char *path, ps_diag *d);
void ps_policy_close(ps_policy *p);

#endif
