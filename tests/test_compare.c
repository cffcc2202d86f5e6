/* Policy experiments: interventions act when and how they are dated, paired
 * comparison with common random numbers, policy-file errors, and the
 * report rendered in a real browser. */
#include <criterion/criterion.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "experiment.h"
#include "scenario.h"
#include "policy.h"
#include "stats.h"
#include "support.h"
#include "systems_change.h"

/* One arm: scenario (+ policy), place, compiled timeline. */
typedef struct {
    ps_params *reg;
    ps_scenario scen;
    ps_policy policy;
    int has_policy;
    sc_place *place;
    ps_timeline tl;
} S_arm;

static void S_print(const ps_diag *d)
{
    char b[512];
    for (int i = 0; i < d->count && i < PS_DIAG_MAX; i++) {
        ps_diag_format(d, i, b, sizeof b);
        fprintf(stderr, "%s\n", b);
    }
}

static void S_load(S_arm *a, const char *policy, const char *const *sets, size_t n)
{
    memset(a, 0, sizeof *a);
    ps_diag d;
    ps_diag_init(&d);
    a->reg = ps_params_create();
    cr_assert_eq(sc_model_type.declare(a->reg), 0);
    const char *all[32];
    size_t k = 0;
    if (policy) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", PLACESIM_SOURCE_DIR, policy);
        a->has_policy = 1;
        int rc = ps_policy_open(&a->policy, path, &d);
        if (rc) S_print(&d);
        cr_assert_eq(rc, 0);
        for (size_t i = 0; i < a->policy.n_sets; i++) all[k++] = a->policy.sets[i];
    }
    for (size_t i = 0; i < n; i++) all[k++] = sets[i];
    const char *keys[16];
    size_t nk = 0;
    for (size_t i = 0; i < sc_model_type.n_scenario_keys; i++)
        keys[nk++] = sc_model_type.scenario_keys[i];
    keys[nk++] = "timeline";
    char path[1024];
    snprintf(path, sizeof path, "%s/configs/coventry.cfg", PLACESIM_SOURCE_DIR);
    int rc = ps_scenario_open(&a->scen, path, a->reg, keys, nk, all, k, &d);
    if (rc == 0) a->place = sc_model_type.load(&a->scen, a->reg, &d);
    if (a->place && policy) ps_timeline_read(&a->tl, a->policy.timeline, a->scen.run.weeks, &d);
    if (a->place && d.count == 0) ps_sim_compile_timeline(&sc_model_type, a->place, a->reg, &a->tl, &d);
    if (d.count) S_print(&d);
    cr_assert_eq(d.count, 0);
}

static void S_free(S_arm *a)
{
    ps_timeline_free(&a->tl, sc_model_type.intervention_free);
    if (a->place) sc_model_type.unload(a->place);
    ps_scenario_close(&a->scen);
    if (a->has_policy) ps_policy_close(&a->policy);
    ps_params_free(a->reg);
}

static size_t S_metric(const sc_place *pl, const char *name)
{
    for (size_t m = 0; m < pl->n_metrics; m++)
        if (strcmp(pl->metrics[m].name, name) == 0) return m;
    cr_assert_fail("no metric %s", name);
    return 0;
}

#define SMALL "population.size=8000", "run.weeks=104", "run.warmup=26"

Test(interventions, a_ramped_capacity_cut_acts_on_its_dates, .timeout = 120)
{
    const char *sets[] = {SMALL};
    S_arm base, cut;
    S_load(&base, NULL, sets, 3);
    S_load(&cut, "tests/data/policies/ramped_capacity.cfg", sets, 3);
    size_t nm = base.place->n_metrics, mc = S_metric(base.place, "capacity_total");
    double *rb = calloc(105 * nm, sizeof *rb), *rc = calloc(105 * nm, sizeof *rc);
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_sim_replication(&sc_model_type, base.place, &base.scen.run, &base.tl, 0, rb, NULL, &d), 0);
    cr_assert_eq(ps_sim_replication(&sc_model_type, cut.place, &cut.scen.run, &cut.tl, 0, rc, NULL, &d), 0);
    /* identical before week 20 (same random numbers, nothing applied yet) */
    for (int w = 0; w <= 20; w++)
        cr_expect_eq(rb[w * nm + mc], rc[w * nm + mc], "week %d", w);
    /* the statutory share of capacity falls by a tenth of the cut a week
     * over the ramp: the gap grows steadily and is largest by week 30 */
    double gap25 = rb[25 * nm + mc] - rc[25 * nm + mc], gap31 = rb[31 * nm + mc] - rc[31 * nm + mc];
    cr_expect(gap25 > 0 && gap31 > gap25, "gap at 25: %g, at 31: %g", gap25, gap31);
    /* reverted at week 60: capacity comes back to within 5 % of the baseline */
    double after = rc[62 * nm + mc], basev = rb[62 * nm + mc];
    cr_expect(fabs(after - basev) < 0.05 * basev, "after revert %g vs %g", after, basev);
    free(rb);
    free(rc);
    S_free(&base);
    S_free(&cut);
}

