/* Global sensitivity analysis: sampling designs and estimators.
 *
 * Sobol indices use the Saltelli scheme: two N x k matrices A and B of
 * points in the unit cube and, for each factor i, A_B^i (A with column i
 * taken from B); N (k + 2) model runs. First order by Saltelli (2010),
 * S_i = mean((f(B) - m) (f(A_B^i) - f(A))) / V with m the mean of [f(A); f(B)]
 * (centring keeps the estimate unbiased and makes it usable for outputs
 * whose spread is small beside their mean); total by Jansen,
 * S_Ti = mean((f(A) - f(A_B^i))^2) / (2 V); V the variance of [f(A); f(B)].
 * Confidence intervals by bootstrap over the N base rows.
 *
 * Morris elementary effects: r one-at-a-time trajectories on a p-level
 * grid; mu* (mean absolute effect) and sigma, in unit-scaled form. */
#ifndef PS_SENSITIVITY_H
#define PS_SENSITIVITY_H

#include <stddef.h>
#include <stdint.h>

/* GSL's Sobol generator handles at most this many dimensions and returns
 * garbage with a success code above it. */
#define PS_SOBOL_MAX_DIM 40

enum ps_design_kind { PS_DESIGN_SOBOL, PS_DESIGN_LHS, PS_DESIGN_RANDOM };

/* n points in [0,1)^dim into x (row-major n x dim). A Sobol sequence
 * (skipping its first point, the origin) when dim <= PS_SOBOL_MAX_DIM;
 * Latin hypercube and random points are keyed by seed. Returns 0, or -1
 * for a Sobol request beyond the limit or no memory. */
int ps_design_points(enum ps_design_kind kind, size_t n, size_t dim, uint64_t seed, double *x);

/* Fills A and B (n x k each) for the Saltelli scheme from 2k-dimensional
 * points: Sobol when 2k <= 40, otherwise Latin hypercube (and *fallback
 * is set so the caller can say so). */
int ps_saltelli_design(size_t n, size_t k, uint64_t seed, double *A, double *B, int *fallback);

/* Row j of A_B^i: A's row j with column i from B's. */
void ps_saltelli_row(const double *A, const double *B, size_t k, size_t j, size_t i, double *row);

typedef struct ps_sobol_result {
    double S, S_lo, S_hi;   /* first order with its bootstrap 95 % interval */
    double ST, ST_lo, ST_hi; /* total */
} ps_sobol_result;

/* Indices of k factors from yA[n], yB[n] and yAB[i * n + j] = f(A_B^i row j),
 * with `boot` bootstrap resamples keyed by seed (0: no intervals). */
int ps_sobol_indices(const double *yA, const double *yB, const double *yAB, size_t n, size_t k,
                     size_t boot, uint64_t seed, ps_sobol_result *out);

/* Morris: r trajectories of k + 1 points each on a p-level grid (p even),
 * into x ((r (k + 1)) x k) with the factor moved at each step in order[]
 * ((r k) entries). */
int ps_morris_design(size_t r, size_t k, int p, uint64_t seed, double *x, size_t *order);

typedef struct ps_morris_result {
    double mu, mu_star, sigma;
} ps_morris_result;

/* Elementary effects from y[(r (k + 1))] of the design above. */
int ps_morris_indices(const double *x, const size_t *order, const double *y, size_t r, size_t k,
                      ps_morris_result *out);

#endif
