/* Scenario files (libconfig) with strict validation.
 *
 * The engine owns the file, the `run` group (seed, horizon, replications,
 * output weeks) and the `model` group (values for the parameter registry);
 * a model reads the rest with the strict getters below, which report every
 * problem as "file:line: setting.path: message" and never clamp silently.
 *
 * `--set path=value` overrides are applied before validation: a registry
 * path sets a parameter; any other dotted path edits the scenario tree
 * (list elements by index, "actors.[2].capacity", or by id,
 * "actors.police.capacity", or by name, "needs.domains.housing.onset").
 * Errors in overridden values name "--set". */
#ifndef PS_SCENARIO_H
#define PS_SCENARIO_H

#include <libconfig.h>
#include <stdint.h>

#include "params.h"
#include "ps_error.h"

#define PS_MAX_SUMMARY_WEEKS 64

typedef struct ps_run_settings {
    uint64_t seed;
    int replications;
    int weeks;   /* reported horizon */
    int warmup;  /* simulated before week 0, not reported */
    int summary_weeks[PS_MAX_SUMMARY_WEEKS];
    int n_summary_weeks;
    /* run.model: the model the scenario is written for ("" when it names
     * none) */
    char model[32];
} ps_run_settings;

typedef struct ps_scenario {
    char path[1024];
    config_t cfg;
    int cfg_live;
    uint64_t content_hash; /* FNV-1a 64 of the file bytes and overrides */
    /* the same, less the overrides that only shape what is reported
     * (run.replications, run.weeks, run.summary_weeks): what a warm state
     * depends on (warm_start.h) */
    uint64_t state_hash;
    ps_run_settings run;
} ps_scenario;

/* Parses the file and applies the tree overrides among sets ("path=value"
 * strings), reads `run` and `model` (into reg) and applies the registry
 * overrides. Top-level groups other than run and model must be named in
 * model_keys. Returns 0, or -1 with the problems in d. ps_scenario_close
 * must be called either way. */
int ps_scenario_open(ps_scenario *s, const char *path, ps_params *reg,
                     const char *const *model_keys, size_t n_model_keys,
                     const char *const *sets, size_t n_sets, ps_diag *d);
void ps_scenario_close(ps_scenario *s);

/* The model a scenario file names (run.model; "" when it names none) and
 * the line that names it (0: none), read with the checks every input
 * gets, before the model is known (a front end chooses the model by it).
 * Returns 0, or -1 with the reason in d (a file that cannot be read or
 * parsed). */
int ps_scenario_model_name(const char *path, char *name, size_t size, int *line, ps_diag *d);

/* Reads a libconfig file other than a scenario (a policy, a sweep): 0, or
 * -1 with a file error or "file:line: syntax error ..." in d. `what` names
 * the kind of file ("policy file"). */
int ps_cfg_read_file(config_t *cfg, const char *path, const char *what, ps_diag *d);

/* Reads a `set` array of "path=value" overrides (the syntax of --set) into
 * *sets (a malloc'd array of strings owned by the tree; NULL set: none).
 * Returns 0, or -1 with the problems in d. */
int ps_cfg_sets(const config_setting_t *set, const char ***sets, size_t *n, ps_diag *d);

/* ---- strict getters for model loaders --------------------------------
 * Each returns 1 when the setting was present and valid, 0 when it was
 * absent and not required (the default is stored), -1 on an error (which
 * is recorded in d). */
int ps_cfg_double(const config_setting_t *grp, const char *name, int required,
                  double def, double min, double max, double *out, ps_diag *d);
int ps_cfg_int(const config_setting_t *grp, const char *name, int required,
               long long def, long long min, long long max, long long *out,
               ps_diag *d);
int ps_cfg_bool(const config_setting_t *grp, const char *name, int required,
                int def, int *out, ps_diag *d);
int ps_cfg_string(const config_setting_t *grp, const char *name, int required,
                  const char *def, const char **out, ps_diag *d);
/* As ps_cfg_string, for text that reaches the outputs: a label
 * (PS_TEXT_LABEL: an id or name that goes into CSV headers and fields as it
 * is, so no comma or double quote) or free text (PS_TEXT_FREE: quoted where
 * it reaches a CSV file); neither may hold a control character or invalid
 * UTF-8. A problem is reported at the setting and returns -1 (*out is set
 * all the same, so later checks can name it). */
#define PS_TEXT_FREE 0
#define PS_TEXT_LABEL 1
int ps_cfg_text(const config_setting_t *grp, const char *name, int required, const char *def,
                int kind, const char **out, ps_diag *d);
/* A number that is an element of an array or list. */
int ps_cfg_elem_double(const config_setting_t *elem, double min, double max,
                       double *out, ps_diag *d);

/* Reports every member of grp whose name is not in known, with the nearest
 * valid name. Returns the number of unknown keys. */
int ps_cfg_check_keys(const config_setting_t *grp, const char *const *known,
                      size_t n_known, ps_diag *d);

/* Requires s to be a group/list/array; reports otherwise. Returns 0 or -1. */
int ps_cfg_expect_type(const config_setting_t *s, int type, ps_diag *d);

/* The child of s named by one component of a dotted path: a member of a
 * group, "[i]" or "i" in a list or array, or the group in a list whose id
 * (or else name) is part. NULL when there is none. */
config_setting_t *ps_cfg_child(const config_setting_t *s, const char *part);

/* Where a setting is: its file ("--set" for overridden values) and line. */
void ps_cfg_where(const config_setting_t *s, const char **file, int *line);
/* The setting's dotted path, e.g. "actors.[3].capacity". */
void ps_cfg_path(const config_setting_t *s, char *buf, size_t size);

/* Records a problem located at setting s (file, line and path from s). */
void ps_cfg_error(const config_setting_t *s, ps_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* FNV-1a 64 of a byte range, continuing from h (start with PS_FNV_OFFSET). */
#define PS_FNV_OFFSET 0xcbf29ce484222325ULL
uint64_t ps_fnv1a64(uint64_t h, const void *data, size_t n);

#endif
