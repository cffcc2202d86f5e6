#include "testfns.h"

#include <math.h>

double testfn_ishigami(const double *u, double a, double b)
{
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1],
           x3 = -M_PI + 2 * M_PI * u[2];
    double s2 = sin(x2);
    return sin(x1) + a * s2 * s2 + b * pow(x3, 4) * sin(x1);
}

double testfn_sobol_g(const double *u, const double *a, size_t k)
{
    double g = 1;
    for (size_t i = 0; i < k; i++) g *= (fabs(4 * u[i] - 2) + a[i]) / (1 + a[i]);
    return g;
}

void testfn_sobol_g_indices(const double *a, size_t k, double *S, double *ST)
{
    double prod = 1;
    for (size_t i = 0; i < k; i++) prod *= 1 + 1 / (3 * (1 + a[i]) * (1 + a[i]));
    double V = prod - 1;
    for (size_t i = 0; i < k; i++) {
        double Vi = 1 / (3 * (1 + a[i]) * (1 + a[i]));
        S[i] = Vi / V;
        ST[i] = Vi * prod / (1 + Vi) / V;
    }
}
