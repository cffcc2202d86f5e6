/* The model's hook table and its tick, in the order of section 4:
 * interventions (applied by the caller between ticks), citizens, admission,
 * actors; observation is a separate hook. */
#include <math.h>
#include <stdlib.h>
#include <omp.h>

#include "sc.h"
#include "systems_change.h"

/* Stops the run on a value that has left its range or become non-finite,
 * naming the tick, the entity and the field. */
static int S_check(const sc_state *st, ps_diag *d)
{
    if (st->sum.bad_citizen) {
        size_t i = (size_t)(st->sum.bad_citizen - 1);
        const float *sev = &st->c.sev[i * (size_t)st->c.D];
        for (int k = 0; k < st->c.D; k++)
            if (!(sev[k] >= 0 && sev[k] <= 1)) {
                ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "", "tick %d: citizen %zu: severity of '%s' is %g",
                            st->tick, i, st->pl->domain_name[k], sev[k]);
                return PS_ERR_NUMERIC;
            }
        ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "", "tick %d: citizen %zu: assets %g, engagement %g",
                    st->tick, i, st->c.assets[i], st->c.engagement[i]);
        return PS_ERR_NUMERIC;
    }
    const sc_actors *A = &st->a;
    static const char *const names = "ABCDEFGHI";
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        const char *id = a < st->pl->A ? st->pl->actors[a].id : "new community actor";
        for (int k = 0; k < SC_K; k++)
            if (!(A->p[a][k] >= 0 && A->p[a][k] <= 1)) {
                ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "",
                            "tick %d: actor '%s': precondition %c is %g",
                            st->tick, id, names[k], A->p[a][k]);
                return PS_ERR_NUMERIC;
            }
        if (!isfinite(A->influence[a]) || !isfinite(A->budget[a]) ||
            !isfinite(A->stress[a])) {
            ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "",
                        "tick %d: actor '%s': influence, budget or stress is not finite",
                        st->tick, id);
            return PS_ERR_NUMERIC;
        }
    }
    for (int k = 0; k < st->l.n; k++)
        if (!(st->l.trust[k] >= 0 && st->l.trust[k] <= 1 && st->l.und[k] >= 0 &&
              st->l.und[k] <= 1)) {
            ps_diag_add(d, PS_ERR_NUMERIC, "", 0, "",
                        "tick %d: link %d: trust %g, understanding %g",
                        st->tick, k, st->l.trust[k], st->l.und[k]);
            return PS_ERR_NUMERIC;
        }
    return 0;
}

static int S_step(void *vs, const ps_step_ctx *ctx, ps_diag *d)
{
    sc_state *st = vs;
    st->tick = ctx->tick;
    st->week = ctx->week;
    if (ctx->tick >= SC_MAX_TICKS) {
        /* episode_tick keeps 16 bits (sc.h) */
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "run.weeks",
                    "tick %d: the model runs at most %d weeks, warm-up included",
                    ctx->tick, SC_MAX_TICKS);
        return PS_ERR_INPUT;
    }
    if (sc_z_refresh(st) != 0) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "",
                    "out of memory giving %zu citizens their own disadvantage", st->c.n);
        return PS_ERR_MEMORY;
    }
    if (ctx->week == 0) sc_year_reset(st);
    double t0 = omp_get_wtime();
    sc_citizen_pass(st);
    double t1 = omp_get_wtime();
    sc_admission(st);
    double t2 = omp_get_wtime();
    sc_referrals(st);
    double t3 = omp_get_wtime();
    sc_actor_pass(st);
    double t4 = omp_get_wtime();
    st->phase_seconds[0] += t1 - t0;
    st->phase_seconds[1] += t2 - t1;
    st->phase_seconds[2] += t3 - t2;
    st->phase_seconds[3] += t4 - t3;
    if (st->oom) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "",
                    "out of memory at tick %d (a week's requests, referrals or decisions)",
                    ctx->tick);
        return PS_ERR_MEMORY;
    }
    return S_check(st, d);
}

