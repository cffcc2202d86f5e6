/* libFuzzer target for the snapshot reader (`run --from FILE`): any bytes,
 * read as a snapshot of a small place (tests/data/small.cfg at 100 adults,
 * 2 replications, 6 weeks after a warm-up of 2), must be refused with a
 * diagnostic or resumed to the horizon, never a crash, a leak or undefined
 * behaviour.
 *
 * Each input is read twice. First as it is: a mutation almost always
 * breaks a checksum, which is the check being tested. Then repaired: the
 * identity fields of the header set to this place's, every replication's
 * checksum and the header's computed afresh, so that the bytes behind the
 * checksums (the tables, the snapshot's week, the rows, the timeline's
 * levels and the model's state) reach the code that reads them, as a file
 * made by hand would. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "loaded_scenario.h"
#include "sim.h"
#include "snapshot.h"
#include "systems_change.h"

#define S_MAGIC_LEN (sizeof PS_SNAPSHOT_MAGIC - 1)

static ps_loaded S_arm;
static ps_snapshot_header S_want;
static char S_path[512];
static double *S_rows;

static void S_setup(void)
{
    fz_load_small(&S_arm, 2);
    /* the header `placesim run --snapshot-at` writes for this place */
    ps_snapshot_header *h = &S_want;
    snprintf(h->version, sizeof h->version, "%s", PLACESIM_VERSION);
    snprintf(h->model, sizeof h->model, "%s", sc_model_type.name);
    h->scenario_file_hash = ps_snapshot_file_hash(S_arm.scen.path);
    h->seed = S_arm.scen.run.seed;
    h->population = sc_model_type.population(S_arm.place);
    h->replications = S_arm.scen.run.replications;
    h->weeks = S_arm.scen.run.weeks;
    h->warmup = S_arm.scen.run.warmup;
    const char *const *names;
    h->n_metrics = (int32_t)ps_model_metric_count(&sc_model_type, S_arm.place);
    h->n_annual = (int32_t)sc_model_type.annual_names(S_arm.place, &names);
    h->n_interventions = (int32_t)S_arm.timeline.n;
    S_rows = calloc((size_t)(h->weeks + 1) * (size_t)h->n_metrics, sizeof *S_rows);
    if (!S_rows) abort();
    fz_path(S_path, sizeof S_path, fz_workdir("snapshot"), "input.snap");
}

/* Reads the snapshot at S_path and resumes every replication from it. */
static void S_read(void)
{
    ps_snapshot s;
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_snapshot_open(&s, S_path, &S_want, &d);
    if (rc != 0) {
        ps_snapshot_abandon(&s);
        fz_check_diag(&d, rc);
        return;
    }
    ps_snapshot_io io = {NULL, &s};
    for (int r = 0; r < S_want.replications && rc == 0; r++)
        rc = ps_sim_replication(&sc_model_type, S_arm.place, &S_arm.scen.run, &S_arm.timeline,
                                (unsigned)r, S_rows, &io, &d);
    fz_check_diag(&d, rc);
    ps_snapshot_finish(&s, &d);
}

/* FNV-1a 64 of [off, off + len) of buf, or 0 when it is not all there. */
static uint64_t S_sum(const uint8_t *buf, size_t size, int64_t off, int64_t len)
{
    if (off < 0 || len < 0 || (uint64_t)off > size || (uint64_t)len > size - (uint64_t)off)
        return 0;
    return ps_fnv1a64(PS_FNV_OFFSET, buf + off, (size_t)len);
}

/* The input with this place's identity and every checksum made to hold;
 * 0 when it is too short to have tables. */
static int S_repair(uint8_t *buf, size_t size)
{
    size_t at = S_MAGIC_LEN;
    ps_snapshot_header h;
    if (size < at + sizeof h) return 0;
    memcpy(buf, PS_SNAPSHOT_MAGIC, S_MAGIC_LEN);
    memcpy(&h, buf + at, sizeof h);
    /* the fields a snapshot must share with the run; week, the number of
     * interventions and the reserved word stay as the input has them */
    int32_t week = h.week, n_iv = h.n_interventions, reserved = h.reserved;
    h = S_want;
    h.week = week;
    h.n_interventions = n_iv;
    h.reserved = reserved;
    memcpy(buf + at, &h, sizeof h);
    size_t R = (size_t)h.replications, tables = at + sizeof h;
    if (size < tables + 3 * R * sizeof(int64_t) + sizeof(uint64_t)) return 0;
    int64_t *off = malloc(R * sizeof *off), *len = malloc(R * sizeof *len);
    uint64_t *sums = malloc(R * sizeof *sums);
    if (!off || !len || !sums) abort();
    memcpy(off, buf + tables, R * sizeof *off);
    memcpy(len, buf + tables + R * sizeof *off, R * sizeof *len);
    for (size_t r = 0; r < R; r++) sums[r] = S_sum(buf, size, off[r], len[r]);
    memcpy(buf + tables + 2 * R * sizeof *off, sums, R * sizeof *sums);
    /* the header's checksum: of the text line, the header and the tables */
    uint64_t hs = ps_fnv1a64(PS_FNV_OFFSET, buf, tables + 3 * R * sizeof(int64_t));
    memcpy(buf + tables + 3 * R * sizeof(int64_t), &hs, sizeof hs);
    free(off);
    free(len);
    free(sums);
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_path[0]) S_setup();
    if (fz_write(S_path, data, size) != 0) abort();
    S_read();
    uint8_t *copy = malloc(size + 1);
    if (!copy) abort();
    memcpy(copy, data, size);
    if (S_repair(copy, size)) {
        if (fz_write(S_path, copy, size) != 0) abort();
        S_read();
    }
    free(copy);
    return 0;
}
