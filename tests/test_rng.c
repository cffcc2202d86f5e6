/* The counter-based generator: known answers, keying, the GSL adaptor. */
#include <criterion/criterion.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include <string.h>

#include "cpu_features.h"
#include "rng.h"

/* Random123's published kat_vectors for philox4x32 with 10 rounds. */
Test(rng, philox_known_answers)
{
    static const uint32_t ctr[3][4] = {
        {0, 0, 0, 0},
        {0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff},
        {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}};
    static const uint32_t key[3][2] = {
        {0, 0}, {0xffffffff, 0xffffffff}, {0xa4093822, 0x299f31d0}};
    static const uint32_t want[3][4] = {
        {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8},
        {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd},
        {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1}};
    for (int v = 0; v < 3; v++) {
        uint32_t out[4];
        ps_philox4x32_10(ctr[v], key[v], out);
        for (int k = 0; k < 4; k++)
            cr_expect_eq(out[k], want[v][k], "vector %d word %d: %08x != %08x", v, k,
                         out[k], want[v][k]);
    }
}

Test(rng, keys_differ_by_seed_and_replication)
{
    ps_rng_key a = ps_rng_key_make(1, 0), b = ps_rng_key_make(1, 1),
               c = ps_rng_key_make(2, 0), a2 = ps_rng_key_make(1, 0);
    cr_expect(a.k[0] != b.k[0] || a.k[1] != b.k[1]);
    cr_expect(a.k[0] != c.k[0] || a.k[1] != c.k[1]);
    cr_expect(a.k[0] == a2.k[0] && a.k[1] == a2.k[1]);
}

Test(rng, every_counter_field_changes_the_draw)
{
    ps_rng_key key = ps_rng_key_make(42, 3);
    uint32_t base[4], other[4];
    ps_rng_block(key, 1, 2, 3, 4, base);
    const uint32_t f[4][4] = {{9, 2, 3, 4}, {1, 9, 3, 4}, {1, 2, 9, 4}, {1, 2, 3, 9}};
    for (int k = 0; k < 4; k++) {
        ps_rng_block(key, f[k][0], f[k][1], f[k][2], f[k][3], other);
        cr_expect(other[0] != base[0], "field %d", k);
    }
}

Test(rng, u01_is_open_interval)
{
    cr_expect(ps_rng_u01(0) > 0.0);
    cr_expect(ps_rng_u01(0xffffffffu) < 1.0);
}

Test(rng, gsl_adaptor_walks_the_keyed_stream)
{
    gsl_rng *r = gsl_rng_alloc(ps_rng_philox);
    cr_assert_not_null(r);
    cr_expect_str_eq(gsl_rng_name(r), "philox4x32-10");
    ps_rng_key key = ps_rng_key_make(7, 1);
    ps_rng_gsl_position(r, key, 5, 11, 13);
    uint32_t blk[2][4];
    ps_rng_block(key, 5, 11, 13, 0, blk[0]);
    ps_rng_block(key, 5, 11, 13, 1, blk[1]);
    for (int k = 0; k < 8; k++)
        cr_expect_eq((uint32_t)gsl_rng_get(r), blk[k / 4][k % 4], "draw %d", k);
    /* repositioning replays the same stream */
    ps_rng_gsl_position(r, key, 5, 11, 13);
    cr_expect_eq((uint32_t)gsl_rng_get(r), blk[0][0]);
    gsl_rng_free(r);
}

Test(rng, gsl_distributions_have_the_right_moments)
{
    gsl_rng *r = gsl_rng_alloc(ps_rng_philox);
    gsl_rng_set(r, 12345);
    enum { N = 200000 };
    static double x[N];
    for (int i = 0; i < N; i++) x[i] = gsl_ran_gaussian(r, 2.0);
    double mean = gsl_stats_mean(x, 1, N), sd = gsl_stats_sd(x, 1, N);
    cr_expect(mean > -0.03 && mean < 0.03, "mean %g", mean);
    cr_expect(sd > 1.98 && sd < 2.02, "sd %g", sd);
    for (int i = 0; i < N; i++) x[i] = gsl_rng_uniform(r);
    mean = gsl_stats_mean(x, 1, N);
    cr_expect(mean > 0.497 && mean < 0.503, "uniform mean %g", mean);
    gsl_rng_free(r);
}

/* Many counters at once give the same bits as one at a time, for every
 * count around the vector width, including counters that wrap past 2^32. */
Test(rng, blocks_in_a_batch_match_one_at_a_time)
{
    ps_rng_key key = ps_rng_key_make(20261126, 3);
    const uint32_t starts[3] = {0, 123457, 0xfffffff5u};
    uint32_t batch[70][4], portable[70][4];
    cr_log_info("vector path on this CPU: %s", ps_cpu_avx2() ? "yes" : "no");
    for (int s = 0; s < 3; s++)
        for (size_t n = 0; n <= 70; n++) {
            memset(batch, 0xAB, sizeof batch);
            ps_rng_blocks(key, 7, starts[s], 42, 5, n, batch);
            ps_rng_blocks_portable(key, 7, starts[s], 42, 5, n, portable);
            for (size_t j = 0; j < n; j++) {
                uint32_t one[4];
                ps_rng_block(key, 7, starts[s] + (uint32_t)j, 42, 5, one);
                for (int w = 0; w < 4; w++) {
                    cr_assert_eq(batch[j][w], one[w], "n %zu, block %zu, word %d", n, j, w);
                    cr_assert_eq(portable[j][w], one[w], "n %zu, block %zu, word %d", n, j, w);
                }
            }
            /* nothing past n is written */
            if (n < 70) cr_assert_eq(batch[n][0], 0xABABABABu, "n %zu", n);
        }
}
