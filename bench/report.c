/* Statistics over repeats and the three outputs: bench.csv (one row per
 * size x threads x kernel), bench.md (the table and the headline figures)
 * and bench.svg (throughput against threads and against N, hand-written). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

/* England: adults, and the reported horizon of the target */
#define B_ENGLAND_N 43000000.0
#define B_ENGLAND_WEEKS 260.0

static int S_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double b_median(const double *x, int n)
{
    if (n <= 0) return NAN;
    double tmp[B_MAX_REPEATS];
    memcpy(tmp, x, (size_t)n * sizeof *x);
    qsort(tmp, (size_t)n, sizeof *tmp, S_cmp);
    return n % 2 ? tmp[n / 2] : 0.5 * (tmp[n / 2 - 1] + tmp[n / 2]);
}

double b_min(const double *x, int n)
{
    double m = INFINITY;
    for (int i = 0; i < n; i++) m = x[i] < m ? x[i] : m;
    return n ? m : NAN;
}

double b_max(const double *x, int n)
{
    double m = -INFINITY;
    for (int i = 0; i < n; i++) m = x[i] > m ? x[i] : m;
    return n ? m : NAN;
}

typedef struct S_stat {
    int ok;
    double sec;                       /* median seconds of the timed weeks */
    double cw_med, cw_min, cw_max;   /* citizen-weeks per second */
    double ns_med, ns_min, ns_max;   /* nanoseconds per citizen-week */
    double ratio, eff;               /* to the floor; T1 / (T TT) */
    double cpu_ns, cpu_ratio;        /* process CPU ns per citizen-week */
    double phase[PS_MAX_PHASES], init;
    double serial;                   /* of the phases, outside parallel regions */
} S_stat;

static S_stat S_cell_stat(const b_config *cfg, const b_size *sz, int ti, int kind)
{
    S_stat s;
    memset(&s, 0, sizeof s);
    s.ratio = s.eff = s.cpu_ratio = NAN;
    const b_cell *c = &sz->cell[ti][kind];
    int n = c->done;
    if (n <= 0) return s;
    double cw = (double)sz->n * (double)cfg->weeks;
    s.ok = 1;
    s.sec = b_median(c->seconds, n);
    s.cw_med = cw / s.sec;
    s.cw_min = cw / b_max(c->seconds, n);
    s.cw_max = cw / b_min(c->seconds, n);
    s.ns_med = 1e9 * s.sec / cw;
    s.ns_min = 1e9 * b_min(c->seconds, n) / cw;
    s.ns_max = 1e9 * b_max(c->seconds, n) / cw;
    for (size_t k = 0; k < cfg->n_phases; k++) {
        double v[B_MAX_REPEATS];
        for (int r = 0; r < n; r++) v[r] = c->phases[r][k];
        s.phase[k] = b_median(v, n);
    }
    s.init = b_median(c->init_seconds, n);
    s.serial = b_median(c->serial, n);
    s.cpu_ns = 1e9 * b_median(c->cpu_seconds, n) / cw;
    return s;
}

/* Every statistic of a size, with ratio and efficiency filled in. */
static void S_size_stats(const b_config *cfg, const b_size *sz, S_stat st[][B_KERNELS])
{
    int t1 = -1;
    for (int ti = 0; ti < cfg->n_threads; ti++)
        if (cfg->threads[ti] == 1) t1 = ti;
    for (int ti = 0; ti < cfg->n_threads; ti++)
        for (int k = 0; k < B_KERNELS; k++) st[ti][k] = S_cell_stat(cfg, sz, ti, k);
    for (int ti = 0; ti < cfg->n_threads; ti++) {
        S_stat *m = &st[ti][B_MODEL], *f = &st[ti][B_FLOOR];
        if (m->ok && f->ok) {
            m->ratio = m->ns_med / f->ns_med;
            m->cpu_ratio = m->cpu_ns / f->cpu_ns;
        }
        if (f->ok) f->ratio = f->cpu_ratio = 1;
        for (int k = 0; k < B_KERNELS; k++)
            if (t1 >= 0 && st[t1][k].ok && st[ti][k].ok)
                st[ti][k].eff = st[t1][k].sec / (cfg->threads[ti] * st[ti][k].sec);
    }
}

