/* Answers a board can trust: a warm state found once and cached for the
 * same scenario only, every arm branched from the baseline's settled
 * place, paired resilience, comparisons run to a stated precision, and
 * costs that count unmet need. End-to-end runs of the placesim binary. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support.h"

static char S_tmp[256];

static void S_mktmp(void) { tp_mktmp(S_tmp, sizeof S_tmp, "answers"); }

static void S_rmtmp(void) { tp_rmtmp(S_tmp); }

/* Runs a shell command line with $P the binary, $T the test's directory
 * and the cache in $T/cache; returns its exit status. */
static int S_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int S_sh(const char *fmt, ...)
{
    /* room for the body, the two paths the build names and the directory */
    char body[3000], cmd[sizeof body + sizeof PLACESIM_SOURCE_DIR + sizeof PLACESIM_BINARY +
                         2 * sizeof S_tmp + 96];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "cd '%s' && P='%s' T='%s' PLACESIM_CACHE='%s/cache' sh -c '%s'",
             PLACESIM_SOURCE_DIR, PLACESIM_BINARY, S_tmp, S_tmp, body);
    return tp_shell(cmd);
}

/* The value of "key": N in a JSON file (first occurrence), or -1. */
static double S_json_number(const char *path, const char *key)
{
    char buf[1 << 16], pat[128];
    tp_read_text(path, buf, sizeof buf);
    snprintf(pat, sizeof pat, "\"%s\": ", key);
    const char *p = strstr(buf, pat);
    return p ? atof(p + strlen(pat)) : -1;
}

static int S_json_true(const char *path, const char *key)
{
    char buf[1 << 16], pat[128];
    tp_read_text(path, buf, sizeof buf);
    snprintf(pat, sizeof pat, "\"%s\": true", key);
    return strstr(buf, pat) != NULL;
}

#define SMALL "configs/coventry.cfg --set population.size=6000 --set run.weeks=104 " \
              "--set run.warmup=156 --reps 3 --quiet --overwrite"

Test(cache, a_warm_state_is_reused_for_the_same_scenario_only, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 300)
{
    char m[400];
    cr_assert_eq(S_sh("$P run " SMALL " --out $T/a"), 0);
    snprintf(m, sizeof m, "%s/a/manifest.json", S_tmp);
    cr_expect_eq(S_json_number(m, "replications_from_cache"), 0, "the first run warms up");
    /* the same scenario with more replications and another horizon: the
     * warm states of replications 0..2 are reused, the fourth is new */
    cr_assert_eq(S_sh("$P run " SMALL " --reps 4 --set run.weeks=52 --out $T/b"), 0);
    snprintf(m, sizeof m, "%s/b/manifest.json", S_tmp);
    cr_expect_eq(S_json_number(m, "replications_from_cache"), 3);
    cr_expect_eq(S_sh("head -n 54 $T/a/series.csv > $T/a54 && head -n 54 $T/b/series.csv > $T/b54 "
                      "&& cmp -s $T/a54 $T/b54"),
                 0, "replication 0 of the cached run is the same, week by week");
    /* another scenario (a parameter changed) never reads them */
    cr_assert_eq(S_sh("$P run " SMALL " --set trust.alpha=0.2 --out $T/c"), 0);
    snprintf(m, sizeof m, "%s/c/manifest.json", S_tmp);
    cr_expect_eq(S_json_number(m, "replications_from_cache"), 0);
    /* a damaged entry is not used: the warm-up runs again, same results */
    cr_assert_eq(S_sh("for f in $T/cache/warm-*.state; do "
                      "printf x | dd of=$f bs=1 seek=5000 conv=notrunc 2>/dev/null; done"), 0);
    cr_assert_eq(S_sh("$P run " SMALL " --out $T/d"), 0);
    snprintf(m, sizeof m, "%s/d/manifest.json", S_tmp);
    cr_expect_eq(S_json_number(m, "replications_from_cache"), 0);
    cr_expect_eq(S_sh("cmp -s $T/a/series.csv $T/d/series.csv && "
                      "cmp -s $T/a/annual.csv $T/d/annual.csv"), 0);
    /* and --no-cache gives the same bits on one thread */
    cr_assert_eq(S_sh("$P run " SMALL " --no-cache --threads 1 --out $T/e"), 0);
    cr_expect_eq(S_sh("cmp -s $T/a/series.csv $T/e/series.csv"), 0);
}

