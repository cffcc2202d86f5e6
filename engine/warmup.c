#include "warmup.h"

#include <math.h>
#include <stdlib.h>

int ps_mser5(const double *y, size_t n, ps_mser *out)
{
    out->truncate = 0;
    out->batches = 0;
    out->statistic = NAN;
    size_t m = n / PS_MSER_BATCH;
    if (!y || m < 2) return -1;
    double *b = malloc(m * sizeof *b);
    if (!b) return -1;
    for (size_t j = 0; j < m; j++) {
        double s = 0;
        int k = 0;
        for (size_t t = j * PS_MSER_BATCH; t < (j + 1) * PS_MSER_BATCH; t++)
            if (!isnan(y[t])) {
                s += y[t];
                k++;
            }
        b[j] = k ? s / k : NAN;
    }
    /* suffix sums from the end, so each candidate costs O(1): with S1 and
     * S2 the sum and sum of squares of the kept batches, the sum of squared
     * deviations is S2 - S1^2 / k */
    double s1 = 0, s2 = 0, best = INFINITY;
    size_t kept = 0, best_d = 0;
    double *mser = malloc((m + 1) * sizeof *mser);
    if (!mser) {
        free(b);
        return -1;
    }
    for (size_t j = m; j-- > 0;) {
        if (!isnan(b[j])) {
            s1 += b[j];
            s2 += b[j] * b[j];
            kept++;
        }
        double ss = kept ? s2 - s1 * s1 / (double)kept : 0;
        if (ss < 0) ss = 0; /* rounding of a constant series */
        mser[j] = kept ? ss / ((double)kept * (double)kept) : INFINITY;
    }
    /* candidates d = 0 .. m/2, the smallest statistic first found wins, so
     * ties go to the shorter truncation */
    for (size_t d = 0; d <= m / 2; d++)
        if (mser[d] < best) {
            best = mser[d];
            best_d = d;
        }
    out->truncate = best_d * PS_MSER_BATCH;
    out->batches = m;
    out->statistic = best;
    free(mser);
    free(b);
    return 0;
}

static double S_part_mean(const double *x, size_t from, size_t to)
{
    double s = 0;
    size_t k = 0;
    for (size_t t = from; t < to; t++)
        if (!isnan(x[t])) {
            s += x[t];
            k++;
        }
    return k ? s / (double)k : NAN;
}

ps_interval ps_window_drift(const double *x, size_t reps, size_t stride, size_t n, size_t part)
{
    ps_interval none = {NAN, NAN, NAN};
    if (!x || reps == 0 || part == 0 || 2 * part > n) return none;
    double *first = malloc(reps * sizeof *first), *last = malloc(reps * sizeof *last);
    if (!first || !last) {
        free(first);
        free(last);
        return none;
    }
    for (size_t r = 0; r < reps; r++) {
        const double *y = x + r * stride;
        first[r] = S_part_mean(y, 0, part);
        last[r] = S_part_mean(y, n - part, n);
    }
    ps_interval iv = ps_paired_ci(first, last, reps);
    free(first);
    free(last);
    return iv;
}