/* 1 when every thread count of the kernel gave the same observed bits. */
static int S_identical(const b_config *cfg, const b_size *sz, int kind)
{
    int seen = 0;
    uint64_t h = 0;
    for (int ti = 0; ti < cfg->n_threads; ti++) {
        const b_cell *c = &sz->cell[ti][kind];
        if (c->done <= 0) continue;
        if (c->hash_mismatch) return 0;
        if (seen && c->hash != h) return 0;
        h = c->hash;
        seen = 1;
    }
    return seen;
}

static double S_peak_bytes(const b_size *sz, int kind)
{
    long kib = kind == B_MODEL ? sz->rss_model_kib : sz->rss_floor_kib;
    return kib > 0 ? 1024.0 * (double)kib : NAN;
}

static double S_rss_per_citizen(const b_size *sz, int kind)
{
    long peak = kind == B_MODEL ? sz->rss_model_kib : sz->rss_floor_kib;
    long base = kind == B_MODEL ? sz->rss_base_kib : sz->rss_floor_base_kib;
    if (peak <= 0 || base < 0) return NAN;
    return 1024.0 * (double)(peak - base) / (double)sz->n;
}

static void S_num(FILE *fp, double v, const char *fmt_kind)
{
    if (isnan(v)) return; /* an empty CSV field */
    if (strcmp(fmt_kind, "int") == 0) fprintf(fp, "%.0f", v);
    else fprintf(fp, "%.6g", v);
}

static int S_write_csv(const b_config *cfg, const b_size *sizes, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    fputs("N,threads,kernel,repeats,weeks,cw_per_s_median,cw_per_s_min,cw_per_s_max,"
          "ns_per_cw_median,ns_per_cw_min,ns_per_cw_max,ratio_to_floor,efficiency,"
          "cpu_ns_per_cw_median,cpu_ratio_to_floor",
          fp);
    for (size_t k = 0; k < cfg->n_phases; k++) fprintf(fp, ",%s_s", cfg->phase_names[k]);
    fputs(",serial_s,init_s,peak_rss_bytes,rss_bytes_per_citizen,bytes_per_citizen,"
          "actors_links_bytes,identical_across_threads\n",
          fp);
    for (int i = 0; i < cfg->n_sizes; i++) {
        const b_size *sz = &sizes[i];
        S_stat st[B_MAX_THREADS][B_KERNELS];
        S_size_stats(cfg, sz, st);
        for (int ti = 0; ti < cfg->n_threads; ti++)
            for (int k = 0; k < B_KERNELS; k++) {
                const S_stat *s = &st[ti][k];
                if (!s->ok) continue;
                fprintf(fp, "%ld,%d,%s,%d,%d,", sz->n, cfg->threads[ti], b_kernel_names[k],
                        sz->cell[ti][k].done, cfg->weeks);
                S_num(fp, s->cw_med, "g"); fputc(',', fp);
                S_num(fp, s->cw_min, "g"); fputc(',', fp);
                S_num(fp, s->cw_max, "g"); fputc(',', fp);
                S_num(fp, s->ns_med, "g"); fputc(',', fp);
                S_num(fp, s->ns_min, "g"); fputc(',', fp);
                S_num(fp, s->ns_max, "g"); fputc(',', fp);
                S_num(fp, s->ratio, "g"); fputc(',', fp);
                S_num(fp, s->eff, "g"); fputc(',', fp);
                S_num(fp, s->cpu_ns, "g"); fputc(',', fp);
                S_num(fp, s->cpu_ratio, "g");
                for (size_t p = 0; p < cfg->n_phases; p++) {
                    fputc(',', fp);
                    if (k == B_MODEL) S_num(fp, s->phase[p], "g");
                }
                fputc(',', fp);
                if (k == B_MODEL) S_num(fp, s->serial, "g");
                fputc(',', fp);
                S_num(fp, s->init, "g"); fputc(',', fp);
                S_num(fp, S_peak_bytes(sz, k), "int"); fputc(',', fp);
                S_num(fp, S_rss_per_citizen(sz, k), "g"); fputc(',', fp);
                S_num(fp, k == B_MODEL ? sz->citizen_bytes : sz->floor_bytes, "g");
                fputc(',', fp);
                S_num(fp, k == B_MODEL ? sz->fixed_bytes : 0, "int");
                fprintf(fp, ",%s\n", S_identical(cfg, sz, k) ? "yes" : "no");
            }
    }
    return fclose(fp) == 0 ? 0 : -1;
}

