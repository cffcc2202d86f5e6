/* The warm state: a replication's state at the end of its warm-up, where
 * every reported week, every arm of a comparison and every policy starts.
 *
 * A place's baseline takes years of simulated time to settle (docs/model.md,
 * section 1), so the warm state is cached on disk, keyed by everything that
 * determines it: the program itself (a hash of its executable, so a rebuilt
 * program never reads a state an older one made), the model, the
 * scenario's text and overrides (less the settings that only shape what is
 * reported: run.replications, run.weeks, run.summary_weeks), the seed, the
 * replication, the warm-up and the population. The key is stored in the
 * entry in full and compared, and the entry carries a checksum of its
 * bytes, so an entry is used only for the scenario that made it, intact.
 * The cache lives in $PLACESIM_CACHE (a directory, or "off"), else
 * $XDG_CACHE_HOME/placesim, else $HOME/.cache/placesim.
 *
 * Comparisons branch every arm from the baseline's warm state of the same
 * replication (ps_state_blob): a policy acts from week 0 on the settled
 * place, and the arms are identical until it does. */
#ifndef PS_WARM_START_H
#define PS_WARM_START_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "ps_error.h"
#include "scenario.h"

typedef struct ps_warm_cache {
    char dir[1024];     /* "" when the cache is off */
    size_t max_bytes;   /* states larger than this are not cached */
} ps_warm_cache;

/* The cache the environment asks for (see above); off when no directory
 * can be named. */
void ps_warm_cache_default(ps_warm_cache *c);

/* What a warm start hands on, besides the state. */
typedef struct ps_warm_record {
    size_t n_metrics;
    double *row0;     /* the metrics observed at week 0 (end of the warm-up) */
    size_t n_track;   /* the model's steady metrics (PS_METRIC_STEADY) */
    size_t *track;    /* their indices among the metrics */
    int warmup;
    double *series;   /* [tick 0 .. warmup - 1][n_track], observed after each tick */
    int from_cache;   /* 1: restored from the cache */
} ps_warm_record;

void ps_warm_record_free(ps_warm_record *r);

/* The indices of the model's steady metrics (PS_METRIC_STEADY) among its
 * metrics, in table order, into track[] (room for every steady metric),
 * and their tolerances into tol (when not NULL); returns how many there
 * are. */
size_t ps_steady_metric_indices(const ps_model_type *type, const void *place, size_t *track,
                                double *tol);

/* Replication rep's state at the end of the warm-up (tick run->warmup) of
 * the scenario whose ps_scenario.state_hash is state_hash,
 * from the cache (cache NULL or off: never) or simulated, then cached.
 * rec receives the week-0 metrics and the warm-up series of the steady
 * metrics. Returns the state (type->destroy frees it), or NULL with d
 * filled (an interrupt between ticks stops it with PS_ERR_INTERRUPTED). */
void *ps_warm_start(const ps_model_type *type, const void *place, const ps_run_settings *run,
                    uint64_t state_hash, unsigned rep, const ps_warm_cache *cache,
                    ps_warm_record *rec, ps_diag *d);

/* The parts of the cache, for its fuzz target (tests/fuzz/fuzz_warm.c). */

/* A record sized for the place's metrics and a warm-up of `warmup` ticks
 * (ps_warm_record_free frees it). Returns 0 or -1 (out of memory). */
int ps_warm_record_alloc(const ps_model_type *type, const void *place, int warmup,
                         ps_warm_record *rec);
/* Restores a cache entry from its len bytes into a new state and rec (as
 * allocated by ps_warm_record_alloc): NULL when the bytes are not a whole
 * entry, their checksum does not hold, or they were made for another key
 * (keytext) or another record's shape (then the warm-up is simulated
 * again, which is always correct). */
void *ps_warm_entry_read(const ps_model_type *type, const void *place, ps_rng_key key,
                         const char *buf, size_t len, const char *keytext, ps_warm_record *rec);

/* A model state as bytes in memory (the model's save hook), to start
 * several arms from. */
typedef struct ps_state_blob {
    char *data;
    size_t size;
} ps_state_blob;

int ps_state_blob_save(const ps_model_type *type, const void *state, ps_state_blob *b,
                       ps_diag *d);
/* A new state for place and key, read from the blob (the place may differ
 * from the one that saved it in its parameters: the model applies the
 * difference). NULL with d filled. */
void *ps_state_blob_restore(const ps_model_type *type, const void *place, ps_rng_key key,
                            const ps_state_blob *b, ps_diag *d);
void ps_state_blob_free(ps_state_blob *b);

/* A hash of this program's executable (0 when it cannot be read), so that
 * a cached state is never read by a program other than the one that made
 * it. */
uint64_t ps_program_hash(void);

#endif
