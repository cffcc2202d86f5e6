/* placesim sweep: the sweep files (a malformed corpus in
 * tests/data/bad/sweeps/), the designs, runs equal to the same run done
 * alone, results independent of the thread count (and of MPI ranks), a
 * sweep killed with SIGKILL and resumed giving exactly the rows of an
 * uninterrupted one, failed runs reported and recorded, and the report. */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"
#include "support.h"
#include "sweep.h"
#include "systems_change.h"
#include "testfns.h"

#define BAD_DIR "tests/data/bad/sweeps"
#define VALID "tests/data/sweeps/valid.cfg"

static void S_sweep(const char *const *args, tp_output *r)
{
    const char *all[32] = {"sweep"};
    size_t n = 1;
    for (size_t i = 0; args[i] && n < 31; i++) all[n++] = args[i];
    all[n] = NULL;
    tp_exec(PLACESIM_BINARY, all, r);
}

static void S_tmpdir(char *dir, size_t size, const char *what)
{
    snprintf(dir, size, "/tmp/placesim-%s-XXXXXX", what);
    cr_assert_not_null(mkdtemp(dir));
}

static void S_rmdir(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    tp_shell(cmd);
}

static int S_count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return -1;
    int n = 0, c;
    while ((c = fgetc(fp)) != EOF) n += c == '\n';
    fclose(fp);
    return n;
}

/* Writes text to path. */
static void S_write(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp, "cannot write %s", path);
    fputs(text, fp);
    fclose(fp);
}

/* ---- the malformed corpus ------------------------------------------------- */

/* The first problem each file must report: the file it names (relative to
 * BAD_DIR; NULL: the sweep file itself), its line (0: the file as a whole,
 * for a missing key), the setting, a part of the message, the exit status. */
typedef struct bad_case {
    const char *file, *names;
    int line;
    const char *setting, *detail;
    int status;
} bad_case;

static const bad_case S_bad[] = {
    {"syntax_error.cfg", NULL, 6, NULL, "syntax error", 2},
    {"unknown_key.cfg", NULL, 7, "replicatons", "did you mean 'replications'?", 2},
    {"design_unknown.cfg", NULL, 5, "design", "did you mean 'sobol'?", 2},
    {"design_missing.cfg", NULL, 0, "design", "missing", 2},
    {"samples_missing.cfg", NULL, 0, "samples", "required setting is missing", 2},
    {"samples_zero.cfg", NULL, 6, "samples", "out of range", 2},
    {"samples_for_factorial.cfg", NULL, 6, "samples", "takes no 'samples'", 2},
    {"replications_zero.cfg", NULL, 7, "replications", "out of range", 2},
    {"seed_negative.cfg", NULL, 8, "seed", "out of range", 2},
    {"seeds_unknown.cfg", NULL, 9, "seeds", "did you mean 'per_point'?", 2},
    {"morris_levels_odd.cfg", NULL, 6, "morris_levels", "must be even", 2},
    {"scenario_missing.cfg", NULL, 0, "scenario", "required setting is missing", 2},
    {"scenario_not_found.cfg", NULL, 3, "scenario", "cannot read", 2},
    {"scenario_is_directory.cfg", NULL, 3, "scenario", "it is a directory", 2},
    {"set_bad_override.cfg", NULL, 4, "set: population.size", "out of range", 2},
    {"set_not_assignment.cfg", NULL, 4, "set.[0]", "expected \"path=value\"", 2},
    {"factors_missing.cfg", NULL, 0, "factors", "missing", 2},
    {"factors_empty.cfg", NULL, 9, "factors", "at least one factor", 2},
    {"factor_unknown_path.cfg", NULL, 10, "factors.[0].path", "did you mean 'trust.alpha'?", 2},
    {"factor_selector_nothing.cfg", NULL, 11, "factors.[1].path", "'[kind=charity]' names nothing", 2},
    {"factor_actor_misspelt.cfg", NULL, 11, "factors.[1].path", "did you mean 'police'?", 2},
    {"factor_not_number.cfg", NULL, 11, "factors.[1].path", "is not a number", 2},
    {"factor_min_above_max.cfg", NULL, 10, "factors.[0].max", "must be above min", 2},
    {"factor_loguniform_zero.cfg", NULL, 10, "factors.[0].min", "needs min above 0", 2},
    {"factor_normal_sd_zero.cfg", NULL, 10, "factors.[0].sd", "must be above 0", 2},
    {"factor_normal_with_min.cfg", NULL, 10, "factors.[0].min", "takes 'mean' and 'sd'", 2},
    {"factor_discrete_one_level.cfg", NULL, 10, "factors.[0].levels", "at least two levels", 2},
    {"factor_levels_text.cfg", NULL, 10, "factors.[0].levels.[0]", "expected a number", 2},
    {"factor_op_unknown.cfg", NULL, 11, "factors.[1].op", "'multiply' is not one of", 2},
    {"factor_duplicate_name.cfg", NULL, 11, "factors.[1].name", "named twice", 2},
    {"factor_missing_path.cfg", NULL, 10, "factors.[0].path", "required setting is missing", 2},
    {"factor_unknown_key.cfg", NULL, 10, "factors.[0].maxi", "did you mean 'max'?", 2},
    {"factor_huge.cfg", NULL, 10, "factors.[0].max", "finite", 2},
    {"metrics_missing.cfg", NULL, 0, "metrics", "missing", 2},
    {"metric_unknown.cfg", NULL, 14, "metrics.[0].metric", "did you mean 'wellbeing_with_needs'?", 2},
    {"metric_unknown_far.cfg", NULL, 14, "metrics.[0].metric", "unknown metric 'happiness_index' (placesim metrics", 2},
    {"metric_week_after_horizon.cfg", NULL, 15, "metrics.[1].week", "after the horizon", 2},
    {"metric_week_and_range.cfg", NULL, 15, "metrics.[1]", "either 'week' or 'from' and 'to'", 2},
    {"metric_range_reversed.cfg", NULL, 15, "metrics.[1].to", "must not be before 'from'", 2},
    {"metric_duplicate.cfg", NULL, 15, "metrics.[1]", "appears twice", 2},
    {"matrix_without_design.cfg", NULL, 9, "matrix", "goes with design = \"matrix\"", 2},
    {"matrix_missing.cfg", NULL, 0, "matrix", "required setting is missing", 2},
    {"matrix_bad_value.cfg", "bad_value.csv", 3, "statutory capacity", "expected a finite number, got 'abc'", 2},
    {"matrix_unknown_column.cfg", "unknown_column.csv", 1, "trust sped", "did you mean 'trust speed'?", 2},
    {"matrix_short_row.cfg", "short_row.csv", 3, NULL, "expected 2 values (one per factor), got 1", 2},
};
#define N_BAD (sizeof S_bad / sizeof *S_bad)