/* "1e6" style for round powers of ten, else the number */
static void S_fmt_n(char *buf, size_t size, long n)
{
    double e = log10((double)n);
    if (fabs(e - round(e)) < 1e-12 && n >= 1000) snprintf(buf, size, "1e%.0f", e);
    else snprintf(buf, size, "%ld", n);
}

static void S_fmt_si(char *buf, size_t size, double v)
{
    if (isnan(v)) snprintf(buf, size, "-");
    else if (v >= 1e9) snprintf(buf, size, "%.2fG", v / 1e9);
    else if (v >= 1e6) snprintf(buf, size, "%.2fM", v / 1e6);
    else if (v >= 1e3) snprintf(buf, size, "%.1fk", v / 1e3);
    else snprintf(buf, size, "%.3g", v);
}

/* Index of the size closest to n (in log), or -1. */
static int S_size_near(const b_config *cfg, const b_size *sizes, long n)
{
    int best = -1;
    double bd = INFINITY;
    for (int i = 0; i < cfg->n_sizes; i++) {
        if (sizes[i].failed && sizes[i].cell[0][B_MODEL].done == 0) continue;
        double dd = fabs(log((double)sizes[i].n / (double)n));
        if (dd < bd) {
            bd = dd;
            best = i;
        }
    }
    return best;
}

static int S_thread_index(const b_config *cfg, int t)
{
    for (int ti = 0; ti < cfg->n_threads; ti++)
        if (cfg->threads[ti] == t) return ti;
    return -1;
}

