#include "warm_start.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "interrupt.h"
#include "output.h"

#define S_MAGIC "placesim warm state 1\n"

void ps_warm_cache_default(ps_warm_cache *c)
{
    memset(c, 0, sizeof *c);
    /* a state of a few GiB (England) would take longer to write and read
     * than the warm-up costs on the machines that run it */
    c->max_bytes = (size_t)1 << 30;
    const char *env = getenv("PLACESIM_CACHE");
    if (env && *env) {
        if (strcmp(env, "off") != 0) snprintf(c->dir, sizeof c->dir, "%s", env);
        return;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg) snprintf(c->dir, sizeof c->dir, "%s/placesim", xdg);
    else if (home && *home) snprintf(c->dir, sizeof c->dir, "%s/.cache/placesim", home);
}

void ps_warm_record_free(ps_warm_record *r)
{
    free(r->row0);
    free(r->track);
    free(r->series);
    memset(r, 0, sizeof *r);
}

size_t ps_steady_metric_indices(const ps_model_type *type, const void *place, size_t *track,
                                double *tol)
{
    const ps_metric *metrics;
    size_t nm = type->metrics(place, &metrics);
    size_t n = ps_metric_select(metrics, nm, PS_METRIC_STEADY, track);
    for (size_t k = 0; tol && k < n; k++) tol[k] = metrics[track[k]].steady_tolerance;
    return n;
}

uint64_t ps_program_hash(void)
{
    static uint64_t hash;
    static int done;
    if (done) return hash;
    FILE *fp = fopen("/proc/self/exe", "rb");
    if (fp) {
        uint64_t h = PS_FNV_OFFSET;
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0) h = ps_fnv1a64(h, buf, n);
        if (!ferror(fp)) hash = h;
        fclose(fp);
    }
    done = 1;
    return hash;
}

int ps_state_blob_save(const ps_model_type *type, const void *state, ps_state_blob *b,
                       ps_diag *d)
{
    memset(b, 0, sizeof *b);
    if (!type->save) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "the model '%s' cannot save its state", type->name);
        return PS_ERR_INPUT;
    }
    FILE *fp = open_memstream(&b->data, &b->size);
    if (!fp) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory for a model state");
        return PS_ERR_MEMORY;
    }
    int bad = type->save(state, fp) != 0;
    bad |= fclose(fp) != 0;
    if (bad) {
        ps_state_blob_free(b);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory for a model state");
        return PS_ERR_MEMORY;
    }
    return 0;
}

void *ps_state_blob_restore(const ps_model_type *type, const void *place, ps_rng_key key,
                            const ps_state_blob *b, ps_diag *d)
{
    if (!type->restore || !b->data) {
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "the model '%s' cannot restore a state",
                    type->name);
        return NULL;
    }
    FILE *fp = fmemopen(b->data, b->size, "rb");
    if (!fp) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory restoring a model state");
        return NULL;
    }
    void *state = type->restore(place, key, fp, d);
    fclose(fp);
    if (!state && !d->count)
        ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "a saved model state could not be restored");
    return state;
}

void ps_state_blob_free(ps_state_blob *b)
{
    free(b->data);
    b->data = NULL;
    b->size = 0;
}

/* ---- the cache ---------------------------------------------------------- */

static void S_key(const ps_model_type *type, const void *place, const ps_run_settings *run,
                  uint64_t state_hash, unsigned rep, size_t n_metrics, size_t n_track, char *key,
                  size_t size)
{
    snprintf(key, size,
             "model=%s program=%016llx scenario=%016llx seed=%llu replication=%u warmup=%d "
             "population=%ld metrics=%zu steady=%zu",
             type->name, (unsigned long long)ps_program_hash(),
             (unsigned long long)state_hash, (unsigned long long)run->seed, rep, run->warmup,
             type->population(place), n_metrics, n_track);
}

static void S_entry_path(const ps_warm_cache *c, const char *key, char *path, size_t size)
{
    uint64_t h = ps_fnv1a64(PS_FNV_OFFSET, key, strlen(key));
    snprintf(path, size, "%s/warm-%016llx.state", c->dir, (unsigned long long)h);
}

