#include "resilience.h"

#include <math.h>
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