ParameterizedTestParameters(bad_sweep, reports_file_line_and_setting)
{
    static int idx[N_BAD];
    for (size_t i = 0; i < N_BAD; i++) idx[i] = (int)i;
    return cr_make_param_array(int, idx, N_BAD);
}

ParameterizedTest(int *i, bad_sweep, reports_file_line_and_setting)
{
    const bad_case *c = &S_bad[*i];
    char path[256], names[256], out[] = "/tmp/placesim-badsweep-XXXXXX";
    cr_assert_not_null(mkdtemp(out));
    snprintf(path, sizeof path, BAD_DIR "/%s", c->file);
    snprintf(names, sizeof names, BAD_DIR "/%s", c->names ? c->names : c->file);
    tp_output r;
    S_sweep((const char *const[]){path, "--out", out, "--overwrite", NULL}, &r);
    cr_expect_eq(r.status, c->status, "%s: exit status %d, expected %d\n%s", c->file, r.status,
                 c->status, r.err);
    /* the first report: "FILE:LINE: setting: message", or "FILE: setting:
     * message" for a key missing from the file as a whole */
    char first[1024], want[1024];
    snprintf(first, sizeof first, "%.*s", (int)strcspn(r.err, "\n"), r.err);
    if (c->line) snprintf(want, sizeof want, "%s:%d: ", names, c->line);
    else snprintf(want, sizeof want, "%s: ", names);
    cr_expect(strncmp(first, want, strlen(want)) == 0, "%s: expected '%s...' in '%s'", c->file,
              want, first);
    if (c->setting) {
        snprintf(want, sizeof want, ": %s: ", c->setting);
        cr_expect(strstr(first, want) != NULL, "%s: expected the setting '%s' in '%s'", c->file,
                  c->setting, first);
    }
    cr_expect(strstr(first, c->detail) != NULL, "%s: expected '%s' in '%s'", c->file, c->detail,
              first);
    /* nothing was run, so nothing looks like a result */
    char runs[400];
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    cr_expect_neq(access(runs, F_OK), 0, "%s: runs.csv was written", c->file);
    S_rmdir(out);
}

/* Every sweep file in the folder has its expectation, and says on its first
 * line what is wrong with it. */
Test(bad_sweep, every_file_is_in_the_table)
{
    DIR *dir = opendir(BAD_DIR);
    cr_assert_not_null(dir, "cannot open " BAD_DIR);
    int seen[N_BAD] = {0}, files = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0) continue;
        files++;
        size_t k = 0;
        while (k < N_BAD && strcmp(S_bad[k].file, e->d_name) != 0) k++;
        cr_expect(k < N_BAD, "%s is not in the table of test_sweep.c", e->d_name);
        if (k < N_BAD) seen[k]++;
        char path[512], head[8] = "";
        snprintf(path, sizeof path, BAD_DIR "/%s", e->d_name);
        FILE *f = fopen(path, "r");
        cr_assert_not_null(f);
        cr_expect(fgets(head, sizeof head, f) && strncmp(head, "# BAD:", 6) == 0,
                  "%s: the first line must be '# BAD: what is wrong'", e->d_name);
        fclose(f);
    }
    closedir(dir);
    for (size_t k = 0; k < N_BAD; k++)
        cr_expect_eq(seen[k], 1, "%s is in the table but not in " BAD_DIR, S_bad[k].file);
    cr_expect_geq(files, 40, "only %d malformed sweep files", files);
}

/* ---- designs -------------------------------------------------------------- */

/* Opens and prepares the sweep in text (written to a file in dir). */
static void S_prepare_text(const char *dir, const char *text, ps_sweep *sw, ps_diag *d)
{
    char path[400];
    snprintf(path, sizeof path, "%s/sweep.cfg", dir);
    S_write(path, text);
    ps_diag_init(d);
    cr_assert_eq(ps_sweep_open(sw, path, d), 0, "open: %s", d->count ? d->entries[0].message : "");
    cr_assert_eq(ps_sweep_prepare(sw, &sc_model_type, d), 0, "prepare: %s: %s",
                 d->count ? d->entries[0].setting : "", d->count ? d->entries[0].message : "");
}

#define SWEEP_HEAD                                                                      \
    "scenario = \"" PLACESIM_SOURCE_DIR "/tests/data/small.cfg\";\n"                     \
    "metrics = ( { metric = \"wellbeing_with_needs\"; } );\n"

