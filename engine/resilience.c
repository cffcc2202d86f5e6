#include "resilience.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ps_resilience_compute(const double *y, size_t n, size_t t0, int higher_is_better,
                          size_t window, double recover_fraction, ps_resilience *out)
{
    memset(out, 0, sizeof *out);
    if (!y || t0 == 0 || t0 >= n || window == 0 || recover_fraction < 0 ||
        recover_fraction >= 1)
        return -1;
    double sign = higher_is_better ? 1.0 : -1.0;
    size_t from = t0 > window ? t0 - window : 0;
    double sum = 0;
    size_t cnt = 0;
    for (size_t t = from; t < t0; t++)
        if (!isnan(y[t])) {
            sum += sign * y[t];
            cnt++;
        }
    if (cnt == 0) return -1;
    double base = sum / (double)cnt;
    double worst = base;
    size_t trough = t0;
    for (size_t t = t0; t < n; t++) {
        if (isnan(y[t])) continue;
        if (sign * y[t] < worst) {
            worst = sign * y[t];
            trough = t;
        }
    }
    out->baseline = sign * base;
    out->drawdown = base - worst;
    out->trough_week = (int)trough;
    double threshold = base - recover_fraction * (base - worst);
    size_t end = n;
    out->recovered = 0;
    if (out->drawdown <= 0) {
        out->recovered = 1;
        out->time_to_recover = 0;
        return 0;
    }
    for (size_t t = trough + 1; t < n; t++) {
        if (!isnan(y[t]) && sign * y[t] >= threshold) {
            out->recovered = 1;
            end = t;
            break;
        }
    }
    out->time_to_recover = (int)(end - t0);
    double loss = 0;
    for (size_t t = t0; t < end; t++)
        if (!isnan(y[t]) && base - sign * y[t] > 0) loss += base - sign * y[t];
    out->loss = loss;
    return 0;
}

int ps_resilience_paired(const double *shocked, const double *baseline, size_t n, size_t t0,
                         int higher_is_better, size_t window, double recover_fraction,
                         size_t smooth, double *scratch, ps_resilience *out)
{
    if (!shocked || !baseline || !scratch || smooth == 0) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    for (size_t t = 0; t < n; t++) {
        double s = 0;
        size_t k = 0;
        for (size_t v = t + 1 >= smooth ? t + 1 - smooth : 0; v <= t; v++) {
            double x = shocked[v] - baseline[v];
            if (!isnan(x)) {
                s += x;
                k++;
            }
        }
        scratch[t] = k ? s / (double)k : NAN;
    }
    return ps_resilience_compute(scratch, n, t0, higher_is_better, window, recover_fraction, out);
}

static int S_cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int ps_recovery_median(const int *times, const int *recovered, size_t n)
{
    if (n == 0) return -1;
    int *t = malloc(n * sizeof *t);
    if (!t) return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (recovered[i]) t[k++] = times[i];
    qsort(t, k, sizeof *t, S_cmp_int);
    /* survival S(t) = 1 - (recovered by t) / n with all censoring at the
     * horizon; the median is the first t with S(t) <= 1/2 */
    size_t need = (n + 1) / 2;
    int med = k >= need ? t[need - 1] : -1;
    free(t);
    return med;
}
