/* Checking a model's report spec against its metric table
 * (engine/report_spec.h). */
#include "report_spec.h"

static void S_check(const char *field, const char *name, const ps_metric *table, size_t n,
                    ps_diag *d)
{
    if (name && ps_metric_index(table, n, name) == n)
        ps_diag_add(d, PS_ERR_INPUT, "report spec", 0, field,
                    "unknown metric '%s': the model's metric table has no such row", name);
}

int ps_report_spec_check(const ps_report_spec *spec, const ps_metric *table, size_t n,
                         ps_diag *d)
{
    int before = d->count;
    for (size_t k = 0; k < spec->n_key_figures; k++)
        S_check("key_figures", spec->key_figures[k], table, n, d);
    for (size_t k = 0; k < spec->n_radar; k++)
        S_check("radar_metrics", spec->radar_metrics[k], table, n, d);
    for (size_t c = 0; c < spec->n_outcomes; c++)
        for (size_t k = 0; k < spec->outcomes[c].n_metrics; k++)
            S_check("outcomes", spec->outcomes[c].metrics[k], table, n, d);
    S_check("difference_metric", spec->difference_metric, table, n, d);
    for (size_t k = 0; k < spec->resilience.n_metrics; k++)
        S_check("resilience", spec->resilience.metrics[k], table, n, d);
    return d->count > before ? -1 : 0;
}
