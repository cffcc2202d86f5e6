/* Deterministic parallel loops. Citizens are processed in fixed chunks of
 * PS_CHUNK; anything a chunk accumulates is either an integer tally (exact in
 * any order) or kept per chunk and combined in chunk order afterwards, so the
 * result is the same bits for any thread count. Fixed-point helpers turn a
 * sum of bounded doubles into an exact integer sum. */
#ifndef PS_REDUCE_H
#define PS_REDUCE_H

#include <stddef.h>
#include <stdint.h>

#define PS_CHUNK 4096

static inline size_t ps_chunk_count(size_t n)
{
    return (n + PS_CHUNK - 1) / PS_CHUNK;
}

/* Values in [-2^20, 2^20] summed over up to 2^22 chunks of PS_CHUNK items
 * stay well inside int64 at this scale. */
#define PS_FIXED_SCALE 1048576.0

static inline int64_t ps_fixed(double v)
{
    return (int64_t)(v * PS_FIXED_SCALE + (v >= 0 ? 0.5 : -0.5));
}

static inline double ps_unfixed(int64_t v) { return (double)v / PS_FIXED_SCALE; }

#endif
