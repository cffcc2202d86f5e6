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
