/* Philox4x32-10 from Random123 (D. E. Shaw Research), exposed both as a raw
 * keyed block function and as a gsl_rng_type.
 *
 * Known answer (Random123 kat_vectors): counter 0, key 0 gives
 * 6627e8d5 e169c58d bc57ac4c 9b00dbd8. tests/test_rng.c checks it. */
#include "rng.h"

#include <Random123/philox.h>
#include <string.h>

#include "cpu_features.h"

void ps_philox4x32_10(const uint32_t ctr[4], const uint32_t key[2],
                      uint32_t out[4])
{
    philox4x32_ctr_t c = {{ctr[0], ctr[1], ctr[2], ctr[3]}};
    philox4x32_key_t k = {{key[0], key[1]}};
    philox4x32_ctr_t r = philox4x32_R(10, c, k);
    memcpy(out, r.v, 4 * sizeof(uint32_t));
}

/* Fixed key for hashing (seed, replication) into a key: the first words of
 * the golden ratio and sqrt(3), as Philox itself uses. */
#define PS_KEYHASH_0 0x9E3779B9u
#define PS_KEYHASH_1 0xBB67AE85u
#define PS_KEYHASH_TAG 0x5053494Du /* "PSIM" */

ps_rng_key ps_rng_key_make(uint64_t seed, uint32_t replication)
{
    const uint32_t ctr[4] = {(uint32_t)seed, (uint32_t)(seed >> 32),
                             replication, PS_KEYHASH_TAG};
    const uint32_t hk[2] = {PS_KEYHASH_0, PS_KEYHASH_1};
    uint32_t out[4];
    ps_philox4x32_10(ctr, hk, out);
    ps_rng_key key = {{out[0], out[1]}};
    return key;
}

void ps_rng_block(ps_rng_key key, uint32_t stream, uint32_t entity,
                  uint32_t tick, uint32_t block, uint32_t out[4])
{
    const uint32_t ctr[4] = {entity, tick, stream, block};
    ps_philox4x32_10(ctr, key.k, out);
}

/* ---- gsl_rng_type adaptor ------------------------------------------- */

typedef struct {
    uint32_t key[2];
    uint32_t ctr[4];  /* ctr[3] is the block index */
    uint32_t buf[4];
    unsigned pos;     /* next unused word of buf; 4 = empty */
} S_philox_state;

static unsigned long S_get(void *vstate)
{
    S_philox_state *s = vstate;
    if (s->pos >= 4) {
        ps_philox4x32_10(s->ctr, s->key, s->buf);
        s->ctr[3]++;
        s->pos = 0;
    }
    return s->buf[s->pos++];
}

static double S_get_double(void *vstate)
{
    return ps_rng_u01((uint32_t)S_get(vstate));
}

static void S_set(void *vstate, unsigned long seed)
{
    S_philox_state *s = vstate;
    ps_rng_key k = ps_rng_key_make((uint64_t)seed, 0);
    memset(s, 0, sizeof *s);
    s->key[0] = k.k[0];
    s->key[1] = k.k[1];
    s->pos = 4;
}

static const gsl_rng_type S_philox_type = {
    "philox4x32-10",      /* name */
    0xffffffffUL,         /* RAND_MAX */
    0,                    /* RAND_MIN */
    sizeof(S_philox_state),
    &S_set,
    &S_get,
    &S_get_double};

const gsl_rng_type *ps_rng_philox = &S_philox_type;

void ps_rng_gsl_position(gsl_rng *r, ps_rng_key key, uint32_t stream,
                         uint32_t entity, uint32_t tick)
{
    S_philox_state *s = r->state;
    s->key[0] = key.k[0];
    s->key[1] = key.k[1];
    s->ctr[0] = entity;
    s->ctr[1] = tick;
    s->ctr[2] = stream;
    s->ctr[3] = 0;
    s->pos = 4;
}

/* ---- many counters at once ------------------------------------------- */

void ps_rng_blocks_portable(ps_rng_key key, uint32_t stream, uint32_t entity0,
                            uint32_t tick, uint32_t block, size_t n,
                            uint32_t (*out)[4])
{
    for (size_t j = 0; j < n; j++)
        ps_rng_block(key, stream, entity0 + (uint32_t)j, tick, block, out[j]);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>

#define PS_AVX2 __attribute__((target("avx2")))

/* The high and low halves of x * m in each of eight 32-bit lanes: the even
 * lanes multiply in place, the odd ones after a shift down. */
static inline PS_AVX2 void S_mulhilo8(__m256i x, __m256i m, __m256i *hi,
                                      __m256i *lo)
{
    __m256i even = _mm256_mul_epu32(x, m);
    __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(x, 32), m);
    *lo = _mm256_blend_epi32(even, _mm256_slli_epi64(odd, 32), 0xAA);
    *hi = _mm256_blend_epi32(_mm256_srli_epi64(even, 32), odd, 0xAA);
}

