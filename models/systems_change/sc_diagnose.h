/* Diagnosing a place (docs/diagnose.md): its precondition profile, from the
 * scenario's levels or from a survey of the organisations, and the levels
 * of the leverage arms (a precondition raised alone, or with its
 * supporters in the interdependence matrix C) as scenario overrides.
 *
 * Every function takes the place the model loaded (ps_loaded.place). */
#ifndef SC_DIAGNOSE_H
#define SC_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>

#include "sc_survey.h"

#define SC_DX_K 9          /* preconditions A..I */
#define SC_DX_WORST 3      /* actors listed furthest below a group's index */
#define SC_DX_MAX_GROUPS 17 /* the whole place and up to 16 system labels */

/* One group of actors: the whole place (group 0) or one system label. */
typedef struct sc_dx_group {
    char name[32];          /* "place", or the system label */
    int n_actors;           /* active at the start (dormant ones left out) */
    int respondents;        /* survey rows naming its actors */
    double index[SC_DX_K];  /* influence-weighted mean level (as P_k in the model) */
    double spread_actors[SC_DX_K];      /* influence-weighted sd across actors */
    double spread_respondents[SC_DX_K]; /* root mean square of the actors'
                                         * respondent sds (actors with 2+ answers);
                                         * NaN without them */
    int weakest, strongest; /* precondition indices */
    /* the actors furthest below the index: actor index (-1 none) and gap */
    int below[SC_DX_K][SC_DX_WORST];
    double below_gap[SC_DX_K][SC_DX_WORST];
    double trust_density;      /* mean trust x understanding of links within */
    double leadership_entropy; /* normalised entropy of influence within */
    int links;                 /* directed links with both ends inside */
} sc_dx_group;

typedef struct sc_dx_actor {
    const char *id, *name;
    int group;              /* 0 none, else 1 + system index */
    double influence;       /* share of the active actors' influence */
    double level[SC_DX_K];  /* the survey mean where answered, else the scenario's */
    int from_survey[SC_DX_K];
    int answers[SC_DX_K];
    double sd[SC_DX_K];     /* respondents' sd (0 with fewer than 2 answers) */
    int respondents;
    int dormant;
} sc_dx_actor;

typedef struct sc_dx_profile {
    int n_actors;
    sc_dx_actor *actors;
    int n_groups;
    sc_dx_group groups[SC_DX_MAX_GROUPS];
    /* links whose ends are in different systems (or one end unlabelled) */
    int cross_links;
    double cross_trust; /* their mean trust; NaN with none */
    int survey;         /* 1 when built from a survey */
} sc_dx_profile;

/* The actor ids of the place, in order (the array must be freed). */
const char **sc_dx_actor_ids(const void *place, size_t *n);

/* The profile of the place, with the survey's answers when sv is not
 * NULL (sv read against sc_dx_actor_ids). Returns 0 or -1 (memory). */
int sc_dx_profile_build(const void *place, const sc_survey *sv, sc_dx_profile *pr);
void sc_dx_profile_free(sc_dx_profile *pr);

/* Precondition k's supporters: the other columns of row k of C that are
 * positive. Returns how many (written to out). */
int sc_dx_supporters(int k, int out[SC_DX_K]);

/* The levels [actor * SC_DX_K + k] replication rep starts from: the
 * profile's, and where respondents disagree a draw from a normal
 * distribution with their mean and standard error (kept within [0, 1]),
 * keyed by (seed, rep, actor, k) so that every arm and every thread count
 * sees the same draw. */
void sc_dx_levels(const sc_dx_profile *pr, uint64_t seed, unsigned rep, double *levels);

/* Raises precondition k (with its supporters when joint) by step, capped
 * at 1, in every active actor of group g (0: all). */
void sc_dx_raise(const sc_dx_profile *pr, double *levels, int k, int joint, double step, int g);

/* Scenario overrides "actors.[i].preconditions.X=v" (start level and the
 * institutional anchor) for every level that differs from the scenario's.
 * Appends to sets[*n] (room for SC_DX_K x actors entries); each string
 * must be freed. Returns 0 or -1 (memory). */
int sc_dx_overrides(const void *place, const double *levels, char **sets, size_t *n);

/* The population the place's capacities are written for. */
long sc_dx_capacity_reference(const void *place);

#endif
