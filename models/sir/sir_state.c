/* One replication of the SIR model: every agent's status, and a week of
 * infections and recoveries. Each agent's draw is keyed by (agent, tick),
 * and the counts are integer sums, so any thread count gives the same
 * bits. */
#include <math.h>
#include <stdlib.h>

#include "sir.h"

/* the random stream of the weekly draws */
#define SIR_STREAM_WEEK 1u

void *sir_create(const void *place, ps_rng_key key, ps_diag *d)
{
    const sir_place *pl = place;
    sir_state *st = calloc(1, sizeof *st);
    uint8_t *status = calloc((size_t)pl->population, 1);
    if (!st || !status) {
        free(st);
        free(status);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return NULL;
    }
    st->pl = pl;
    st->key = key;
    st->status = status;
    /* homogeneous mixing: which agents start infectious does not matter */
    for (long i = 0; i < pl->initial_infected; i++) status[i] = SIR_I;
    st->count[SIR_I] = pl->initial_infected;
    st->count[SIR_S] = pl->population - pl->initial_infected;
    return st;
}

int sir_step(void *vs, const ps_step_ctx *ctx, ps_diag *d)
{
    sir_state *st = vs;
    const sir_place *pl = st->pl;
    const double N = (double)pl->population;
    /* the force of infection of the agents infectious at the week's start */
    double p_infect = 1 - exp(-pl->prm.beta * (double)st->count[SIR_I] / N);
    double p_recover = pl->prm.gamma;
    if (!isfinite(p_infect)) {
        ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "infection.beta",
                    "the force of infection is not a number at tick %d", ctx->tick);
        return PS_ERR_NUMERIC;
    }
    int64_t infected = 0, recovered = 0;
    uint8_t *status = st->status;
    const long n = pl->population;
#pragma omp parallel for schedule(static) reduction(+ : infected, recovered)
    for (long i = 0; i < n; i++) {
        if (status[i] == SIR_R) continue;
        uint32_t w[4];
        ps_rng_block(st->key, SIR_STREAM_WEEK, (uint32_t)i, (uint32_t)ctx->tick, 0, w);
        if (status[i] == SIR_S) {
            if (ps_rng_u01(w[0]) < p_infect) {
                status[i] = SIR_I; /* infectious from next week */
                infected++;
            }
        } else if (ps_rng_u01(w[1]) < p_recover) {
            status[i] = SIR_R;
            recovered++;
        }
    }
    st->infected = infected;
    st->recovered = recovered;
    st->count[SIR_S] -= infected;
    st->count[SIR_I] += infected - recovered;
    st->count[SIR_R] += recovered;
    return 0;
}

void sir_destroy(void *vs)
{
    sir_state *st = vs;
    if (!st) return;
    free(st->status);
    free(st);
}
