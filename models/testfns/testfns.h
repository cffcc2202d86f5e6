/* Analytic test functions with known sensitivity indices, to validate the
 * sensitivity code (docs: /shared design validation values). Inputs are in
 * the unit cube and mapped to each function's domain here. */
#ifndef TESTFNS_H
#define TESTFNS_H

#include <stddef.h>

/* Ishigami: sin x1 + a sin^2 x2 + b x3^4 sin x1, x_i ~ U(-pi, pi). */
double testfn_ishigami(const double *u, double a, double b);
/* Sobol G: prod_i (|4 x_i - 2| + a_i) / (1 + a_i), x_i ~ U(0, 1). */
double testfn_sobol_g(const double *u, const double *a, size_t k);
/* The analytic first-order and total indices of Sobol G. */
void testfn_sobol_g_indices(const double *a, size_t k, double *S, double *ST);

#endif