Test(compare, every_arm_starts_from_the_baselines_settled_place, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 300)
{
    const char *policy = "configs/policies/keep_in_touch_follow_up.cfg";
    cr_assert_eq(S_sh("$P compare " SMALL " %s --out $T/cmp", policy), 0);
    cr_assert_eq(S_sh("$P run " SMALL " --out $T/base"), 0);
    cr_assert_eq(S_sh("$P run " SMALL " --policy %s --out $T/pol", policy), 0);
    /* the arms of the comparison are the two runs, byte for byte */
    cr_expect_eq(S_sh("grep \"^baseline,\" $T/cmp/series.csv | cut -d, -f2- > $T/x && "
                      "tail -n +2 $T/base/series.csv | cmp -s - $T/x"), 0);
    cr_expect_eq(S_sh("grep \"^Keep-in-touch\" $T/cmp/series.csv | cut -d, -f2- > $T/y && "
                      "tail -n +2 $T/pol/series.csv | cmp -s - $T/y"), 0);
    /* both start from the same state: week 0 is the same row */
    cr_expect_eq(S_sh("awk -F, \"\\$2 == 0\" $T/x > $T/x0; awk -F, \"\\$2 == 0\" $T/y > $T/y0; "
                      "test -s $T/x0 && cmp -s $T/x0 $T/y0"), 0);
    char m[400];
    snprintf(m, sizeof m, "%s/cmp/manifest.json", S_tmp);
    cr_expect(S_json_number(m, "warmup_weeks") == 156, "the manifest names the warm-up");
}

Test(compare, a_shock_that_changes_nothing_has_zero_drawdown_and_loss, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 300)
{
    cr_assert_eq(S_sh("$P compare " SMALL " tests/data/policies/zero_cut.cfg --out $T/z"), 0);
    /* every metric's drawdown and loss columns (6 and 9) are exactly 0 */
    cr_expect_eq(S_sh("tail -n +2 $T/z/resilience_summary.csv | grep -c . | grep -qx 12"), 0,
                 "one row per resilience metric");
    cr_expect_eq(S_sh("tail -n +2 $T/z/resilience_summary.csv | "
                      "awk -F, \"{ if (\\$6 != 0 || \\$9 != 0) bad = 1 } END { exit bad }\""),
                 0);
    /* a real cut, measured on the difference from its paired baseline,
     * falls: the wellbeing drawdown is above 0 */
    cr_assert_eq(S_sh("$P compare " SMALL " tests/data/policies/cut_at_26.cfg --out $T/c"), 0);
    cr_expect_eq(S_sh("grep \",wellbeing_with_needs,\" $T/c/resilience_summary.csv | "
                      "awk -F, \"{ exit !(\\$6 > 0) }\""),
                 0);
}

