#include "sort_by_key.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    uint64_t key;
    size_t index;
} S_pair;

/* at least twice the old room: a slowly growing n reallocates rarely */
static size_t S_grow(size_t have, size_t need)
{
    return need > 2 * have ? need : 2 * have;
}

static int S_reserve(ps_sort_scratch *s, size_t n, size_t bytes)
{
    if (n > s->cap) {
        n = S_grow(s->cap, n);
        S_pair *a = realloc(s->pairs, n * sizeof *a);
        if (!a) return -1;
        s->pairs = a;
        S_pair *b = realloc(s->pairs_tmp, n * sizeof *b);
        if (!b) return -1;
        s->pairs_tmp = b;
        s->cap = n;
    }
    if (bytes > s->item_cap) {
        bytes = S_grow(s->item_cap, bytes);
        void *it = realloc(s->items, bytes);
        if (!it) return -1;
        s->items = it;
        s->item_cap = bytes;
    }
    return 0;
}

uint64_t *ps_sort_keys(ps_sort_scratch *s, size_t n)
{
    if (n < 1) n = 1;
    if (n > s->key_cap) {
        n = S_grow(s->key_cap, n);
        uint64_t *k = realloc(s->keys, n * sizeof *k);
        if (!k) return NULL;
        s->keys = k;
        s->key_cap = n;
    }
    return s->keys;
}

int ps_sort_by_key(void *items, size_t n, size_t size, const uint64_t *key,
                   ps_sort_scratch *s)
{
    if (n < 2) return 0;
    if (S_reserve(s, n, n * size) != 0) return -1;
    S_pair *a = s->pairs, *b = s->pairs_tmp;
    /* one pass counts all eight digits */
    enum { bytes = 8 };
    size_t count[bytes][256];
    memset(count, 0, sizeof count);
    for (size_t j = 0; j < n; j++) {
        a[j].key = key[j];
        a[j].index = j;
        for (int d = 0; d < bytes; d++) count[d][(key[j] >> (8 * d)) & 0xFF]++;
    }
    for (int d = 0; d < bytes; d++) {
        /* a digit every key shares leaves the order as it is */
        if (count[d][(a[0].key >> (8 * d)) & 0xFF] == n) continue;
        size_t pos = 0;
        for (int v = 0; v < 256; v++) {
            size_t c = count[d][v];
            count[d][v] = pos;
            pos += c;
        }
        for (size_t j = 0; j < n; j++) b[count[d][(a[j].key >> (8 * d)) & 0xFF]++] = a[j];
        S_pair *t = a;
        a = b;
        b = t;
    }
    char *out = s->items;
    const char *in = items;
    for (size_t j = 0; j < n; j++) memcpy(out + j * size, in + a[j].index * size, size);
    memcpy(items, out, n * size);
    return 0;
}

void ps_sort_scratch_free(ps_sort_scratch *s)
{
    free(s->keys);
    free(s->pairs);
    free(s->pairs_tmp);
    free(s->items);
    memset(s, 0, sizeof *s);
}
