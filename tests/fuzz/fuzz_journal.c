/* libFuzzer target for a sweep's journal as `sweep --resume` reads it: any
 * bytes, as the runs.csv of tests/data/sweeps/morris.cfg's sweep (18 runs),
 * must be refused with a located diagnostic or give rows that the resumed
 * sweep can analyse, never a crash, a leak or undefined behaviour. What
 * follows the input's first form feed, if any, is a second process's
 * journal (runs-rank-1.csv), so that rows from two files meet.
 *
 * Each input is read twice: as it is (a mutated row almost always fails
 * its checksum, which is the check being tested), then repaired, with the
 * sweep's header as the first line and every row's checksum made to hold,
 * so that the design's own check of a resumed row and the parsing of its
 * metrics see what a hand-edited journal would give them. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "scenario.h"
#include "sweep.h"
#include "sweep_journal.h"
#include "systems_change.h"

static ps_sweep S_sw;
static char *S_header;
static char S_dir[512], S_main[600], S_rank1[600];

static void S_setup(void)
{
    char path[1024];
    fz_source(path, sizeof path, "tests/data/sweeps/morris.cfg");
    ps_diag d;
    ps_diag_init(&d);
    if (ps_sweep_open(&S_sw, path, &d) != 0 || ps_sweep_prepare(&S_sw, &sc_model_type, &d) != 0 ||
        !(S_header = ps_sweep_journal_header(&S_sw)))
        abort();
    fz_path(S_dir, sizeof S_dir, fz_workdir("journal"), "out");
    if (mkdir(S_dir, 0777) != 0) abort();
    fz_path(S_main, sizeof S_main, S_dir, "runs.csv");
    fz_path(S_rank1, sizeof S_rank1, S_dir, "runs-rank-1.csv");
}

/* Opens the journal in S_dir for resuming, as rank 0 does. */
static void S_resume(void)
{
    ps_journal j;
    ps_diag d;
    ps_diag_init(&d);
    size_t runs = ps_sweep_run_count(&S_sw);
    int rc = ps_journal_open(&j, S_dir, 0, S_header, runs, (size_t)S_sw.replications, 1,
                             ps_sweep_check_row, &S_sw, &d);
    fz_check_diag(&d, rc);
    fz_note("%zu of %zu runs resumed", rc == 0 ? j.done : 0, runs);
    if (rc == 0 && j.done == runs) {
        /* every run is there: the metrics are read back for the analysis */
        double *y = malloc(runs * S_sw.n_metrics * sizeof *y);
        size_t failed;
        if (!y) abort();
        ps_sweep_parse_rows(&S_sw, j.rows, runs, y, &failed);
        ps_sweep_analysis a;
        ps_diag_init(&d);
        rc = ps_sweep_analyse(&S_sw, y, &a, &d);
        fz_check_diag(&d, rc);
        if (rc == 0) ps_sweep_analysis_free(&a);
        free(y);
    }
    ps_journal_close(&j);
}

/* Writes the journal files of an input: runs.csv, and runs-rank-1.csv
 * after a form feed. */
static void S_write(const char *data, size_t size)
{
    const char *ff = memchr(data, '\f', size);
    size_t first = ff ? (size_t)(ff - data) : size;
    if (fz_write(S_main, data, first) != 0) abort();
    unlink(S_rank1);
    if (ff && fz_write(S_rank1, ff + 1, size - first - 1) != 0) abort();
}

/* The input with the sweep's header first and every row's checksum (the
 * text after its last comma) made to hold; malloc'd, its length in *len. */
static char *S_repair(const char *data, size_t size, size_t *len)
{
    /* a line grows by at most its checksum and a newline, and each file
     * gets a header */
    size_t lines = 1, files = 1, n = 0;
    for (size_t i = 0; i < size; i++) {
        lines += data[i] == '\n';
        files += data[i] == '\f';
    }
    char *out = malloc(size + 18 * lines + (strlen(S_header) + 12) * files + 1);
    if (!out) abort();
    n = (size_t)sprintf(out, "%s,checksum\n", S_header);
    const char *p = data, *end = data + size;
    int first = 1;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *ff = memchr(p, '\f', (size_t)(end - p));
        if (ff && (!nl || ff < nl)) {
            /* the second file starts with its own header */
            memcpy(out + n, p, (size_t)(ff - p));
            n += (size_t)(ff - p);
            n += (size_t)sprintf(out + n, "\f%s,checksum\n", S_header);
            p = ff + 1;
            first = 1;
            continue;
        }
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *comma = NULL;
        for (const char *q = p; q < p + ll; q++)
            if (*q == ',') comma = q;
        if (first) {
            first = 0; /* the input's header: replaced */
        } else if (nl && comma && !memchr(p, '\0', ll)) {
            size_t keep = (size_t)(comma - p);
            memcpy(out + n, p, keep + 1);
            n += keep + 1;
            n += (size_t)sprintf(out + n, "%016llx\n",
                                 (unsigned long long)ps_fnv1a64(PS_FNV_OFFSET, p, keep));
        } else {
            memcpy(out + n, p, ll + (nl != NULL));
            n += ll + (nl != NULL);
        }
        p += ll + (nl != NULL);
    }
    *len = n;
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_header) S_setup();
    S_write((const char *)data, size);
    S_resume();
    size_t len;
    char *fixed = S_repair((const char *)data, size, &len);
    S_write(fixed, len);
    S_resume();
    free(fixed);
    return 0;
}
