/* libFuzzer target for sweep files: any bytes, read as a sweep file, must
 * give either a prepared design or diagnostics, never a crash, a leak or
 * undefined behaviour. The input is written to build-fuzz/sweep/in/, and
 * scripts/fuzz puts tests/data/small.cfg where the seeds' relative
 * scenario paths ("../small.cfg", "../../small.cfg") lead, so that the
 * factor paths, selectors, metrics and designs are exercised beyond the
 * file's own checks. Designs beyond a few
 * thousand points are not built: their size is the user's choice, and the
 * fuzzer's memory limit is not a bug. Built by scripts/fuzz with clang. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"
#include "systems_change.h"

static char S_path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0])
        snprintf(S_path, sizeof S_path, "build-fuzz/sweep/in/input-%d.cfg", (int)getpid());
    FILE *fp = fopen(S_path, "wb");
    if (!fp) return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);

    ps_sweep sw;
    ps_diag d;
    ps_diag_init(&d);
    if (ps_sweep_open(&sw, S_path, &d) == 0) {
        size_t points = sw.design == PS_SWEEP_FACTORIAL ? 1 : sw.samples * (sw.k + 2);
        for (size_t i = 0; sw.design == PS_SWEEP_FACTORIAL && i < sw.k && points <= 4096; i++)
            points *= sw.factors[i].dist == PS_DIST_DISCRETE ? sw.factors[i].n_levels
                                                             : (size_t)sw.factorial_levels;
        int small = sw.k <= 16 && points <= 4096 && sw.design != PS_SWEEP_MATRIX;
        if (small && ps_sweep_prepare(&sw, &sc_model_type, &d) == 0) {
            /* every run's overrides can be made */
            for (size_t r = 0; r < ps_sweep_run_count(&sw) && r < 64; r++) {
                char **sets;
                long n = ps_sweep_run_sets(&sw, r, &sets);
                if (n < 0) abort();
                ps_sweep_free_sets(sets, (size_t)n);
            }
        }
    }
    char line[1024];
    for (int i = 0; i < d.count && i < PS_DIAG_MAX; i++) ps_diag_format(&d, i, line, sizeof line);
    ps_sweep_close(&sw);
    return 0;
}
