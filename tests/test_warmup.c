/* Warm-up truncation (MSER-5) and the drift of a reported window on
 * series with known answers (the reference values of the project's
 * validation notes): y_t = 10 exp(-t/50) + N(0, 1) over 1,000 steps
 * truncates between t = 100 and 300; pure noise truncates near 0. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>

#include "warmup.h"

enum { N = 1000, SEEDS = 30 };

Test(warmup, mser5_finds_a_known_transient)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    for (unsigned long s = 1; s <= SEEDS; s++) {
        gsl_rng_set(g, s);
        double y[N];
        for (int t = 0; t < N; t++) y[t] = 10 * exp(-t / 50.0) + gsl_ran_gaussian(g, 1);
        ps_mser m;
        cr_assert_eq(ps_mser5(y, N, &m), 0);
        cr_expect(m.truncate >= 100 && m.truncate <= 300, "seed %lu: truncated at %zu", s,
                  m.truncate);
        cr_expect_eq(m.batches, N / 5);
        cr_expect_eq(m.truncate % 5, 0);
    }
    gsl_rng_free(g);
}

Test(warmup, mser5_keeps_nearly_all_of_pure_noise)
{
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    double sum = 0;
    size_t worst = 0;
    for (unsigned long s = 1; s <= SEEDS; s++) {
        gsl_rng_set(g, 1000 + s);
        double y[N];
        for (int t = 0; t < N; t++) y[t] = gsl_ran_gaussian(g, 1);
        ps_mser m;
        cr_assert_eq(ps_mser5(y, N, &m), 0);
        sum += (double)m.truncate;
        if (m.truncate > worst) worst = m.truncate;
    }
    cr_expect(sum / SEEDS < 25, "mean truncation of noise %.1f", sum / SEEDS);
    cr_expect(worst < 100, "largest truncation of noise %zu", worst);
    gsl_rng_free(g);
}

Test(warmup, mser5_edge_cases)
{
    double y[12];
    for (int t = 0; t < 12; t++) y[t] = 3.0;
    ps_mser m;
    cr_expect_eq(ps_mser5(y, 9, &m), -1, "one batch is not a series");
    cr_assert_eq(ps_mser5(y, 12, &m), 0);
    cr_expect_eq(m.truncate, 0, "a constant series needs no truncation");
    cr_expect_float_eq(m.statistic, 0.0, 1e-15);
    /* a step down at t = 5 and NaN gaps: the first batch is the transient */
    double z[40];
    for (int t = 0; t < 40; t++) z[t] = t < 5 ? 10.0 : (t % 7 == 3 ? NAN : 1.0 + 0.01 * (t % 2));
    cr_assert_eq(ps_mser5(z, 40, &m), 0);
    cr_expect_eq(m.truncate, 5, "got %zu", m.truncate);
}

Test(warmup, window_drift_detects_a_trend_and_passes_a_steady_window)
{
    enum { R = 6, W = 260 };
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(g, 7);
    double steady[R * W], trend[R * W];
    for (int r = 0; r < R; r++)
        for (int t = 0; t < W; t++) {
            double e = gsl_ran_gaussian(g, 0.01);
            steady[r * W + t] = 0.2 + e;
            trend[r * W + t] = 0.2 - 0.0002 * t + e; /* 5 points over five years */
        }
    ps_interval s = ps_window_drift(steady, R, W, W, 52, 0.95);
    ps_interval d = ps_window_drift(trend, R, W, W, 52, 0.95);
    cr_expect(s.lo <= 0 && s.hi >= 0, "steady window: drift %g [%g, %g]", s.mean, s.lo, s.hi);
    cr_expect(d.hi < 0, "trend: drift %g [%g, %g]", d.mean, d.lo, d.hi);
    cr_expect(fabs(d.mean - (-0.0002 * 208)) < 0.005, "trend: drift %g", d.mean);
    ps_interval bad = ps_window_drift(steady, R, W, W, 200, 0.95);
    cr_expect(isnan(bad.mean), "parts longer than half the window are refused");
    gsl_rng_free(g);
}
