/* The floor: the least a citizen-week can cost in this design. Per citizen
 * and tick, one counter-based Philox block keyed by (citizen, tick), drawn
 * as the model draws it (ps_rng_blocks, 64 citizens at a time, eight lanes
 * per AVX2 vector where the CPU has it), and one state update (a float severity that decays or
 * restarts, a status byte), in parallel over the model's fixed chunks of
 * PS_CHUNK citizens with the same dynamic schedule and one parallel region
 * per tick. The model's ns per citizen-week divided by the floor's is how far
 * the model is from what the memory system and the generator allow. */
#include <omp.h>
#include <stdlib.h>

#include "bench.h"
#include "reduce.h"
#include "rng.h"

enum {
    B_FLOOR_STREAM = 2, /* the model's citizen stream number */
    B_FLOOR_BATCH = 64  /* citizens whose blocks are drawn together, as in the model */
};

int b_floor_alloc(b_floor *f, size_t n)
{
    f->n = n;
    f->sev = malloc(n * sizeof *f->sev);
    f->status = malloc(n * sizeof *f->status);
    if (!f->sev || !f->status) {
        b_floor_free(f);
        return -1;
    }
    b_floor_fill(f);
    return 0;
}

void b_floor_fill(b_floor *f)
{
    /* first touch in parallel, in the same chunks as the ticks: one
     * citizen in 50 starts with a need */
    const size_t n = f->n, chunks = ps_chunk_count(n);
#pragma omp parallel for schedule(dynamic, 1)
    for (size_t ch = 0; ch < chunks; ch++) {
        size_t end = (ch + 1) * PS_CHUNK < n ? (ch + 1) * PS_CHUNK : n;
        for (size_t i = ch * PS_CHUNK; i < end; i++) {
            f->sev[i] = (i % 50 == 0) ? 0.5f : 0.0f;
            f->status[i] = f->sev[i] > 0;
        }
    }
}

void b_floor_free(b_floor *f)
{
    free(f->sev);
    free(f->status);
    f->sev = NULL;
    f->status = NULL;
}

int64_t b_floor_tick(b_floor *f, uint64_t seed, uint32_t tick, int threads)
{
    const ps_rng_key key = ps_rng_key_make(seed, 0);
    const size_t n = f->n, chunks = ps_chunk_count(n);
    float *sev = f->sev;
    uint8_t *status = f->status;
    int64_t onsets = 0;
#pragma omp parallel num_threads(threads) reduction(+ : onsets)
    {
#pragma omp for schedule(dynamic, 1)
        for (size_t ch = 0; ch < chunks; ch++) {
            size_t end = (ch + 1) * PS_CHUNK < n ? (ch + 1) * PS_CHUNK : n;
            uint32_t w[B_FLOOR_BATCH][4];
            for (size_t i0 = ch * PS_CHUNK; i0 < end; i0 += B_FLOOR_BATCH) {
                size_t m = end - i0 < B_FLOOR_BATCH ? end - i0 : B_FLOOR_BATCH;
                ps_rng_blocks(key, B_FLOOR_STREAM, (uint32_t)i0, tick, 0, m, w);
                for (size_t j = 0; j < m; j++) {
                    size_t i = i0 + j;
                    double u = ps_rng_u01(w[j][0]);
                    float s = sev[i] * 0.97f;
                    if (s < 0.05f) s = 0;
                    if (u < 1e-3) {
                        s = 0.3f;
                        onsets++;
                    }
                    sev[i] = s;
                    status[i] = (uint8_t)(s > 0);
                }
            }
        }
    }
    return onsets;
}
