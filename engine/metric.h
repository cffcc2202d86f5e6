/* A model's metrics: one table, declared by the model next to where its
 * metrics are computed. Row m of the table describes column m of every
 * weekly row the model's observe hook fills; CSV headers, summaries,
 * comparisons, resilience, costs, steadiness checks and reports are all
 * generated from it, so the engine needs to know no metric by name. */
#ifndef PS_METRIC_H
#define PS_METRIC_H

#include <stddef.h>

/* What the engine does with a metric besides writing it (bit flags). */
enum ps_metric_role {
    /* what a comparison is judged by (compare --precision brings these to
     * a target half-width); a 0-1 share or index */
    PS_METRIC_HEADLINE = 1u << 0,
    /* its initial transient (MSER-5) and its drift over the reported
     * window are checked by every run (engine/warmup.h) */
    PS_METRIC_STEADY = 1u << 1,
    /* counts people or places a week: reported scaled to the whole place */
    PS_METRIC_COUNT = 1u << 2,
    /* money a week: totalled over the horizon, discounted */
    PS_METRIC_COST = 1u << 3,
    /* its resilience to every dated shock is measured (paired) */
    PS_METRIC_RESILIENCE = 1u << 4,
};

typedef struct ps_metric {
    const char *name;  /* the column's name: letters, digits, '_' and '.' */
    const char *label; /* what it is, in plain words, for reports */
    const char *unit;  /* the unit of the value as written ("share (0-1)", "weeks") */
    const char *group; /* a heading it is listed under ("preconditions", "costs") */
    int better;        /* +1: higher is better; -1: lower is better; 0: neither */
    unsigned roles;    /* enum ps_metric_role bits */
    /* PS_METRIC_STEADY: the drift over the reported window (in the
     * metric's unit) below which a detectable drift is immaterial */
    double steady_tolerance;
    /* PS_METRIC_COST: what the cost is ("services", "crisis", "total",
     * or a part such as "crisis: unmet need") */
    const char *cost_kind;
    /* how a report's sentences show it: value x display_scale in
     * display_unit (0 and NULL: as written, in unit), e.g. a 0-1 share as
     * percentage points */
    double display_scale;
    const char *display_unit;
} ps_metric;

/* The index of the metric called `name`, or n when there is none. */
size_t ps_metric_index(const ps_metric *table, size_t n, const char *name);

/* The indices, in table order, of the metrics with every bit of `roles`,
 * into out (room for n when not NULL). Returns how many there are. */
size_t ps_metric_select(const ps_metric *table, size_t n, unsigned roles, size_t *out);

#endif
