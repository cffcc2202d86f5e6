/* The profile of a place and the levels of the leverage arms
 * (sc_diagnose.h; the method is in docs/diagnose.md). */
#include "sc_diagnose.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"
#include "sc.h"

/* the stream of the survey draws: apart from the model's own streams */
enum { S_SURVEY_STREAM = 0x5355u };

const char **sc_dx_actor_ids(const void *place, size_t *n)
{
    const sc_place *pl = place;
    const char **ids = calloc((size_t)pl->A + 1, sizeof *ids);
    if (!ids) return NULL;
    for (int a = 0; a < pl->A; a++) ids[a] = pl->actors[a].id;
    *n = (size_t)pl->A;
    return ids;
}

long sc_dx_capacity_reference(const void *place)
{
    const sc_place *pl = place;
    return (long)floor((double)pl->population / pl->capacity_scale + 0.5);
}

int sc_dx_supporters(int k, int out[SC_DX_K])
{
    int n = 0;
    for (int j = 0; j < SC_K; j++)
        if (j != k && sc_interdependence[k][j] > 0) out[n++] = j;
    return n;
}

static int S_in_group(const sc_dx_actor *x, int g)
{
    return !x->dormant && (g == 0 || x->group == g);
}

/* Index, spreads, weakest and strongest, and the actors furthest below. */
static void S_group_levels(sc_dx_profile *pr, int g)
{
    sc_dx_group *G = &pr->groups[g];
    double wsum = 0;
    int n = 0;
    for (int a = 0; a < pr->n_actors; a++)
        if (S_in_group(&pr->actors[a], g)) {
            wsum += pr->actors[a].influence;
            n++;
        }
    G->n_actors = n;
    /* the model's P_k weighs actors by influence; with none, equally */
    int plain = !(wsum > 0);
    for (int k = 0; k < SC_K; k++) {
        double num = 0, den = 0;
        for (int a = 0; a < pr->n_actors; a++) {
            const sc_dx_actor *x = &pr->actors[a];
            if (!S_in_group(x, g)) continue;
            double w = plain ? 1 : x->influence;
            num += w * x->level[k];
            den += w;
        }
        double mean = den > 0 ? num / den : NAN, var = 0, rsq = 0;
        int rn = 0;
        for (int a = 0; a < pr->n_actors; a++) {
            const sc_dx_actor *x = &pr->actors[a];
            if (!S_in_group(x, g)) continue;
            double w = plain ? 1 : x->influence;
            var += w * (x->level[k] - mean) * (x->level[k] - mean);
            if (x->answers[k] >= 2) {
                rsq += x->sd[k] * x->sd[k];
                rn++;
            }
        }
        G->index[k] = mean;
        G->spread_actors[k] = den > 0 ? sqrt(var / den) : NAN;
        G->spread_respondents[k] = rn ? sqrt(rsq / rn) : NAN;
        for (int w = 0; w < SC_DX_WORST; w++) {
            G->below[k][w] = -1;
            G->below_gap[k][w] = 0;
        }
        /* insertion into the short list of the largest gaps below the index */
        for (int a = 0; a < pr->n_actors; a++) {
            const sc_dx_actor *x = &pr->actors[a];
            double gap = mean - x->level[k];
            if (!S_in_group(x, g) || !(gap > 1e-12)) continue;
            for (int w = 0; w < SC_DX_WORST; w++) {
                if (G->below[k][w] >= 0 && G->below_gap[k][w] >= gap) continue;
                for (int v = SC_DX_WORST - 1; v > w; v--) {
                    G->below[k][v] = G->below[k][v - 1];
                    G->below_gap[k][v] = G->below_gap[k][v - 1];
                }
                G->below[k][w] = a;
                G->below_gap[k][w] = gap;
                break;
            }
        }
    }
    G->weakest = G->strongest = 0;
    for (int k = 1; k < SC_K; k++) {
        if (G->index[k] < G->index[G->weakest]) G->weakest = k;
        if (G->index[k] > G->index[G->strongest]) G->strongest = k;
    }
}

/* Trust density and leadership entropy at the start, as the model
 * computes them (sc_actors.c) from the scenario's links and influence. */
static void S_group_structure(sc_dx_profile *pr, const sc_place *pl, int g)
{
    sc_dx_group *G = &pr->groups[g];
    double s = 0;
    int n = 0;
    for (int k = 0; k < pl->L; k++) {
        const sc_link_spec *l = &pl->links[k];
        if (!S_in_group(&pr->actors[l->from], g) || !S_in_group(&pr->actors[l->to], g)) continue;
        s += l->trust * l->understanding;
        n++;
    }
    G->links = n;
    G->trust_density = n ? s / n : (g == 0 ? 0 : NAN);
    double total = 0, h = 0;
    for (int a = 0; a < pr->n_actors; a++)
        if (S_in_group(&pr->actors[a], g)) total += pr->actors[a].influence;
    for (int a = 0; a < pr->n_actors && total > 0; a++) {
        double l = pr->actors[a].influence / total;
        if (S_in_group(&pr->actors[a], g) && l > 0) h -= l * log(l);
    }
    G->leadership_entropy = G->n_actors > 1 ? h / log((double)G->n_actors) : (g == 0 ? 0 : NAN);
}

