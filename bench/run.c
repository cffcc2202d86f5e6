/* Runs one population size in a forked child, so that its peak memory is
 * its own: the scenario loaded with population.size overridden, then for
 * each repeat and each thread count one model replication and one floor run
 * of the same length, interleaved so that both see the same load on a
 * shared machine. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "reduce.h"
#include "sc.h"
#include "systems_change.h"

const char *const b_kernel_names[B_KERNELS] = {"model", "floor"};

double b_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double b_cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long S_maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss; /* KiB on Linux */
}

void b_phase_names(b_config *cfg)
{
    cfg->n_phases = 0;
    if (sc_model_type.phase_names && sc_model_type.phase_seconds) {
        const char *const *names;
        size_t n = sc_model_type.phase_names(&names);
        for (size_t k = 0; k < n && k + 1 < PS_MAX_PHASES; k++)
            cfg->phase_names[cfg->n_phases++] = names[k];
    }
    cfg->phase_names[cfg->n_phases++] = "observe";
}

/* ---- bytes of the model's arrays ---------------------------------------- */

/* Bytes per citizen of the citizen arrays (sc_citizens in sc.h): D floats of
 * severity, D one-byte partners and the per-citizen scalars. z has its own
 * floats only in a run that changes the disadvantage parameters, which the
 * bench does not. A field added to sc_citizens must be added here too. */
static double S_citizen_bytes(const sc_citizens *c)
{
    size_t D = (size_t)c->D;
    size_t b = D * (sizeof *c->sev + sizeof *c->partner);
    b += sizeof *c->assets + sizeof *c->engagement;
    if (c->z) b += sizeof *c->z;
    b += sizeof *c->status + sizeof *c->flags + sizeof *c->follow_left +
         sizeof *c->assess + sizeof *c->handoffs + sizeof *c->lead;
    b += sizeof *c->hood + sizeof *c->relapse + sizeof *c->episode_tick + sizeof *c->told;
    return (double)b;
}

/* Bytes that do not grow with the population: actor and link arrays (every
 * allocated slot, as sc_create allocates them), entry tables, the actor
 * adjacency matrix, neighbourhood arrays, per-thread tallies and the
 * admission and referral tables by actor. Request and referral buffers
 * grow with the number of people seeking help, and the admission's tables
 * by chunk of 4,096 citizens (where each chunk's requests and referrals
 * are, 48 B, and its requests per actor, 4 B per actor) with N / 4,096;
 * they are not counted here (the peak RSS includes them). */
static double S_fixed_bytes(const sc_state *st)
{
    const sc_actors *A = &st->a;
    const sc_links *L = &st->l;
    size_t na = (size_t)A->cap_n + 1, nl = (size_t)L->cap_n + 1;
    size_t D = (size_t)st->pl->D, H = (size_t)st->pl->H, T = (size_t)st->threads;
    size_t b = 0;
    b += na * (sizeof *A->alive + sizeof *A->kind + sizeof *A->role + sizeof *A->system +
               sizeof *A->hood + sizeof *A->domains + sizeof *A->budget +
               sizeof *A->visibility + sizeof *A->influence0 + sizeof *A->capacity +
               sizeof *A->values + sizeof *A->p + sizeof *A->p0 + sizeof *A->p_next +
               sizeof *A->influence + sizeof *A->perf + sizeof *A->asp + sizeof *A->rej +
               sizeof *A->cut + sizeof *A->stress + sizeof *A->avail + sizeof *A->cases +
               sizeof *A->requests + sizeof *A->turned_away + sizeof *A->succ +
               sizeof *A->fail + sizeof *A->joint_succ);
    b += nl * (sizeof *L->from + sizeof *L->to + sizeof *L->trust + sizeof *L->und +
               sizeof *L->dist + sizeof *L->s + sizeof *L->f);
    b += (na + 1) * sizeof *L->row;
    b += (D * (na - 1) + 1) * sizeof *st->entry_actor + (D + 2) * sizeof *st->entry_off;
    b += (D * H * (na - 1) + 1) * sizeof *st->entry_cum;
    b += ((na - 1) * (na - 1) + 7) / 8 + 1;
    b += ((na - 1) * (na - 1) + 1) * sizeof *st->link_index;
    b += (H + 1) * (sizeof *st->hood_assets + sizeof *st->hood_volunteers +
                    sizeof *st->hood_pop + sizeof *st->onset_hood);
    b += (T + 1) * sizeof *st->tally;
    b += (T * (na - 1) * TA_N + 1) * sizeof *st->tl_actor;
    b += (T * (nl - 1) * 2 + 1) * sizeof *st->tl_link;
    b += (T * H + 1) * sizeof *st->tl_hood;
    /* admission's and referrals' tables by actor */
    b += (T * (na - 1) * 2 + 1) * sizeof *st->adm_actor + (T * SC_ADM_N + 1) * sizeof *st->adm_count;
    b += (T * T + T + 2) * sizeof *st->adm_split + (na + 1) * sizeof *st->adm_groups;
    b += na * sizeof *st->adm_order;
    b += ((na - 1) * D + 1) * (sizeof *st->refer_full + sizeof *st->refer_cand_n);
    b += ((na - 1) * D * (na - 1) + 1) * sizeof *st->refer_cand;
    return (double)b;
}

