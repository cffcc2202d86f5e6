/* The report a board can read: report.html (self-contained: inline SVG, no
 * scripts, no network requests) and the same charts as SVG files. */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include "compare_data.h"
#include "model.h"

/* Writes report.html and charts (radar.svg, outcomes.svg, resilience.svg,
 * and difference.svg for two arms) for a comparison or, with one arm, for a
 * run. Returns 0 or -1 (d filled). */
int ps_report_compare(const char *dir, const ps_model_type *type, const ps_arm *arms,
                      size_t n_arms, const ps_compare_data *c, ps_diag *d);

#endif
