/* The second model (models/sir/): an SIR epidemic on the same engine, built
 * only on the engine's headers. Its answer is known: the share ever
 * infected meets the final size equation ln(s0 / (1 - z)) = R0 z, with
 * R0 = beta / gamma, whatever the infectious period's shape (the pressure
 * a susceptible meets is beta times the infectious agent-weeks per agent).
 * Below R0 = 1 there is no epidemic. */
#include <criterion/criterion.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loaded_scenario.h"
#include "sim.h"
#include "sir.h"
#include "support.h"

static double S_final_size_f(double z, void *p)
{
    const double *a = p; /* R0, s0 */
    return log(a[1] / (1 - z)) - a[0] * z;
}

/* The root in (1 - s0, 1) of ln(s0 / (1 - z)) = R0 z (R0 > 1). */
static double S_final_size(double r0, double s0)
{
    double a[2] = {r0, s0};
    gsl_function f = {S_final_size_f, a};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    cr_assert_not_null(s);
    cr_assert_eq(gsl_root_fsolver_set(s, &f, 1 - s0 + 1e-3, 1 - 1e-12), GSL_SUCCESS);
    double z = NAN;
    for (int i = 0; i < 200; i++) {
        gsl_root_fsolver_iterate(s);
        z = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s), 0,
                                   1e-12) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return z;
}

/* Loads configs/sir.cfg with overrides; rows get (weeks + 1) x metrics. */
static void S_run(const char *const *sets, size_t n_sets, unsigned rep, ps_loaded *l,
                  double **rows, size_t *nm)
{
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_loaded_open(l, &sir_model_type, PLACESIM_SOURCE_DIR "/configs/sir.cfg", NULL,
                            sets, n_sets, &d);
    char line[512] = "";
    if (d.count) ps_diag_format(&d, 0, line, sizeof line);
    cr_assert_eq(rc, 0, "%s", line);
    *nm = ps_model_metric_count(&sir_model_type, l->place);
    *rows = calloc((size_t)(l->scen.run.weeks + 1) * *nm, sizeof **rows);
    cr_assert_not_null(*rows);
    cr_assert_eq(ps_sim_replication(&sir_model_type, l->place, &l->scen.run, &l->timeline, rep,
                                    *rows, NULL, &d),
                 0);
}

static size_t S_metric(const ps_loaded *l, const char *name)
{
    const ps_metric *t;
    size_t n = sir_model_type.metrics(l->place, &t);
    size_t m = ps_metric_index(t, n, name);
    cr_assert_lt(m, n, "%s", name);
    return m;
}

/* R0 = 2 and R0 = 3 on 200,000 agents: every replication's share ever
 * infected within 0.005 of the equation's root, and the epidemic over */
Test(sir, the_share_ever_infected_meets_the_final_size_equation, .timeout = 300)
{
    static const struct {
        const char *beta, *gamma;
        double r0;
    } cases[] = {{"infection.beta=1.0", "infection.gamma=0.5", 2},
                 {"infection.beta=1.2", "infection.gamma=0.4", 3}};
    for (size_t c = 0; c < 2; c++) {
        const char *sets[] = {"population.size=200000", "population.initial_infected=20",
                              "run.weeks=200", cases[c].beta, cases[c].gamma};
        double z = S_final_size(cases[c].r0, 1 - 20.0 / 200000);
        for (unsigned rep = 0; rep < 3; rep++) {
            ps_loaded l;
            double *rows;
            size_t nm;
            S_run(sets, 5, rep, &l, &rows, &nm);
            const double *last = rows + (size_t)l.scen.run.weeks * nm;
            double attack = last[S_metric(&l, "attack_rate")];
            cr_expect(fabs(attack - z) < 0.005, "R0 %g, replication %u: %.4f against %.4f",
                      cases[c].r0, rep, attack, z);
            cr_expect_lt(last[S_metric(&l, "infectious_share")], 1e-4, "the epidemic is over");
            double s = last[S_metric(&l, "susceptible_share")],
                   i = last[S_metric(&l, "infectious_share")],
                   r = last[S_metric(&l, "recovered_share")];
            cr_expect(fabs(s + i + r - 1) < 1e-12, "the compartments hold every agent");
            free(rows);
            ps_loaded_close(&l);
        }
    }
}

