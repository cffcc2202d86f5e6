/* A run below the place's size stands for the place, or says it does not:
 * the flagship's steady-state shares at the smallest size the model
 * allows agree with the full size within their intervals, and a smaller
 * run warns (docs/model.md, section 2.6). */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "stats.h"
#include "support.h"
#include "systems_change.h"

static char S_tmp[256];

static void S_mktmp(void) { tp_mktmp(S_tmp, sizeof S_tmp, "scale"); }

static void S_rmtmp(void) { tp_rmtmp(S_tmp); }

#define S_MAX_REPS 16
static const char *const S_shares[] = {"unmet_share_of_needs", "weeks_to_first_support",
                                       "trust_density", "prevalence_1plus", "prevalence_2plus",
                                       "prevalence_3plus"};
enum { S_N = sizeof S_shares / sizeof *S_shares };

/* Each replication's mean over the reported weeks 1..W of each share. */
static size_t S_means(const char *series, double means[S_N][S_MAX_REPS])
{
    FILE *fp = fopen(series, "r");
    cr_assert_not_null(fp, "%s", series);
    static char line[1 << 16];
    cr_assert_not_null(fgets(line, sizeof line, fp));
    int col[S_N];
    for (int k = 0; k < S_N; k++) col[k] = -1;
    int c = 0;
    for (char *tok = strtok(line, ",\n"); tok; tok = strtok(NULL, ",\n"), c++)
        for (int k = 0; k < S_N; k++)
            if (strcmp(tok, S_shares[k]) == 0) col[k] = c;
    for (int k = 0; k < S_N; k++) cr_assert_geq(col[k], 0, "no column %s", S_shares[k]);
    double sum[S_N][S_MAX_REPS] = {{0}};
    int n[S_N][S_MAX_REPS] = {{0}};
    size_t reps = 0;
    while (fgets(line, sizeof line, fp)) {
        char *f[512];
        int nf = 0;
        for (char *p = line; p && nf < 512;) {
            f[nf++] = p;
            p = strchr(p, ',');
            if (p) *p++ = '\0';
        }
        int rep = atoi(f[0]), week = atoi(f[1]);
        if (week == 0 || rep >= S_MAX_REPS) continue;
        if ((size_t)rep + 1 > reps) reps = (size_t)rep + 1;
        for (int k = 0; k < S_N; k++) {
            double v = atof(f[col[k]]);
            if (isnan(v)) continue;
            sum[k][rep] += v;
            n[k][rep]++;
        }
    }
    fclose(fp);
    for (int k = 0; k < S_N; k++)
        for (size_t r = 0; r < reps; r++) means[k][r] = n[k][r] ? sum[k][r] / n[k][r] : NAN;
    return reps;
}

static int S_run(const char *args, const char *out)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && OMP_WAIT_POLICY=passive PLACESIM_CACHE='%s/cache' '%s' run "
             "configs/coventry.cfg %s --quiet --overwrite --out '%s/%s' > /dev/null 2> '%s/%s.err'",
             PLACESIM_SOURCE_DIR, S_tmp, PLACESIM_BINARY, args, S_tmp, out, S_tmp, out);
    return tp_shell(cmd);
}

Test(scale, the_smallest_size_stands_for_the_place_and_smaller_warns, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 1200)
{
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", NULL, 0), 0);
    long smallest = sc_model_type.smallest_population(tp.place);
    tp_free(&tp);
    cr_assert(smallest > 20000 && smallest < 270000, "smallest %ld", smallest);
    char args[256], path[512], err[4096];
    cr_assert_eq(S_run("--reps 2", "full"), 0);
    snprintf(args, sizeof args, "--reps 6 --set population.size=%ld", smallest);
    cr_assert_eq(S_run(args, "small"), 0);
    snprintf(path, sizeof path, "%s/small.err", S_tmp);
    tp_read_text(path, err, sizeof err);
    cr_expect_null(strstr(err, "WARNING"), "no warning at the smallest size: %s", err);
    double full[S_N][S_MAX_REPS], small[S_N][S_MAX_REPS];
    snprintf(path, sizeof path, "%s/full/series.csv", S_tmp);
    size_t nf = S_means(path, full);
    snprintf(path, sizeof path, "%s/small/series.csv", S_tmp);
    size_t ns = S_means(path, small);
    cr_assert_eq(nf, 2);
    cr_assert_eq(ns, 6);
    for (int k = 0; k < S_N; k++) {
        ps_interval a = ps_mean_ci(full[k], nf), b = ps_mean_ci(small[k], ns);
        fprintf(stderr, "scale: %-24s full %.5f [%.5f, %.5f]  at %ld adults %.5f [%.5f, %.5f]\n",
                S_shares[k], a.mean, a.lo, a.hi, smallest, b.mean, b.lo, b.hi);
        cr_expect(a.lo <= b.hi && b.lo <= a.hi, "%s: the intervals do not overlap", S_shares[k]);
    }
    /* a quarter of that size: a warning that names the smallest size */
    snprintf(args, sizeof args, "--reps 1 --set population.size=%ld --set run.weeks=10 "
                                "--set 'run.summary_weeks=[10]'", smallest / 4);
    cr_assert_eq(S_run(args, "tiny"), 0);
    snprintf(path, sizeof path, "%s/tiny.err", S_tmp);
    tp_read_text(path, err, sizeof err);
    char want[64];
    snprintf(want, sizeof want, "population.size=%ld", smallest);
    cr_expect(strstr(err, "WARNING") && strstr(err, want), "%s", err);
}
