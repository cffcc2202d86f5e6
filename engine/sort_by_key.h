/* Sorting records by 64-bit integer keys in linear time (LSD radix sort,
 * one byte per pass, skipping bytes every key shares). Hot loops that sort
 * many records every tick use it instead of qsort, whose comparison calls
 * cost an order of magnitude more. Stable, so equal keys keep their input
 * order; with distinct keys the result is the one any correct sort gives. */
#ifndef PS_SORT_BY_KEY_H
#define PS_SORT_BY_KEY_H

#include <stddef.h>
#include <stdint.h>

/* Buffers kept between calls, so a sort in steady state allocates
 * nothing. Zero-initialise; free with ps_sort_scratch_free. */
typedef struct ps_sort_scratch {
    uint64_t *keys;
    void *pairs, *pairs_tmp, *items;
    size_t key_cap, cap, item_cap;
} ps_sort_scratch;

/* Room for n keys, kept in s: fill key j with record j's key, then call
 * ps_sort_by_key. NULL if memory runs out. */
uint64_t *ps_sort_keys(ps_sort_scratch *s, size_t n);

/* Sorts the n records of `size` bytes at items so that key[j] ascends.
 * Returns 0, or -1 (items untouched) if memory runs out. */
int ps_sort_by_key(void *items, size_t n, size_t size, const uint64_t *key,
                   ps_sort_scratch *s);

void ps_sort_scratch_free(ps_sort_scratch *s);

#endif