/* ---- the two kernels ---------------------------------------------------- */

static void S_print_diag(const ps_diag *d)
{
    for (int i = 0; i < d->count && i < PS_DIAG_MAX; i++) {
        char buf[1024];
        ps_diag_format(d, i, buf, sizeof buf);
        fprintf(stderr, "placesim-bench: %s\n", buf);
    }
}

/* One model replication: create (timed apart), warm-up ticks (untimed),
 * then the timed ticks, each followed by observe as the engine does. */
static int S_model_rep(const b_config *cfg, const sc_place *pl, uint64_t seed,
                       int threads, b_cell *cell, int r, b_size *sz)
{
    omp_set_num_threads(threads);
    ps_diag d;
    ps_diag_init(&d);
    ps_step_ctx ctx;
    ctx.key = ps_rng_key_make(seed, 0);
    double t0 = b_now();
    sc_state *st = sc_model_type.create(pl, ctx.key, &d);
    double t1 = b_now();
    if (!st) {
        S_print_diag(&d);
        return -1;
    }
    size_t nm = ps_model_metric_count(&sc_model_type, pl);
    double *row = calloc(nm + 1, sizeof *row);
    if (!row) {
        sc_model_type.destroy(st);
        return -1;
    }
    size_t nmp = cfg->n_phases - 1; /* the model's own phases */
    double p0[PS_MAX_PHASES] = {0}, p1[PS_MAX_PHASES] = {0};
    int rc = 0;
    for (int tick = 0; tick < cfg->warmup && rc == 0; tick++) {
        ctx.tick = tick;
        ctx.week = tick - cfg->warmup;
        rc = sc_model_type.step(st, &ctx, &d);
    }
    if (nmp) sc_model_type.phase_seconds(st, p0);
    double s0 = sc_model_type.serial_seconds(st);
    uint64_t h = PS_FNV_OFFSET;
    double observe = 0;
    double cs = b_cpu_now(), ts = b_now();
    for (int w = 0; w < cfg->weeks && rc == 0; w++) {
        ctx.tick = cfg->warmup + w;
        ctx.week = w;
        rc = sc_model_type.step(st, &ctx, &d);
        double to = b_now();
        sc_model_type.observe(st, row);
        observe += b_now() - to;
        h = ps_fnv1a64(h, row, nm * sizeof *row);
    }
    double te = b_now(), ce = b_cpu_now();
    if (rc) S_print_diag(&d);
    if (nmp) sc_model_type.phase_seconds(st, p1);
    double s1 = sc_model_type.serial_seconds(st);
    if (r == 0 && sz->citizen_bytes == 0) {
        sz->citizen_bytes = S_citizen_bytes(&st->c);
        sz->fixed_bytes = S_fixed_bytes(st);
    }
    sc_model_type.destroy(st);
    free(row);
    if (rc) return -1;
    cell->seconds[r] = te - ts;
    cell->cpu_seconds[r] = ce - cs;
    cell->init_seconds[r] = t1 - t0;
    for (size_t k = 0; k < nmp; k++) cell->phases[r][k] = p1[k] - p0[k];
    cell->phases[r][nmp] = observe;
    cell->serial[r] = s1 - s0;
    if (r == 0) cell->hash = h;
    else if (cell->hash != h) cell->hash_mismatch = 1;
    cell->done = r + 1;
    return 0;
}