Test(design, full_factorial_has_every_combination_once)
{
    char dir[64];
    S_tmpdir(dir, sizeof dir, "design");
    ps_sweep sw;
    ps_diag d;
    S_prepare_text(dir,
                   SWEEP_HEAD "design = \"factorial\"; factorial_levels = 3;\n"
                   "factors = ( { name = \"a\"; path = \"trust.alpha\"; min = 0.1; max = 0.3; },\n"
                   "  { name = \"b\"; path = \"switches.single_front_door\"; levels = [0, 1]; },\n"
                   "  { name = \"c\"; path = \"leadership.lambda_G\"; distribution = \"loguniform\";"
                   " min = 1.0; max = 100.0; } );\n",
                   &sw, &d);
    cr_assert_eq(sw.n_points, 18);
    int seen[3][2][3] = {{{0}}};
    for (size_t p = 0; p < sw.n_points; p++) {
        double a = sw.x[p * 3], b = sw.x[p * 3 + 1], c = sw.x[p * 3 + 2];
        int ia = (int)lround((a - 0.1) / 0.1), ib = (int)b, ic = (int)lround(log10(c));
        cr_assert(ia >= 0 && ia < 3 && ib >= 0 && ib < 2 && ic >= 0 && ic < 3,
                  "point %zu: %g %g %g", p, a, b, c);
        cr_expect(fabs(c - pow(10, ic)) < 1e-9 * c, "log-spaced levels: %g", c);
        seen[ia][ib][ic]++;
    }
    for (int i = 0; i < 18; i++) cr_expect_eq((&seen[0][0][0])[i], 1);
    /* a boolean parameter is written as a boolean */
    char **sets;
    long n = ps_sweep_run_sets(&sw, 1, &sets);
    cr_assert_geq(n, 3);
    cr_expect_str_eq(sets[1], "switches.single_front_door=false");
    ps_sweep_free_sets(sets, (size_t)n);
    ps_sweep_close(&sw);
    S_rmdir(dir);
}

Test(design, sampling_designs_stay_in_range_and_say_what_they_did)
{
    char dir[64];
    S_tmpdir(dir, sizeof dir, "design");
    ps_sweep sw;
    ps_diag d;
    /* Saltelli with a sample size that is not a power of two: warned */
    S_prepare_text(dir,
                   SWEEP_HEAD "design = \"saltelli\"; samples = 12;\n"
                   "factors = ( { name = \"a\"; path = \"trust.alpha\"; min = 0.1; max = 0.3; },\n"
                   "  { name = \"n\"; path = \"leadership.lambda_G\"; distribution = \"normal\";"
                   " mean = 3.0; sd = 0.5; } );\n",
                   &sw, &d);
    cr_expect_eq(sw.n_points, 12 * 4);
    cr_expect_eq(sw.n_notes, 1);
    cr_expect(strstr(sw.notes[0], "not a power of two") != NULL, "%s", sw.notes[0]);
    for (size_t p = 0; p < sw.n_points; p++) {
        cr_expect(sw.x[p * 2] >= 0.1 && sw.x[p * 2] <= 0.3);
        /* normal factors stay within the 0.1 % and 99.9 % quantiles */
        cr_expect(fabs(sw.x[p * 2 + 1] - 3.0) <= 0.5 * 3.0903 + 1e-9, "%g", sw.x[p * 2 + 1]);
    }
    /* A_B^i: A's row with column i from B's */
    for (size_t j = 0; j < 12; j++) {
        cr_expect_eq(sw.x[(2 * 12 + j) * 2], sw.x[(12 + j) * 2]);
        cr_expect_eq(sw.x[(2 * 12 + j) * 2 + 1], sw.x[j * 2 + 1]);
    }
    ps_sweep_close(&sw);

    /* 21 factors: the Saltelli scheme needs 42 dimensions, beyond Sobol's 40 */
    char text[8192];
    size_t len = (size_t)snprintf(text, sizeof text, SWEEP_HEAD "design = \"saltelli\"; "
                                                                "samples = 8;\nfactors = (\n");
    for (int i = 0; i < 21; i++)
        len += (size_t)snprintf(text + len, sizeof text - len,
                                "%s{ name = \"f%d\"; path = \"actors.[%d].capacity\"; op = \"scale\";"
                                " min = 0.9; max = 1.1; }\n",
                                i ? "," : "", i, i % 5);
    snprintf(text + len, sizeof text - len, ");\n");
    S_prepare_text(dir, text, &sw, &d);
    cr_expect_eq(sw.fallback, 1);
    cr_expect(sw.n_notes == 1 && strstr(sw.notes[0], "Latin hypercube"), "%s", sw.notes[0]);
    cr_expect_eq(sw.n_points, 8 * 23);
    ps_sweep_close(&sw);
    S_rmdir(dir);
}

Test(design, a_matrix_gives_its_rows_in_any_column_order)
{
    char dir[64], path[200];
    S_tmpdir(dir, sizeof dir, "design");
    snprintf(path, sizeof path, "%s/points.csv", dir);
    S_write(path, "# two points\nb,a\n2.5,0.15\n\n4,0.25\n");
    ps_sweep sw;
    ps_diag d;
    S_prepare_text(dir,
                   SWEEP_HEAD "design = \"matrix\"; matrix = \"points.csv\";\n"
                   "factors = ( { name = \"a\"; path = \"trust.alpha\"; },\n"
                   "  { name = \"b\"; path = \"leadership.lambda_G\"; } );\n",
                   &sw, &d);
    cr_assert_eq(sw.n_points, 2);
    cr_expect_eq(sw.x[0], 0.15);
    cr_expect_eq(sw.x[1], 2.5);
    cr_expect_eq(sw.x[2], 0.25);
    cr_expect_eq(sw.x[3], 4.0);
    ps_sweep_close(&sw);
    S_rmdir(dir);
}

