/* An agent-based SIR epidemic (Kermack and McKendrick 1927) on the placesim
 * engine: a second model, built only on the engine's headers, with a known
 * answer. N agents mix homogeneously; each week a susceptible is infected
 * with probability 1 - exp(-beta I / N), and an infectious agent recovers
 * with probability gamma (so it stays infectious 1/gamma weeks on average
 * and R0 = beta / gamma). The share ever infected z then meets the final
 * size equation ln(s0 / (1 - z)) = R0 z as N grows (s0: the share
 * susceptible at the start), whatever the infectious period's shape. */
#ifndef SIR_H
#define SIR_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* the registry's parameters (models/sir/sir_place.c) */
typedef struct sir_params {
    double beta;  /* infections an infectious agent causes a week in a susceptible population */
    double gamma; /* probability an infectious agent recovers in a week */
} sir_params;

typedef struct sir_place {
    long population, initial_infected;
    sir_params prm;
    ps_metric *metrics; /* the metric table (sir_metrics.c) */
    size_t n_metrics;
} sir_place;

enum { SIR_S, SIR_I, SIR_R };

typedef struct sir_state {
    const sir_place *pl;
    ps_rng_key key;
    uint8_t *status;
    int64_t count[3];          /* at the start of the tick to come */
    int64_t infected, recovered; /* in the last tick */
} sir_state;

/* sir_place.c */
int sir_declare(ps_params *reg);
void *sir_load(const ps_scenario *s, const ps_params *reg, ps_diag *d);
void sir_unload(void *place);

/* sir_state.c */
void *sir_create(const void *place, ps_rng_key key, ps_diag *d);
int sir_step(void *state, const ps_step_ctx *ctx, ps_diag *d);
void sir_destroy(void *state);

/* sir_metrics.c */
size_t sir_metrics(const void *place, const ps_metric **table);
int sir_build_metrics(sir_place *pl);
void sir_observe(const void *state, double *row);

/* sir_model.c */
extern const ps_model_type sir_model_type;

#endif
