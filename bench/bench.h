/* placesim-bench: throughput, phase times, memory and parallel efficiency of
 * the systems-change model against a floor kernel, over population sizes and
 * thread counts. Not a test: it asserts nothing, it measures. */
#ifndef BENCH_H
#define BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "sim.h" /* PS_MAX_PHASES */

#define B_MAX_SIZES 16
#define B_MAX_THREADS 16
#define B_MAX_REPEATS 64

enum { B_MODEL, B_FLOOR, B_KERNELS };
extern const char *const b_kernel_names[B_KERNELS];

/* One (size, threads, kernel) cell: every repeat's timings. */
typedef struct b_cell {
    int done;                               /* repeats completed */
    double seconds[B_MAX_REPEATS];          /* timed ticks, observe included */
    double cpu_seconds[B_MAX_REPEATS];      /* process CPU time of the same */
    double phases[B_MAX_REPEATS][PS_MAX_PHASES];
    double serial[B_MAX_REPEATS];           /* of the model's phases, outside parallel regions */
    double init_seconds[B_MAX_REPEATS];     /* create (model) or fill (floor) */
    uint64_t hash;                          /* FNV-1a of every observed row */
    int hash_mismatch;                      /* repeats disagreed */
} b_cell;

/* One size: its cells and memory figures (written by the child). */
typedef struct b_size {
    long n;
    int failed;                             /* the child did not finish */
    b_cell cell[B_MAX_THREADS][B_KERNELS];
    long rss_base_kib;                      /* the child before allocating */
    long rss_model_kib;                     /* peak after one model replication */
    long rss_floor_kib;                     /* peak of a floor-only child */
    long rss_floor_base_kib;                /* that child before allocating */
    double citizen_bytes;                   /* model citizen arrays, per citizen */
    double fixed_bytes;                     /* actors, links and their tables */
    double floor_bytes;                     /* floor arrays, per citizen */
} b_size;

typedef struct b_config {
    const char *scenario;
    const char *out_dir;
    long sizes[B_MAX_SIZES];
    int n_sizes;
    int threads[B_MAX_THREADS];
    int n_threads;
    int repeats, weeks, warmup;
    int quiet;
    char load_before[64], load_after[64];   /* /proc/loadavg around the run */
    /* phase names: the model's, then "observe" */
    size_t n_phases;
    const char *phase_names[PS_MAX_PHASES];
} b_config;

/* model.c: runs every repeat of the model and the floor for one size, in a
 * forked child, filling sz. Returns 0 or -1. */
int b_run_size(const b_config *cfg, b_size *sz);
/* Peak RSS (KiB) of a floor-only run of n citizens (in a child), and the
 * child's RSS before it allocated into *base_kib. */
long b_floor_rss(long n, int weeks, long *base_kib);
/* The model's phase names into cfg (needs no scenario). */
void b_phase_names(b_config *cfg);

/* floor.c: the floor kernel, one draw and one state update per
 * citizen-week, over the model's chunking. */
typedef struct b_floor {
    size_t n;
    float *sev;
    uint8_t *status;
} b_floor;
int b_floor_alloc(b_floor *f, size_t n);   /* and fill */
void b_floor_fill(b_floor *f);               /* the same start every repeat */
void b_floor_free(b_floor *f);
/* One tick on `threads` threads; returns the onset count (a checksum). */
int64_t b_floor_tick(b_floor *f, uint64_t seed, uint32_t tick, int threads);

/* report.c: statistics, bench.csv, bench.md and bench.svg. */
double b_median(const double *x, int n);
double b_min(const double *x, int n);
double b_max(const double *x, int n);
int b_write_outputs(const b_config *cfg, const b_size *sizes);

/* seconds on the monotonic clock; CPU seconds of the process (all threads) */
double b_now(void);
double b_cpu_now(void);
/* the 1, 5 and 15 minute load averages, as text */
void b_loadavg(char *buf, size_t size);

#endif
