/* End-to-end runs of the placesim binary: determinism across thread counts,
 * the output files, refusing to overwrite, and the state's invariants. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"
#include "systems_change.h"

static char S_tmp[256];

static void S_mktmp(void) { tp_mktmp(S_tmp, sizeof S_tmp, "test"); }

static void S_rmtmp(void) { tp_rmtmp(S_tmp); }

/* Runs the binary with args; returns its exit status, stderr in err. */
static int S_placesim(const char *args, char *err, size_t size)
{
    char cmd[2048], errfile[300];
    snprintf(errfile, sizeof errfile, "%s/stderr.txt", S_tmp);
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>'%s'", PLACESIM_BINARY, args, errfile);
    int st = tp_shell(cmd);
    if (err) tp_read_text(errfile, err, size);
    return st;
}

static char *S_slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, fp) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

#define SMALL "run configs/coventry.cfg --set population.size=8000 --set run.weeks=60 " \
              "--set run.warmup=20 --reps 2 --seed 7 --quiet"

Test(run, byte_identical_for_any_thread_count, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    static const char *const files[] = {"series.csv", "summary.csv", "annual.csv"};
    /* 8 threads: more threads than chunks of citizens, so some own none */
    static const int threads[] = {1, 2, 3, 8};
    const int n_threads = sizeof threads / sizeof threads[0];
    char args[1024];
    for (int k = 0; k < n_threads; k++) {
        int t = threads[k];
        snprintf(args, sizeof args, SMALL " --set run.weeks=104 --threads %d --out %s/t%d", t,
                 S_tmp, t);
        char err[4096];
        cr_assert_eq(S_placesim(args, err, sizeof err), 0, "run with %d threads: %s", t, err);
    }
    for (size_t f = 0; f < 3; f++) {
        char p1[512], p2[512];
        size_t n1, n2;
        snprintf(p1, sizeof p1, "%s/t1/%s", S_tmp, files[f]);
        char *a = S_slurp(p1, &n1);
        cr_assert_not_null(a, "%s missing", p1);
        for (int k = 1; k < n_threads; k++) {
            int t = threads[k];
            snprintf(p2, sizeof p2, "%s/t%d/%s", S_tmp, t, files[f]);
            char *b = S_slurp(p2, &n2);
            cr_assert_not_null(b, "%s missing", p2);
            cr_expect(n1 == n2 && memcmp(a, b, n1) == 0, "%s differs between 1 and %d threads",
                      files[f], t);
            free(b);
        }
        free(a);
    }
}

/* The AVX2 paths (Philox blocks, the quiet screen) and their portable twins
 * compute the same bits; PLACESIM_NO_AVX2 forces the portable ones. On a
 * CPU without AVX2 both runs take the portable paths, and the test still
 * checks the switch is reported. */
Test(run, vector_and_portable_paths_give_the_same_bits, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    static const char *const files[] = {"series.csv", "summary.csv", "annual.csv"};
    static const char *const env[2] = {"", "PLACESIM_NO_AVX2=1 "};
    for (int k = 0; k < 2; k++) {
        char cmd[2048], out[4096], outfile[400];
        snprintf(outfile, sizeof outfile, "%s/stdout%d.txt", S_tmp, k);
        snprintf(cmd, sizeof cmd,
                 "env -u PLACESIM_NO_AVX2 %s%s " SMALL
                 " --set run.weeks=104 --threads 2 --profile --out %s/v%d >'%s' 2>&1",
                 env[k], PLACESIM_BINARY, S_tmp, k, outfile);
        cr_assert_eq(tp_shell(cmd), 0, "%s", cmd);
        tp_read_text(outfile, out, sizeof out);
        if (k == 1)
            cr_assert(strstr(out, "vector paths: portable") != NULL,
                      "PLACESIM_NO_AVX2 is not reported: %s", out);
        else
            cr_assert(strstr(out, "vector paths: ") != NULL, "no vector paths line: %s", out);
    }
    for (size_t f = 0; f < 3; f++) {
        char p1[512], p2[512];
        snprintf(p1, sizeof p1, "%s/v0/%s", S_tmp, files[f]);
        snprintf(p2, sizeof p2, "%s/v1/%s", S_tmp, files[f]);
        cr_expect(tp_same_file(p1, p2), "%s differs between the vector and portable paths",
                  files[f]);
    }
}

