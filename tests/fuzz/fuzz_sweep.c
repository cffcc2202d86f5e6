/* libFuzzer target for sweep files: any bytes, read as a sweep file, must
 * give either a prepared design or diagnostics, never a crash, a leak or
 * undefined behaviour. The input is written to WORK/a/in/input.cfg, with
 * tests/data/small.cfg where the seeds' relative scenario paths
 * ("../small.cfg", "../../small.cfg") lead and the design matrices of
 * tests/data/bad/sweeps/ beside it, so that the factor paths, selectors,
 * metrics and designs are exercised beyond the file's own checks. Designs
 * beyond a few thousand points are not built: their size is the user's
 * choice, and the fuzzer's memory limit is not a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"
#include "sweep.h"
#include "systems_change.h"

static char S_path[512];

static void S_setup(void)
{
    const char *w = fz_workdir("sweep");
    char a[512], in[600], path[700];
    fz_path(a, sizeof a, w, "a");
    fz_path(in, sizeof in, a, "in");
    if (mkdir(a, 0777) != 0 || mkdir(in, 0777) != 0) abort();
    fz_path(path, sizeof path, w, "small.cfg");
    fz_copy_source("tests/data/small.cfg", path);
    fz_path(path, sizeof path, a, "small.cfg");
    fz_copy_source("tests/data/small.cfg", path);
    static const char *const matrices[] = {"bad_value.csv", "short_row.csv",
                                           "unknown_column.csv"};
    for (size_t i = 0; i < sizeof matrices / sizeof *matrices; i++) {
        char rel[200];
        snprintf(rel, sizeof rel, "tests/data/bad/sweeps/%s", matrices[i]);
        fz_path(path, sizeof path, in, matrices[i]);
        fz_copy_source(rel, path);
    }
    /* a good matrix too, under the name the design-less seed uses */
    static const char points[] = "trust speed,statutory capacity\n0.1,0.9\n0.2,1.1\n";
    fz_path(path, sizeof path, in, "points.csv");
    if (fz_write(path, points, sizeof points - 1) != 0) abort();
    fz_path(S_path, sizeof S_path, in, "input.cfg");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0]) S_setup();
    if (fz_write(S_path, data, size) != 0) abort();

    ps_sweep sw;
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_sweep_open(&sw, S_path, &d);
    if (rc == 0) {
        size_t points = sw.design == PS_SWEEP_FACTORIAL ? 1 : sw.samples * (sw.k + 2);
        for (size_t i = 0; sw.design == PS_SWEEP_FACTORIAL && i < sw.k && points <= 4096; i++)
            points *= sw.factors[i].dist == PS_DIST_DISCRETE ? sw.factors[i].n_levels
                                                             : (size_t)sw.factorial_levels;
        int small = sw.k <= 16 && points <= 4096;
        if (small && (rc = ps_sweep_prepare(&sw, &sc_model_type, &d)) == 0) {
            /* every run's overrides can be made */
            fz_check_run_sets(&sw);
        }
    }
    fz_check_diag(&d, rc);
    ps_sweep_close(&sw);
    return 0;
}