static int S_write_md(const b_config *cfg, const b_size *sizes, const char *path)
{
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    char date[64];
    time_t now = time(NULL);
    strftime(date, sizeof date, "%Y-%m-%d %H:%M %Z", localtime(&now));
    struct utsname un;
    if (uname(&un) != 0) snprintf(un.machine, sizeof un.machine, "?");
    const char *wait = getenv("OMP_WAIT_POLICY");
    fprintf(fp, "Measured %s on %s (%s, %ld CPUs online), scenario %s, %d timed week%s after "
                "%d warm-up, %d repeat%s (median [min, max]); load average %s before, %s "
                "after; OMP_WAIT_POLICY %s.\n\n",
            date, un.nodename, un.machine, sysconf(_SC_NPROCESSORS_ONLN), cfg->scenario,
            cfg->weeks, cfg->weeks == 1 ? "" : "s", cfg->warmup, cfg->repeats,
            cfg->repeats == 1 ? "" : "s", cfg->load_before, cfg->load_after,
            wait ? wait : "unset");
    fputs("| N | threads | kernel | citizen-weeks/s | ns/citizen-week | x floor | efficiency "
          "| CPU ns/cw | x floor (CPU) |", fp);
    for (size_t k = 0; k < cfg->n_phases; k++) fprintf(fp, " %s s |", cfg->phase_names[k]);
    fputs(" serial s | init s | peak RSS MiB | RSS B/citizen |\n|---|---|---|---|---|---|---|---|---|", fp);
    for (size_t k = 0; k < cfg->n_phases; k++) fputs("---|", fp);
    fputs("---|---|---|---|\n", fp);
    for (int i = 0; i < cfg->n_sizes; i++) {
        const b_size *sz = &sizes[i];
        S_stat st[B_MAX_THREADS][B_KERNELS];
        S_size_stats(cfg, sz, st);
        char nb[32];
        S_fmt_n(nb, sizeof nb, sz->n);
        for (int ti = 0; ti < cfg->n_threads; ti++)
            for (int k = 0; k < B_KERNELS; k++) {
                const S_stat *s = &st[ti][k];
                if (!s->ok) continue;
                char a[32], b[32], c[32];
                S_fmt_si(a, sizeof a, s->cw_med);
                S_fmt_si(b, sizeof b, s->cw_min);
                S_fmt_si(c, sizeof c, s->cw_max);
                fprintf(fp, "| %s | %d | %s | %s [%s, %s] | %.2f [%.2f, %.2f] | ", nb,
                        cfg->threads[ti], b_kernel_names[k], a, b, c, s->ns_med, s->ns_min,
                        s->ns_max);
                if (isnan(s->ratio)) fputs("- | ", fp);
                else fprintf(fp, "%.2f | ", s->ratio);
                if (isnan(s->eff)) fputs("- |", fp);
                else fprintf(fp, "%.0f%% |", 100 * s->eff);
                fprintf(fp, " %.2f | %.2f |", s->cpu_ns, s->cpu_ratio);
                for (size_t p = 0; p < cfg->n_phases; p++) {
                    if (k == B_MODEL) fprintf(fp, " %.3f |", s->phase[p]);
                    else fputs(" - |", fp);
                }
                if (k == B_MODEL) fprintf(fp, " %.3f |", s->serial);
                else fputs(" - |", fp);
                double peak = S_peak_bytes(sz, k), per = S_rss_per_citizen(sz, k);
                fprintf(fp, " %.3f | %.1f | %.1f |\n", s->init, peak / 1048576.0, per);
            }
    }

    fputs("\n", fp);
    /* bytes */
    int big = -1;
    for (int i = 0; i < cfg->n_sizes; i++)
        if (sizes[i].citizen_bytes > 0 && sizes[i].rss_model_kib > 0 &&
            (big < 0 || sizes[i].n > sizes[big].n))
            big = i;
    if (big >= 0) {
        const b_size *sz = &sizes[big];
        fprintf(fp, "- Bytes per citizen (model citizen arrays, from the sc_citizens fields): "
                    "%.0f; actors, links and their tables: %.0f bytes in all (%.1f KiB, "
                    "independent of N); floor arrays: %.0f per citizen.\n",
                sz->citizen_bytes, sz->fixed_bytes, sz->fixed_bytes / 1024, sz->floor_bytes);
        fprintf(fp, "- Peak RSS at N=%ld: %.1f MiB, %.1f bytes per citizen above the "
                    "process's start (includes request buffers and allocator slack).\n",
                sz->n, S_peak_bytes(sz, B_MODEL) / 1048576.0, S_rss_per_citizen(sz, B_MODEL));
    }
    /* headline */
    int i6 = S_size_near(cfg, sizes, 1000000), t1 = S_thread_index(cfg, 1),
        t2 = S_thread_index(cfg, 2);
    if (i6 >= 0 && t1 >= 0) {
        S_stat st[B_MAX_THREADS][B_KERNELS];
        S_size_stats(cfg, &sizes[i6], st);
        if (st[t1][B_MODEL].ok && st[t1][B_FLOOR].ok)
            fprintf(fp, "- Headline: at N=%ld on 1 thread the model costs %.2f ns per "
                        "citizen-week (wall clock), %.2fx the floor's %.2f ns; on CPU time "
                        "%.2f ns, %.2fx the floor's %.2f ns.\n",
                    sizes[i6].n, st[t1][B_MODEL].ns_med, st[t1][B_MODEL].ratio,
                    st[t1][B_FLOOR].ns_med, st[t1][B_MODEL].cpu_ns, st[t1][B_MODEL].cpu_ratio,
                    st[t1][B_FLOOR].cpu_ns);
    }
    if (t2 >= 0 && t1 >= 0) {
        fputs("- Parallel efficiency on 2 threads (model / floor):", fp);
        for (int i = 0; i < cfg->n_sizes; i++) {
            S_stat st[B_MAX_THREADS][B_KERNELS];
            S_size_stats(cfg, &sizes[i], st);
            char nb[32];
            S_fmt_n(nb, sizeof nb, sizes[i].n);
            if (st[t2][B_MODEL].ok)
                fprintf(fp, "%s N=%s %.0f%% / %.0f%%", i ? ";" : "", nb,
                        100 * st[t2][B_MODEL].eff, 100 * st[t2][B_FLOOR].eff);
        }
        fputs(".\n", fp);
    }
    if (t1 >= 0) {
        /* the serial share of a one-thread tick and the Amdahl bound it sets */
        fputs("- Serial part of a tick on 1 thread (outside parallel regions), and the "
              "16-thread efficiency it allows by Amdahl's law:", fp);
        for (int i = 0; i < cfg->n_sizes; i++) {
            S_stat st[B_MAX_THREADS][B_KERNELS];
            S_size_stats(cfg, &sizes[i], st);
            const S_stat *s = &st[t1][B_MODEL];
            double total = 0;
            for (size_t p = 0; p < cfg->n_phases; p++) total += s->phase[p];
            if (!s->ok || total <= 0) continue;
            char nb[32];
            S_fmt_n(nb, sizeof nb, sizes[i].n);
            double s1 = s->serial / total;
            fprintf(fp, "%s N=%s %.2f%% (at most %.0f%%)", i ? ";" : "", nb, 100 * s1,
                    100 / (16 * s1 + 1 - s1));
        }
        fputs(".\n", fp);
    }
    fputs("- Observed metrics byte-identical across thread counts (FNV-1a of every row):", fp);
    for (int i = 0; i < cfg->n_sizes; i++) {
        char nb[32];
        S_fmt_n(nb, sizeof nb, sizes[i].n);
        fprintf(fp, "%s N=%s %s", i ? ";" : "", nb,
                S_identical(cfg, &sizes[i], B_MODEL) ? "yes" : "no");
    }
    fputs(".\n", fp);
    /* England estimate from the largest size on the most threads up to 2 */
    if (big >= 0) {
        int tb = t2 >= 0 ? t2 : t1;
        S_stat st[B_MAX_THREADS][B_KERNELS];
        S_size_stats(cfg, &sizes[big], st);
        if (tb >= 0 && st[tb][B_MODEL].ok) {
            const b_size *sz = &sizes[big];
            double secs = B_ENGLAND_N * B_ENGLAND_WEEKS / st[tb][B_MODEL].cw_med;
            double init = st[tb][B_MODEL].init * B_ENGLAND_N / (double)sz->n;
            double mem_arrays = B_ENGLAND_N * sz->citizen_bytes + sz->fixed_bytes;
            double mem_rss = B_ENGLAND_N * S_rss_per_citizen(sz, B_MODEL) +
                             1024.0 * (double)sz->rss_base_kib;
            fprintf(fp, "- England estimate (43,000,000 citizens x 260 weeks, from N=%ld on "
                        "%d thread%s, not run): %.0f s stepping (%.1f min) + %.0f s creating "
                        "the population; memory %.2f GiB of citizen arrays, %.2f GiB peak RSS "
                        "scaled from the measured bytes per citizen. A 104-week warm-up (as in "
                        "coventry.cfg) would add %.0f s.\n",
                    sz->n, cfg->threads[tb], cfg->threads[tb] == 1 ? "" : "s", secs, secs / 60,
                    init, mem_arrays / 1073741824.0, mem_rss / 1073741824.0,
                    secs * 104.0 / B_ENGLAND_WEEKS);
        }
        if (t1 >= 0 && st[t1][B_MODEL].ok) {
            /* what two unshared cores would give: CPU time on one thread,
             * halved (perfect scaling), and scaled by the measured 2-thread
             * efficiency where there is one */
            double ns1 = st[t1][B_MODEL].cpu_ns;
            double best = B_ENGLAND_N * B_ENGLAND_WEEKS * ns1 * 1e-9 / 2;
            fprintf(fp, "- England estimate from CPU time (load-independent): 1 thread at %.2f "
                        "CPU ns per citizen-week is %.0f s on one core; on two cores %.0f s "
                        "(%.1f min) with perfect scaling",
                    ns1, 2 * best, best, best / 60);
            if (t2 >= 0 && st[t2][B_MODEL].ok && st[t2][B_MODEL].eff > 0)
                fprintf(fp, ", %.0f s at the measured %.0f%% efficiency", best / st[t2][B_MODEL].eff,
                        100 * st[t2][B_MODEL].eff);
            fputs(".\n", fp);
        }
    }
    return fclose(fp) == 0 ? 0 : -1;
}