/* --profile splits the tick into phases and measures the part of them
 * spent outside parallel regions: never negative, never more than the
 * phases, and recorded in the manifest. */
Test(run, profile_measures_the_serial_part_within_the_phases, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    char cmd[2048], out[4096], outfile[400], path[400];
    snprintf(outfile, sizeof outfile, "%s/stdout.txt", S_tmp);
    snprintf(cmd, sizeof cmd, "%s " SMALL " --threads 2 --profile --out %s/p >'%s' 2>&1",
             PLACESIM_BINARY, S_tmp, outfile);
    cr_assert_eq(tp_shell(cmd), 0, "%s", cmd);
    tp_read_text(outfile, out, sizeof out);
    cr_assert(strstr(out, "\nserial ") != NULL && strstr(out, "Amdahl: ") != NULL,
              "no serial part in the profile: %s", out);
    snprintf(path, sizeof path, "%s/p/manifest.json", S_tmp);
    size_t n;
    char *m = S_slurp(path, &n);
    cr_assert_not_null(m);
    const char *ph = strstr(m, "\"phase_seconds\": {"), *se = strstr(m, "\"serial_seconds\": ");
    cr_assert(ph && se, "manifest lacks phase or serial seconds: %s", m);
    double phases = 0, v;
    int n_phases = 0;
    for (const char *p = strchr(ph, '{'); p && *p != '}'; p++) {
        if (*p == ':' && sscanf(p + 1, "%lf", &v) == 1) {
            phases += v;
            n_phases++;
        }
        if (*p == '}') break;
    }
    double serial;
    cr_assert_eq(sscanf(se + strlen("\"serial_seconds\": "), "%lf", &serial), 1);
    cr_expect_eq(n_phases, 5, "needs, admission, referrals, actors, observe: got %d", n_phases);
    cr_expect(serial >= 0 && serial <= phases, "serial %g s of %g s of phases", serial, phases);
    free(m);
}