/* A reader over the bytes of an entry that refuses to run past the end. */
typedef struct {
    const char *p, *end;
    int bad;
} S_cursor;

static void S_take(S_cursor *c, void *dst, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = 1;
        return;
    }
    memcpy(dst, c->p, n);
    c->p += n;
}

void *ps_warm_entry_read(const ps_model_type *type, const void *place, ps_rng_key key,
                         const char *buf, size_t len, const char *keytext, ps_warm_record *rec)
{
    size_t klen = strlen(keytext), mlen = strlen(S_MAGIC);
    uint64_t sum;
    if (!buf || len < mlen + klen + 1 + sizeof sum || memcmp(buf, S_MAGIC, mlen) != 0 ||
        memcmp(buf + mlen, keytext, klen) != 0 || buf[mlen + klen] != '\n')
        return NULL;
    memcpy(&sum, buf + len - sizeof sum, sizeof sum);
    if (ps_fnv1a64(PS_FNV_OFFSET, buf, len - sizeof sum) != sum) return NULL;
    S_cursor c = {buf + mlen + klen + 1, buf + len - sizeof sum, 0};
    uint64_t nm = 0, nt = 0, blob = 0;
    int64_t warmup = 0;
    S_take(&c, &nm, sizeof nm);
    S_take(&c, &nt, sizeof nt);
    S_take(&c, &warmup, sizeof warmup);
    if (c.bad || nm != rec->n_metrics || nt != rec->n_track || warmup != rec->warmup) return NULL;
    S_take(&c, rec->row0, nm * sizeof *rec->row0);
    S_take(&c, rec->series, (size_t)warmup * nt * sizeof *rec->series);
    S_take(&c, &blob, sizeof blob);
    if (c.bad || blob != (uint64_t)(c.end - c.p)) return NULL;
    ps_state_blob b = {(char *)c.p, (size_t)blob};
    ps_diag scratch;
    ps_diag_init(&scratch);
    return ps_state_blob_restore(type, place, key, &b, &scratch);
}

/* Restores the entry at path (ps_warm_entry_read); NULL when there is none
 * or it cannot be read whole. */
static void *S_cache_read(const ps_model_type *type, const void *place, ps_rng_key key,
                          const char *path, const char *keytext, ps_warm_record *rec)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len == cap) {
            size_t ncap = cap ? 2 * cap : (size_t)1 << 20;
            char *nb = realloc(buf, ncap);
            if (!nb) break;
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + len, 1, cap - len, fp);
        len += n;
        if (n == 0) break;
    }
    int read_error = ferror(fp) || !feof(fp);
    fclose(fp);
    void *state = read_error ? NULL : ps_warm_entry_read(type, place, key, buf, len, keytext, rec);
    free(buf);
    return state;
}

/* Stores an entry; the cache is only a saving, so a failure leaves none
 * behind and is otherwise silent. */
static void S_cache_write(const ps_warm_cache *cache, const char *path, const char *keytext,
                          const ps_warm_record *rec, const ps_state_blob *b)
{
    if (ps_mkdir_p(cache->dir) != 0) return;
    static unsigned counter;
    char tmp[1300];
    snprintf(tmp, sizeof tmp, "%s.%ld.%u.partial", path, (long)getpid(), counter++);
    FILE *fp = fopen(tmp, "wb");
    if (!fp) return;
    uint64_t h = PS_FNV_OFFSET;
    int bad = 0;
#define S_PUT(ptr, n)                                                                \
    do {                                                                             \
        size_t n_ = (n);                                                             \
        if (n_) {                                                                    \
            bad |= fwrite((ptr), 1, n_, fp) != n_;                                   \
            h = ps_fnv1a64(h, (ptr), n_);                                            \
        }                                                                            \
    } while (0)
    uint64_t nm = rec->n_metrics, nt = rec->n_track, blob = b->size;
    int64_t warmup = rec->warmup;
    S_PUT(S_MAGIC, strlen(S_MAGIC));
    S_PUT(keytext, strlen(keytext));
    S_PUT("\n", 1);
    S_PUT(&nm, sizeof nm);
    S_PUT(&nt, sizeof nt);
    S_PUT(&warmup, sizeof warmup);
    S_PUT(rec->row0, rec->n_metrics * sizeof *rec->row0);
    S_PUT(rec->series, (size_t)rec->warmup * rec->n_track * sizeof *rec->series);
    S_PUT(&blob, sizeof blob);
    S_PUT(b->data, b->size);
#undef S_PUT
    bad |= fwrite(&h, sizeof h, 1, fp) != 1;
    bad |= fclose(fp) != 0;
    if (bad || rename(tmp, path) != 0) remove(tmp);
}

