/* libFuzzer target for design matrices (a sweep's design = "matrix"): any
 * bytes, read as the CSV matrix of a fixed sweep file over
 * tests/data/small.cfg with three factors, must give either a design whose
 * every value is finite, with every run's overrides, or diagnostics; never a
 * crash, a leak or undefined behaviour. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_support.h"
#include "sweep.h"
#include "systems_change.h"

static char S_sweep[512], S_matrix[512];

static const char S_sweep_text[] =
    "name = \"matrix fuzz\";\n"
    "scenario = \"small.cfg\";\n"
    "set = [\"run.warmup=4\"];\n"
    "design = \"matrix\";\n"
    "matrix = \"matrix.csv\";\n"
    "replications = 2;\n"
    "seed = 11;\n"
    "factors = (\n"
    "  { name = \"trust speed\"; path = \"trust.alpha\"; },\n"
    "  { name = \"statutory capacity\"; path = \"actors.[kind=statutory].capacity\"; op = "
    "\"scale\"; },\n"
    "  { name = \"front door\"; path = \"switches.single_front_door\"; }\n"
    ");\n"
    "metrics = ( { metric = \"wellbeing_with_needs\"; } );\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_sweep[0]) {
        const char *w = fz_workdir("matrix");
        char path[600];
        fz_path(path, sizeof path, w, "small.cfg");
        fz_copy_source("tests/data/small.cfg", path);
        fz_path(S_sweep, sizeof S_sweep, w, "sweep.cfg");
        if (fz_write(S_sweep, S_sweep_text, sizeof S_sweep_text - 1) != 0) abort();
        fz_path(S_matrix, sizeof S_matrix, w, "matrix.csv");
    }
    if (fz_write(S_matrix, data, size) != 0) abort();
    ps_sweep sw;
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_sweep_open(&sw, S_sweep, &d);
    if (rc != 0) abort(); /* the sweep file is fixed, and good */
    rc = ps_sweep_prepare(&sw, &sc_model_type, &d);
    if (rc == 0) {
        if (sw.n_points == 0) abort();
        for (size_t i = 0; i < sw.n_points * sw.k; i++)
            if (!isfinite(sw.x[i])) abort();
        fz_check_run_sets(&sw);
    }
    fz_check_diag(&d, rc);
    ps_sweep_close(&sw);
    return 0;
}