/* The sweep's Saltelli points and its analysis recover the analytic indices
 * of the Ishigami function (a = 7, b = 0.1), with factors on [0, 1]. */
Test(design, saltelli_sweep_recovers_the_ishigami_indices)
{
    char dir[64];
    S_tmpdir(dir, sizeof dir, "ishigami");
    ps_sweep sw;
    ps_diag d;
    S_prepare_text(dir,
                   SWEEP_HEAD "design = \"saltelli\"; samples = 8192; bootstrap = 0;\n"
                   "factors = ( { name = \"x1\"; path = \"trust.alpha\"; min = 0.0; max = 1.0; },\n"
                   "  { name = \"x2\"; path = \"trust.omega\"; min = 0.0; max = 1.0; },\n"
                   "  { name = \"x3\"; path = \"trust.delta\"; min = 0.0; max = 1.0; } );\n",
                   &sw, &d);
    cr_assert_eq(sw.n_notes, 0, "%s", sw.notes[0]);
    double *y = malloc(sw.n_points * sizeof *y);
    cr_assert_not_null(y);
    for (size_t p = 0; p < sw.n_points; p++) y[p] = testfn_ishigami(sw.x + p * 3, 7, 0.1);
    ps_sweep_analysis a;
    cr_assert_eq(ps_sweep_analyse(&sw, y, &a, &d), 0);
    /* ranked by the total index: x1, x2, x3 */
    static const double S[3] = {0.3139, 0.4424, 0.0}, ST[3] = {0.5576, 0.4424, 0.2437};
    static const size_t order[3] = {0, 1, 2};
    for (size_t i = 0; i < 3; i++) {
        const ps_sweep_index *x = &a.idx[i];
        cr_expect_eq(x->factor, order[i], "rank %zu: factor %zu", i + 1, x->factor);
        cr_expect(fabs(x->first - S[x->factor]) < 0.03, "S1 of x%zu: %.4f, analytic %.4f",
                  x->factor + 1, x->first, S[x->factor]);
        cr_expect(fabs(x->total - ST[x->factor]) < 0.03, "ST of x%zu: %.4f, analytic %.4f",
                  x->factor + 1, x->total, ST[x->factor]);
    }
    cr_expect_eq(a.rows_used[0], 8192);
    ps_sweep_analysis_free(&a);
    free(y);
    ps_sweep_close(&sw);
    S_rmdir(dir);
}

/* The noise beside the indices: with common seeds, what a seed does to
 * every point alike cancels between points and is not noise; with a seed
 * per point it is. y = g_p + c_r + e_pr with a seed effect c = (0, 10). */
Test(analysis, noise_counts_only_what_common_seeds_do_not_cancel)
{
    ps_sweep sw;
    memset(&sw, 0, sizeof sw);
    sw.design = PS_SWEEP_RANDOM;
    sw.n_points = 4;
    sw.replications = 2;
    sw.n_metrics = 1;
    sw.k = 1;
    const double g[4] = {0, 1, 2, 3}, c[2] = {0, 10};
    const double e[4][2] = {{0.1, -0.1}, {-0.1, 0.1}, {0.1, -0.1}, {-0.1, 0.1}};
    double y[8];
    for (int p = 0; p < 4; p++)
        for (int r = 0; r < 2; r++) y[p * 2 + r] = g[p] + c[r] + e[p][r];
    ps_sweep_analysis a;
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_sweep_analyse(&sw, y, &a, &d), 0);
    /* residual e: 8 x 0.01 over (4 - 1)(2 - 1), over 2 for a mean */
    cr_expect(fabs(a.noise_sd[0] - sqrt(0.08 / 3 / 2)) < 1e-12, "common: %g", a.noise_sd[0]);
    cr_expect(fabs(a.noise_share[0] - 0.08 / 3 / 2 / (5.0 / 3)) < 1e-12, "%g", a.noise_share[0]);
    ps_sweep_analysis_free(&a);
    sw.per_point_seeds = 1;
    cr_assert_eq(ps_sweep_analyse(&sw, y, &a, &d), 0);
    /* within points: (c_r - 5 + e)^2 summed, 200.08 over 4 (2 - 1), over 2 */
    cr_expect(fabs(a.noise_sd[0] - sqrt(200.08 / 4 / 2)) < 1e-12, "per point: %g", a.noise_sd[0]);
    ps_sweep_analysis_free(&a);
}

/* ---- running ---------------------------------------------------------------- */

/* The text of field `col` (0-based) of line `line` (0: the header). */
static void S_field(const char *path, int line, int col, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    char text[4096];
    for (int l = 0; l <= line; l++)
        if (!fgets(text, sizeof text, fp)) {
            fclose(fp);
            return;
        }
    fclose(fp);
    char *p = text;
    for (int c = 0; c < col && p; c++) {
        p = strchr(p, ',');
        if (p) p++;
    }
    if (!p) return;
    snprintf(buf, size, "%.*s", (int)strcspn(p, ",\n"), p);
}

/* A run of the sweep is the same run as `placesim run` with the overrides
 * that --show prints: the week-20 value is the same text, the mean over
 * the weeks the same number. */