int sc_dx_profile_build(const void *place, const sc_survey *sv, sc_dx_profile *pr)
{
    const sc_place *pl = place;
    memset(pr, 0, sizeof *pr);
    pr->n_actors = pl->A;
    pr->actors = calloc((size_t)pl->A + 1, sizeof *pr->actors);
    if (!pr->actors) return -1;
    pr->survey = sv != NULL;
    double total = 0;
    for (int a = 0; a < pl->A; a++)
        if (!pl->actors[a].dormant) total += pl->actors[a].influence;
    for (int a = 0; a < pl->A; a++) {
        const sc_actor_spec *s = &pl->actors[a];
        sc_dx_actor *x = &pr->actors[a];
        x->id = s->id;
        x->name = s->name;
        x->group = s->system >= 0 ? s->system + 1 : 0;
        x->dormant = s->dormant;
        x->influence = total > 0 && !s->dormant ? s->influence / total : 0;
        x->respondents = sv && (size_t)a < sv->n_actors ? sv->actor_respondents[a] : 0;
        for (int k = 0; k < SC_K; k++) {
            size_t i = (size_t)a * SC_K + (size_t)k;
            int n = sv && (size_t)a < sv->n_actors ? sv->n[i] : 0;
            x->answers[k] = n;
            x->from_survey[k] = n > 0;
            x->level[k] = n > 0 ? sv->mean[i] : s->p[k];
            x->sd[k] = n > 1 ? sv->sd[i] : 0;
        }
    }
    pr->n_groups = 1 + pl->S;
    snprintf(pr->groups[0].name, sizeof pr->groups[0].name, "place");
    for (int s = 0; s < pl->S; s++)
        snprintf(pr->groups[s + 1].name, sizeof pr->groups[s + 1].name, "%s", pl->system_name[s]);
    for (int g = 0; g < pr->n_groups; g++) {
        S_group_levels(pr, g);
        S_group_structure(pr, pl, g);
        for (int a = 0; a < pr->n_actors; a++)
            if (S_in_group(&pr->actors[a], g)) pr->groups[g].respondents += pr->actors[a].respondents;
    }
    double s = 0;
    for (int k = 0; k < pl->L; k++) {
        const sc_link_spec *l = &pl->links[k];
        const sc_dx_actor *x = &pr->actors[l->from], *y = &pr->actors[l->to];
        if (x->dormant || y->dormant) continue;
        if (x->group == 0 || y->group == 0 || x->group != y->group) {
            pr->cross_links++;
            s += l->trust;
        }
    }
    pr->cross_trust = pr->cross_links ? s / pr->cross_links : NAN;
    return 0;
}

void sc_dx_profile_free(sc_dx_profile *pr)
{
    free(pr->actors);
    memset(pr, 0, sizeof *pr);
}

void sc_dx_levels(const sc_dx_profile *pr, uint64_t seed, unsigned rep, double *levels)
{
    ps_rng_key key = ps_rng_key_make(seed, rep);
    for (int a = 0; a < pr->n_actors; a++) {
        const sc_dx_actor *x = &pr->actors[a];
        for (int k = 0; k < SC_K; k++) {
            double v = x->level[k];
            if (x->answers[k] >= 2 && x->sd[k] > 0) {
                /* the mean of n answers is uncertain by sd / sqrt(n): one
                 * Box-Muller normal from the block of (actor, k) */
                uint32_t w[4];
                ps_rng_block(key, S_SURVEY_STREAM, (uint32_t)a, (uint32_t)k, 0, w);
                double z = sqrt(-2 * log(ps_rng_u01(w[0]))) * cos(2 * M_PI * ps_rng_u01(w[1]));
                v = sc_clamp01(v + z * x->sd[k] / sqrt((double)x->answers[k]));
            }
            levels[(size_t)a * SC_K + (size_t)k] = v;
        }
    }
}

void sc_dx_raise(const sc_dx_profile *pr, double *levels, int k, int joint, double step, int g)
{
    int sup[SC_DX_K], ns = joint ? sc_dx_supporters(k, sup) : 0;
    sup[ns++] = k;
    for (int a = 0; a < pr->n_actors; a++) {
        if (!S_in_group(&pr->actors[a], g)) continue;
        for (int j = 0; j < ns; j++) {
            double *v = &levels[(size_t)a * SC_K + (size_t)sup[j]];
            *v = *v + step > 1 ? 1 : *v + step;
        }
    }
}

int sc_dx_overrides(const void *place, const double *levels, char **sets, size_t *n)
{
    const sc_place *pl = place;
    for (int a = 0; a < pl->A; a++)
        for (int k = 0; k < SC_K; k++) {
            double v = levels[(size_t)a * SC_K + (size_t)k];
            if (v == pl->actors[a].p[k]) continue;
            char buf[96];
            snprintf(buf, sizeof buf, "actors.[%d].preconditions.%c=%.17g", a, 'A' + k, v);
            sets[*n] = strdup(buf);
            if (!sets[*n]) return -1;
            (*n)++;
        }
    return 0;
}
