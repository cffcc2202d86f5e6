/* Looking metrics up in a model's table (engine/metric.h). */
#include "metric.h"

#include <string.h>

size_t ps_metric_index(const ps_metric *table, size_t n, const char *name)
{
    for (size_t m = 0; m < n; m++)
        if (strcmp(table[m].name, name) == 0) return m;
    return n;
}

size_t ps_metric_select(const ps_metric *table, size_t n, unsigned roles, size_t *out)
{
    size_t k = 0;
    for (size_t m = 0; m < n; m++)
        if ((table[m].roles & roles) == roles) {
            if (out) out[k] = m;
            k++;
        }
    return k;
}
