/* Events applied between ticks: a leader leaving, a budget cut, a
 * precondition raised (a forcing), a trust-building programme. The
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

/* The actor leaves: its links and cases go; its citizens return to UNMET
 * and the needs it served as a partner are referred again. */
void sc_actor_depart(sc_state *st, int actor)
{
    sc_actors *A = &st->a;
    if (actor < 0 || actor >= A->n || !A->alive[actor]) return;
    A->alive[actor] = 0;
    A->left[actor] = 1;
    A->influence[actor] = 0; /* a vacuum the others fill over time */
    sc_links *l = &st->l;
    int k = 0;
    for (int j = 0; j < l->n; j++) {
        if (l->from[j] == actor || l->to[j] == actor) continue;
        l->from[k] = l->from[j];
        l->to[k] = l->to[j];
        l->trust[k] = l->trust[j];
        l->und[k] = l->und[j];
        l->dist[k] = l->dist[j];
        l->rec_n[k] = l->rec_n[j];
        l->rec_s[k] = l->rec_s[j];
        k++;
    }
    l->n = k;
    sc_links_rebuild_rows(l, A->cap_n);
    st->adj_dirty = 1;
    sc_citizens *c = &st->c;
    const int D = c->D;
#pragma omp parallel for schedule(static)
    for (size_t i = 0; i < c->n; i++) {
        uint8_t *partner = &c->partner[i * (size_t)D];
        if (sc_lead(c, i) == actor) {
            c->lead[i] = LEAD_NONE;
            for (int d = 0; d < D; d++) partner[d] = PARTNER_NONE;
            if (c->status[i] == ST_SUPPORTED) c->status[i] = ST_UNMET;
            if (c->status[i] == ST_FOLLOW_UP) c->status[i] = ST_NONE;
        } else {
            for (int d = 0; d < D; d++)
                if (partner[d] == actor) partner[d] = PARTNER_PENDING;
        }
    }
    A->cases[actor] = 0;
    sc_actor_snapshot(st);
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
