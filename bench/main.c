/* placesim-bench: see bench/README.md. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

static void S_usage(FILE *fp)
{
    fputs("usage: placesim-bench [--sizes N,N,...] [--threads T,T,...] [--repeats R]\n"
          "                      [--weeks W] [--warmup W0] [--config FILE] [--out DIR] [--quiet]\n"
          "\n"
          "Times replications of the systems-change model on the flagship scenario\n"
          "(population.size set to each N; actor capacities scale with it) against a\n"
          "floor kernel (one keyed Philox draw and one state update per citizen-week)\n"
          "and writes bench.csv, bench.md and bench.svg to DIR.\n"
          "\n"
          "  --sizes    population sizes (default 1e4,1e5,1e6,1e7)\n"
          "  --threads  OpenMP thread counts (default 1..the CPUs available)\n"
          "  --repeats  repeats of each measurement; medians are reported (default 5)\n"
          "  --weeks    timed weeks per replication (default 52)\n"
          "  --warmup   untimed weeks before them (default 0)\n"
          "  --config   scenario (default configs/coventry.cfg in the source tree)\n"
          "  --out      output directory, created if missing (default bench/results)\n"
          "  --quiet    no progress lines\n",
          fp);
}

/* Parses "a,b,c" of positive numbers (1e6 allowed) into out. */
static int S_parse_list(const char *s, long *out, int max, long lo, long hi, const char *what)
{
    int n = 0;
    const char *p = s;
    while (*p) {
        char *end;
        errno = 0;
        double v = strtod(p, &end);
        if (end == p || errno || v != floor(v) || v < (double)lo || v > (double)hi) {
            fprintf(stderr, "placesim-bench: %s: expected whole numbers from %ld to %ld, got '%s'\n",
                    what, lo, hi, s);
            return -1;
        }
        if (n == max) {
            fprintf(stderr, "placesim-bench: %s: at most %d values\n", what, max);
            return -1;
        }
        out[n++] = (long)v;
        p = end;
        if (*p == ',') p++;
        else if (*p) {
            fprintf(stderr, "placesim-bench: %s: expected a comma-separated list, got '%s'\n",
                    what, s);
            return -1;
        }
    }
    if (n == 0) {
        fprintf(stderr, "placesim-bench: %s: empty list\n", what);
        return -1;
    }
    return n;
}

static int S_parse_int(const char *s, int lo, int hi, const char *what, int *out)
{
    long v[1];
    if (S_parse_list(s, v, 1, lo, hi, what) != 1) return -1;
    *out = (int)v[0];
    return 0;
}

void b_loadavg(char *buf, size_t size)
{
    snprintf(buf, size, "?");
    FILE *fp = fopen("/proc/loadavg", "r");
    if (!fp) return;
    double a, b, c;
    if (fscanf(fp, "%lf %lf %lf", &a, &b, &c) == 3) snprintf(buf, size, "%.2f %.2f %.2f", a, b, c);
    fclose(fp);
}

static int S_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int S_mkdirs(const char *path)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    return mkdir(buf, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

int main(int argc, char **argv)
{
    b_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.scenario = PLACESIM_SOURCE_DIR "/configs/coventry.cfg";
    cfg.out_dir = PLACESIM_SOURCE_DIR "/bench/results";
    static const long default_sizes[] = {10000, 100000, 1000000, 10000000};
    cfg.n_sizes = 4;
    memcpy(cfg.sizes, default_sizes, sizeof default_sizes);
    int cpus = S_cpus();
    cfg.n_threads = cpus < B_MAX_THREADS ? cpus : B_MAX_THREADS;
    for (int t = 0; t < cfg.n_threads; t++) cfg.threads[t] = t + 1;
    cfg.repeats = 5;
    cfg.weeks = 52;
    cfg.warmup = 0;

    static const struct option opts[] = {
        {"sizes", required_argument, 0, 's'},   {"threads", required_argument, 0, 't'},
        {"repeats", required_argument, 0, 'r'}, {"weeks", required_argument, 0, 'w'},
        {"warmup", required_argument, 0, 'u'},  {"config", required_argument, 0, 'c'},
        {"out", required_argument, 0, 'o'},     {"quiet", no_argument, 0, 'q'},
        {"help", no_argument, 0, 'h'},          {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        long list[B_MAX_THREADS];
        int n;
        switch (ch) {
        case 's':
            n = S_parse_list(optarg, cfg.sizes, B_MAX_SIZES, 100, 200000000L, "--sizes");
            if (n < 0) return 2;
            cfg.n_sizes = n;
            break;
        case 't':
            n = S_parse_list(optarg, list, B_MAX_THREADS, 1, 4096, "--threads");
            if (n < 0) return 2;
            cfg.n_threads = n;
            for (int k = 0; k < n; k++) cfg.threads[k] = (int)list[k];
            break;
        case 'r':
            if (S_parse_int(optarg, 1, B_MAX_REPEATS, "--repeats", &cfg.repeats)) return 2;
            break;
        case 'w':
            if (S_parse_int(optarg, 1, 100000, "--weeks", &cfg.weeks)) return 2;
            break;
        case 'u':
            if (S_parse_int(optarg, 0, 100000, "--warmup", &cfg.warmup)) return 2;
            break;
        case 'c': cfg.scenario = optarg; break;
        case 'o': cfg.out_dir = optarg; break;
        case 'q': cfg.quiet = 1; break;
        case 'h': S_usage(stdout); return 0;
        default: S_usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "placesim-bench: unexpected argument '%s'\n", argv[optind]);
        S_usage(stderr);
        return 2;
    }
    if (S_mkdirs(cfg.out_dir) != 0) {
        fprintf(stderr, "placesim-bench: cannot create %s: %s\n", cfg.out_dir, strerror(errno));
        return 3;
    }
    b_phase_names(&cfg);

    /* results live in shared memory: each size runs in its own child */
    size_t bytes = (size_t)cfg.n_sizes * sizeof(b_size);
    b_size *sizes = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sizes == MAP_FAILED) {
        perror("placesim-bench: mmap");
        return 4;
    }
    memset(sizes, 0, bytes);
    fprintf(stderr, "placesim-bench: %s, %d week%s (+%d warm-up), %d repeat%s, threads",
            cfg.scenario, cfg.weeks, cfg.weeks == 1 ? "" : "s", cfg.warmup, cfg.repeats,
            cfg.repeats == 1 ? "" : "s");
    for (int t = 0; t < cfg.n_threads; t++) fprintf(stderr, "%s%d", t ? "," : " ", cfg.threads[t]);
    fprintf(stderr, " (%d CPU%s available)\n", cpus, cpus == 1 ? "" : "s");
    b_loadavg(cfg.load_before, sizeof cfg.load_before);
    int failures = 0;
    for (int k = 0; k < cfg.n_sizes; k++) {
        b_size *sz = &sizes[k];
        sz->n = cfg.sizes[k];
        sz->floor_bytes = (double)(sizeof(float) + sizeof(uint8_t));
        if (!cfg.quiet) fprintf(stderr, "N = %ld\n", sz->n);
        if (b_run_size(&cfg, sz) != 0) failures++;
        sz->rss_floor_kib = b_floor_rss(sz->n, cfg.weeks, &sz->rss_floor_base_kib);
    }
    b_loadavg(cfg.load_after, sizeof cfg.load_after);
    int rc = b_write_outputs(&cfg, sizes);
    munmap(sizes, bytes);
    if (rc) return 3;
    return failures ? 1 : 0;
}
