/* Progress of long work on stderr: an updating line on a terminal, plain
 * lines (no carriage returns, at most one every five seconds, and the
 * last) when stderr is a file or a pipe, nothing when quiet or when the
 * work takes under a second. */
#ifndef PS_PROGRESS_H
#define PS_PROGRESS_H

#include <stddef.h>

typedef struct ps_progress {
    const char *what; /* "replications", "runs" ... */
    size_t total;
    size_t base;      /* already done when the work (re)started: not in the rate */
    int quiet, tty, shown;
    double start, last;
} ps_progress;

void ps_progress_start(ps_progress *p, const char *what, size_t total, int quiet);
/* The same for work resumed with `base` of the total already done. */
void ps_progress_resume(ps_progress *p, const char *what, size_t total, size_t base,
                        int quiet);
/* Reports that `done` of the total are finished. */
void ps_progress_update(ps_progress *p, size_t done);
/* Ends an updating line. */
void ps_progress_finish(ps_progress *p);

#endif
