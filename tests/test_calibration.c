/* The flagship's baseline reproduces, at its steady state, the published
 * overlap of the homelessness, substance-misuse and criminal-justice systems
 * (Hard Edges, Bramley and Fitzpatrick 2015; docs/calibration.md) within
 * 15 %: among England's 42 million adults in a year, 586,000 in contact
 * with at least one, 222,000 with at least two, 58,000 with all three; and
 * "two thirds of people using homeless services are also either in the
 * criminal justice system or in drug treatment in the same year"
 * (LankellyChase's press release). The steady state: the scenario's own
 * warm-up (1,040 weeks) and then its five reported years. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>

#include "support.h"
#include "systems_change.h"

static double S_rel(double got, double want) { return fabs(got - want) / want; }

Test(calibration, flagship_reproduces_hard_edges_overlap, .timeout = 900)
{
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", NULL, 0), 0);
    const ps_run_settings *run = &tp.scen.run;
    cr_assert_eq(tp.place->population, 270000, "the test is of the flagship as shipped");
    cr_assert_geq(run->warmup, 1040, "the flagship's steady state needs its 1,040-week warm-up");
    /* annual.csv's columns: housing_only, substance_only, offending_only,
     * housing_substance, housing_offending, substance_offending, all_three,
     * any_of_three, two_or_more, population */
    double any = 0, two = 0, three = 0, person_years = 0, housing = 0, housing_only = 0;
    const int reps = 2;
    for (int r = 0; r < reps; r++) {
        ps_diag d;
        ps_diag_init(&d);
        ps_step_ctx c;
        c.key = ps_rng_key_make(run->seed, (unsigned)r);
        sc_state *st = sc_create(tp.place, c.key, &d);
        cr_assert_not_null(st);
        for (int tick = 0; tick < run->warmup + run->weeks; tick++) {
            c.tick = tick;
            c.week = tick - run->warmup;
            cr_assert_eq(sc_model_type.step(st, &c, &d), 0);
            if (c.week >= 0 && (c.week + 1) % 52 == 0) {
                double row[16];
                sc_model_type.observe_year(st, 0, row);
                any += row[7];
                two += row[8];
                three += row[6];
                person_years += row[9];
                housing += row[0] + row[3] + row[4] + row[6];
                housing_only += row[0];
            }
        }
        sc_destroy(st);
    }
    cr_assert_gt(any, 0);
    cr_assert_gt(housing, 0);
    double p_any = any / person_years, s_two = two / any, s_three = three / any,
           h_other = (housing - housing_only) / housing;
    const double want_any = 586000.0 / 42000000.0, want_two = 222.0 / 586.0,
                 want_three = 58.0 / 586.0, want_h_other = 2.0 / 3.0;
    fprintf(stderr,
            "calibration: at least one %.3f%% (published %.3f%%), at least two %.1f%% of them "
            "(%.1f%%), all three %.1f%% (%.1f%%); of those in the homelessness system, in "
            "another too %.1f%% (%.1f%%)\n",
            100 * p_any, 100 * want_any, 100 * s_two, 100 * want_two, 100 * s_three,
            100 * want_three, 100 * h_other, 100 * want_h_other);
    cr_expect(S_rel(p_any, want_any) <= 0.15, "share with at least one: %.4f%%", 100 * p_any);
    cr_expect(S_rel(s_two, want_two) <= 0.15, "share with two or more: %.2f%%", 100 * s_two);
    cr_expect(S_rel(s_three, want_three) <= 0.15, "share with all three: %.2f%%", 100 * s_three);
    cr_expect(S_rel(h_other, want_h_other) <= 0.15,
              "share of the homelessness system in another too: %.2f%%", 100 * h_other);
    tp_free(&tp);
}
