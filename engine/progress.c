#include "progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void ps_progress_start(ps_progress *p, const char *what, size_t total, int quiet)
{
    ps_progress_resume(p, what, total, 0, quiet);
}

void ps_progress_resume(ps_progress *p, const char *what, size_t total, size_t base,
                        int quiet)
{
    p->what = what;
    p->base = base;
    p->last = 0;
    p->total = total;
    p->quiet = quiet;
    p->tty = isatty(STDERR_FILENO);
    p->shown = 0;
    p->start = S_now();
}

void ps_progress_update(ps_progress *p, size_t done)
{
    double el = S_now() - p->start;
    if (p->quiet || el < 1.0) return;
    if (!p->tty && done < p->total && el - p->last < 5.0) return;
    p->last = el;
    double rate = done > p->base ? (double)(done - p->base) / el : 0;
    double left = rate > 0 ? (double)(p->total - done) / rate : 0;
    fprintf(stderr, "%splacesim: %zu/%zu %s done, %.2f a second, %.0f s elapsed, about %.0f s left%s",
            p->tty ? "\r" : "", done, p->total, p->what, rate, el, left, p->tty ? "   " : "\n");
    fflush(stderr);
    p->shown = 1;
}

void ps_progress_finish(ps_progress *p)
{
    if (p->shown && p->tty) fputc('\n', stderr);
    p->shown = 0;
}
