/* Counter-based random numbers (Philox4x32-10, Salmon et al., SC'11, via
 * Random123). A draw is a pure function of
 *   (seed, replication) -> key,   (stream, entity, tick, block) -> counter,
 * so no generator state is shared between threads or ranks, and any thread
 * count gives the same bits. Each block yields four 32-bit words.
 *
 * ps_rng_philox is also a gsl_rng_type, so GSL's gsl_ran_* distributions can
 * draw from a keyed stream: ps_rng_gsl_position() points a gsl_rng at
 * (key, stream, entity, tick), and successive draws walk the block index. */
#ifndef PS_RNG_H
#define PS_RNG_H

#include <stddef.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

typedef struct ps_rng_key {
    uint32_t k[2];
} ps_rng_key;

/* The key of one replication of one seed (a hash of both through Philox). */
ps_rng_key ps_rng_key_make(uint64_t seed, uint32_t replication);

/* The raw block function: Philox4x32-10 of counter ctr under key. */
void ps_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4]);

/* Four words for (stream, entity, tick, block) under key. */
void ps_rng_block(ps_rng_key key, uint32_t stream, uint32_t entity,
                  uint32_t tick, uint32_t block, uint32_t out[4]);

/* Blocks for n consecutive entities: out[j] = the block of
 * (stream, entity0 + j, tick, block), exactly as ps_rng_block gives it.
 * Where ps_cpu_avx2() says so it computes eight counters at once (integer
 * arithmetic only, so the bits cannot depend on which path ran). */
void ps_rng_blocks(ps_rng_key key, uint32_t stream, uint32_t entity0,
                   uint32_t tick, uint32_t block, size_t n, uint32_t (*out)[4]);

/* The same without the vector path: what ps_rng_blocks does on a CPU
 * without AVX2 (tests compare both with ps_rng_block). */
void ps_rng_blocks_portable(ps_rng_key key, uint32_t stream, uint32_t entity0,
                            uint32_t tick, uint32_t block, size_t n,
                            uint32_t (*out)[4]);

/* A uniform double in the open interval (0, 1) from one word. */
static inline double ps_rng_u01(uint32_t w)
{
    return ((double)w + 0.5) * (1.0 / 4294967296.0);
}

/* The GSL adaptor. gsl_rng_set(r, s) keys the generator with seed s,
 * replication 0, at counter zero. */
extern const gsl_rng_type *ps_rng_philox;

/* Positions r (which must have type ps_rng_philox) at the start of the
 * stream (key, stream, entity, tick). */
void ps_rng_gsl_position(gsl_rng *r, ps_rng_key key, uint32_t stream,
                         uint32_t entity, uint32_t tick);

#endif
