/* Events applied between ticks: a budget cut, a precondition raised (a
 * forcing), a trust-building programme (a leader leaving is
 * sc_actor_depart, in sc_actors.c, where actors also fold). The
 * intervention timeline and the tests use them. */
#include <string.h>

#include "sc.h"

int sc_most_influential(const sc_state *st)
{
    int best = -1;
    for (int a = 0; a < st->a.n; a++)
        if (st->a.alive[a] && (best < 0 || st->a.influence[a] > st->a.influence[best]))
            best = a;
    return best;
}

/* Multiplies the budget of every actor of a kind (-1: all); a cut also
 * adds to the actors' stress (section 5). */
void sc_scale_budget(sc_state *st, int kind, double factor)
{
    sc_actors *A = &st->a;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a] || (kind >= 0 && A->kind[a] != kind)) continue;
        A->budget[a] *= factor;
        if (factor < 1) A->cut[a] += 1 - factor;
    }
    sc_actor_snapshot(st);
}

/* A forcing: raises precondition k (and, if asked, its supporters in the
 * interdependence matrix) by amount in every actor; p0 stays. */
void sc_raise_precondition(sc_state *st, int k, double amount, int with_supporters)
{
    sc_actors *A = &st->a;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        for (int j = 0; j < SC_K; j++) {
            int hit = j == k || (with_supporters && sc_interdependence[k][j] > 0);
            if (hit) A->p[a][j] = sc_clamp01(A->p[a][j] + amount);
        }
    }
}

/* A trust-building programme: adds to the trust and understanding of
 * every link. */
void sc_scale_trust(sc_state *st, double add)
{
    for (int k = 0; k < st->l.n; k++) {
        st->l.trust[k] = sc_clamp01(st->l.trust[k] + add);
        st->l.und[k] = sc_clamp01(st->l.und[k] + add);
    }
}
