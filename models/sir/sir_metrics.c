/* The SIR model's metric table and what it observes each week: column m
 * of the row is row m of the table. */
#include <stdlib.h>
#include <string.h>

#include "sir.h"

enum {
    M_SUSCEPTIBLE, M_INFECTIOUS, M_RECOVERED, M_ATTACK_RATE, M_INFECTIONS, M_RECOVERIES,
    M_COUNT
};

static const ps_metric S_table[M_COUNT] = {
    [M_SUSCEPTIBLE] = {"susceptible_share", "agents who can still be infected",
                       "share of agents (0-1)", "epidemic", 0, 0, 0, NULL, 100, "% points"},
    [M_INFECTIOUS] = {"infectious_share", "agents infectious now", "share of agents (0-1)",
                      "epidemic", -1, PS_METRIC_RESILIENCE, 0, NULL, 100, "% points"},
    [M_RECOVERED] = {"recovered_share", "agents recovered (immune)", "share of agents (0-1)",
                     "epidemic", 0, 0, 0, NULL, 100, "% points"},
    [M_ATTACK_RATE] = {"attack_rate", "agents ever infected", "share of agents (0-1)",
                       "epidemic", -1, PS_METRIC_HEADLINE, 0, NULL, 100, "% points"},
    [M_INFECTIONS] = {"new_infections", "new infections", "agents a week", "epidemic", -1,
                      PS_METRIC_COUNT, 0, NULL, 0, NULL},
    [M_RECOVERIES] = {"new_recoveries", "recoveries", "agents a week", "epidemic", 0,
                      PS_METRIC_COUNT, 0, NULL, 0, NULL},
};

int sir_build_metrics(sir_place *pl)
{
    pl->metrics = malloc(sizeof S_table);
    if (!pl->metrics) return -1;
    memcpy(pl->metrics, S_table, sizeof S_table);
    pl->n_metrics = M_COUNT;
    return 0;
}

size_t sir_metrics(const void *place, const ps_metric **table)
{
    const sir_place *pl = place;
    *table = pl->metrics;
    return pl->n_metrics;
}

void sir_observe(const void *vs, double *row)
{
    const sir_state *st = vs;
    double N = (double)st->pl->population;
    row[M_SUSCEPTIBLE] = (double)st->count[SIR_S] / N;
    row[M_INFECTIOUS] = (double)st->count[SIR_I] / N;
    row[M_RECOVERED] = (double)st->count[SIR_R] / N;
    row[M_ATTACK_RATE] = 1 - (double)st->count[SIR_S] / N;
    row[M_INFECTIONS] = (double)st->infected;
    row[M_RECOVERIES] = (double)st->recovered;
}
