/* Paths with selectors into a scenario's tree, for sweeps: a path such as
 * "actors.[kind=statutory].capacity" or "actors.[*].preconditions.E" names
 * every setting it reaches, each as a concrete path that --set accepts
 * ("actors.[3].capacity"). */
#ifndef PS_SCENARIO_SELECT_H
#define PS_SCENARIO_SELECT_H

#include <libconfig.h>
#include <stddef.h>

/* A component "[*]" takes every element of a list, "[key=value]" every
 * group element whose member key is the string value (or the number);
 * any other component is as in --set (a member, "[i]", an id or a name).
 * Each setting reached must be a number or a boolean inside a group.
 * Returns the number of settings (paths[] and settings[] malloc'd, paths
 * each malloc'd), or -1 with a one-line reason in why. */
long ps_scenario_select(const config_t *cfg, const char *pattern, char ***paths,
                        const config_setting_t ***settings, char *why, size_t why_size);

#endif
