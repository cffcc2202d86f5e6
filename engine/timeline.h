/* Dated interventions: a scenario's `timeline` is a list of operations, so
 * any policy or shock is data, not code:
 *
 *   { at = 52; target = "actors[kind=statutory].capacity"; op = "scale";
 *     value = 0.8; ramp = 4; until = 104; }
 *   { at = 52; shock = "leader_departure"; }
 *   { at = 13; event = "secondment"; from = "kind=statutory"; to = "hub"; share = 0.3; }
 *
 * A named shock is something that happens to the place (its resilience to
 * it is measured); a named event is a policy's own act (staff seconded to
 * a hub), applied the same way but not read as a shock.
 * The engine reads the common keys (at, until, ramp, op, value, target,
 * shock, label) and owns the clock: the level of each intervention rises
 * linearly from 0 to 1 over `ramp` weeks from `at` (at once when ramp = 0)
 * and returns to 0 at `until`. The model compiles each entry's target or
 * shock (and its own keys) into a handle and applies level changes. */
#ifndef PS_TIMELINE_H
#define PS_TIMELINE_H

#include <libconfig.h>
#include <stddef.h>

#include "ps_error.h"

typedef enum ps_op { PS_OP_SET, PS_OP_SCALE, PS_OP_ADD, PS_OP_SHOCK } ps_op;

typedef struct ps_intervention {
    int at;        /* reported week it starts */
    int until;     /* week it is reverted; -1: never */
    int ramp;      /* weeks to reach full effect; 0: at once */
    ps_op op;
    double value;
    const char *target;  /* NULL for a named shock */
    const char *shock;   /* the named shock or event; NULL for an operation on a target */
    int event;           /* 1: a named policy event (key `event`), not a shock */
    const char *label;   /* for reports: label, else target or shock */
    const config_setting_t *entry; /* the group, for the model's own keys */
    char file[256];
    int line;
    size_t index;  /* position in the timeline */
    void *handle;  /* the model's compiled form */
} ps_intervention;

typedef struct ps_timeline {
    size_t n;
    ps_intervention *items;
} ps_timeline;

/* The keys every entry may have; a model's compile hook checks the others. */
extern const char *const ps_timeline_common_keys[];
extern const size_t ps_timeline_n_common_keys;

/* Appends the entries of list (a `timeline` setting; NULL is fine) with
 * validation against the horizon. Returns 0 or -1 (problems in d). */
int ps_timeline_read(ps_timeline *tl, const config_setting_t *list, int weeks, ps_diag *d);
void ps_timeline_free(ps_timeline *tl, void (*free_handle)(void *));

/* The level of intervention iv in reported week `week` (before its tick),
 * with the ramp shortened by speed (>= 1). */
double ps_timeline_level(const ps_intervention *iv, int week, double speed);

#endif
