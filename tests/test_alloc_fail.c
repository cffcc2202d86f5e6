/* Allocation failure is handled one way: whichever allocation fails, a
 * run returns PS_ERR_MEMORY (exit status 4) with a diagnostic, leaves no
 * finished manifest, and does not crash or leak. Every allocation of a
 * small run is made to fail in turn (tests/alloc_fail.c). */
#include <criterion/criterion.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc_fail.h"
#include "loaded_scenario.h"
#include "sim.h"
#include "support.h"
#include "systems_change.h"

static int S_run(const char *out, ps_diag *d)
{
    static const char *const sets[] = {"population.size=300", "run.weeks=6", "run.warmup=3",
                                       "run.replications=2", "run.summary_weeks=[6]"};
    ps_loaded l;
    int rc = ps_loaded_open(&l, &sc_model_type, PLACESIM_SOURCE_DIR "/tests/data/small.cfg",
                            NULL, sets, 5, d);
    if (rc == 0) {
        ps_run_options opt = {.out_dir = out, .timeline = &l.timeline, .threads = 1,
                              .overwrite = 1, .quiet = 1, .version = "test"};
        ps_run_result res;
        memset(&res, 0, sizeof res);
        rc = ps_sim_run(&sc_model_type, l.place, &l.scen, &opt, &res, d);
    } else {
        rc = d->status ? d->status : -1;
    }
    ps_loaded_close(&l);
    return rc;
}

Test(alloc_fail, every_allocation_of_a_small_run_fails_cleanly, .timeout = 600)
{
    omp_set_num_threads(1);
    char dir[512], out[600];
    tp_mktmp(dir, sizeof dir, "alloc-fail");
    snprintf(out, sizeof out, "%s/run", dir);
    ps_diag d;
    ps_diag_init(&d);
    tp_alloc_fail_at(0);
    int rc0 = S_run(out, &d);
    char line[512] = "";
    if (d.count) ps_diag_format(&d, 0, line, sizeof line);
    cr_assert_eq(rc0, 0, "the run without a failure: %s", line);
    long n = tp_alloc_count();
    cr_assert_gt(n, 10);
    char spath[700], mpath[700], ref_series[700];
    snprintf(spath, sizeof spath, "%s/series.csv", out);
    snprintf(mpath, sizeof mpath, "%s/manifest.json", out);
    snprintf(ref_series, sizeof ref_series, "%s/reference.csv", dir);
    cr_assert_eq(rename(spath, ref_series), 0);
    unlink(mpath);
    long bad = 0, memory_free = 0;
    for (long k = 1; k <= n; k++) {
        ps_diag_init(&d);
        tp_alloc_fail_at(k);
        int rc = S_run(out, &d);
        tp_alloc_fail_at(0);
        /* out of memory, and nothing says it finished; or a failure that
         * cost nothing (a fallback with the same result): the same bytes */
        char manifest[4096];
        tp_read_text(mpath, manifest, sizeof manifest);
        int finished = strstr(manifest, "\"finished\": true") != NULL;
        int ok = rc == PS_ERR_MEMORY ? !finished && d.count > 0
                                     : rc == 0 && tp_same_file(spath, ref_series);
        if (!ok && bad++ < 20)
            cr_expect(ok, "allocation %ld of %ld: status %d, finished %d", k, n, rc, finished);
        if (rc == 0) memory_free++;
        unlink(mpath);
    }
    cr_expect_eq(bad, 0, "%ld of %ld allocation failures were not reported as such", bad, n);
    /* nearly every failure is reported: a fallback is the exception */
    cr_expect_lt(memory_free, n / 10, "%ld of %ld failures cost nothing", memory_free, n);
    tp_rmtmp(dir);
}