Test(interventions, a_dormant_actor_arrives_with_new_actor, .timeout = 120)
{
    const char *sets[] = {SMALL};
    S_arm arm;
    S_load(&arm, "tests/data/policies/new_food_bank.cfg", sets, 3);
    size_t nm = arm.place->n_metrics, ma = S_metric(arm.place, "actors_active");
    double *rows = calloc(105 * nm, sizeof *rows);
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_sim_replication(&sc_model_type, arm.place, &arm.scen.run, &arm.tl, 0, rows, NULL, &d), 0);
    double before = rows[20 * nm + ma], after = rows[21 * nm + ma];
    cr_expect_eq(after, before + 1, "actors before %g, after %g", before, after);
    cr_expect_eq(before, arm.place->A - 1);
    free(rows);
    S_free(&arm);
}

Test(interventions, a_closed_actor_does_not_come_back, .timeout = 120)
{
    const char *sets[] = {SMALL};
    S_arm arm;
    S_load(&arm, "tests/data/policies/reopen_closed.cfg", sets, 3);
    size_t nm = arm.place->n_metrics, ma = S_metric(arm.place, "actors_active");
    double *rows = calloc(105 * nm, sizeof *rows);
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_sim_replication(&sc_model_type, arm.place, &arm.scen.run, &arm.tl, 0, rows,
                                    NULL, &d), 0);
    double n0 = rows[20 * nm + ma], n1 = rows[21 * nm + ma], n2 = rows[31 * nm + ma],
           n3 = rows[41 * nm + ma];
    cr_expect(n1 == n0 + 1 && n2 == n0 && n3 == n0, "actors: %g, %g, %g, %g", n0, n1, n2, n3);
    free(rows);
    S_free(&arm);
}

Test(compare, paired_interval_is_narrower_than_unpaired, .timeout = 300)
{
    const char *sets[] = {"population.size=20000", "run.weeks=104", "run.warmup=52",
                          "run.replications=8"};
    S_arm arms[2];
    S_load(&arms[0], NULL, sets, 4);
    S_load(&arms[1], "tests/data/policies/cut_at_26.cfg", sets, 4);
    ps_arm spec[2] = {{"baseline", "", arms[0].place, &arms[0].scen, &arms[0].tl},
                      {"cut", "", arms[1].place, &arms[1].scen, &arms[1].tl}};
    ps_compare_data c;
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_compare_collect(&sc_model_type, spec, 2, 1, NULL, &c, &d), 0);
    size_t m = S_metric(arms[0].place, "wellbeing_with_needs");
    double x[8], y[8];
    for (size_t r = 0; r < 8; r++) {
        x[r] = y[r] = 0;
        for (size_t w = 27; w <= 104; w++) {
            x[r] += ps_compare_at(&c, 0, r, w)[m] / 78;
            y[r] += ps_compare_at(&c, 1, r, w)[m] / 78;
        }
    }
    ps_interval p = ps_paired_ci(x, y, 8), u = ps_unpaired_ci(x, y, 8);
    fprintf(stderr, "cut - baseline, wellbeing with needs: paired %.5f [%.5f, %.5f], "
                    "unpaired [%.5f, %.5f]\n", p.mean, p.lo, p.hi, u.lo, u.hi);
    cr_expect_float_eq(p.mean, u.mean, 1e-12, "the same difference of means");
    cr_expect(p.hi - p.lo < 0.5 * (u.hi - u.lo), "paired width %g, unpaired width %g",
              p.hi - p.lo, u.hi - u.lo);
    cr_expect(p.hi < 0, "a 30 %% cut lowers wellbeing: %g to %g", p.lo, p.hi);
    free(c.rows);
    S_free(&arms[0]);
    S_free(&arms[1]);
}