/* ---- SVG ---------------------------------------------------------------- */

static const char *const S_colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                        "#ff7f0e", "#8c564b", "#e377c2", "#17becf"};
#define S_NCOL (sizeof S_colours / sizeof *S_colours)

typedef struct S_panel {
    double x0, y0, w, h;       /* plot area in pixels */
    double xmin, xmax, ymin, ymax; /* data range (log10 where log) */
    int xlog;
} S_panel;

static double S_px(const S_panel *p, double x)
{
    double v = p->xlog ? log10(x) : x;
    return p->x0 + (v - p->xmin) / (p->xmax - p->xmin) * p->w;
}

static double S_py(const S_panel *p, double y)
{
    return p->y0 + p->h - (log10(y) - p->ymin) / (p->ymax - p->ymin) * p->h;
}

static void S_axes(FILE *fp, const S_panel *p, const char *title, const char *xlabel,
                   const b_config *cfg, const b_size *sizes)
{
    fprintf(fp, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" "
                "stroke=\"#333\"/>\n",
            p->x0, p->y0, p->w, p->h);
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-weight=\"bold\">%s</text>\n",
            p->x0 + p->w / 2, p->y0 - 12, title);
    /* y: decades */
    for (int e = (int)p->ymin; e <= (int)p->ymax; e++) {
        double y = S_py(p, pow(10, e));
        fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                p->x0, y, p->x0 + p->w, y);
        fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">10<tspan dy=\"-6\" "
                    "font-size=\"9\">%d</tspan></text>\n",
                p->x0 - 6, y + 4, e);
    }
    fprintf(fp, "<text transform=\"translate(%.1f,%.1f) rotate(-90)\" text-anchor=\"middle\">"
                "throughput (citizen-weeks per second, log scale)</text>\n",
            p->x0 - 48, p->y0 + p->h / 2);
    /* x */
    if (p->xlog) {
        for (int i = 0; i < cfg->n_sizes; i++) {
            double x = S_px(p, (double)sizes[i].n);
            char nb[32];
            S_fmt_n(nb, sizeof nb, sizes[i].n);
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    x, p->y0, x, p->y0 + p->h);
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
                    p->y0 + p->h + 16, nb);
        }
    } else {
        for (int ti = 0; ti < cfg->n_threads; ti++) {
            double x = S_px(p, cfg->threads[ti]);
            fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                    x, p->y0, x, p->y0 + p->h);
            fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%d</text>\n", x,
                    p->y0 + p->h + 16, cfg->threads[ti]);
        }
    }
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n",
            p->x0 + p->w / 2, p->y0 + p->h + 36, xlabel);
}

