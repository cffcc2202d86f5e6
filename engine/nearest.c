#include "nearest.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

int ps_edit_distance(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int *row = malloc((nb + 1) * sizeof *row);
    if (!row) return (int)(na > nb ? na : nb);
    for (size_t j = 0; j <= nb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= na; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= nb; j++) {
            int up = row[j];
            int cost = tolower((unsigned char)a[i - 1]) !=
                       tolower((unsigned char)b[j - 1]);
            int best = diag + cost;
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    int d = row[nb];
    free(row);
    return d;
}

const char *ps_nearest(const char *name, const char *const *candidates,
                       size_t count)
{
    const char *best = NULL;
    int best_d = (int)strlen(name) / 3 + 2;
    for (size_t i = 0; i < count; i++) {
        int d = ps_edit_distance(name, candidates[i]);
        if (d <= best_d && (best == NULL || d < best_d)) {
            best = candidates[i];
            best_d = d;
        }
    }
    return best;
}