Test(compare, arms_share_random_numbers_until_the_policy_acts, .timeout = 120)
{
    const char *sets[] = {SMALL, "run.replications=2"};
    S_arm arms[2];
    S_load(&arms[0], NULL, sets, 4);
    S_load(&arms[1], "tests/data/policies/cut_at_26.cfg", sets, 4);
    ps_arm spec[2] = {{"baseline", "", arms[0].place, &arms[0].scen, &arms[0].tl},
                      {"cut", "", arms[1].place, &arms[1].scen, &arms[1].tl}};
    ps_compare_data c;
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_compare_collect(&sc_model_type, spec, 2, 1, NULL, &c, &d), 0);
    for (size_t r = 0; r < 2; r++) {
        cr_expect_eq(memcmp(ps_compare_at(&c, 0, r, 0), ps_compare_at(&c, 1, r, 0),
                            27 * c.n_metrics * sizeof(double)), 0,
                     "replication %zu differs before the cut", r);
        cr_expect_neq(memcmp(ps_compare_at(&c, 0, r, 30), ps_compare_at(&c, 1, r, 30),
                             c.n_metrics * sizeof(double)), 0);
    }
    free(c.rows);
    S_free(&arms[0]);
    S_free(&arms[1]);
}

/* ---- the command line: errors, outputs, the report in a browser ---------- */

static int S_sh(const char *cmd) { return tp_shell(cmd); }

typedef struct {
    const char *file, *where;
} S_bad;

Test(policies, malformed_policy_files_are_refused_with_file_and_line)
{
    static const S_bad bad[] = {
        {"bad_after_horizon.cfg", "bad_after_horizon.cfg:3: timeline.[0].at"},
        {"bad_unknown_target.cfg", "bad_unknown_target.cfg:3: timeline.[0].target"},
        {"bad_selector_nothing.cfg", "bad_selector_nothing.cfg:3: timeline.[0].target"},
        {"bad_selector_unknown_id.cfg",
         "bad_selector_unknown_id.cfg:3: timeline.[0].target: the selector 'id=polise' matches "
         "no actor (did you mean 'police'?)"},
        {"bad_unknown_shock.cfg", "bad_unknown_shock.cfg:3: timeline.[0].shock"},
        {"bad_departure_until.cfg", "bad_departure_until.cfg:3: timeline.[0].until"},
        {"bad_unknown_actor.cfg",
         "bad_unknown_actor.cfg:3: timeline.[0].actor: unknown actor 'polise' (did you mean "
         "'police'?)"},
        {"bad_op.cfg", "bad_op.cfg:3: timeline.[0].op"},
        {"bad_key.cfg", "bad_key.cfg:3: timeline.[0].shares"},
        {"bad_set.cfg", "bad_set.cfg:3: set.[0]"},
        {"bad_until_before.cfg", "bad_until_before.cfg:3: timeline.[0].until"},
        {"bad_new_actor_active.cfg", "bad_new_actor_active.cfg:3: timeline.[0].actor"},
        {"bad_scale_out_of_range.cfg",
         "bad_scale_out_of_range.cfg:3: timeline.[0].value: scaling by 20 takes trust.alpha "
         "from 0.1 to 2, outside its range [0, 1]"},
        {"bad_add_out_of_range.cfg",
         "bad_add_out_of_range.cfg:3: timeline.[0].value: adding 300 takes "
         "switches.follow_up_weeks from 26 to 326, outside its range [0, 250]"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char cmd[1024];
        snprintf(cmd, sizeof cmd,
                 "%s validate configs/coventry.cfg --policy tests/data/policies/%s "
                 "> /tmp/placesim-policy-err.txt 2>&1",
                 PLACESIM_BINARY, bad[i].file);
        cr_expect_eq(S_sh(cmd), 2, "%s: exit status", bad[i].file);
        FILE *fp = fopen("/tmp/placesim-policy-err.txt", "r");
        cr_assert_not_null(fp);
        char out[4096] = "";
        size_t n = fread(out, 1, sizeof out - 1, fp);
        out[n] = '\0';
        fclose(fp);
        cr_expect(strstr(out, bad[i].where) != NULL, "%s: expected '%s' in:\n%s", bad[i].file,
                  bad[i].where, out);
    }
    unlink("/tmp/placesim-policy-err.txt");
}

Test(report, compare_writes_a_report_that_renders_offline, .timeout = 600)
{
    char dir[] = "/tmp/placesim-report-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s compare configs/coventry.cfg tests/data/policies/cut_at_26.cfg --reps 3 --quiet "
             "--set population.size=6000 --set run.weeks=104 --set run.warmup=26 --out %s/out "
             ">/dev/null",
             PLACESIM_BINARY, dir);
    cr_assert_eq(S_sh(cmd), 0);
    static const char *const files[] = {"report.html", "compare.csv", "series.csv",
                                        "resilience.csv", "resilience_summary.csv",
                                        "radar.svg", "outcomes.svg", "difference.svg",
                                        "resilience.svg", "manifest.json"};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        char path[1200];
        snprintf(path, sizeof path, "%s/out/%s", dir, files[i]);
        cr_expect_eq(access(path, R_OK), 0, "%s missing", files[i]);
    }
    /* the report has no scripts and asks for nothing from the network */
    char path[1200];
    snprintf(path, sizeof path, "%s/out/report.html", dir);
    FILE *fp = fopen(path, "r");
    cr_assert_not_null(fp);
    static char html[1 << 20];
    size_t n = fread(html, 1, sizeof html - 1, fp);
    html[n] = '\0';
    fclose(fp);
    cr_expect(strstr(html, "<script") == NULL);
    cr_expect(strstr(html, "http://") == NULL || strstr(html, "http://www.w3.org/2000/svg"));
    cr_expect(strstr(html, "https://") == NULL);
    cr_expect(strstr(html, "class=\"summary\"") != NULL);
    /* a headless browser loads it and finds the charts */
    snprintf(path, sizeof path, "%s/out/report.html", dir);
    cr_assert_eq(tp_render_html(path, dir, html, sizeof html), 0,
                 "chromium failed or found a script error (see %s/chromium.log)", dir);
    int svgs = 0;
    for (char *p = html; (p = strstr(p, "<svg")) != NULL; p++) svgs++;
    cr_expect_geq(svgs, 4, "the browser's page has %d charts", svgs);
    cr_expect(strstr(html, "Precondition profile") != NULL);
    cr_expect(strstr(html, "Difference in wellbeing") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    S_sh(cmd);
}