static void S_point(FILE *fp, const S_panel *p, double x, const S_stat *s, const char *col)
{
    double px = S_px(p, x);
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>\n", px,
            S_py(p, s->cw_min), px, S_py(p, s->cw_max), col);
    fprintf(fp, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n", px, S_py(p, s->cw_med),
            col);
}

static void S_legend(FILE *fp, double x, double y, const char *col, int dashed, const char *text)
{
    fprintf(fp, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"2\"%s/>\n",
            x, y - 4, x + 24, y - 4, col, dashed ? " stroke-dasharray=\"6,4\"" : "");
    fprintf(fp, "<text x=\"%.1f\" y=\"%.1f\">%s</text>\n", x + 30, y, text);
}

static int S_write_svg(const b_config *cfg, const b_size *sizes, const char *path)
{
    /* all statistics, and the y range over every median, min and max */
    static S_stat st[B_MAX_SIZES][B_MAX_THREADS][B_KERNELS];
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < cfg->n_sizes; i++) {
        S_size_stats(cfg, &sizes[i], st[i]);
        for (int ti = 0; ti < cfg->n_threads; ti++)
            for (int k = 0; k < B_KERNELS; k++)
                if (st[i][ti][k].ok) {
                    lo = fmin(lo, st[i][ti][k].cw_min);
                    hi = fmax(hi, st[i][ti][k].cw_max);
                }
    }
    FILE *fp = fopen(path, "w");
    if (!fp) return -1;
    const double W = 1100, H = 560;
    fprintf(fp, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                "viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H);
    fputs("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n", fp);
    if (!(lo < hi)) {
        fputs("<text x=\"20\" y=\"40\">no measurements</text>\n</svg>\n", fp);
        return fclose(fp) == 0 ? 0 : -1;
    }
    double ymin = floor(log10(lo)), ymax = ceil(log10(hi));
    if (ymax <= ymin) ymax = ymin + 1;
    int tmin = cfg->threads[0], tmax = cfg->threads[0];
    for (int ti = 0; ti < cfg->n_threads; ti++) {
        tmin = cfg->threads[ti] < tmin ? cfg->threads[ti] : tmin;
        tmax = cfg->threads[ti] > tmax ? cfg->threads[ti] : tmax;
    }
    long nmin = sizes[0].n, nmax = sizes[0].n;
    for (int i = 0; i < cfg->n_sizes; i++) {
        nmin = sizes[i].n < nmin ? sizes[i].n : nmin;
        nmax = sizes[i].n > nmax ? sizes[i].n : nmax;
    }
    S_panel a = {80, 50, 400, 380, tmin - 0.3, tmax + 0.3, ymin, ymax, 0};
    S_panel b = {620, 50, 400, 380, log10((double)nmin) - 0.25, log10((double)nmax) + 0.25,
                 ymin, ymax, 1};
    S_axes(fp, &a, "Throughput against threads (one line per N)", "OpenMP threads", cfg, sizes);
    S_axes(fp, &b, "Throughput against N (one line per thread count)",
           "population N (citizens, log scale)", cfg, sizes);

    /* panel a: x threads, a line per size and kernel */
    for (int i = 0; i < cfg->n_sizes; i++)
        for (int k = 0; k < B_KERNELS; k++) {
            const char *col = S_colours[(size_t)i % S_NCOL];
            fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", col,
                    k == B_FLOOR ? " stroke-dasharray=\"6,4\"" : "");
            for (int ti = 0; ti < cfg->n_threads; ti++)
                if (st[i][ti][k].ok)
                    fprintf(fp, "%.1f,%.1f ", S_px(&a, cfg->threads[ti]),
                            S_py(&a, st[i][ti][k].cw_med));
            fputs("\"/>\n", fp);
            for (int ti = 0; ti < cfg->n_threads; ti++)
                if (st[i][ti][k].ok) S_point(fp, &a, cfg->threads[ti], &st[i][ti][k], col);
        }
    /* panel b: x N, a line per thread count and kernel */
    for (int ti = 0; ti < cfg->n_threads; ti++)
        for (int k = 0; k < B_KERNELS; k++) {
            const char *col = S_colours[(size_t)ti % S_NCOL];
            fprintf(fp, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", col,
                    k == B_FLOOR ? " stroke-dasharray=\"6,4\"" : "");
            for (int i = 0; i < cfg->n_sizes; i++)
                if (st[i][ti][k].ok)
                    fprintf(fp, "%.1f,%.1f ", S_px(&b, (double)sizes[i].n),
                            S_py(&b, st[i][ti][k].cw_med));
            fputs("\"/>\n", fp);
            for (int i = 0; i < cfg->n_sizes; i++)
                if (st[i][ti][k].ok) S_point(fp, &b, (double)sizes[i].n, &st[i][ti][k], col);
        }
    /* legends under the panels */
    double ly = 515;
    for (int i = 0; i < cfg->n_sizes; i++) {
        char nb[32], text[64];
        S_fmt_n(nb, sizeof nb, sizes[i].n);
        snprintf(text, sizeof text, "N=%s", nb);
        S_legend(fp, a.x0 + (double)(i % 4) * 100, ly + (double)(i / 4) * 16,
                 S_colours[(size_t)i % S_NCOL], 0, text);
    }
    for (int ti = 0; ti < cfg->n_threads; ti++) {
        char text[64];
        snprintf(text, sizeof text, "%d thread%s", cfg->threads[ti],
                 cfg->threads[ti] == 1 ? "" : "s");
        S_legend(fp, b.x0 + (double)(ti % 4) * 100, ly + (double)(ti / 4) * 16,
                 S_colours[(size_t)ti % S_NCOL], 0, text);
    }
    S_legend(fp, a.x0, 495, "#333", 0, "model (solid)");
    S_legend(fp, a.x0 + 160, 495, "#333", 1, "floor kernel (dashed)");
    fprintf(fp, "<text x=\"%.1f\" y=\"495\">dots: median of %d repeats; bars: min to max</text>\n",
            b.x0, cfg->repeats);
    fputs("</svg>\n", fp);
    return fclose(fp) == 0 ? 0 : -1;
}

int b_write_outputs(const b_config *cfg, const b_size *sizes)
{
    char path[1200];
    int rc = 0;
    snprintf(path, sizeof path, "%s/bench.csv", cfg->out_dir);
    if (S_write_csv(cfg, sizes, path) != 0) {
        perror(path);
        rc = -1;
    }
    snprintf(path, sizeof path, "%s/bench.md", cfg->out_dir);
    if (S_write_md(cfg, sizes, path) != 0) {
        perror(path);
        rc = -1;
    } else {
        FILE *fp = fopen(path, "r");
        char buf[4096];
        size_t n;
        while (fp && (n = fread(buf, 1, sizeof buf, fp)) > 0) fwrite(buf, 1, n, stdout);
        if (fp) fclose(fp);
    }
    snprintf(path, sizeof path, "%s/bench.svg", cfg->out_dir);
    if (S_write_svg(cfg, sizes, path) != 0) {
        perror(path);
        rc = -1;
    }
    fprintf(stderr, "placesim-bench: wrote %s/bench.csv, bench.md and bench.svg\n", cfg->out_dir);
    return rc;
}