Test(compare, precision_gives_the_same_answer_for_any_batch_and_thread_count,
     .init = S_mktmp, .fini = S_rmtmp, .timeout = 600)
{
    const char *args = "$P compare " SMALL " tests/data/policies/cut_at_26.cfg --reps 2 "
                       "--precision 0.01 --max-reps 12";
    cr_assert_eq(S_sh("%s --batch 1 --threads 1 --out $T/p1", args), 0);
    cr_assert_eq(S_sh("%s --batch 5 --threads 2 --out $T/p5", args), 0);
    cr_expect_eq(S_sh("cmp -s $T/p1/compare.csv $T/p5/compare.csv && "
                      "cmp -s $T/p1/series.csv $T/p5/series.csv && "
                      "cmp -s $T/p1/costs.csv $T/p5/costs.csv"), 0);
    char m[400];
    snprintf(m, sizeof m, "%s/p1/manifest.json", S_tmp);
    double used = S_json_number(m, "replications_used");
    double worst = S_json_number(m, "worst_half_width");
    int met = S_json_true(m, "met");
    fprintf(stderr, "precision 0.01: %g replications, worst half-width %g, met %d\n", used, worst,
            met);
    cr_expect(used >= 2 && used <= 12);
    cr_expect(met ? worst <= 0.01 : used == 12, "met means within target; not met means the cap");
    /* the interval of every difference that covers 0 says so */
    cr_expect_eq(S_sh("awk -F, \"NR > 1 && \\$11 != \\\"nan\\\" { in0 = (\\$11 <= 0 && \\$12 >= 0); "
                      "nd = (\\$16 == \\\"no detectable effect\\\"); if (in0 != nd) bad = 1 } "
                      "END { exit bad }\" $T/p1/compare.csv"),
                 0);
}

Test(costs, a_pure_capacity_cut_does_not_look_cheaper, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 600)
{
    /* a 20 % statutory cut for good: it saves service costs and costs more
     * in crisis than it saves, and outcomes are worse */
    cr_assert_eq(S_sh("$P compare configs/coventry.cfg configs/shocks/funding_cut_20.cfg "
                      "--set population.size=20000 --set run.warmup=260 --reps 4 --quiet "
                      "--overwrite --out $T/cut"),
                 0);
    char path[400], buf[8192];
    snprintf(path, sizeof path, "%s/cut/costs.csv", S_tmp);
    tp_read_text(path, buf, sizeof buf);
    fprintf(stderr, "%s", buf);
    cr_expect_eq(S_sh("grep \"^cost_services,.*,simulated adults,\" $T/cut/costs.csv | awk -F, \"{ exit !(\\$12 < 0) }\""),
                 0, "the cut saves service costs");
    cr_expect_eq(S_sh("grep \"^cost_crisis,.*,simulated adults,\" $T/cut/costs.csv | awk -F, \"{ exit !(\\$12 > 0) }\""),
                 0, "and raises crisis costs");
    cr_expect_eq(S_sh("grep \"^cost_total,.*,simulated adults,\" $T/cut/costs.csv | awk -F, \"{ exit !(\\$12 > 0) }\""),
                 0, "so in total it costs more");
    cr_expect_eq(S_sh("grep \"^unmet_share_of_needs,all,\" $T/cut/compare.csv | "
                      "awk -F, \"{ exit !(\\$11 > 0) }\""),
                 0, "while more needs go unmet");
}

Test(steady, the_detector_flags_a_known_transient_and_passes_a_settled_run, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 300)
{
    /* tests/data/small.cfg starts every adult with a need unmet and no
     * trust earned: a transient of years. Reported from week 0 of the
     * simulation (no warm-up), MSER-5 finds it outlasting the warm-up;
     * after fifteen years of warm-up, the run is steady. */
    const char *args = "$P run tests/data/small.cfg --reps 4 --set run.weeks=260 --quiet "
                       "--overwrite";
    cr_assert_eq(S_sh("%s --set run.warmup=0 --out $T/cold", args), 0);
    cr_assert_eq(S_sh("%s --set run.warmup=780 --out $T/warm", args), 0);
    char m[400];
    snprintf(m, sizeof m, "%s/cold/manifest.json", S_tmp);
    cr_expect(!S_json_true(m, "warmup_covers_transient"), "a cold start is not steady");
    snprintf(m, sizeof m, "%s/warm/manifest.json", S_tmp);
    cr_expect(S_json_true(m, "warmup_covers_transient"), "fifteen years of warm-up cover it");
    cr_expect(S_json_number(m, "transient_ends_week") <= 0);
    char buf[1 << 16];
    tp_read_text(m, buf, sizeof buf);
    cr_expect(strstr(buf, "\"stationarity\": \"passed\"") != NULL, "no drift once settled");
}
