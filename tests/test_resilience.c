/* Resilience on synthetic series with hand-computed answers. */
#include <criterion/criterion.h>
#include <math.h>

#include "resilience.h"

/* A drop of L at t0 recovering linearly over T weeks: the discrete loss is
 * L (T + 1) / 2 (sum of L, L (T-1)/T, ..., L/T), close to L T / 2. */
Test(resilience, linear_recovery_triangle)
{
    enum { N = 200, T0 = 50, T = 40 };
    double y[N], L = 0.2;
    for (int t = 0; t < N; t++) {
        y[t] = 1.0;
        if (t >= T0 && t < T0 + T) y[t] = 1.0 - L * (double)(T0 + T - t) / T;
    }
    ps_resilience r;
    cr_assert_eq(ps_resilience_compute(y, N, T0, 1, 13, 0.05, &r), 0);
    cr_expect_float_eq(r.baseline, 1.0, 1e-12);
    cr_expect_float_eq(r.drawdown, L, 1e-12);
    cr_expect_eq(r.trough_week, T0);
    cr_expect(r.recovered);
    /* back within 5 % of the fall: y >= 1 - 0.01, i.e. T - t' <= 2 */
    cr_expect_eq(r.time_to_recover, T - 2, "got %d", r.time_to_recover);
    double loss = 0;
    for (int t = T0; t < T0 + T - 2; t++) loss += 1.0 - y[t];
    cr_expect_float_eq(r.loss, loss, 1e-9);
    cr_expect(fabs(r.loss - L * T / 2) < 0.1 * L * T / 2, "loss %g vs %g", r.loss, L * T / 2);
}

Test(resilience, never_recovered_is_censored)
{
    double y[100];
    for (int t = 0; t < 100; t++) y[t] = t < 60 ? 5.0 : 4.0;
    ps_resilience r;
    cr_assert_eq(ps_resilience_compute(y, 100, 60, 1, 13, 0.05, &r), 0);
    cr_expect(!r.recovered);
    cr_expect_eq(r.time_to_recover, 40);
    cr_expect_float_eq(r.drawdown, 1.0, 1e-12);
    cr_expect_float_eq(r.loss, 40.0, 1e-9);
}

Test(resilience, lower_is_better_series)
{
    double y[60];
    for (int t = 0; t < 60; t++) y[t] = (t >= 30 && t < 35) ? 0.3 : 0.1;
    ps_resilience r;
    cr_assert_eq(ps_resilience_compute(y, 60, 30, 0, 13, 0.05, &r), 0);
    cr_expect_float_eq(r.drawdown, 0.2, 1e-12);
    cr_expect(r.recovered);
    cr_expect_eq(r.time_to_recover, 5);
    cr_expect_float_eq(r.loss, 1.0, 1e-9);
}

Test(resilience, rejects_bad_arguments)
{
    double y[10] = {0};
    ps_resilience r;
    cr_expect_eq(ps_resilience_compute(y, 10, 0, 1, 13, 0.05, &r), -1);
    cr_expect_eq(ps_resilience_compute(y, 10, 10, 1, 13, 0.05, &r), -1);
    cr_expect_eq(ps_resilience_compute(y, 10, 5, 1, 0, 0.05, &r), -1);
}

/* Paired resilience: the difference from the baseline run that shares the
 * random streams. A noisy, drifting baseline and the same run with a drop
 * of L at t0 that recovers linearly over T weeks: the baseline's noise and
 * drift cancel, and the loss is the triangle's, L (T + 1) / 2 in discrete
 * weeks (validation notes: L T / 2 in continuous time). */
Test(resilience, paired_difference_gives_the_analytic_loss)
{
    enum { N = 260, T0 = 60, T = 50 };
    double base[N], shocked[N], scratch[N], L = 0.08;
    unsigned s = 12345;
    for (int t = 0; t < N; t++) {
        s = s * 1103515245u + 12345u;
        double noise = 0.02 * ((double)(s >> 8) / (double)(1u << 24) - 0.5);
        base[t] = 0.7 - 0.0004 * t + noise; /* drift and noise */
        double drop = (t >= T0 && t < T0 + T) ? L * (double)(T0 + T - t) / T : 0;
        shocked[t] = base[t] - drop;
    }
    ps_resilience r;
    cr_assert_eq(ps_resilience_paired(shocked, base, N, T0, 1, 13, 0.0, 1, scratch, &r), 0);
    cr_expect(fabs(r.baseline) < 1e-12, "pre-shock difference %g", r.baseline);
    cr_expect(fabs(r.drawdown - L) < 1e-12, "drawdown %g", r.drawdown);
    cr_expect(r.recovered);
    cr_expect_eq(r.time_to_recover, T, "got %d", r.time_to_recover);
    cr_expect(fabs(r.loss - L * (T + 1) / 2) < 1e-9, "loss %g, want %g", r.loss, L * (T + 1) / 2);
    /* the same shock read off the shocked run alone counts the drift as
     * a fall that never recovers */
    ps_resilience alone;
    cr_assert_eq(ps_resilience_compute(shocked, N, T0, 1, 13, 0.0, &alone), 0);
    cr_expect(!alone.recovered && alone.loss > 2 * r.loss,
              "unpaired: recovered %d, loss %g", alone.recovered, alone.loss);
    /* smoothed by a 4-week trailing mean: close to the triangle still */
    cr_assert_eq(ps_resilience_paired(shocked, base, N, T0, 1, 13, 0.05, 4, scratch, &r), 0);
    cr_expect(fabs(r.loss - L * T / 2) < 0.1 * L * T / 2, "smoothed loss %g", r.loss);
}

Test(resilience, zero_size_shock_gives_exactly_zero)
{
    double y[100], scratch[100];
    for (int t = 0; t < 100; t++) y[t] = 0.5 + 0.1 * sin(t);
    ps_resilience r;
    cr_assert_eq(ps_resilience_paired(y, y, 100, 40, 1, 13, 0.05, 4, scratch, &r), 0);
    cr_expect(r.drawdown == 0.0 && r.loss == 0.0, "drawdown %g loss %g", r.drawdown, r.loss);
    cr_expect(r.recovered && r.time_to_recover == 0);
    cr_assert_eq(ps_resilience_paired(y, y, 100, 40, 0, 13, 0.05, 4, scratch, &r), 0);
    cr_expect(r.drawdown == 0.0 && r.loss == 0.0);
}

Test(resilience, recovery_median_keeps_censored_runs_censored)
{
    int t1[5] = {10, 30, 20, 99, 99}, r1[5] = {1, 1, 1, 0, 0};
    cr_expect_eq(ps_recovery_median(t1, r1, 5), 30, "three of five recovered: the third");
    int r2[5] = {1, 1, 0, 0, 0};
    cr_expect_eq(ps_recovery_median(t1, r2, 5), -1, "two of five: not reached");
    int t3[4] = {8, 4, 6, 2}, r3[4] = {1, 1, 1, 1};
    cr_expect_eq(ps_recovery_median(t3, r3, 4), 4, "all four: the second smallest");
}
