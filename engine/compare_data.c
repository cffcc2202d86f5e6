/* The numbers of a finished comparison (engine/compare_data.h): what
 * reports, diagnoses and tests read from it. */
#include "compare_data.h"

#include <math.h>
#include <stdlib.h>

void ps_compare_data_free(ps_compare_data *c)
{
    free(c->rows);
    free(c->track);
    free(c->tolerance);
    free(c->warm);
    c->tolerance = NULL;
    c->rows = c->warm = NULL;
    c->track = NULL;
}

double ps_compare_horizon_mean(const ps_compare_data *c, size_t arm, size_t rep, size_t m)
{
    double s = 0;
    size_t k = 0;
    for (size_t w = 1; w <= c->weeks; w++) {
        double v = ps_compare_at(c, arm, rep, w)[m];
        if (!isnan(v)) {
            s += v;
            k++;
        }
    }
    return k ? s / (double)k : NAN;
}

double ps_compare_discounted_total(const ps_compare_data *c, size_t arm, size_t rep, size_t m,
                                   double rate)
{
    double total = 0;
    for (size_t w = 1; w <= c->weeks; w++) {
        double v = ps_compare_at(c, arm, rep, w)[m];
        if (!isnan(v)) total += v * pow(1 + rate, -(double)(w - 1) / 52.0);
    }
    return total;
}