/* Two vectors of eight counters in flight: one alone waits on the
 * multiplier's latency every round. */
#define S_LANES 16

static PS_AVX2 void S_blocks_avx2(ps_rng_key key, uint32_t stream,
                                  uint32_t entity0, uint32_t tick,
                                  uint32_t block, size_t n, uint32_t (*out)[4])
{
    const __m256i m0 = _mm256_set1_epi32((int)PHILOX_M4x32_0);
    const __m256i m1 = _mm256_set1_epi32((int)PHILOX_M4x32_1);
    const __m256i step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    size_t j = 0;
    for (; j + S_LANES <= n; j += S_LANES) {
        __m256i x0[2], x1[2], x2[2], x3[2];
        for (int v = 0; v < 2; v++) {
            x0[v] = _mm256_add_epi32(
                _mm256_set1_epi32((int)(entity0 + (uint32_t)(j + 8 * (size_t)v))), step);
            x1[v] = _mm256_set1_epi32((int)tick);
            x2[v] = _mm256_set1_epi32((int)stream);
            x3[v] = _mm256_set1_epi32((int)block);
        }
        uint32_t ka = key.k[0], kb = key.k[1];
        for (int round = 0; round < 10; round++) {
            const __m256i kva = _mm256_set1_epi32((int)ka);
            const __m256i kvb = _mm256_set1_epi32((int)kb);
            for (int v = 0; v < 2; v++) {
                __m256i hi0, lo0, hi1, lo1;
                S_mulhilo8(x0[v], m0, &hi0, &lo0);
                S_mulhilo8(x2[v], m1, &hi1, &lo1);
                x0[v] = _mm256_xor_si256(_mm256_xor_si256(hi1, x1[v]), kva);
                x1[v] = lo1;
                x2[v] = _mm256_xor_si256(_mm256_xor_si256(hi0, x3[v]), kvb);
                x3[v] = lo0;
            }
            ka += PHILOX_W32_0;
            kb += PHILOX_W32_1;
        }
        /* four words of eight counters -> eight blocks of four words */
        for (int v = 0; v < 2; v++) {
            __m256i t0 = _mm256_unpacklo_epi32(x0[v], x1[v]); /* a0 b0 a1 b1 | a4 b4 a5 b5 */
            __m256i t1 = _mm256_unpackhi_epi32(x0[v], x1[v]); /* a2 b2 a3 b3 | a6 b6 a7 b7 */
            __m256i t2 = _mm256_unpacklo_epi32(x2[v], x3[v]);
            __m256i t3 = _mm256_unpackhi_epi32(x2[v], x3[v]);
            __m256i q0 = _mm256_unpacklo_epi64(t0, t2); /* block 0 | block 4 */
            __m256i q1 = _mm256_unpackhi_epi64(t0, t2); /* block 1 | block 5 */
            __m256i q2 = _mm256_unpacklo_epi64(t1, t3); /* block 2 | block 6 */
            __m256i q3 = _mm256_unpackhi_epi64(t1, t3); /* block 3 | block 7 */
            uint32_t(*o)[4] = out + j + 8 * (size_t)v;
            _mm256_storeu_si256((__m256i *)o[0], _mm256_permute2x128_si256(q0, q1, 0x20));
            _mm256_storeu_si256((__m256i *)o[2], _mm256_permute2x128_si256(q2, q3, 0x20));
            _mm256_storeu_si256((__m256i *)o[4], _mm256_permute2x128_si256(q0, q1, 0x31));
            _mm256_storeu_si256((__m256i *)o[6], _mm256_permute2x128_si256(q2, q3, 0x31));
        }
    }
    ps_rng_blocks_portable(key, stream, entity0 + (uint32_t)j, tick, block, n - j,
                           out + j);
}

void ps_rng_blocks(ps_rng_key key, uint32_t stream, uint32_t entity0,
                   uint32_t tick, uint32_t block, size_t n, uint32_t (*out)[4])
{
    if (ps_cpu_avx2())
        S_blocks_avx2(key, stream, entity0, tick, block, n, out);
    else
        ps_rng_blocks_portable(key, stream, entity0, tick, block, n, out);
}

#else

void ps_rng_blocks(ps_rng_key key, uint32_t stream, uint32_t entity0,
                   uint32_t tick, uint32_t block, size_t n, uint32_t (*out)[4])
{
    ps_rng_blocks_portable(key, stream, entity0, tick, block, n, out);
}

#endif