/* ---- snapshots ------------------------------------------------------------ */

Test(snapshot, a_resumed_run_is_byte_identical_and_branches_policies, .timeout = 300)
{
    char dir[] = "/tmp/placesim-snap-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048], a[1200], b[1200];
    const char *S = "--set population.size=6000 --set run.weeks=104 --set run.warmup=26 "
                    "--reps 2 --quiet";
    snprintf(cmd, sizeof cmd,
             "%s run configs/coventry.cfg %s --snapshot-at 40 %s/w40.snap --out %s/whole "
             ">/dev/null",
             PLACESIM_BINARY, S, dir, dir);
    cr_assert_eq(S_sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s run configs/coventry.cfg %s --from %s/w40.snap --out %s/resumed "
                              ">/dev/null",
             PLACESIM_BINARY, S, dir, dir);
    cr_assert_eq(S_sh(cmd), 0);
    static const char *const files[] = {"series.csv", "summary.csv", "annual.csv"};
    for (int f = 0; f < 3; f++) {
        snprintf(a, sizeof a, "%s/whole/%s", dir, files[f]);
        snprintf(b, sizeof b, "%s/resumed/%s", dir, files[f]);
        cr_expect(tp_same_file(a, b), "%s differs after resuming", files[f]);
    }
    /* a policy branched from the snapshot: its baseline arm is the same run */
    snprintf(cmd, sizeof cmd,
             "%s compare configs/coventry.cfg tests/data/policies/cut_at_60.cfg %s --from "
             "%s/w40.snap --out %s/branch >/dev/null",
             PLACESIM_BINARY, S, dir, dir);
    cr_assert_eq(S_sh(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "grep '^baseline,' %s/branch/series.csv | cut -d, -f2- > %s/b.txt && "
             "tail -n +2 %s/whole/series.csv > %s/w.txt",
             dir, dir, dir, dir);
    cr_assert_eq(S_sh(cmd), 0);
    snprintf(a, sizeof a, "%s/b.txt", dir);
    snprintf(b, sizeof b, "%s/w.txt", dir);
    cr_expect(tp_same_file(a, b), "the branched baseline differs from the whole run");
    /* a parameter override takes effect in a branched run */
    snprintf(cmd, sizeof cmd,
             "%s compare configs/coventry.cfg tests/data/policies/faster_growth.cfg %s --from "
             "%s/w40.snap --out %s/growth >/dev/null && "
             "grep '^Faster growth,0,104,' %s/growth/series.csv | cut -d, -f4- > %s/g1.txt && "
             "grep '^baseline,0,104,' %s/growth/series.csv | cut -d, -f4- > %s/g0.txt",
             PLACESIM_BINARY, S, dir, dir, dir, dir, dir, dir);
    cr_assert_eq(S_sh(cmd), 0);
    snprintf(a, sizeof a, "%s/g0.txt", dir);
    snprintf(b, sizeof b, "%s/g1.txt", dir);
    cr_expect(!tp_same_file(a, b), "the override changed nothing after the snapshot");
    /* a snapshot of another seed, or a policy dated before it, is refused */
    snprintf(cmd, sizeof cmd, "%s run configs/coventry.cfg %s --seed 99 --from %s/w40.snap "
                              "--out %s/x 2>%s/err.txt >/dev/null",
             PLACESIM_BINARY, S, dir, dir, dir);
    cr_expect_eq(S_sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "grep -q 'different seed' %s/err.txt", dir);
    cr_expect_eq(S_sh(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "%s compare configs/coventry.cfg tests/data/policies/cut_at_26.cfg %s --from "
             "%s/w40.snap --out %s/y 2>%s/err2.txt >/dev/null",
             PLACESIM_BINARY, S, dir, dir, dir);
    cr_expect_eq(S_sh(cmd), 2);
    snprintf(cmd, sizeof cmd, "grep -q 'before the snapshot' %s/err2.txt", dir);
    cr_expect_eq(S_sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    S_sh(cmd);
}

/* The bytes of the file at path (malloc'd), and how many into *n. */
static unsigned char *S_slurp(const char *path, long *n)
{
    FILE *in = fopen(path, "rb");
    cr_assert_not_null(in);
    fseek(in, 0, SEEK_END);
    *n = ftell(in);
    rewind(in);
    unsigned char *b = malloc((size_t)*n + 1);
    cr_assert_not_null(b);
    cr_assert_eq(fread(b, 1, (size_t)*n, in), (size_t)*n);
    fclose(in);
    return b;
}

/* A snapshot made by hand: src with the 4 bytes at `at` replaced by
 * `value`, and every checksum computed afresh, as a file that was not
 * written by placesim but agrees with its checksums would be. `at` counts
 * from where replication 0's model state starts (after its rows and the
 * timeline's levels), or with in_header from the binary header's start.
 * Reads the layout of engine/snapshot.h. */
static void S_hand_made(const char *src, const char *dst, long at, const void *value,
                        int in_header)
{
    long n;
    unsigned char *b = S_slurp(src, &n);
    const size_t magic = 20, tables = magic + 120;
    int32_t reps, week, nm;
    memcpy(&reps, b + magic + 88, 4);
    memcpy(&week, b + magic + 100, 4);
    memcpy(&nm, b + magic + 104, 4);
    int64_t off[8], len[8];
    cr_assert(reps > 0 && reps <= 8);
    memcpy(off, b + tables, (size_t)reps * 8);
    memcpy(len, b + tables + (size_t)reps * 8, (size_t)reps * 8);
    /* the rows of weeks 0..week, no complete year, no intervention, then
     * the model's state */
    size_t model = (size_t)off[0] + (size_t)(week + 1) * (size_t)nm * 8 + 4 + 4;
    memcpy(b + (in_header ? magic : model) + (size_t)at, value, 4);
    for (int r = 0; r < reps; r++) {
        uint64_t sum = ps_fnv1a64(PS_FNV_OFFSET, b + off[r], (size_t)len[r]);
        memcpy(b + tables + 2 * (size_t)reps * 8 + (size_t)r * 8, &sum, 8);
    }
    uint64_t hs = ps_fnv1a64(PS_FNV_OFFSET, b, tables + 3 * (size_t)reps * 8);
    memcpy(b + tables + 3 * (size_t)reps * 8, &hs, 8);
    FILE *out = fopen(dst, "wb");
    cr_assert_not_null(out);
    fwrite(b, 1, (size_t)n, out);
    fclose(out);
    free(b);
}

/* A directory with a snapshot of tests/data/small.cfg at week 10 of 30 (2
 * replications) made by a run of the given population; the paths of the
 * snapshot, of a damaged copy to come and of the stderr to read, and the
 * run's settings (S, for the runs that use the snapshot). */
typedef struct {
    char dir[64], snap[200], bad[200], errpath[200], S[256];
} S_snapshot_fixture;

static void S_snapshot_make(S_snapshot_fixture *f, const char *name, int population)
{
    snprintf(f->dir, sizeof f->dir, "/tmp/placesim-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(f->dir));
    snprintf(f->S, sizeof f->S,
             "--set population.size=%d --set run.weeks=30 --set run.warmup=4 "
             "--set 'run.summary_weeks=[30]' --reps 2 --quiet", population);
    snprintf(f->snap, sizeof f->snap, "%s/w.snap", f->dir);
    snprintf(f->bad, sizeof f->bad, "%s/bad.snap", f->dir);
    snprintf(f->errpath, sizeof f->errpath, "%s/err.txt", f->dir);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "%s run tests/data/small.cfg %s --snapshot-at 10 %s --out %s/whole >/dev/null",
             PLACESIM_BINARY, f->S, f->snap, f->dir);
    cr_assert_eq(S_sh(cmd), 0);
}

/* A snapshot whose checksums hold but whose state is not one a run of this
 * place can be in (made by hand, or damaged where a checksum agrees by
 * chance) is refused naming the value, before its replication runs. Such states
 * used to be taken as they were: a severity of 2 gave other results, and
 * an index beyond the place (a link's end, a citizen's lead) made the
 * model read and write out of bounds (found by fuzz_snapshot and
 * fuzz_warm; their regression inputs are in tests/fuzz/corpus/). */
Test(snapshot, a_hand_made_state_is_refused_naming_the_value, .timeout = 120)
{
    S_snapshot_fixture f;
    S_snapshot_make(&f, "snaphand", 300);
    char *dir = f.dir, *snap = f.snap, *bad = f.bad, *errpath = f.errpath;
    const char *S = f.S;
    char cmd[2048], err[4096];
    /* the model's state: 4 check words, tick and week, then the severities
     * (floats, citizen-major): citizen 0's first need */
    const long sev0 = 32 + 8;
    const float two = 2.0f;
    S_hand_made(snap, bad, sev0, &two, 0);
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg %s --from %s --out %s/o1 "
             ">/dev/null 2>%s", PLACESIM_BINARY, S, bad, dir, errpath);
    cr_expect_eq(S_sh(cmd), 2);
    tp_read_text(errpath, err, sizeof err);
    char want[300];
    snprintf(want, sizeof want, "%s: --from: the snapshot's state is not a state of this place "
             "(citizen 0: severity of need 0 is 2)", bad);
    cr_expect(strstr(err, want) != NULL, "expected '%s' in %s", want, err);
    /* the state is read as its replication starts: the run stops there,
     * and its directory holds nothing but a manifest that says so */
    snprintf(cmd, sizeof cmd, "test \"$(ls -A %s/o1)\" = manifest.json && "
             "grep -q '\"finished\": false' %s/o1/manifest.json && "
             "grep -q '\"files\": \\[\\]' %s/o1/manifest.json", dir, dir, dir);
    cr_expect_eq(S_sh(cmd), 0, "the refused run left more than an unfinished manifest");
    /* and the same bytes, as placesim wrote them, resume */
    const float same = 0.0f;
    S_hand_made(snap, bad, sev0 + 4 * 300 * 8, &same, 0); /* citizen 0's assets: 0 is in range */
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg %s --from %s --out %s/o2 "
             ">/dev/null 2>%s", PLACESIM_BINARY, S, bad, dir, errpath);
    cr_expect_eq(S_sh(cmd), 0, "a hand-made state within range was refused");
    /* a week at or beyond the horizon (the header's week, at byte 100)
     * would lead the reader past its rows */
    const int32_t late = 40;
    S_hand_made(snap, bad, 100, &late, 1);
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg %s --from %s --out %s/o3 "
             ">/dev/null 2>%s", PLACESIM_BINARY, S, bad, dir, errpath);
    cr_expect_eq(S_sh(cmd), 2);
    tp_read_text(errpath, err, sizeof err);
    cr_expect(strstr(err, "the snapshot's header gives week 40 of a run of 30 weeks") != NULL,
              "%s", err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    S_sh(cmd);
}

/* Copies src to dst with the 4 bytes at offset flipped (offset < 0:
 * counted from the end; cut: only the first `cut` bytes). */
static void S_damage(const char *src, const char *dst, long offset, long cut)
{
    long n;
    unsigned char *b = S_slurp(src, &n);
    if (offset < 0) offset += n;
    for (long i = offset; cut == 0 && i < offset + 4 && i < n; i++) b[i] ^= 0xFF;
    FILE *out = fopen(dst, "wb");
    cr_assert_not_null(out);
    fwrite(b, 1, (size_t)(cut ? cut : n), out);
    fclose(out);
    free(b);
}

/* A snapshot whose bytes changed anywhere (the header, the tables, either
 * replication's state, its last bytes) or that was cut short is refused
 * before anything runs, naming the damaged part and its bytes; it used to
 * be taken and give other results with exit status 0. */
Test(snapshot, a_damaged_snapshot_is_refused_naming_the_part, .timeout = 120)
{
    S_snapshot_fixture f;
    S_snapshot_make(&f, "snapdmg", 3000);
    char *dir = f.dir, *snap = f.snap, *bad = f.bad, *errpath = f.errpath;
    const char *S = f.S;
    char cmd[2048], err[4096];
    static const struct {
        long offset, cut;
        const char *says;
    } cases[] = {
        {3, 0, "not a placesim snapshot"},
        {40, 0, "the checksum of its header (bytes 0 to "},   /* the model's name */
        {100, 0, "the checksum of its header (bytes 0 to "},  /* the seed */
        {150, 0, "the checksum of its header (bytes 0 to "},  /* the tables */
        {200, 0, "the checksum of the state of replication 0 (bytes "},
        {5000, 0, "the checksum of the state of replication 0 (bytes "},
        {-5000, 0, "the checksum of the state of replication 1 (bytes "},
        {-4, 0, "the checksum of the state of replication 1 (bytes "},
        {0, 300000, "the snapshot is truncated: replication 1 (bytes "},
        {0, 100, "the snapshot is truncated"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        S_damage(snap, bad, cases[i].offset, cases[i].cut);
        snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg %s --from %s --out %s/o%zu "
                 ">/dev/null 2>%s", PLACESIM_BINARY, S, bad, dir, i, errpath);
        cr_expect_eq(S_sh(cmd), 2, "offset %ld, cut %ld", cases[i].offset, cases[i].cut);
        tp_read_text(errpath, err, sizeof err);
        char want[300];
        snprintf(want, sizeof want, "%s: --from: ", bad);
        cr_expect(strncmp(err, want, strlen(want)) == 0 && strstr(err, cases[i].says),
                  "offset %ld, cut %ld: expected '%s' in %s", cases[i].offset, cases[i].cut,
                  cases[i].says, err);
        snprintf(cmd, sizeof cmd, "%s/o%zu", dir, i);
        cr_expect_neq(access(cmd, F_OK), 0, "offset %ld: an output directory was made",
                      cases[i].offset);
    }
    /* a snapshot of the earlier format is named as such */
    S_damage(snap, bad, 0, 0);
    snprintf(cmd, sizeof cmd, "printf 'placesim snapshot 1\\n' | dd of=%s conv=notrunc "
             "status=none", bad);
    cr_assert_eq(S_sh(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s run tests/data/small.cfg %s --from %s --out %s/v1 "
             ">/dev/null 2>%s", PLACESIM_BINARY, S, bad, dir, errpath);
    cr_expect_eq(S_sh(cmd), 2);
    tp_read_text(errpath, err, sizeof err);
    cr_expect(strstr(err, "a snapshot of another format (version 1;") != NULL, "%s", err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    S_sh(cmd);
}