Test(run, a_different_seed_gives_different_results, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 120)
{
    char args[1024], p1[512], p2[512];
    snprintf(args, sizeof args, SMALL " --out %s/a", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    snprintf(args, sizeof args, SMALL " --seed 8 --out %s/b", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    snprintf(p1, sizeof p1, "%s/a/series.csv", S_tmp);
    snprintf(p2, sizeof p2, "%s/b/series.csv", S_tmp);
    size_t n1, n2;
    char *a = S_slurp(p1, &n1), *b = S_slurp(p2, &n2);
    cr_assert(a && b);
    cr_expect(n1 != n2 || memcmp(a, b, n1) != 0);
    free(a);
    free(b);
}

Test(run, writes_the_outputs_and_a_finished_manifest, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 120)
{
    char args[1024], path[512];
    snprintf(args, sizeof args, SMALL " --out %s/out", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    size_t n;
    snprintf(path, sizeof path, "%s/out/series.csv", S_tmp);
    char *series = S_slurp(path, &n);
    cr_assert_not_null(series);
    cr_expect(strncmp(series, "replication,week,P_A,", 21) == 0);
    int lines = 0;
    for (char *p = series; *p; p++) lines += *p == '\n';
    cr_expect_eq(lines, 1 + 2 * 61, "header + 2 replications x 61 weeks, got %d", lines);
    free(series);
    snprintf(path, sizeof path, "%s/out/summary.csv", S_tmp);
    char *summary = S_slurp(path, &n);
    cr_assert_not_null(summary);
    cr_expect(strncmp(summary, "metric,week,n,mean,sd,p5,p50,p95\n", 33) == 0);
    cr_expect(strstr(summary, "\nwellbeing_with_needs,52,2,") != NULL);
    cr_expect(strstr(summary, "\nwellbeing_with_needs,60,2,") != NULL);
    free(summary);
    snprintf(path, sizeof path, "%s/out/annual.csv", S_tmp);
    char *annual = S_slurp(path, &n);
    cr_assert_not_null(annual);
    cr_expect(strstr(annual, "replication,year,housing_only,substance_only,offending_only,"
                             "housing_substance,housing_offending,substance_offending,all_three") ==
              annual);
    free(annual);
    snprintf(path, sizeof path, "%s/out/manifest.json", S_tmp);
    char *man = S_slurp(path, &n);
    cr_assert_not_null(man);
    cr_expect(strstr(man, "\"finished\": true") != NULL);
    cr_expect(strstr(man, "\"seed\": 7") != NULL);
    cr_expect(strstr(man, "\"replications\": 2") != NULL);
    cr_expect(strstr(man, "\"scenario_hash\": \"fnv1a64:") != NULL);
    cr_expect(strstr(man, "\"citizen_weeks_per_second\":") != NULL);
    free(man);
    /* the manifest vouches for every file, with its checksum */
    char why[512] = "";
    snprintf(path, sizeof path, "%s/out", S_tmp);
    cr_expect_eq(tp_check_manifest(path, "manifest.json", why, sizeof why), 7,
                 "summary, series, annual, the report and its 3 charts: %s", why);
    /* no temporary files are left behind, and no lock */
    cr_expect(!tp_dir_has_suffix(path, ".partial"));
    cr_expect(!tp_dir_has_suffix(path, ".lock"));
}

/* Two writers started at once into one directory: the loser is refused at
 * once (exit status 3, naming the winner's pid) and leaves the winner's
 * files alone; they are whole and agree with the checksums of the
 * winner's manifest. Each run takes about a second, so they overlap; a
 * loaded machine that ran them one after the other is tried again. */
Test(run, two_writers_into_one_directory_one_wins_whole, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    char out[300], err[2][320], seed_arg[2][16];
    snprintf(out, sizeof out, "%s/shared", S_tmp);
    int refused = 0;
    for (int attempt = 0; attempt < 3 && !refused; attempt++) {
        int pid[2], st[2];
        for (int k = 0; k < 2; k++) {
            snprintf(err[k], sizeof err[k], "%s/err%d.txt", S_tmp, k);
            snprintf(seed_arg[k], sizeof seed_arg[k], "%d", k + 1);
            const char *args[] = {"run", "configs/coventry.cfg", "--set",
                                  "population.size=30000", "--reps", "3", "--seed",
                                  seed_arg[k], "--threads", "1", "--quiet", "--overwrite",
                                  "--out", out, NULL};
            pid[k] = tp_spawn(PLACESIM_BINARY, args, NULL, err[k]);
            cr_assert_gt(pid[k], 0);
        }
        for (int k = 0; k < 2; k++) st[k] = tp_wait(pid[k]);
        if (st[0] == 0 && st[1] == 0) continue; /* one after the other: again */
        cr_assert((st[0] == 0 && st[1] == 3) || (st[0] == 3 && st[1] == 0),
                  "exit statuses %d and %d: one must win (0), the other be refused (3)", st[0],
                  st[1]);
        refused = 1;
        int winner = st[0] == 0 ? 0 : 1, loser = 1 - winner;
        char text[4096], want[128];
        tp_read_text(err[loser], text, sizeof text);
        snprintf(want, sizeof want, "being written by another placesim (pid %d", pid[winner]);
        cr_expect(strstr(text, want) != NULL, "the refusal names the holder: %s", text);
        char path[400], why[512] = "";
        snprintf(path, sizeof path, "%s/manifest.json", out);
        tp_read_text(path, text, sizeof text);
        snprintf(want, sizeof want, "\"seed\": %d,", winner + 1);
        cr_expect(strstr(text, want) != NULL && strstr(text, "\"finished\": true"),
                  "the manifest is the winner's: %s", text);
        cr_expect_eq(tp_check_manifest(out, "manifest.json", why, sizeof why), 7, "%s", why);
        /* every row of series.csv has the header's fields */
        size_t n;
        snprintf(path, sizeof path, "%s/series.csv", out);
        char *series = S_slurp(path, &n);
        cr_assert_not_null(series);
        int fields = -1, rows = 0;
        for (char *line = series; *line;) {
            char *nl = strchr(line, '\n');
            cr_assert_not_null(nl, "series.csv ends in a torn row");
            int f = 1;
            for (char *c = line; c < nl; c++) f += *c == ',';
            if (fields < 0) fields = f;
            cr_expect_eq(f, fields, "row %d has %d fields, the header %d", rows, f, fields);
            rows++;
            line = nl + 1;
        }
        free(series);
        cr_expect(!tp_dir_has_suffix(out, ".partial"), "a temporary file is left");
    }
    cr_expect(refused, "in three attempts the two writers never overlapped");
}

Test(run, refuses_to_overwrite_without_the_flag, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 120)
{
    char args[1024], err[4096];
    snprintf(args, sizeof args, SMALL " --out %s/out", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    cr_expect_eq(S_placesim(args, err, sizeof err), 2);
    cr_expect(strstr(err, "--overwrite") != NULL, "message: %s", err);
    /* the refusal says what is there, from its manifest: the finished
     * result, as it was, not "no complete result" */
    cr_expect(strstr(err, "holds a finished result, as it was (its manifest.json says "
                          "\"finished\": true)") != NULL &&
                  strstr(err, "no complete result") == NULL,
              "message: %s", err);
    char path[400];
    snprintf(path, sizeof path, "%s/out", S_tmp);
    char why[256] = "";
    cr_expect_eq(tp_check_manifest(path, "manifest.json", why, sizeof why), 7,
                 "the refused run changed the result: %s", why);
    snprintf(args, sizeof args, SMALL " --out %s/out --overwrite", S_tmp);
    cr_expect_eq(S_placesim(args, NULL, 0), 0);
    /* a compare refused the same way says the same */
    snprintf(args, sizeof args,
             "compare configs/coventry.cfg configs/shocks/funding_cut_20.cfg --reps 2 --quiet "
             "--out %s/out", S_tmp);
    cr_expect_eq(S_placesim(args, err, sizeof err), 2);
    cr_expect(strstr(err, "holds a finished result, as it was") != NULL, "message: %s", err);
}

/* --overwrite leaves nothing of the earlier result that the new one does
 * not write again (a model's chart the next model has not), and keeps what
 * placesim did not write. */
Test(run, overwrite_removes_what_the_earlier_manifest_vouched_for, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 120)
{
    char args[1024], path[400];
    snprintf(args, sizeof args, SMALL " --out %s/out", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    snprintf(path, sizeof path, "%s/out/radar.svg", S_tmp);
    cr_assert_eq(access(path, F_OK), 0, "the systems-change report has a radar");
    snprintf(path, sizeof path, "%s/out/notes.txt", S_tmp);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("the user's own\n", fp);
    fclose(fp);
    snprintf(args, sizeof args,
             "run configs/sir.cfg --reps 1 --set population.size=2000 --quiet --no-cache "
             "--overwrite --out %s/out", S_tmp);
    cr_assert_eq(S_placesim(args, NULL, 0), 0);
    static const char *const gone[] = {"radar.svg", "resilience.svg", "annual.csv"};
    for (size_t k = 0; k < 3; k++) {
        snprintf(path, sizeof path, "%s/out/%s", S_tmp, gone[k]);
        cr_expect_neq(access(path, F_OK), 0, "%s of the earlier run is still there", gone[k]);
    }
    snprintf(path, sizeof path, "%s/out/notes.txt", S_tmp);
    cr_expect_eq(access(path, F_OK), 0, "a file placesim did not write stays");
    char why[256] = "";
    snprintf(path, sizeof path, "%s/out", S_tmp);
    cr_expect_eq(tp_check_manifest(path, "manifest.json", why, sizeof why), 4, "%s", why);
}

/* A lock file left by a writer that was killed (its lock went with it) does
 * not stop the next one, and does not make the directory "not empty". */
Test(run, a_stale_lock_file_does_not_block, .init = S_mktmp, .fini = S_rmtmp, .timeout = 120)
{
    char path[400], args[1024], err[4096];
    snprintf(path, sizeof path, "%s/out", S_tmp);
    cr_assert_eq(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/out/.placesim.lock", S_tmp);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("999999 placesim run killed.cfg\n", fp);
    fclose(fp);
    snprintf(args, sizeof args, SMALL " --out %s/out", S_tmp);
    cr_expect_eq(S_placesim(args, err, sizeof err), 0, "%s", err);
    cr_expect_neq(access(path, F_OK), 0, "the lock file is removed at the end");
}

/* The memory guard counts what a command keeps to its end, not only one
 * replication's state: with a limit of 200 MiB the state of 2,000
 * citizens fits many times over, but 1,000 replications of 1,001 weeks of
 * series do not, and every command is refused before it runs (exit 4, no
 * output directory), saying what it counted. */
Test(run, the_memory_guard_counts_the_series_and_refuses_before_the_run, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 120)
{
    char cmd[2048], err[4096], path[400];
    snprintf(path, sizeof path, "%s/err.txt", S_tmp);
    static const struct {
        const char *args, *counted;
    } cases[] = {
        {"run tests/data/small.cfg --reps 1000 --set run.weeks=1000",
         "a replication of 2000 citizens, held twice (0.3 MiB), and the series of 1 arm x 1000 "
         "replications "
         "x 1001 weeks x "},
        {"compare tests/data/small.cfg configs/shocks/funding_cut_20.cfg --reps 500 "
         "--set run.weeks=1000",
         "and the series of 2 arms x 500 replications x 1001 weeks x "},
        {"diagnose tests/data/small.cfg --reps 60 --set run.weeks=1000",
         "and the table of 19 arms x 60 replications x 1001 weeks x "},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(cmd, sizeof cmd,
                 "PLACESIM_MEMORY_LIMIT=200M %s %s --quiet --out %s/out > /dev/null 2> %s",
                 PLACESIM_BINARY, cases[i].args, S_tmp, path);
        cr_expect_eq(tp_shell(cmd), 4, "%s", cases[i].args);
        tp_read_text(path, err, sizeof err);
        cr_expect(strstr(err, cases[i].counted) && strstr(err, "is available (PLACESIM_MEMORY_LIMIT)"),
                  "%s: %s", cases[i].args, err);
        snprintf(cmd, sizeof cmd, "%s/out", S_tmp);
        cr_expect_neq(access(cmd, F_OK), 0, "%s: the output directory was made", cases[i].args);
    }
    /* the state alone fits: a short run under the same limit goes ahead */
    snprintf(cmd, sizeof cmd,
             "PLACESIM_MEMORY_LIMIT=200M %s run tests/data/small.cfg --reps 1 --set run.weeks=10 "
             "--set 'run.summary_weeks=[10]' --quiet --out %s/out > /dev/null 2> %s",
             PLACESIM_BINARY, S_tmp, path);
    tp_read_text(path, err, sizeof err);
    cr_expect_eq(tp_shell(cmd), 0, "%s", err);
    /* a sweep counts its runs side by side and its table */
    snprintf(cmd, sizeof cmd,
             "PLACESIM_MEMORY_LIMIT=100K %s sweep tests/data/sweeps/valid.cfg --threads 2 --quiet "
             "--out %s/sweep > /dev/null 2> %s",
             PLACESIM_BINARY, S_tmp, path);
    cr_expect_eq(tp_shell(cmd), 4);
    tp_read_text(path, err, sizeof err);
    cr_expect(strstr(err, "2 runs at once of 2000 citizens each") &&
                  strstr(err, "and the table of 6 runs"), "%s", err);
    snprintf(cmd, sizeof cmd, "%s/sweep", S_tmp);
    cr_expect_neq(access(cmd, F_OK), 0, "the sweep's directory was made");
}

Test(run, bad_command_lines_exit_2, .init = S_mktmp, .fini = S_rmtmp)
{
    char err[4096];
    cr_expect_eq(S_placesim("", err, sizeof err), 2);
    cr_expect_eq(S_placesim("frobnicate", err, sizeof err), 2);
    cr_expect(strstr(err, "unknown command") != NULL);
    cr_expect_eq(S_placesim("run configs/coventry.cfg --reps 0", err, sizeof err), 2);
    cr_expect(strstr(err, "--reps") != NULL);
    cr_expect_eq(S_placesim("run configs/coventry.cfg --threads x", err, sizeof err), 2);
    cr_expect_eq(S_placesim("run", err, sizeof err), 2);
    /* a week beyond an int used to wrap to week 0 (2^32) */
    cr_expect_eq(S_placesim("run configs/coventry.cfg --snapshot-at 4294967296 x.snap", err,
                            sizeof err), 2);
    cr_expect(strstr(err, "--snapshot-at: expected a week") != NULL);
    cr_expect_eq(S_placesim("run /nonexistent.cfg", err, sizeof err), 3);
    cr_expect(strstr(err, "/nonexistent.cfg") != NULL);
    cr_expect_eq(S_placesim("--version", NULL, 0), 0);
    cr_expect_eq(S_placesim("--help", NULL, 0), 0);
    cr_expect_eq(S_placesim("run --help", NULL, 0), 0);
    cr_expect_eq(S_placesim("params", NULL, 0), 0);
    cr_expect_eq(S_placesim("help metrics", NULL, 0), 0);
    cr_expect_eq(S_placesim("help", NULL, 0), 0);
    /* help for a command that does not exist is an error, not the general help */
    cr_expect_eq(S_placesim("help nosuch", err, sizeof err), 2);
    cr_expect(strstr(err, "there is no command 'nosuch'") != NULL, "%s", err);
    cr_expect_eq(S_placesim("metrics", err, sizeof err), 2);
    cr_expect(strstr(err, "usage: placesim metrics") != NULL, "%s", err);
    cr_expect_eq(S_placesim("metrics /nonexistent.cfg", err, sizeof err), 3);
}

/* Short runs keep every value of the state in range, the population
 * constant, influence summing to at most one, with and without shocks. */
typedef struct {
    int cut_week, depart_week;
} S_shocks;

static void S_event(sc_state *st, int week, void *vctx)
{
    S_shocks *s = vctx;
    if (week == s->cut_week) sc_scale_budget(st, KIND_STATUTORY, 0.5);
    if (week == s->depart_week) sc_actor_depart(st, sc_most_influential(st));
}

Test(invariants, state_stays_in_range_every_tick, .timeout = 300)
{
    const char *sets[] = {"population.size=5000", "run.weeks=200", "run.warmup=10"};
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", sets, 3), 0);
    double *rows = calloc((size_t)201 * tp_n_metrics(&tp), sizeof *rows);
    cr_assert_not_null(rows);
    S_shocks s = {50, 120};
    cr_expect_eq(tp_run(&tp, 0, S_event, &s, rows, 1), 0);
    /* metrics are finite where defined, shares are shares */
    size_t m_unmet = tp_metric(&tp, "unmet_share"), m_wb = tp_metric(&tp, "wellbeing_mean");
    for (int w = 0; w <= 200; w++) {
        double u = rows[(size_t)w * tp_n_metrics(&tp) + m_unmet];
        double wb = rows[(size_t)w * tp_n_metrics(&tp) + m_wb];
        cr_expect(u >= 0 && u <= 1, "week %d unmet share %g", w, u);
        cr_expect(wb > 0 && wb <= 1, "week %d wellbeing %g", w, wb);
    }
    free(rows);
    tp_free(&tp);
}

/* z is a class bit while the disadvantage parameters stay as they were; a
 * change gives every citizen its own z: adults keep theirs, newcomers draw
 * with the new parameters */
typedef struct {
    float *before;
    size_t n, kept, new_class;
    int materialised_before;
} S_zcheck;

static void S_zevent(sc_state *st, int week, void *vctx)
{
    S_zcheck *z = vctx;
    sc_citizens *c = &st->c;
    if (week == 10) {
        z->materialised_before = c->z != NULL;
        z->n = c->n;
        z->before = malloc(c->n * sizeof *z->before);
        for (size_t i = 0; i < c->n; i++) z->before[i] = (float)sc_z(c, i);
        st->prm_local.high_ratio = 100;
        st->prm_local.high_share = 0.05;
    } else if (week == 40 && z->before) {
        cr_assert_not_null(c->z, "no z per citizen after the change");
        double norm = 1 - 0.05 + 0.05 * 100;
        float lo = (float)(1 / norm), hi = (float)(100 / norm);
        for (size_t i = 0; i < c->n; i++) {
            if (c->z[i] == z->before[i]) z->kept++;
            else if (c->z[i] == lo || c->z[i] == hi) z->new_class++;
            else cr_expect(0, "citizen %zu: z %g is neither its old nor a new class value", i,
                           c->z[i]);
            cr_expect_eq((float)sc_z(c, i), c->z[i]);
        }
    }
}

Test(invariants, adults_keep_their_disadvantage_when_it_changes, .timeout = 120)
{
    const char *sets[] = {"population.size=4000", "run.weeks=41", "run.warmup=0",
                          "population.turnover=0.01"};
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", sets, 4), 0);
    S_zcheck z = {0};
    cr_expect_eq(tp_run(&tp, 0, S_zevent, &z, NULL, 1), 0);
    cr_expect_eq(z.materialised_before, 0, "z per citizen before any change");
    cr_expect(z.kept > 0 && z.new_class > 0, "kept %zu, new %zu", z.kept, z.new_class);
    free(z.before);
    tp_free(&tp);
}

Test(invariants, no_need_hazard_means_no_needs, .timeout = 120)
{
    /* with every onset hazard at zero and nobody in need at the start, no
     * one ever has a need, and nobody is ever supported */
    const char *sets[] = {"population.size=3000", "run.weeks=52", "run.warmup=0",
                          "needs.domains.housing.onset=0", "needs.domains.housing.initial=0",
                          "needs.domains.physical_health.onset=0",
                          "needs.domains.physical_health.initial=0",
                          "needs.domains.mental_health.onset=0",
                          "needs.domains.mental_health.initial=0",
                          "needs.domains.substance_use.onset=0",
                          "needs.domains.substance_use.initial=0",
                          "needs.domains.safety.onset=0", "needs.domains.safety.initial=0",
                          "needs.domains.offending.onset=0", "needs.domains.offending.initial=0",
                          "needs.domains.employment.onset=0",
                          "needs.domains.employment.initial=0", "needs.domains.money.onset=0",
                          "needs.domains.money.initial=0"};
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", sets, sizeof sets / sizeof *sets), 0);
    double *rows = calloc((size_t)53 * tp_n_metrics(&tp), sizeof *rows);
    cr_assert_eq(tp_run(&tp, 0, NULL, NULL, rows, 1), 0);
    size_t mp = tp_metric(&tp, "prevalence_1plus"), mc = tp_metric(&tp, "open_cases");
    for (int w = 0; w <= 52; w++) {
        cr_expect_eq(rows[(size_t)w * tp_n_metrics(&tp) + mp], 0.0);
        cr_expect_eq(rows[(size_t)w * tp_n_metrics(&tp) + mc], 0.0);
    }
    free(rows);
    tp_free(&tp);
}

Test(run, sigint_stops_cleanly_and_leaves_nothing_that_looks_complete, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 120)
{
    char cmd[2048];
    /* a run long enough to be interrupted, stopped after a second */
    snprintf(cmd, sizeof cmd,
             "%s run configs/coventry.cfg --set population.size=200000 --reps 50 --quiet "
             "--out %s/out > /dev/null 2> %s/err.txt & pid=$!; sleep 1.5; kill -INT $pid; "
             "wait $pid",
             PLACESIM_BINARY, S_tmp, S_tmp);
    signal(SIGCHLD, SIG_DFL);
    int st = system(cmd);
    cr_expect(WIFEXITED(st) && WEXITSTATUS(st) == 6, "exit status %d", WEXITSTATUS(st));
    char path[512];
    size_t n;
    snprintf(path, sizeof path, "%s/out/series.csv", S_tmp);
    cr_expect_neq(access(path, F_OK), 0, "series.csv must not exist");
    snprintf(path, sizeof path, "%s/out/summary.csv", S_tmp);
    cr_expect_neq(access(path, F_OK), 0, "summary.csv must not exist");
    snprintf(path, sizeof path, "%s/out", S_tmp);
    cr_expect(!tp_dir_has_suffix(path, ".partial"), "no temporary file is left");
    snprintf(path, sizeof path, "%s/out/manifest.json", S_tmp);
    char *man = S_slurp(path, &n);
    cr_assert_not_null(man);
    cr_expect(strstr(man, "\"finished\": false") != NULL);
    free(man);
    snprintf(path, sizeof path, "%s/err.txt", S_tmp);
    char *err = S_slurp(path, &n);
    cr_assert_not_null(err);
    cr_expect(strstr(err, "stopped by signal 2") != NULL, "message: %s", err);
    free(err);
}

Test(invariants, a_non_finite_citizen_value_stops_the_run_naming_it, .timeout = 60)
{
    const char *sets[] = {"population.size=3000", "run.weeks=10", "run.warmup=0"};
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "configs/coventry.cfg", sets, 3), 0);
    ps_diag d;
    ps_diag_init(&d);
    ps_step_ctx ctx;
    ctx.key = ps_rng_key_make(1, 0);
    sc_state *st = sc_create(tp.place, ctx.key, &d);
    cr_assert_not_null(st);
    /* a citizen with a need (so the full path reads it), then corrupted */
    size_t victim = 0;
    for (size_t i = 0; i < st->c.n; i++)
        if (st->c.status[i] != ST_NONE) {
            victim = i;
            break;
        }
    st->c.sev[victim * (size_t)st->c.D + 2] = NAN;
    ctx.tick = 0;
    ctx.week = 0;
    int rc = sc_model_type.step(st, &ctx, &d);
    cr_expect_eq(rc, PS_ERR_NUMERIC);
    char msg[1024] = "";
    if (d.count) ps_diag_format(&d, 0, msg, sizeof msg);
    char want[64];
    snprintf(want, sizeof want, "citizen %zu", victim);
    cr_expect(strstr(msg, "tick 0") && strstr(msg, want) && strstr(msg, "mental_health"),
              "message: %s", msg);
    sc_destroy(st);
    tp_free(&tp);
}
