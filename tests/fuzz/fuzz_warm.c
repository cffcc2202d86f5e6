/* libFuzzer target for the warm-state cache's entries (warm_start.h): any
 * bytes, read as a cache entry for a small place (tests/data/small.cfg at
 * 100 adults, a warm-up of 2 ticks), must give either no state (the
 * warm-up is then simulated again) or a state that steps, never a crash, a
 * leak or undefined behaviour.
 *
 * The key an entry must carry names the program that made it (a hash of
 * its executable), so the target takes the key from the entry's own
 * second line, as the program that made it would. Each input is read
 * twice: as it is (a mutation almost always breaks the checksum, which is
 * the check being tested), then with its checksum made to hold, so that
 * the counts, the rows and the model's state behind it are read as a
 * hand-made entry would have them read. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "loaded_scenario.h"
#include "systems_change.h"
#include "warm_start.h"

#define S_MAGIC "placesim warm state 1\n"

static ps_loaded S_arm;
static double *S_row;

static void S_setup(void)
{
    fz_load_small(&S_arm, 1);
    S_row = calloc(ps_model_metric_count(&sc_model_type, S_arm.place) + 1, sizeof *S_row);
    if (!S_row) abort();
}

/* Reads buf as an entry; a state it gives is stepped through two weeks. */
static void S_read(const char *buf, size_t size, const char *key)
{
    const ps_model_type *type = &sc_model_type;
    const ps_run_settings *run = &S_arm.scen.run;
    ps_warm_record rec;
    if (ps_warm_record_alloc(type, S_arm.place, run->warmup, &rec) != 0) abort();
    ps_step_ctx ctx;
    ctx.key = ps_rng_key_make(run->seed, 0);
    void *state = ps_warm_entry_read(type, S_arm.place, ctx.key, buf, size, key, &rec);
    fz_note("entry %s", state ? "restored" : "refused");
    for (int tick = run->warmup; state && tick < run->warmup + 2; tick++) {
        ps_diag d;
        ps_diag_init(&d);
        ctx.tick = tick;
        ctx.week = tick - run->warmup;
        int rc = type->step(state, &ctx, &d);
        fz_check_diag(&d, rc);
        if (rc) break;
        type->observe(state, S_row);
    }
    if (state) type->destroy(state);
    ps_warm_record_free(&rec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!S_row) S_setup();
    /* the key: the entry's second line (at most 511 bytes) */
    char key[512] = "model=systems_change";
    size_t mlen = strlen(S_MAGIC);
    if (size > mlen && memcmp(data, S_MAGIC, mlen) == 0) {
        const uint8_t *nl = memchr(data + mlen, '\n', size - mlen);
        size_t klen = nl ? (size_t)(nl - data) - mlen : 0;
        if (nl && klen < sizeof key && !memchr(data + mlen, '\0', klen)) {
            memcpy(key, data + mlen, klen);
            key[klen] = '\0';
        }
    }
    char *buf = malloc(size + 1);
    if (!buf) abort();
    memcpy(buf, data, size);
    S_read(buf, size, key);
    if (size >= sizeof(uint64_t)) {
        uint64_t sum = ps_fnv1a64(PS_FNV_OFFSET, buf, size - sizeof sum);
        memcpy(buf + size - sizeof sum, &sum, sizeof sum);
        S_read(buf, size, key);
    }
    free(buf);
    return 0;
}