static void S_floor_rep(const b_config *cfg, b_floor *f, uint64_t seed, int threads,
                        b_cell *cell, int r)
{
    omp_set_num_threads(threads);
    double t0 = b_now();
    b_floor_fill(f);
    double t1 = b_now();
    int64_t sum = 0;
    for (int tick = 0; tick < cfg->warmup; tick++)
        b_floor_tick(f, seed, (uint32_t)tick, threads);
    double cs = b_cpu_now(), ts = b_now();
    for (int w = 0; w < cfg->weeks; w++)
        sum += b_floor_tick(f, seed, (uint32_t)(cfg->warmup + w), threads);
    double te = b_now(), ce = b_cpu_now();
    cell->seconds[r] = te - ts;
    cell->cpu_seconds[r] = ce - cs;
    cell->init_seconds[r] = t1 - t0;
    memset(cell->phases[r], 0, sizeof cell->phases[r]);
    cell->serial[r] = 0;
    uint64_t h = ps_fnv1a64(PS_FNV_OFFSET, &sum, sizeof sum);
    if (r == 0) cell->hash = h;
    else if (cell->hash != h) cell->hash_mismatch = 1;
    cell->done = r + 1;
}

/* ---- the child of one size ---------------------------------------------- */

static int S_child(const b_config *cfg, b_size *sz)
{
    ps_params *reg = ps_params_create();
    if (!reg || sc_model_type.declare(reg) != 0) return 1;
    char set[64];
    snprintf(set, sizeof set, "population.size=%ld", sz->n);
    const char *sets[] = {set};
    ps_scenario scen;
    ps_diag d;
    ps_diag_init(&d);
    int ok = ps_scenario_open(&scen, cfg->scenario, reg, sc_model_type.scenario_keys,
                              sc_model_type.n_scenario_keys, sets, 1, &d) == 0;
    sc_place *pl = ok ? sc_model_type.load(&scen, reg, &d) : NULL;
    if (!pl) {
        S_print_diag(&d);
        ps_scenario_close(&scen);
        ps_params_free(reg);
        return 1;
    }
    uint64_t seed = scen.run.seed;
    sz->rss_base_kib = S_maxrss_kib();
    b_floor f = {0, NULL, NULL};
    int rc = 0;
    for (int r = 0; r < cfg->repeats && rc == 0; r++) {
        for (int ti = 0; ti < cfg->n_threads && rc == 0; ti++) {
            int T = cfg->threads[ti];
            b_cell *mc = &sz->cell[ti][B_MODEL], *fc = &sz->cell[ti][B_FLOOR];
            if (S_model_rep(cfg, pl, seed, T, mc, r, sz) != 0) {
                rc = 1;
                break;
            }
            if (r == 0 && ti == 0) sz->rss_model_kib = S_maxrss_kib();
            if (!f.sev && b_floor_alloc(&f, (size_t)sz->n) != 0) {
                fprintf(stderr, "placesim-bench: out of memory for the floor at N=%ld\n",
                        sz->n);
                rc = 1;
                break;
            }
            S_floor_rep(cfg, &f, seed, T, fc, r);
            if (!cfg->quiet) {
                double cw = (double)sz->n * cfg->weeks;
                fprintf(stderr,
                        "  N=%-9ld threads=%d repeat %d/%d: model %7.3f s (%6.1f ns/cw, "
                        "init %.2f s), floor %7.3f s (%5.2f ns/cw)\n",
                        sz->n, T, r + 1, cfg->repeats, mc->seconds[r],
                        1e9 * mc->seconds[r] / cw, mc->init_seconds[r], fc->seconds[r],
                        1e9 * fc->seconds[r] / cw);
            }
        }
    }
    b_floor_free(&f);
    sc_model_type.unload(pl);
    ps_scenario_close(&scen);
    ps_params_free(reg);
    return rc;
}

int b_run_size(const b_config *cfg, b_size *sz)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("placesim-bench: fork");
        return -1;
    }
    if (pid == 0) {
        fflush(NULL);
        _exit(S_child(cfg, sz));
    }
    int status;
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        sz->failed = 1;
        if (WIFSIGNALED(status))
            fprintf(stderr, "placesim-bench: N=%ld: the child died of signal %d\n", sz->n,
                    WTERMSIG(status));
        return -1;
    }
    return 0;
}

long b_floor_rss(long n, int weeks, long *base_kib)
{
    long *shared = mmap(NULL, 2 * sizeof(long), PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED) return -1;
    shared[0] = shared[1] = -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        shared[1] = S_maxrss_kib();
        b_floor f;
        if (b_floor_alloc(&f, (size_t)n) != 0) _exit(1);
        for (int w = 0; w < weeks && w < 2; w++) b_floor_tick(&f, 1, (uint32_t)w, 1);
        shared[0] = S_maxrss_kib();
        b_floor_free(&f);
        _exit(0);
    }
    long v = -1;
    if (pid > 0) {
        int status;
        waitpid(pid, &status, 0);
        v = shared[0];
        *base_kib = shared[1];
    }
    munmap(shared, 2 * sizeof(long));
    return v;
}