Test(sweep, a_run_is_the_same_run_alone, .timeout = 120)
{
    char dir[64];
    S_tmpdir(dir, sizeof dir, "sweep");
    char out[200], alone[200];
    snprintf(out, sizeof out, "%s/sweep", dir);
    snprintf(alone, sizeof alone, "%s/alone", dir);
    tp_output r;
    S_sweep((const char *const[]){VALID, "--out", out, "--quiet", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    S_sweep((const char *const[]){VALID, "--show", "3", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_assert(strncmp(r.out, "placesim run ", 13) == 0, "%s", r.out);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s%.*s --out %s --quiet > /dev/null", PLACESIM_BINARY,
             (int)strcspn(r.out + 8, "\n"), r.out + 8, alone);
    cr_assert_eq(tp_shell(cmd), 0, "%s", cmd);
    /* run 3 is replication 1 of point 1; series.csv: replication, week, metrics */
    char runs[300], series[300], header[4096];
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    snprintf(series, sizeof series, "%s/series.csv", alone);
    tp_read_text(series, header, sizeof header);
    const char *names[2] = {"wellbeing_with_needs", "unmet_share_of_needs"};
    int col[2] = {-1, -1};
    int c = 0;
    for (char *p = header; *p && *p != '\n'; c++) {
        size_t len = strcspn(p, ",\n");
        for (int m = 0; m < 2; m++)
            if (len == strlen(names[m]) && strncmp(p, names[m], len) == 0) col[m] = c;
        p += len;
        if (*p == ',') p++;
    }
    cr_assert(col[0] > 1 && col[1] > 1);
    /* series.csv line 1 + 105 * rep + week */
    char a[64], b[64];
    S_field(series, 1 + 105 * 1 + 20, col[1], a, sizeof a);
    S_field(runs, 1 + 3, 8, b, sizeof b);
    cr_expect_str_eq(a, b, "week 20 alone '%s', in the sweep '%s'", a, b);
    double sum = 0;
    for (int w = 1; w <= 104; w++) {
        S_field(series, 1 + 105 + w, col[0], a, sizeof a);
        sum += strtod(a, NULL);
    }
    S_field(runs, 1 + 3, 7, b, sizeof b);
    cr_expect(fabs(sum / 104 - strtod(b, NULL)) < 1e-8, "mean alone %.10g, in the sweep %s",
              sum / 104, b);
    S_rmdir(dir);
}

Test(sweep, results_do_not_depend_on_the_thread_count, .timeout = 120)
{
    char dir[64], one[200], two[200], p1[300], p2[300];
    S_tmpdir(dir, sizeof dir, "sweep");
    snprintf(one, sizeof one, "%s/one", dir);
    snprintf(two, sizeof two, "%s/two", dir);
    tp_output r;
    S_sweep((const char *const[]){"tests/data/sweeps/saltelli.cfg", "--out", one, "--threads",
                                  "1", "--quiet", NULL},
            &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    S_sweep((const char *const[]){"tests/data/sweeps/saltelli.cfg", "--out", two, "--threads",
                                  "2", NULL},
            &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    static const char *const files[] = {"runs.csv", "indices.csv", "report.html"};
    for (size_t i = 0; i < 3; i++) {
        snprintf(p1, sizeof p1, "%s/%s", one, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", two, files[i]);
        cr_expect(tp_same_file(p1, p2), "%s differs between 1 and 2 threads", files[i]);
    }
    /* the ranked indices are printed with their intervals */
    cr_expect(strstr(r.out, "first order S1 [95% CI]") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "statutory capacity") != NULL, "%s", r.out);
    S_rmdir(dir);
}

/* Starts a sweep in the background, its stderr to err_path (NULL: none);
 * returns its pid. */
static pid_t S_start(const char *const *args, const char *err_path)
{
    const char *argv[32] = {PLACESIM_BINARY, "sweep"};
    size_t n = 2;
    for (size_t i = 0; args[i] && n < 31; i++) argv[n++] = args[i];
    argv[n] = NULL;
    signal(SIGCHLD, SIG_DFL);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        freopen("/dev/null", "w", stdout);
        freopen(err_path ? err_path : "/dev/null", "w", stderr);
        execv(PLACESIM_BINARY, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

/* Waits until runs.csv has at least `rows` rows (or the sweep ended). */
static void S_wait_rows(const char *runs, int rows, pid_t pid)
{
    for (int i = 0; i < 6000; i++) {
        if (S_count_lines(runs) - 1 >= rows) return;
        if (waitpid(pid, NULL, WNOHANG) == pid) return;
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
}

/* A sweep killed with SIGKILL three times, at different moments, and once
 * left with a torn last row, resumes to exactly the rows (the same bytes)
 * of an uninterrupted sweep: none lost, none twice, none torn. */
Test(sweep, killed_and_resumed_gives_exactly_the_uninterrupted_rows, .timeout = 300)
{
    char dir[64], whole[200], cut[200], runs[300], ref[300];
    S_tmpdir(dir, sizeof dir, "kill");
    snprintf(whole, sizeof whole, "%s/whole", dir);
    snprintf(cut, sizeof cut, "%s/cut", dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", cut);
    snprintf(ref, sizeof ref, "%s/runs.csv", whole);
    const char *sweep = "tests/data/sweeps/saltelli.cfg";
    tp_output r;
    S_sweep((const char *const[]){sweep, "--out", whole, "--quiet", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    int total = S_count_lines(ref) - 1;
    cr_assert_geq(total, 60);

    int targets[3] = {5, total / 3, (2 * total) / 3};
    for (int k = 0; k < 3; k++) {
        pid_t pid = k == 0 ? S_start((const char *const[]){sweep, "--out", cut, "--threads", "2",
                                                           NULL}, NULL)
                           : S_start((const char *const[]){sweep, "--out", cut, "--resume",
                                                           "--threads", "2", NULL}, NULL);
        S_wait_rows(runs, targets[k], pid);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        int rows = S_count_lines(runs) - 1;
        cr_expect(rows >= targets[k] && rows < total,
                  "kill %d: %d rows of %d (wanted at least %d before the end)", k, rows, total,
                  targets[k]);
    }
    /* nothing that looks finished */
    char path[300], text[8192];
    snprintf(path, sizeof path, "%s/indices.csv", cut);
    cr_expect_neq(access(path, F_OK), 0, "indices.csv exists after a kill");
    snprintf(path, sizeof path, "%s/sweep.json", cut);
    tp_read_text(path, text, sizeof text);
    cr_expect(strstr(text, "\"finished\": false") != NULL, "%s", text);
    /* a crash in the middle of a write leaves a row without its newline */
    FILE *fp = fopen(runs, "a");
    cr_assert_not_null(fp);
    fputs("7,1,1,11,ok,0.1", fp);
    fclose(fp);
    S_sweep((const char *const[]){sweep, "--out", cut, "--resume", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strstr(r.err, "already done") != NULL, "%s", r.err);
    cr_expect(tp_same_file(runs, ref), "the resumed runs.csv differs from the uninterrupted one");
    snprintf(path, sizeof path, "%s/indices.csv", cut);
    char ref_idx[300];
    snprintf(ref_idx, sizeof ref_idx, "%s/indices.csv", whole);
    cr_expect(tp_same_file(path, ref_idx), "indices differ after resuming");
    snprintf(path, sizeof path, "%s/sweep.json", cut);
    tp_read_text(path, text, sizeof text);
    cr_expect(strstr(text, "\"finished\": true") != NULL, "%s", text);
    S_rmdir(dir);
}

/* Copies the finished sweep in `from` to `to`, with runs.csv replaced by
 * text (its first `len` bytes). */
static void S_copy_sweep(const char *from, const char *to, const char *text, size_t len)
{
    char cmd[1200], path[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && cp '%s/sweep.json' '%s/'", to, to,
             from, to);
    cr_assert_eq(tp_shell(cmd), 0);
    snprintf(path, sizeof path, "%s/runs.csv", to);
    FILE *fp = fopen(path, "wb");
    cr_assert_not_null(fp);
    fwrite(text, 1, len, fp);
    fclose(fp);
}

/* Line `line` (0: the header) of text: its start and its length with the
 * newline. */
static char *S_line(char *text, int line, size_t *len)
{
    char *p = text;
    for (int l = 0; l < line && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    cr_assert_not_null(p);
    *len = strcspn(p, "\n") + 1;
    return p;
}

/* A resumed journal's rows are checked: a row whose bytes changed
 * anywhere is refused by its checksum, naming its line; a row that is
 * whole (its checksum made to agree) but holds a factor value outside the
 * factor's range, or not the design's, or another seed, is refused too,
 * instead of going into runs.csv and the indices. */
Test(sweep, a_damaged_or_foreign_row_is_refused_on_resume, .timeout = 120)
{
    char dir[64], whole[200], cut[200], runs[300];
    S_tmpdir(dir, sizeof dir, "journal");
    snprintf(whole, sizeof whole, "%s/whole", dir);
    snprintf(cut, sizeof cut, "%s/cut", dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", whole);
    tp_output r;
    S_sweep((const char *const[]){VALID, "--out", whole, "--quiet", NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    static char text[1 << 16], copy[1 << 16];
    tp_read_text(runs, text, sizeof text);
    size_t n = strlen(text);
    cr_assert(strstr(text, ",error,checksum\n") != NULL, "%.200s", text);
    /* the untouched journal resumes */
    S_copy_sweep(whole, cut, text, n);
    S_sweep((const char *const[]){VALID, "--out", cut, "--resume", "--quiet", NULL}, &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
    /* bytes flipped in the rows (never a row's newline, which would make
     * it a torn row that is done again) */
    size_t rows_at = strcspn(text, "\n") + 1;
    int refused = 0, tried = 0;
    for (size_t off = rows_at + 1; off + 2 < n; off += 37) {
        if (text[off] == '\n' || text[off] == ',') continue;
        memcpy(copy, text, n);
        copy[off] = copy[off] == '7' ? '8' : '7';
        S_copy_sweep(whole, cut, copy, n);
        S_sweep((const char *const[]){VALID, "--out", cut, "--resume", "--quiet", NULL}, &r);
        tried++;
        int line = 0;
        for (size_t i = 0; i < off; i++) line += text[i] == '\n';
        char want[400];
        snprintf(want, sizeof want, "%s/runs.csv:%d: ", cut, line + 1);
        if (r.status == 2 && strstr(r.err, want)) refused++;
        else cr_expect(0, "byte %zu (line %d) changed: exit %d: %s", off, line + 1, r.status, r.err);
    }
    cr_expect_gt(tried, 5);
    cr_expect_eq(refused, tried);
    /* a whole row with another factor value: 7.5 for 'trust speed' (in
     * [0.05, 0.2]), its checksum made to agree */
    size_t len;
    char *at = S_line(text, 3, &len), row[1024];
    snprintf(row, sizeof row, "%.*s", (int)len, at);
    char *f1 = row;
    for (int c = 0; c < 5; c++) f1 = strchr(f1, ',') + 1;
    size_t f1_len = strcspn(f1, ",");
    char fixed[1024];
    int head = (int)(f1 - row);
    const char *rest = f1 + f1_len;
    int rest_len = (int)(strrchr(row, ',') - rest);
    int body = snprintf(fixed, sizeof fixed, "%.*s7.5%.*s", head, row, rest_len, rest);
    snprintf(fixed + body, sizeof fixed - (size_t)body, ",%016llx\n",
             (unsigned long long)ps_fnv1a64(PS_FNV_OFFSET, fixed, (size_t)body));
    int copy_len = snprintf(copy, sizeof copy, "%.*s%s%s", (int)(at - text), text, fixed,
                            at + len);
    S_copy_sweep(whole, cut, copy, (size_t)copy_len);
    S_sweep((const char *const[]){VALID, "--out", cut, "--resume", "--quiet", NULL}, &r);
    cr_expect_eq(r.status, 2, "%s", r.err);
    char want[400];
    snprintf(want, sizeof want, "%s/runs.csv:4: run 2: factor 'trust speed' is 7.5, outside its "
             "range [0.05, 0.2], where the design gives ", cut);
    cr_expect(strstr(r.err, want) != NULL, "expected '%s' in %s", want, r.err);
    S_rmdir(dir);
}

Test(sweep, sigint_stops_cleanly_and_resume_refuses_a_changed_sweep, .timeout = 300)
{
    char dir[64], out[200], runs[300], copy[200];
    S_tmpdir(dir, sizeof dir, "sigint");
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    snprintf(copy, sizeof copy, "%s/saltelli.cfg", dir);
    char cmd[600];
    snprintf(cmd, sizeof cmd,
             "sed 's|\"../small.cfg\"|\"%s/tests/data/small.cfg\"|' tests/data/sweeps/saltelli.cfg "
             "> %s", PLACESIM_SOURCE_DIR, copy);
    cr_assert_eq(tp_shell(cmd), 0);
    char errpath[300];
    snprintf(errpath, sizeof errpath, "%s/stderr.txt", dir);
    pid_t pid = S_start((const char *const[]){copy, "--out", out, NULL}, errpath);
    S_wait_rows(runs, 5, pid);
    kill(pid, SIGINT);
    int ws;
    waitpid(pid, &ws, 0);
    cr_expect(WIFEXITED(ws) && WEXITSTATUS(ws) == 6, "exit status %d", WEXITSTATUS(ws));
    char text[8192];
    tp_read_text(errpath, text, sizeof text);
    cr_expect(strstr(text, "--resume") != NULL, "%s", text);
    /* the sweep file changes: resuming from it would mix two sweeps */
    snprintf(cmd, sizeof cmd, "sed -i 's/seed = 11;/seed = 12;/' %s", copy);
    cr_assert_eq(tp_shell(cmd), 0);
    tp_output r;
    S_sweep((const char *const[]){copy, "--out", out, "--resume", NULL}, &r);
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "have changed since") != NULL, "%s", r.err);
    /* and --resume needs a sweep to resume */
    snprintf(cmd, sizeof cmd, "%s/empty", dir);
    S_sweep((const char *const[]){copy, "--out", cmd, "--resume", NULL}, &r);
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect(strstr(r.err, "no sweep was started here") != NULL, "%s", r.err);
    S_rmdir(dir);
}

/* Runs whose overrides leave the scenario invalid fail loudly, are recorded
 * as failed with their error, and the others go on. */
Test(sweep, failed_runs_are_reported_recorded_and_the_rest_go_on, .timeout = 120)
{
    char dir[64], out[200], runs[300], sweep[200];
    S_tmpdir(dir, sizeof dir, "fail");
    snprintf(out, sizeof out, "%s/out", dir);
    snprintf(runs, sizeof runs, "%s/runs.csv", out);
    snprintf(sweep, sizeof sweep, "%s/fail.cfg", dir);
    /* precondition E scaled by 0.5, 1.17, 1.83 and 2.5: the last two take
     * some actors' E above 1 */
    S_write(sweep, "scenario = \"" PLACESIM_SOURCE_DIR "/tests/data/small.cfg\";\n"
                   "set = [\"run.warmup=4\"];\n"
                   "design = \"factorial\"; factorial_levels = 4;\n"
                   "factors = ( { name = \"E\"; path = \"actors.[*].preconditions.E\"; "
                   "op = \"scale\"; min = 0.5; max = 2.5; } );\n"
                   "metrics = ( { metric = \"wellbeing_with_needs\"; } );\n");
    tp_output r;
    S_sweep((const char *const[]){sweep, "--out", out, NULL}, &r);
    cr_expect_eq(r.status, 7, "exit status %d\n%s", r.status, r.err);
    cr_expect(strstr(r.err, "RUN FAILED: run 2 (point 2, replication 0, seed 7): ") != NULL,
              "%s", r.err);
    char want[400];
    snprintf(want, sizeof want, "%s:4: factor 'E' makes actors.[3].preconditions.E: 1.00833 is "
             "out of range [0, 1]", sweep);
    cr_expect(strstr(r.err, want) != NULL, "expected '%s' in\n%s", want, r.err);
    cr_expect(strstr(r.err, "2 of 4 runs FAILED") != NULL, "%s", r.err);
    char text[8192];
    tp_read_text(runs, text, sizeof text);
    int failed = 0, ok = 0;
    for (char *p = text; (p = strstr(p, ",failed,")) != NULL; p++) failed++;
    for (char *p = text; (p = strstr(p, ",ok,")) != NULL; p++) ok++;
    cr_expect_eq(failed, 2, "%s", text);
    cr_expect_eq(ok, 2, "%s", text);
    cr_expect(strstr(text, ",nan,") != NULL, "%s", text);
    S_rmdir(dir);
}

Test(sweep, morris_ranks_a_factor_that_matters_above_one_that_does_not, .timeout = 120)
{
    char dir[64], out[200], path[300];
    S_tmpdir(dir, sizeof dir, "morris");
    snprintf(out, sizeof out, "%s/out", dir);
    tp_output r;
    S_sweep((const char *const[]){"tests/data/sweeps/morris.cfg", "--out", out, NULL}, &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    /* indices.csv: metric, rank, factor, mu*, ... ranked by mu* */
    snprintf(path, sizeof path, "%s/indices.csv", out);
    char first[64], second[64];
    S_field(path, 1, 2, first, sizeof first);
    S_field(path, 2, 2, second, sizeof second);
    cr_expect_str_eq(first, "statutory capacity", "ranked first: %s", first);
    /* the scenario has no timeline, so the ramp speed does nothing */
    cr_expect_str_eq(second, "ramp speed (no timeline)", "ranked second: %s", second);
    char mu[64];
    S_field(path, 2, 3, mu, sizeof mu);
    cr_expect_eq(strtod(mu, NULL), 0.0, "a factor with no effect has mu* %s", mu);
    S_rmdir(dir);
}

Test(sweep, the_report_renders_in_a_browser, .timeout = 300)
{
    char dir[64], out[200], path[300];
    S_tmpdir(dir, sizeof dir, "sweeprep");
    snprintf(out, sizeof out, "%s/out", dir);
    tp_output r;
    S_sweep((const char *const[]){"tests/data/sweeps/saltelli.cfg", "--out", out, "--quiet", NULL},
            &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(path, sizeof path, "%s/report.html", out);
    static char html[1 << 20];
    tp_read_text(path, html, sizeof html);
    cr_expect(strstr(html, "<script") == NULL);
    cr_expect(strstr(html, "https://") == NULL);
    cr_assert_eq(tp_render_html(path, dir, html, sizeof html), 0,
                 "chromium failed or found a script error (see %s/chromium.log)", dir);
    int svgs = 0;
    for (char *p = html; (p = strstr(p, "<svg")) != NULL; p++) svgs++;
    /* per metric (2): the bars and a scatter plot per factor (3) */
    cr_expect_eq(svgs, 2 * (1 + 3), "the browser's page has %d charts", svgs);
    cr_expect(strstr(html, "Most of the variation comes from") != NULL);
    S_rmdir(dir);
}

#ifdef PLACESIM_MPI
/* Two MPI ranks give the same runs.csv and indices as one process. */
Test(sweep, two_mpi_ranks_give_the_rows_of_one_process, .timeout = 300)
{
    char dir[64], one[200], two[200], p1[300], p2[300], cmd[1200];
    S_tmpdir(dir, sizeof dir, "mpi");
    snprintf(one, sizeof one, "%s/one", dir);
    snprintf(two, sizeof two, "%s/two", dir);
    tp_output r;
    S_sweep((const char *const[]){"tests/data/sweeps/saltelli.cfg", "--out", one, "--quiet", NULL},
            &r);
    cr_assert_eq(r.status, 0, "%s", r.err);
    snprintf(cmd, sizeof cmd,
             "mpirun --oversubscribe --allow-run-as-root -np 2 %s sweep "
             "tests/data/sweeps/saltelli.cfg --out %s --threads 1 > %s/mpi.log 2>&1",
             PLACESIM_BINARY, two, dir);
    cr_assert_eq(tp_shell(cmd), 0, "mpirun failed (see %s/mpi.log)", dir);
    snprintf(p1, sizeof p1, "%s/sweep.json", two);
    char text[8192];
    tp_read_text(p1, text, sizeof text);
    cr_expect(strstr(text, "\"ranks\": 2") != NULL, "not two ranks: %s", text);
    static const char *const files[] = {"runs.csv", "indices.csv"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(p1, sizeof p1, "%s/%s", one, files[i]);
        snprintf(p2, sizeof p2, "%s/%s", two, files[i]);
        cr_expect(tp_same_file(p1, p2), "%s differs between 1 process and 2 ranks", files[i]);
    }
    snprintf(p2, sizeof p2, "%s/runs-rank-1.csv", two);
    cr_expect_neq(access(p2, F_OK), 0, "rank 1's journal was not merged and removed");
    S_rmdir(dir);
}
#endif

/* A total index estimated above 1 is not a share above all of the
 * variance: the report says what it is (estimator noise) */
Test(sweep, a_total_index_above_one_is_called_noise, .timeout = 120)
{
    char dir[64], out[200], path[300];
    S_tmpdir(dir, sizeof dir, "sweeptotal");
    snprintf(out, sizeof out, "%s/out", dir);
    ps_sweep sw;
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_sweep_open(&sw, "tests/data/sweeps/saltelli.cfg", &d), 0);
    cr_assert_eq(ps_sweep_prepare(&sw, &sc_model_type, &d), 0);
    size_t runs = ps_sweep_run_count(&sw);
    double *y = calloc(runs * sw.n_metrics + 1, sizeof *y);
    cr_assert_not_null(y);
    for (size_t r = 0; r < runs * sw.n_metrics; r++) y[r] = (double)(r % 7);
    ps_sweep_analysis a;
    cr_assert_eq(ps_sweep_analyse(&sw, y, &a, &d), 0);
    cr_assert_eq(a.kind, PS_SWEEP_SALTELLI);
    /* what an estimate of a dominant factor can come to with few points */
    a.idx[0].first = 0.93;
    a.idx[0].total = 1.07;
    a.idx[0].total_lo = 0.95;
    a.idx[0].total_hi = 1.19;
    cr_assert_eq(mkdir(out, 0755), 0);
    cr_assert_eq(ps_sweep_report(&sw, &a, y, out, &d), 0);
    snprintf(path, sizeof path, "%s/report.html", out);
    static char html[1 << 20];
    tp_read_text(path, html, sizeof html);
    cr_expect(strstr(html, "accounts for nearly all of the variance (its total index is "
                           "estimated at 1.07") != NULL);
    cr_expect(strstr(html, "above 1 only by the estimator's sampling noise") != NULL);
    cr_expect(strstr(html, "107 %") == NULL, "no share above all of the variance");
    ps_sweep_analysis_free(&a);
    free(y);
    ps_sweep_close(&sw);
    S_rmdir(dir);
}
