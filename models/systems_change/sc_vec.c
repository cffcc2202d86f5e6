/* A growable vector of fixed-size items (the request buffers): grows
 * rarely, by doubling, so the tick loop allocates only while the buffers
 * are still finding their size. */
#include <stdlib.h>

#include "sc.h"

int sc_vec_reserve(sc_vec *v, size_t n)
{
    if (n <= v->cap) return 0;
    size_t cap = n < 2 * v->cap ? 2 * v->cap : n; /* grow rarely */
    void *data = realloc(v->data, cap * v->size);
    if (!data) return -1;
    v->data = data;
    v->cap = cap;
    return 0;
}

void *sc_vec_push(sc_vec *v)
{
    if (v->n == v->cap && sc_vec_reserve(v, v->cap ? 2 * v->cap : 256) != 0) return NULL;
    return (char *)v->data + v->size * v->n++;
}
