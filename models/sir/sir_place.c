/* The SIR model's parameters and its place: the population and the agents
 * infectious at the start. */
#include <stddef.h>
#include <stdlib.h>

#include "sir.h"

int sir_declare(ps_params *reg)
{
    int rc = ps_params_add(reg, "infection.beta", PS_PARAM_DOUBLE, offsetof(sir_params, beta),
                           1.0, 0, 50, "per week",
                           "infections an infectious agent causes a week among susceptibles");
    rc |= ps_params_add(reg, "infection.gamma", PS_PARAM_DOUBLE, offsetof(sir_params, gamma),
                        0.5, 0.001, 1, "per week",
                        "probability that an infectious agent recovers in a week");
    return rc ? -1 : 0;
}

void sir_unload(void *place)
{
    sir_place *pl = place;
    if (!pl) return;
    free(pl->metrics);
    free(pl);
}

void *sir_load(const ps_scenario *s, const ps_params *reg, ps_diag *d)
{
    sir_place *pl = calloc(1, sizeof *pl);
    if (!pl) {
        ps_diag_add(d, PS_ERR_MEMORY, s->path, 0, "", "out of memory");
        return NULL;
    }
    int before = d->count;
    ps_params_write(reg, &pl->prm);
    const config_setting_t *pop =
        config_setting_get_member(config_root_setting(&s->cfg), "population");
    if (!pop) {
        ps_diag_add(d, PS_ERR_INPUT, s->path, 0, "population", "required setting is missing");
    } else if (ps_cfg_expect_type(pop, CONFIG_TYPE_GROUP, d) == 0) {
        static const char *const keys[] = {"size", "initial_infected"};
        ps_cfg_check_keys(pop, keys, 2, d);
        long long n = 0, i0 = 0;
        if (ps_cfg_int(pop, "size", 1, 0, 10, 200000000LL, &n, d) > 0) pl->population = (long)n;
        if (ps_cfg_int(pop, "initial_infected", 1, 0, 1, 200000000LL, &i0, d) > 0) {
            if (i0 >= n && n > 0)
                ps_cfg_error(config_setting_get_member(pop, "initial_infected"), d,
                             "%lld of %lld agents infectious leaves no one to infect", i0, n);
            pl->initial_infected = (long)i0;
        }
    }
    if (d->count == before && sir_build_metrics(pl) != 0)
        ps_diag_add(d, PS_ERR_MEMORY, s->path, 0, "", "out of memory");
    if (d->count > before) {
        sir_unload(pl);
        return NULL;
    }
    return pl;
}
