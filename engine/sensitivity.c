#include "sensitivity.h"

#include <gsl/gsl_qrng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* a stream of uniforms keyed by (seed, purpose) */
typedef struct {
    ps_rng_key key;
    uint32_t purpose, block;
    uint32_t buf[4];
    int pos;
} S_uniforms;

static void S_uniforms_init(S_uniforms *u, uint64_t seed, uint32_t purpose)
{
    u->key = ps_rng_key_make(seed, 0x5E45u);
    u->purpose = purpose;
    u->block = 0;
    u->pos = 4;
}

static double S_u(S_uniforms *u)
{
    if (u->pos >= 4) {
        ps_rng_block(u->key, u->purpose, 0, 0, u->block++, u->buf);
        u->pos = 0;
    }
    return ps_rng_u01(u->buf[u->pos++]);
}

/* perm = a uniformly random permutation of 0..n-1 (Fisher-Yates). */
static void S_permutation(size_t *perm, size_t n, S_uniforms *u)
{
    for (size_t j = 0; j < n; j++) perm[j] = j;
    for (size_t j = n; j > 1; j--) {
        size_t r = (size_t)(S_u(u) * (double)j);
        if (r >= j) r = j - 1;
        size_t t = perm[j - 1];
        perm[j - 1] = perm[r];
        perm[r] = t;
    }
}

int ps_design_points(enum ps_design_kind kind, size_t n, size_t dim, uint64_t seed, double *x)
{
    if (kind == PS_DESIGN_SOBOL) {
        if (dim < 1 || dim > PS_SOBOL_MAX_DIM) return -1;
        gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim);
        if (!q) return -1;
        double skip[PS_SOBOL_MAX_DIM];
        gsl_qrng_get(q, skip); /* the first point is the origin */
        for (size_t j = 0; j < n; j++) gsl_qrng_get(q, x + j * dim);
        gsl_qrng_free(q);
        return 0;
    }
    S_uniforms u;
    S_uniforms_init(&u, seed, kind == PS_DESIGN_LHS ? 1u : 2u);
    if (kind == PS_DESIGN_RANDOM) {
        for (size_t j = 0; j < n * dim; j++) x[j] = S_u(&u);
        return 0;
    }
    /* Latin hypercube: one point in each of n strata per dimension, strata
     * matched by an independent random permutation per dimension */
    size_t *perm = malloc(n * sizeof *perm);
    if (!perm) return -1;
    for (size_t c = 0; c < dim; c++) {
        S_permutation(perm, n, &u);
        for (size_t j = 0; j < n; j++) x[j * dim + c] = ((double)perm[j] + S_u(&u)) / (double)n;
    }
    free(perm);
    return 0;
}

int ps_saltelli_design(size_t n, size_t k, uint64_t seed, double *A, double *B, int *fallback)
{
    size_t dim = 2 * k;
    double *x = malloc(n * dim * sizeof *x);
    if (!x) return -1;
    *fallback = dim > PS_SOBOL_MAX_DIM;
    int rc = ps_design_points(*fallback ? PS_DESIGN_LHS : PS_DESIGN_SOBOL, n, dim, seed, x);
    for (size_t j = 0; rc == 0 && j < n; j++) {
        memcpy(A + j * k, x + j * dim, k * sizeof *A);
        memcpy(B + j * k, x + j * dim + k, k * sizeof *B);
    }
    free(x);
    return rc;
}

void ps_saltelli_row(const double *A, const double *B, size_t k, size_t j, size_t i, double *row)
{
    memcpy(row, A + j * k, k * sizeof *row);
    row[i] = B[j * k + i];
}

/* Estimates over the rows idx[0..n) (a bootstrap sample, or all rows). */
static void S_estimate(const double *yA, const double *yB, const double *yAB, size_t n_all,
                       size_t k, const size_t *idx, size_t n, double *S, double *ST)
{
    double mean = 0, var = 0;
    for (size_t j = 0; j < n; j++) mean += yA[idx[j]] + yB[idx[j]];
    mean /= (double)(2 * n);
    for (size_t j = 0; j < n; j++)
        var += (yA[idx[j]] - mean) * (yA[idx[j]] - mean) + (yB[idx[j]] - mean) * (yB[idx[j]] - mean);
    var /= (double)(2 * n - 1);
    for (size_t i = 0; i < k; i++) {
        double s1 = 0, st = 0;
        for (size_t j = 0; j < n; j++) {
            double fa = yA[idx[j]], fb = yB[idx[j]], fab = yAB[i * n_all + idx[j]];
            /* centred: E[f(A_B^i) - f(A)] = 0, so subtracting the mean
             * leaves the estimate unbiased and removes the noise that a
             * large mean beside a small spread would bring */
            s1 += (fb - mean) * (fab - fa);
            st += (fa - fab) * (fa - fab);
        }
        S[i] = var > 0 ? s1 / (double)n / var : NAN;
        ST[i] = var > 0 ? st / (double)n / (2 * var) : NAN;
    }
}

