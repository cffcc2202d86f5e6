/* Sorting records by integer keys (engine/sort_by_key.c) against qsort. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sort_by_key.h"

typedef struct {
    uint64_t key;
    uint32_t input_order;
    char pad[5]; /* an odd record size */
} S_rec;

static int S_cmp(const void *x, const void *y)
{
    const S_rec *a = x, *b = y;
    if (a->key != b->key) return a->key < b->key ? -1 : 1;
    return (a->input_order > b->input_order) - (a->input_order < b->input_order);
}

/* keys drawn from a keyed stream, masked to the given bits, so some bytes
 * are shared by every key and some keys repeat */
static void S_check(size_t n, uint64_t mask, uint32_t seed, ps_sort_scratch *s)
{
    S_rec *got = calloc(n + 1, sizeof *got), *want = calloc(n + 1, sizeof *want);
    cr_assert(got && want);
    ps_rng_key key = ps_rng_key_make(seed, 0);
    for (size_t j = 0; j < n; j++) {
        uint32_t w[4];
        ps_rng_block(key, 1, (uint32_t)j, 0, 0, w);
        got[j].key = (((uint64_t)w[0] << 32) | w[1]) & mask;
        got[j].input_order = (uint32_t)j;
        memset(got[j].pad, (int)(j & 0x7F), sizeof got[j].pad);
    }
    memcpy(want, got, n * sizeof *got);
    /* qsort with the input order as the last key is the stable order */
    qsort(want, n, sizeof *want, S_cmp);
    uint64_t *k = ps_sort_keys(s, n);
    cr_assert_not_null(k);
    for (size_t j = 0; j < n; j++) k[j] = got[j].key;
    cr_assert_eq(ps_sort_by_key(got, n, sizeof *got, k, s), 0);
    for (size_t j = 0; j < n; j++) {
        cr_assert_eq(got[j].key, want[j].key, "n %zu, mask %llx: record %zu", n,
                     (unsigned long long)mask, j);
        cr_assert_eq(got[j].input_order, want[j].input_order,
                     "n %zu, mask %llx: record %zu is not in stable order", n,
                     (unsigned long long)mask, j);
        cr_assert_eq(got[j].pad[0], (char)(want[j].input_order & 0x7F), "record %zu moved whole", j);
    }
    free(got);
    free(want);
}

Test(sort_by_key, matches_a_stable_qsort)
{
    ps_sort_scratch s = {0};
    static const uint64_t masks[] = {~(uint64_t)0, 0xFFFFull, 0x00FF00FF00000000ull,
                                     0xFFFFFFFFFF00ull, 0x7ull, 0};
    for (size_t m = 0; m < sizeof masks / sizeof *masks; m++)
        for (size_t n = 0; n <= 300; n += (n < 20 ? 1 : 37))
            S_check(n, masks[m], (uint32_t)(n + 1000 * m), &s);
    /* large, and after small ones: the kept buffers grow */
    S_check(200000, 0xFFFFFFFFFFFFull, 9, &s);
    S_check(200000, 0x3FFull, 10, &s);
    ps_sort_scratch_free(&s);
}
