/* The trust links between actors, kept sorted by (from, to) with a row
 * index per actor (CSR), and the actor x actor index of link numbers. */
#include <string.h>

#include "sc.h"

int sc_link_find(const sc_links *l, int from, int to)
{
    int lo = l->row[from], hi = l->row[from + 1] - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (l->to[mid] == to) return mid;
        if (l->to[mid] < to) lo = mid + 1;
        else hi = mid - 1;
    }
    return -1;
}

void sc_link_index_build(sc_state *st)
{
    const size_t n = (size_t)st->a.cap_n;
    for (size_t k = 0; k < n * n; k++) st->link_index[k] = -1;
    for (int k = 0; k < st->l.n; k++)
        st->link_index[(size_t)st->l.from[k] * n + (size_t)st->l.to[k]] = k;
}

void sc_links_rebuild_rows(sc_links *l, int n_actors)
{
    /* links are kept sorted by (from, to): an insertion sort keeps it so
     * after the rare appends of new community actors */
    for (int i = 1; i < l->n; i++) {
        int j = i;
        while (j > 0 && (l->from[j - 1] > l->from[j] ||
                         (l->from[j - 1] == l->from[j] && l->to[j - 1] > l->to[j]))) {
#define SWAP(T, arr) do { T t = arr[j]; arr[j] = arr[j - 1]; arr[j - 1] = t; } while (0)
            SWAP(int, l->from);
            SWAP(int, l->to);
            SWAP(double, l->trust);
            SWAP(double, l->und);
            SWAP(double, l->dist);
            SWAP(double, l->rec_n);
            SWAP(double, l->rec_s);
#undef SWAP
            j--;
        }
    }
    memset(l->row, 0, (size_t)(n_actors + 1) * sizeof *l->row);
    for (int i = 0; i < l->n; i++) l->row[l->from[i] + 1]++;
    for (int a = 0; a < n_actors; a++) l->row[a + 1] += l->row[a];
}
