#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static void S_moments(const double *x, size_t n, double *mean, double *var, size_t *k)
{
    double s = 0;
    *k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) {
            s += x[i];
            (*k)++;
        }
    *mean = *k ? s / (double)*k : NAN;
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i])) ss += (x[i] - *mean) * (x[i] - *mean);
    *var = *k > 1 ? ss / (double)(*k - 1) : NAN;
}

static ps_interval S_interval_level(double mean, double se, double df, double level)
{
    ps_interval r = {mean, NAN, NAN};
    if (df >= 1 && isfinite(se)) {
        double t = gsl_cdf_tdist_Pinv(0.5 + level / 2, df);
        r.lo = mean - t * se;
        r.hi = mean + t * se;
    }
    return r;
}

static ps_interval S_interval(double mean, double se, double df)
{
    return S_interval_level(mean, se, df, 0.95);
}

ps_interval ps_mean_ci(const double *x, size_t n)
{
    double mean, var;
    size_t k;
    S_moments(x, n, &mean, &var, &k);
    return S_interval(mean, sqrt(var / (double)k), (double)k - 1);
}

ps_interval ps_paired_ci(const double *x, const double *y, size_t n)
{
    return ps_paired_ci_level(x, y, n, 0.95);
}

ps_interval ps_paired_ci_level(const double *x, const double *y, size_t n, double level)
{
    double s = 0, ss = 0;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) {
            s += y[i] - x[i];
            k++;
        }
    double mean = k ? s / (double)k : NAN;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]) && !isnan(y[i])) ss += (y[i] - x[i] - mean) * (y[i] - x[i] - mean);
    double var = k > 1 ? ss / (double)(k - 1) : NAN;
    return S_interval_level(mean, sqrt(var / (double)k), (double)k - 1, level);
}

ps_interval ps_unpaired_ci(const double *x, const double *y, size_t n)
{
    double mx, vx, my, vy;
    size_t kx, ky;
    S_moments(x, n, &mx, &vx, &kx);
    S_moments(y, n, &my, &vy, &ky);
    double ax = vx / (double)kx, ay = vy / (double)ky;
    double se = sqrt(ax + ay);
    /* Welch-Satterthwaite degrees of freedom */
    double df = (ax + ay) * (ax + ay) /
                (ax * ax / ((double)kx - 1) + ay * ay / ((double)ky - 1));
    if (!(ax + ay > 0)) df = (double)(kx + ky) - 2;
    return S_interval(my - mx, se, df);
}
