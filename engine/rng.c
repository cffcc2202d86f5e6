/* Philox4x32-10 from Random123 (D. E. Shaw Research), exposed both as a raw
 * keyed block function and as a gsl_rng_type.
 *
 * Known answer (Random123 kat_vectors): counter 0, key 0 gives
 * 6627e8d5 e169c58d bc57ac4c 9b00dbd8. tests/test_rng.c checks it. */
#include "rng.h"

#include <Random123/philox.h>
#include <string.h>

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
