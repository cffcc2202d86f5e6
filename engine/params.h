/* The parameter registry: every model parameter has one dotted path, a
 * type, a default, an inclusive range and a one-line doc. Scenario files
 * (the `model` group), `--set`, and later interventions and sweeps all
 * address parameters through it. A model registers its parameters with the
 * offset of the field that receives each value, so the engine can fill the
 * model's own parameter struct without knowing its layout. */
#ifndef PS_PARAMS_H
#define PS_PARAMS_H

#include <stddef.h>

#include "ps_error.h"

typedef enum ps_param_type {
    PS_PARAM_DOUBLE,
    PS_PARAM_INT,
    PS_PARAM_BOOL
} ps_param_type;

typedef struct ps_param {
    const char *path;  /* e.g. "trust.alpha" */
    ps_param_type type;
    size_t offset;     /* where ps_params_write puts the value */
    double def, min, max;
    const char *unit;  /* "per week", "share", ... or "" */
    const char *doc;
    double value;      /* the current value */
    char source[160];  /* "default", "file:line" or "--set" */
} ps_param;

typedef struct ps_params ps_params;

ps_params *ps_params_create(void);
void ps_params_free(ps_params *p);

/* Registers a parameter; returns 0, or -1 on a duplicate path, a default
 * outside its range, or no memory. Strings must outlive the registry. */
int ps_params_add(ps_params *p, const char *path, ps_param_type type,
                  size_t offset, double def, double min, double max,
                  const char *unit, const char *doc);

size_t ps_params_count(const ps_params *p);
const ps_param *ps_params_at(const ps_params *p, size_t i);
const ps_param *ps_params_find(const ps_params *p, const char *path);

/* The registered path closest to a misspelt one, or NULL. */
const char *ps_params_nearest(const ps_params *p, const char *path);

/* Sets a value, checking type (integers and booleans must be whole numbers)
 * and range; problems go to d naming file:line (line 0: command line).
 * Returns 0 or -1. */
int ps_params_set(ps_params *p, const char *path, double value,
                  const char *file, int line, ps_diag *d);

/* Restores every default. */
void ps_params_reset(ps_params *p);

/* Writes every value into the struct at dst (doubles as double, ints and
 * booleans as int). */
void ps_params_write(const ps_params *p, void *dst);

#endif