static const char *const S_phases[] = {"needs", "admission", "referrals", "actors"};
enum { S_N_PHASES = sizeof S_phases / sizeof S_phases[0] };

static size_t S_phase_names(const char *const **names)
{
    *names = S_phases;
    return S_N_PHASES;
}

static void S_phase_seconds(const void *vs, double *seconds)
{
    const sc_state *st = vs;
    for (int k = 0; k < S_N_PHASES; k++) seconds[k] = st->phase_seconds[k];
}

static double S_serial_seconds(const void *vs)
{
    const sc_state *st = vs;
    double s = -st->parallel_seconds;
    for (int k = 0; k < S_N_PHASES; k++) s += st->phase_seconds[k];
    return s;
}

/* Below this many adults a run does not stand for the place: its
 * organisations hold so few places that a week's chance arrivals and
 * departures fill them while they still have room on average (turning
 * people away), and a link's few joint cases a week make a noisier record
 * from which trust grows less. Measured on the flagship (docs/model.md,
 * section 2.6; tests/test_scale.c): the steady-state shares agree with the
 * full size within their intervals when the median organisation holds
 * about 180 places (136,000 of Coventry's 270,000 adults); at 132 places
 * (99,000 adults) trust density is already 1.4 to 2.4 points low, at the
 * edge of the intervals or outside them. */
#define S_MEDIAN_PLACES 180.0

static int S_cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

static long S_smallest_population(const void *place)
{
    const sc_place *pl = place;
    double cap[SC_BYTE_ACTORS];
    int n = 0;
    for (int a = 0; a < pl->A && n < SC_BYTE_ACTORS; a++)
        if (!pl->actors[a].dormant) cap[n++] = pl->actors[a].capacity;
    if (n == 0) return 0;
    qsort(cap, (size_t)n, sizeof *cap, S_cmp_double);
    double median = n % 2 ? cap[n / 2] : 0.5 * (cap[n / 2 - 1] + cap[n / 2]);
    if (!(median > 0)) return 0;
    /* capacities are for capacity_reference adults */
    double reference = (double)pl->population / pl->capacity_scale;
    double need = ceil(reference * S_MEDIAN_PLACES / median / 1000) * 1000;
    return need > reference ? (long)floor(reference + 0.5) : (long)need;
}

/* the place's adults: the reference population its capacities are for */
static long S_place_population(const void *place)
{
    const sc_place *pl = place;
    return (long)floor((double)pl->population / pl->capacity_scale + 0.5);
}

static double S_discount_rate(const void *place) { return ((const sc_place *)place)->discount_rate; }

const ps_model_type sc_model_type = {
    .name = "systems_change",
    .scenario_keys = sc_scenario_keys,
    .n_scenario_keys = 6,
    .declare = sc_declare,
    .load = sc_load,
    .unload = sc_unload,
    .population = sc_population,
    .state_bytes = sc_state_bytes,
    .save = sc_save,
    .restore = sc_restore,
    .create = sc_create,
    .step = S_step,
    .destroy = sc_destroy,
    .metrics = sc_metrics,
    .observe = sc_observe,
    .annual_names = sc_annual_names,
    .observe_year = sc_observe_year,
    .intervention_compile = sc_intervention_compile,
    .intervention_free = sc_intervention_free,
    .intervention_apply = sc_intervention_apply,
    .ramp_speed = sc_ramp_speed,
    .place_population = S_place_population,
    .smallest_population = S_smallest_population,
    .smallest_population_why = "its organisations hold so few places that chance fills them "
                               "and trust lags (docs/model.md, section 2.6)",
    .discount_rate = S_discount_rate,
    .report = &sc_report_spec,
    .phase_names = S_phase_names,
    .phase_seconds = S_phase_seconds,
    .serial_seconds = S_serial_seconds,
};