/* ---- the warm start ------------------------------------------------------ */

int ps_warm_record_alloc(const ps_model_type *type, const void *place, int warmup,
                         ps_warm_record *rec)
{
    memset(rec, 0, sizeof *rec);
    const ps_metric *metrics;
    rec->n_metrics = type->metrics(place, &metrics);
    rec->warmup = warmup;
    rec->row0 = calloc(rec->n_metrics + 1, sizeof *rec->row0);
    rec->track = calloc(ps_metric_select(metrics, rec->n_metrics, PS_METRIC_STEADY, NULL) + 1,
                        sizeof *rec->track);
    if (!rec->row0 || !rec->track) return -1;
    rec->n_track = ps_steady_metric_indices(type, place, rec->track, NULL);
    rec->series = calloc((size_t)warmup * rec->n_track + 1, sizeof *rec->series);
    return rec->series ? 0 : -1;
}

void *ps_warm_start(const ps_model_type *type, const void *place, const ps_run_settings *run,
                    uint64_t state_hash, unsigned rep, const ps_warm_cache *cache,
                    ps_warm_record *rec, ps_diag *d)
{
    if (ps_warm_record_alloc(type, place, run->warmup, rec) != 0) {
        ps_warm_record_free(rec);
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return NULL;
    }
    ps_step_ctx ctx;
    ctx.key = ps_rng_key_make(run->seed, rep);
    int use_cache = cache && cache->dir[0] && run->warmup > 0 && type->save && type->restore &&
                    (!type->state_bytes || type->state_bytes(place) <= cache->max_bytes);
    char keytext[512], path[1200];
    if (use_cache) {
        S_key(type, place, run, state_hash, rep, rec->n_metrics, rec->n_track, keytext,
              sizeof keytext);
        S_entry_path(cache, keytext, path, sizeof path);
        void *state = S_cache_read(type, place, ctx.key, path, keytext, rec);
        if (state) {
            rec->from_cache = 1;
            return state;
        }
    }
    void *state = type->create(place, ctx.key, d);
    if (!state) {
        if (!d->count) ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        ps_warm_record_free(rec);
        return NULL;
    }
    double *row = rec->row0;
    int rc = 0;
    for (int tick = 0; tick < run->warmup && rc == 0; tick++) {
        if (ps_interrupt_requested()) {
            ps_diag_add(d, PS_ERR_INTERRUPTED, "", 0, "",
                        "stopped by signal %d at tick %d of replication %u (warm-up)",
                        ps_interrupt_requested(), tick, rep);
            rc = PS_ERR_INTERRUPTED;
            break;
        }
        ctx.tick = tick;
        ctx.week = tick - run->warmup;
        if ((rc = type->step(state, &ctx, d)) != 0) break;
        type->observe(state, row);
        for (size_t k = 0; k < rec->n_track; k++)
            rec->series[(size_t)tick * rec->n_track + k] = row[rec->track[k]];
    }
    if (rc) {
        type->destroy(state);
        ps_warm_record_free(rec);
        return NULL;
    }
    /* the state at week 0, observed before the first reported tick (with
     * no warm-up, a census of the population as created) */
    type->observe(state, row);
    if (use_cache) {
        ps_state_blob b;
        ps_diag scratch;
        ps_diag_init(&scratch);
        if (ps_state_blob_save(type, state, &b, &scratch) == 0) {
            S_cache_write(cache, path, keytext, rec, &b);
            ps_state_blob_free(&b);
        }
    }
    return state;
}