Test(sir, below_an_r0_of_one_there_is_no_epidemic, .timeout = 120)
{
    const char *sets[] = {"population.size=200000", "population.initial_infected=20",
                          "run.weeks=200", "infection.beta=0.25", "infection.gamma=0.5"};
    for (unsigned rep = 0; rep < 3; rep++) {
        ps_loaded l;
        double *rows;
        size_t nm;
        S_run(sets, 5, rep, &l, &rows, &nm);
        /* a subcritical chain from 20 cases infects about 20 / (1 - R0) = 40 */
        double attack = rows[(size_t)l.scen.run.weeks * nm + S_metric(&l, "attack_rate")];
        cr_expect_lt(attack * 200000, 400, "replication %u: %.0f agents infected", rep,
                     attack * 200000);
        free(rows);
        ps_loaded_close(&l);
    }
}

/* the same bits for any thread count */
Test(sir, the_same_bits_for_any_thread_count, .timeout = 120)
{
    const char *sets[] = {"population.size=50000", "run.weeks=60"};
    double *rows[2];
    size_t nm = 0;
    int weeks = 0;
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        ps_loaded l;
        S_run(sets, 2, 1, &l, &rows[t], &nm);
        weeks = l.scen.run.weeks;
        ps_loaded_close(&l);
    }
    cr_expect_eq(memcmp(rows[0], rows[1], (size_t)(weeks + 1) * nm * sizeof **rows), 0);
    free(rows[0]);
    free(rows[1]);
}

/* the front end runs it by the scenario's run.model, with the outputs of
 * any model (series.csv's columns are its table); a scenario for one model
 * is refused by another, and an unknown model is named */
Test(sir, the_front_end_runs_it_by_run_model, .timeout = 120)
{
    char dir[512], out[600], path[700];
    tp_mktmp(dir, sizeof dir, "sir");
    snprintf(out, sizeof out, "%s/run", dir);
    const char *args[] = {"run", "configs/sir.cfg", "--reps", "2", "--set", "population.size=5000",
                          "--no-cache", "--quiet", "--out", out, NULL};
    tp_output r;
    tp_exec(PLACESIM_BINARY, args, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* --quiet: no tables, one line saying where the results are */
    cr_expect(strncmp(r.out, "placesim: results in ", 21) == 0 && strchr(r.out, '\n') &&
                  strchr(r.out, '\n')[1] == '\0',
              "--quiet prints one line:\n%s", r.out);
    snprintf(path, sizeof path, "%s/series.csv", out);
    char text[256];
    tp_read_text(path, text, sizeof text);
    cr_expect(strncmp(text, "replication,week,susceptible_share,infectious_share,recovered_share,"
                            "attack_rate,new_infections,new_recoveries\n", 105) == 0, "%s", text);
    snprintf(path, sizeof path, "%s/report.html", out);
    static char html[1 << 16];
    tp_read_text(path, html, sizeof html);
    cr_expect(strstr(html, "agents ever infected was") != NULL);
    cr_expect(strstr(html, "nine preconditions") == NULL, "nothing of the other model");

    const char *wrong[] = {"diagnose", "configs/sir.cfg", "--reps", "2", NULL};
    tp_exec(PLACESIM_BINARY, wrong, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "configs/sir.cfg:12: run.model: the scenario is for the model 'sir', and this is "
                            "'systems_change'") != NULL, "%s", r.err);

    /* a model without snapshots or interventions says so when asked */
    char snap[700];
    snprintf(snap, sizeof snap, "%s/x.snap", dir);
    const char *snapshot[] = {"run", "configs/sir.cfg", "--reps", "1", "--set",
                              "population.size=1000", "--snapshot-at", "5", snap, "--out", out,
                              "--overwrite", "--quiet", NULL};
    tp_exec(PLACESIM_BINARY, snapshot, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "--snapshot-at: the model 'sir' does not save its state, so it takes "
                            "no snapshots") != NULL, "%s", r.err);
    cr_expect_neq(access(snap, F_OK), 0, "no snapshot file is left");
    const char *policy[] = {"validate", "configs/sir.cfg", "--policy",
                            "tests/data/policies/trust_programme.cfg", NULL};
    tp_exec(PLACESIM_BINARY, policy, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "trust_programme.cfg:3: timeline: the model 'sir' takes no "
                            "interventions") != NULL, "%s", r.err);

    snprintf(path, sizeof path, "%s/unknown.cfg", dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("run = { model = \"seir\"; };\n", fp);
    fclose(fp);
    const char *unknown[] = {"validate", path, NULL};
    tp_exec(PLACESIM_BINARY, unknown, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "unknown.cfg:1: run.model: unknown model 'seir' (placesim runs: systems_change, sir)")
                  != NULL, "%s", r.err);
    tp_rmtmp(dir);
}