static int S_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ps_sobol_indices(const double *yA, const double *yB, const double *yAB, size_t n, size_t k,
                     size_t boot, uint64_t seed, ps_sobol_result *out)
{
    if (n < 2 || k < 1) return -1;
    size_t *idx = malloc(n * sizeof *idx);
    double *S = malloc(k * sizeof *S), *ST = malloc(k * sizeof *ST);
    double *bs = boot ? malloc(boot * k * sizeof *bs) : NULL, *bt = boot ? malloc(boot * k * sizeof *bt) : NULL;
    double *col = boot ? malloc(boot * sizeof *col) : NULL;
    if (!idx || !S || !ST || (boot && (!bs || !bt || !col))) {
        free(idx), free(S), free(ST), free(bs), free(bt), free(col);
        return -1;
    }
    for (size_t j = 0; j < n; j++) idx[j] = j;
    S_estimate(yA, yB, yAB, n, k, idx, n, S, ST);
    for (size_t i = 0; i < k; i++) {
        out[i].S = S[i];
        out[i].ST = ST[i];
        out[i].S_lo = out[i].S_hi = out[i].ST_lo = out[i].ST_hi = NAN;
    }
    S_uniforms u;
    S_uniforms_init(&u, seed, 3u);
    for (size_t b = 0; b < boot; b++) {
        for (size_t j = 0; j < n; j++) {
            size_t r = (size_t)(S_u(&u) * (double)n);
            idx[j] = r < n ? r : n - 1;
        }
        S_estimate(yA, yB, yAB, n, k, idx, n, bs + b * k, bt + b * k);
    }
    for (size_t i = 0; i < k && boot; i++) {
        for (int which = 0; which < 2; which++) {
            const double *src = which ? bt : bs;
            for (size_t b = 0; b < boot; b++) col[b] = src[b * k + i];
            qsort(col, boot, sizeof *col, S_cmp_double);
            double lo = gsl_stats_quantile_from_sorted_data(col, 1, boot, 0.025);
            double hi = gsl_stats_quantile_from_sorted_data(col, 1, boot, 0.975);
            if (which) {
                out[i].ST_lo = lo;
                out[i].ST_hi = hi;
            } else {
                out[i].S_lo = lo;
                out[i].S_hi = hi;
            }
        }
    }
    free(idx), free(S), free(ST), free(bs), free(bt), free(col);
    return 0;
}

int ps_morris_design(size_t r, size_t k, int p, uint64_t seed, double *x, size_t *order)
{
    if (p < 2 || p % 2 || k < 1) return -1;
    double delta = (double)p / (2.0 * (p - 1));
    S_uniforms u;
    S_uniforms_init(&u, seed, 4u);
    for (size_t t = 0; t < r; t++) {
        double *base = x + t * (k + 1) * k;
        /* a start on the grid low enough that +delta stays inside */
        for (size_t c = 0; c < k; c++) {
            int levels = p / 2;
            int l = (int)(S_u(&u) * levels);
            if (l >= levels) l = levels - 1;
            base[c] = (double)l / (p - 1);
        }
        size_t *ord = order + t * k;
        S_permutation(ord, k, &u);
        for (size_t s = 0; s < k; s++) {
            memcpy(base + (s + 1) * k, base + s * k, k * sizeof *base);
            base[(s + 1) * k + ord[s]] += delta;
        }
    }
    return 0;
}

int ps_morris_indices(const double *x, const size_t *order, const double *y, size_t r, size_t k,
                      ps_morris_result *out)
{
    if (r < 1 || k < 1) return -1;
    double *ee = malloc(r * k * sizeof *ee);
    if (!ee) return -1;
    for (size_t t = 0; t < r; t++)
        for (size_t s = 0; s < k; s++) {
            size_t f = order[t * k + s];
            const double *a = x + (t * (k + 1) + s) * k, *b = a + k;
            double dx = b[f] - a[f];
            ee[f * r + t] = (y[t * (k + 1) + s + 1] - y[t * (k + 1) + s]) / dx;
        }
    for (size_t f = 0; f < k; f++) {
        double m = 0, ms = 0;
        for (size_t t = 0; t < r; t++) {
            m += ee[f * r + t];
            ms += fabs(ee[f * r + t]);
        }
        out[f].mu = m / (double)r;
        out[f].mu_star = ms / (double)r;
        out[f].sigma = r > 1 ? gsl_stats_sd_m(ee + f * r, 1, r, out[f].mu) : 0;
    }
    free(ee);
    return 0;
}
