/* The sensitivity code recovers analytic indices: Ishigami and Sobol G
 * (reference values in the validation notes), and Morris on a linear
 * function. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "sensitivity.h"
#include "testfns.h"

/* Runs the Saltelli scheme on f over k factors with n base points. */
typedef double (*S_fn)(const double *u, const void *ctx);

static void S_saltelli(S_fn f, const void *ctx, size_t n, size_t k, size_t boot,
                       ps_sobol_result *out, int *fallback)
{
    double *A = malloc(n * k * sizeof *A), *B = malloc(n * k * sizeof *B);
    double *yA = malloc(n * sizeof *yA), *yB = malloc(n * sizeof *yB);
    double *yAB = malloc(n * k * sizeof *yAB), row[64];
    cr_assert(A && B && yA && yB && yAB);
    cr_assert_eq(ps_saltelli_design(n, k, 7, A, B, fallback), 0);
    for (size_t j = 0; j < n; j++) {
        yA[j] = f(A + j * k, ctx);
        yB[j] = f(B + j * k, ctx);
        for (size_t i = 0; i < k; i++) {
            ps_saltelli_row(A, B, k, j, i, row);
            yAB[i * n + j] = f(row, ctx);
        }
    }
    cr_assert_eq(ps_sobol_indices(yA, yB, yAB, n, k, boot, 11, out), 0);
    free(A), free(B), free(yA), free(yB), free(yAB);
}

static double S_ishigami(const double *u, const void *ctx)
{
    (void)ctx;
    return testfn_ishigami(u, 7, 0.1);
}

Test(sensitivity, ishigami_indices_within_tolerance)
{
    static const double S[3] = {0.313905, 0.442411, 0}, ST[3] = {0.557589, 0.442411, 0.243684};
    ps_sobol_result r[3];
    int fallback;
    S_saltelli(S_ishigami, NULL, 1 << 14, 3, 200, r, &fallback);
    cr_expect_eq(fallback, 0, "6 dimensions use the Sobol sequence");
    for (int i = 0; i < 3; i++) {
        fprintf(stderr, "Ishigami x%d: S %.4f [%.4f, %.4f] (%.4f), ST %.4f [%.4f, %.4f] (%.4f)\n",
                i + 1, r[i].S, r[i].S_lo, r[i].S_hi, S[i], r[i].ST, r[i].ST_lo, r[i].ST_hi, ST[i]);
        cr_expect(fabs(r[i].S - S[i]) < 0.02, "S%d = %g, want %g", i + 1, r[i].S, S[i]);
        cr_expect(fabs(r[i].ST - ST[i]) < 0.02, "ST%d = %g, want %g", i + 1, r[i].ST, ST[i]);
        cr_expect(r[i].S_lo <= r[i].S && r[i].S <= r[i].S_hi);
        cr_expect(r[i].S_hi - r[i].S_lo < 0.1, "interval of S%d too wide", i + 1);
    }
}

typedef struct {
    const double *a;
    size_t k;
} S_gctx;

static double S_g(const double *u, const void *vctx)
{
    const S_gctx *c = vctx;
    return testfn_sobol_g(u, c->a, c->k);
}

Test(sensitivity, sobol_g_indices_within_tolerance)
{
    static const double a[8] = {0, 1, 4.5, 9, 99, 99, 99, 99};
    double S[8], ST[8];
    testfn_sobol_g_indices(a, 8, S, ST);
    /* the analytic values themselves match the published table */
    cr_expect(fabs(S[0] - 0.71619) < 1e-4 && fabs(ST[1] - 0.24220) < 1e-4);
    S_gctx ctx = {a, 8};
    ps_sobol_result r[8];
    int fallback;
    S_saltelli(S_g, &ctx, 1 << 14, 8, 0, r, &fallback);
    cr_expect_eq(fallback, 0, "16 dimensions use the Sobol sequence");
    for (int i = 0; i < 8; i++) {
        cr_expect(fabs(r[i].S - S[i]) < 0.02, "S%d = %g, want %g", i + 1, r[i].S, S[i]);
        cr_expect(fabs(r[i].ST - ST[i]) < 0.02, "ST%d = %g, want %g", i + 1, r[i].ST, ST[i]);
    }
}

Test(sensitivity, sobol_beyond_40_dimensions_is_refused_and_saltelli_falls_back)
{
    double *x = malloc(16 * 41 * sizeof *x);
    cr_expect_eq(ps_design_points(PS_DESIGN_SOBOL, 16, 41, 1, x), -1);
    cr_expect_eq(ps_design_points(PS_DESIGN_SOBOL, 16, 40, 1, x), 0);
    free(x);
    double *A = malloc(64 * 21 * sizeof *A), *B = malloc(64 * 21 * sizeof *B);
    int fallback = 0;
    cr_expect_eq(ps_saltelli_design(64, 21, 3, A, B, &fallback), 0);
    cr_expect_eq(fallback, 1, "42 dimensions fall back to a Latin hypercube");
    for (size_t j = 0; j < 64 * 21; j++) cr_assert(A[j] >= 0 && A[j] < 1 && B[j] >= 0 && B[j] < 1);
    free(A), free(B);
}

Test(sensitivity, latin_hypercube_has_one_point_per_stratum)
{
    enum { N = 50, D = 4 };
    double x[N * D];
    cr_assert_eq(ps_design_points(PS_DESIGN_LHS, N, D, 9, x), 0);
    for (int c = 0; c < D; c++) {
        int seen[N] = {0};
        for (int j = 0; j < N; j++) seen[(int)(x[j * D + c] * N)]++;
        for (int s = 0; s < N; s++) cr_expect_eq(seen[s], 1, "dimension %d stratum %d", c, s);
    }
}

Test(sensitivity, morris_on_a_linear_function)
{
    enum { R = 20, K = 4 };
    static const double c[K] = {3, -2, 0.5, 0}, lo = -1, hi = 3;
    double x[R * (K + 1) * K], y[R * (K + 1)];
    size_t order[R * K];
    cr_assert_eq(ps_morris_design(R, K, 4, 5, x, order), 0);
    for (int p = 0; p < R * (K + 1); p++) {
        y[p] = 0;
        for (int i = 0; i < K; i++) y[p] += c[i] * (lo + (hi - lo) * x[p * K + i]);
    }
    ps_morris_result m[K];
    cr_assert_eq(ps_morris_indices(x, order, y, R, K, m), 0);
    for (int i = 0; i < K; i++) {
        cr_expect(fabs(m[i].mu_star - fabs(c[i]) * (hi - lo)) < 1e-9, "mu*%d = %g", i, m[i].mu_star);
        cr_expect(m[i].sigma < 1e-9, "sigma%d = %g", i, m[i].sigma);
    }
}
