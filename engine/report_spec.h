/* What a model's report shows besides what every report has (the steady
 * baseline, the counts and costs for the whole place): declared by the
 * model, drawn by engine/report.c. Every metric is named as in the
 * model's table (engine/metric.h); a name the table does not have is an
 * error (ps_report_spec_check), never skipped. */
#ifndef PS_REPORT_SPEC_H
#define PS_REPORT_SPEC_H

#include <stddef.h>

#include "metric.h"
#include "ps_error.h"

/* A chart over the reported weeks: per arm, the mean over replications
 * with the 5th to 95th percentile band, of each metric. */
typedef struct ps_report_chart {
    const char *title, *axis;        /* the chart's title and its y-axis */
    const char *const *metrics;      /* n_metrics names */
    const char *const *short_names;  /* in the legend (NULL: the metrics' labels) */
    size_t n_metrics;
} ps_report_chart;

typedef struct ps_report_spec {
    /* the summary and the table of key figures, in this order (each shown
     * as its table row's display_scale and display_unit say) */
    const char *const *key_figures;
    size_t n_key_figures;

    /* a radar of metrics on one 0-1 scale, at week 0 and at the horizon
     * (radar.svg; n_radar 0: none) */
    const char *radar_heading, *radar_title;
    const char *const *radar_metrics, *const *radar_labels;
    size_t n_radar;

    /* "Outcomes over time": one chart each (the first is outcomes.svg) */
    const ps_report_chart *outcomes;
    size_t n_outcomes;

    /* a comparison's paired difference over time of one metric, times
     * difference_scale, in difference_unit (difference.svg; NULL: none) */
    const char *difference_metric, *difference_unit;
    double difference_scale;

    /* the chart of the resilience section (resilience.svg; n_metrics 0:
     * none), and a sentence saying what it shows */
    ps_report_chart resilience;
    const char *resilience_text;

    /* what the model's costs are, for the cost section (NULL: nothing) */
    const char *costs_text;
} ps_report_spec;

/* Checks that every metric the spec names is in the table: returns 0, or
 * -1 with one problem per unknown name in d (file "report spec", the
 * field as the setting). */
int ps_report_spec_check(const ps_report_spec *spec, const ps_metric *table, size_t n,
                         ps_diag *d);

#endif
