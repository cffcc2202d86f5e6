#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <gsl/gsl_cdf.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"
#include "sim.h"
#include "systems_change.h"

int tp_load(tp_place *tp, const char *path, const char *const *sets, size_t n_sets)
{
    memset(tp, 0, sizeof *tp);
    ps_diag_init(&tp->diag);
    char full[1024];
    snprintf(full, sizeof full, "%s/%s", PLACESIM_SOURCE_DIR, path);
    tp->reg = ps_params_create();
    if (!tp->reg || sc_model_type.declare(tp->reg) != 0) return -1;
    if (ps_scenario_open(&tp->scen, full, tp->reg, sc_model_type.scenario_keys,
                         sc_model_type.n_scenario_keys, sets, n_sets, &tp->diag) != 0)
        return -1;
    tp->place = sc_model_type.load(&tp->scen, tp->reg, &tp->diag);
    tp->warm = calloc(1, sizeof *tp->warm);
    return tp->place ? 0 : -1;
}

static void S_forget_warm(tp_place *tp)
{
    if (!tp->warm) return;
    for (int r = 0; r < TP_MAX_REPS; r++) {
        ps_state_blob_free(&tp->warm->blob[r]);
        free(tp->warm->row0[r]);
        tp->warm->row0[r] = NULL;
    }
}

void tp_free(tp_place *tp)
{
    S_forget_warm(tp);
    free(tp->warm);
    if (tp->place) sc_model_type.unload(tp->place);
    ps_scenario_close(&tp->scen);
    ps_params_free(tp->reg);
    memset(tp, 0, sizeof *tp);
}

void tp_set_all_p(tp_place *tp, int k, double v)
{
    S_forget_warm(tp);
    for (int a = 0; a < tp->place->A; a++) tp->place->actors[a].p[k] = v;
}

size_t tp_n_metrics(const tp_place *tp) { return tp->place->n_metrics; }

size_t tp_metric(const tp_place *tp, const char *name)
{
    for (size_t i = 0; i < tp->place->n_metrics; i++)
        if (strcmp(tp->place->metrics[i].name, name) == 0) return i;
    fprintf(stderr, "no metric %s\n", name);
    abort();
}

int tp_check_state(const sc_state *st, char *why, size_t size)
{
    const sc_citizens *c = &st->c;
    const int D = c->D;
    for (size_t i = 0; i < c->n; i++) {
        for (int d = 0; d < D; d++) {
            float s = c->sev[i * (size_t)D + (size_t)d];
            if (!(s == 0 || (s >= st->prm->threshold && s <= 1))) {
                snprintf(why, size, "citizen %zu sev[%d] = %g", i, d, s);
                return -1;
            }
        }
        const int lead = sc_lead(c, i);
        if (!(c->assets[i] >= 0 && c->assets[i] <= 1) ||
            !(c->engagement[i] >= 0 && c->engagement[i] <= 1) || !(sc_z(c, i) > 0) ||
            c->status[i] > ST_FOLLOW_UP || c->hood[i] >= st->pl->H || lead >= st->a.n) {
            snprintf(why, size, "citizen %zu: assets %g engagement %g z %g status %d lead %d", i,
                     c->assets[i], c->engagement[i], sc_z(c, i), c->status[i], lead);
            return -1;
        }
        if (c->status[i] == ST_SUPPORTED && (lead < 0 || !st->a.alive[lead])) {
            snprintf(why, size, "citizen %zu supported without a live lead", i);
            return -1;
        }
    }
    long pop = 0;
    for (int h = 0; h < st->pl->H; h++) pop += st->hood_pop[h];
    if (pop != (long)c->n || (long)c->n != st->pl->population) {
        snprintf(why, size, "population %ld, citizens %zu", pop, c->n);
        return -1;
    }
    const sc_actors *A = &st->a;
    double inf = 0;
    for (int a = 0; a < A->n; a++) {
        if (!A->alive[a]) continue;
        for (int k = 0; k < SC_K; k++)
            if (!(A->p[a][k] >= 0 && A->p[a][k] <= 1)) {
                snprintf(why, size, "actor %d p[%d] = %g", a, k, A->p[a][k]);
                return -1;
            }
        if (!(A->influence[a] >= 0 && A->influence[a] <= 1) || !(A->budget[a] >= 0) ||
            !(A->capacity[a] >= 0) || !(A->stress[a] >= 0 && A->stress[a] <= 2) ||
            !(A->perf[a] >= 0 && A->perf[a] <= 1) || !isfinite(A->rej[a])) {
            snprintf(why, size, "actor %d: influence %g budget %g stress %g perf %g", a,
                     A->influence[a], A->budget[a], A->stress[a], A->perf[a]);
            return -1;
        }
        inf += A->influence[a];
    }
    if (!(inf > 0 && inf <= 1 + 1e-9)) {
        snprintf(why, size, "influence sums to %.12g", inf);
        return -1;
    }
    for (int k = 0; k < st->l.n; k++)
        if (!(st->l.trust[k] >= 0 && st->l.trust[k] <= 1 && st->l.und[k] >= 0 &&
              st->l.und[k] <= 1)) {
            snprintf(why, size, "link %d trust %g und %g", k, st->l.trust[k], st->l.und[k]);
            return -1;
        }
    for (int h = 0; h < st->pl->H; h++)
        if (!(st->hood_assets[h] >= 0 && st->hood_assets[h] <= 1)) {
            snprintf(why, size, "hood %d assets %g", h, st->hood_assets[h]);
            return -1;
        }
    return 0;
}

/* Replication rep's state at week 0: kept from an earlier run of it, or
 * warmed up (every tick checked when check) and kept. */
static sc_state *S_warm_state(const tp_place *tp, unsigned rep, double *row0, int check,
                              ps_diag *d)
{
    const ps_run_settings *run = &tp->scen.run;
    size_t nm = tp->place->n_metrics;
    ps_rng_key key = ps_rng_key_make(run->seed, rep);
    tp_warm *w = tp->warm;
    if (w && rep < TP_MAX_REPS && w->blob[rep].data) {
        memcpy(row0, w->row0[rep], nm * sizeof *row0);
        return ps_state_blob_restore(&sc_model_type, tp->place, key, &w->blob[rep], d);
    }
    ps_step_ctx sc;
    sc.key = key;
    sc_state *st = sc_model_type.create(tp->place, sc.key, d);
    if (!st) return NULL;
    for (int tick = 0; tick < run->warmup; tick++) {
        sc.tick = tick;
        sc.week = tick - run->warmup;
        char why[256];
        if (sc_model_type.step(st, &sc, d) != 0 ||
            (check && tp_check_state(st, why, sizeof why) != 0)) {
            if (check) fprintf(stderr, "tick %d: %s\n", tick, why);
            sc_model_type.destroy(st);
            return NULL;
        }
    }
    sc_model_type.observe(st, row0);
    if (w && rep < TP_MAX_REPS && ps_state_blob_save(&sc_model_type, st, &w->blob[rep], d) == 0) {
        w->row0[rep] = malloc(nm * sizeof *row0);
        if (w->row0[rep]) memcpy(w->row0[rep], row0, nm * sizeof *row0);
        else ps_state_blob_free(&w->blob[rep]);
    }
    return st;
}

int tp_run(const tp_place *tp, unsigned rep, tp_event ev, void *ctx, double *rows, int check)
{
    const ps_run_settings *run = &tp->scen.run;
    size_t nm = tp->place->n_metrics;
    ps_diag d;
    ps_diag_init(&d);
    ps_step_ctx sc;
    sc.key = ps_rng_key_make(run->seed, rep);
    double *row0 = malloc((nm + 1) * sizeof *row0);
    sc_state *st = row0 ? S_warm_state(tp, rep, row0, check, &d) : NULL;
    if (!st) {
        free(row0);
        return -1;
    }
    if (rows) memcpy(rows, row0, nm * sizeof *row0);
    free(row0);
    int rc = 0;
    for (int tick = run->warmup; tick < run->warmup + run->weeks && rc == 0; tick++) {
        sc.tick = tick;
        sc.week = tick - run->warmup;
        if (ev) ev(st, sc.week, ctx);
        rc = sc_model_type.step(st, &sc, &d);
        if (rc) break;
        if (rows) sc_model_type.observe(st, rows + (size_t)(sc.week + 1) * nm);
        if ((sc.week + 1) % 52 == 0) {
            double yr[16];
            sc_model_type.observe_year(st, 0, yr);
        }
        if (check) {
            char why[256];
            if (tp_check_state(st, why, sizeof why) != 0) {
                fprintf(stderr, "tick %d: %s\n", tick, why);
                rc = -1;
            }
        }
    }
    sc_model_type.destroy(st);
    return rc;
}

double tp_mean(const tp_place *tp, const double *rows, size_t m, int from, int to)
{
    size_t nm = tp->place->n_metrics;
    double s = 0;
    int n = 0;
    for (int w = from; w < to; w++) {
        double v = rows[(size_t)w * nm + m];
        if (!isnan(v)) {
            s += v;
            n++;
        }
    }
    return n ? s / n : NAN;
}

int tp_reps(int normal)
{
    /* the same under sanitizers: the runs are deterministic, so the
     * statistics (and their margins) are exactly those of the release build */
    return normal;
}

void tp_paired(const double *x, const double *y, int n, double *mean, double *half)
{
    double s = 0, ss = 0;
    for (int i = 0; i < n; i++) s += x[i] - y[i];
    double m = s / n;
    for (int i = 0; i < n; i++) ss += (x[i] - y[i] - m) * (x[i] - y[i] - m);
    double sd = n > 1 ? sqrt(ss / (n - 1)) : 0;
    *mean = m;
    *half = n > 1 ? gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt((double)n) : INFINITY;
}

int tp_shell(const char *cmd)
{
    signal(SIGCHLD, SIG_DFL);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void tp_read_text(const char *path, char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    size_t n = fread(buf, 1, size - 1, fp);
    buf[n] = '\0';
    fclose(fp);
}

static void S_slurp(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
}

static void S_exec(const char *binary, const char *const *args, long fsize, tp_output *r)
{
    const char *argv[64] = {binary};
    size_t n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    r->status = -1;
    r->out[0] = r->err[0] = '\0';
    FILE *out = tmpfile(), *err = tmpfile();
    if (!out || !err) {
        if (out) fclose(out);
        if (err) fclose(err);
        return;
    }
    signal(SIGCHLD, SIG_DFL);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fileno(out), 1);
        dup2(fileno(err), 2);
        if (fsize > 0) {
            struct rlimit rl = {(rlim_t)fsize, (rlim_t)fsize};
            signal(SIGXFSZ, SIG_IGN); /* ignored, it stays ignored across exec */
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(126);
        }
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    int ws;
    if (pid > 0 && waitpid(pid, &ws, 0) == pid) r->status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
    S_slurp(out, r->out, sizeof r->out);
    S_slurp(err, r->err, sizeof r->err);
    fclose(out);
    fclose(err);
}

void tp_exec(const char *binary, const char *const *args, tp_output *r)
{
    S_exec(binary, args, 0, r);
}

void tp_exec_limited(const char *binary, const char *const *args, long fsize, tp_output *r)
{
    S_exec(binary, args, fsize, r);
}

int tp_render_html(const char *html_path, const char *work_dir, char *dom, size_t size)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cd %s && timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic "
             "--no-first-run --disable-background-networking --disable-component-update "
             "--disable-sync --user-data-dir=%s/profile --dump-dom file://%s "
             "> %s/dom.html 2> %s/chromium.log",
             work_dir, work_dir, html_path, work_dir, work_dir);
    if (tp_shell(cmd) != 0) return -1;
    char path[1200];
    snprintf(path, sizeof path, "%s/dom.html", work_dir);
    tp_read_text(path, dom, size);
    static char log[1 << 16];
    snprintf(path, sizeof path, "%s/chromium.log", work_dir);
    tp_read_text(path, log, sizeof log);
    return dom[0] && !strstr(log, "Uncaught") ? 0 : -1;
}

int tp_same_file(const char *a, const char *b)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return tp_shell(cmd) == 0;
}

int tp_spawn(const char *binary, const char *const *args, const char *out_path,
             const char *err_path)
{
    const char *argv[64] = {binary};
    size_t n = 1;
    while (args[n - 1] && n < 63) {
        argv[n] = args[n - 1];
        n++;
    }
    argv[n] = NULL;
    signal(SIGCHLD, SIG_DFL);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(out_path ? out_path : "/dev/null", "w", stdout) ||
            !freopen(err_path ? err_path : "/dev/null", "w", stderr))
            _exit(126);
        execv(binary, (char *const *)argv);
        _exit(127);
    }
    return (int)pid;
}

int tp_wait(int pid)
{
    int ws;
    if (pid <= 0 || waitpid((pid_t)pid, &ws, 0) != (pid_t)pid) return -1;
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -1;
}

int tp_dir_has_suffix(const char *dir, const char *suffix)
{
    DIR *dh = opendir(dir);
    if (!dh) return 0;
    struct dirent *e;
    size_t sl = strlen(suffix);
    int found = 0;
    while (!found && (e = readdir(dh)) != NULL) {
        size_t n = strlen(e->d_name);
        found = n >= sl && strcmp(e->d_name + n - sl, suffix) == 0;
    }
    closedir(dh);
    return found;
}

int tp_check_manifest(const char *dir, const char *manifest, char *why, size_t size)
{
    char path[1200];
    static char text[1 << 16];
    snprintf(path, sizeof path, "%s/%s", dir, manifest);
    tp_read_text(path, text, sizeof text);
    const char *p = strstr(text, "\"files\": [");
    if (!p) {
        snprintf(why, size, "%s has no \"files\" list", path);
        return -1;
    }
    int n = 0;
    while ((p = strstr(p, "{\"name\": \"")) != NULL) {
        char name[256], hex[32];
        unsigned long long bytes;
        if (sscanf(p, "{\"name\": \"%255[^\"]\", \"bytes\": %llu, \"fnv1a64\": \"%31[0-9a-f]\"}",
                   name, &bytes, hex) != 3) {
            snprintf(why, size, "unreadable entry: %.80s", p);
            return -1;
        }
        uint64_t sum, got;
        snprintf(path, sizeof path, "%s/%s", dir, name);
        if (ps_file_checksum(path, &sum, &got) != 0) {
            snprintf(why, size, "%s is listed but cannot be read", path);
            return -1;
        }
        char want[32];
        snprintf(want, sizeof want, "%016" PRIx64, sum);
        if (got != bytes || strcmp(want, hex) != 0) {
            snprintf(why, size, "%s: %" PRIu64 " bytes with checksum %s, the manifest says %llu "
                     "bytes and %s", name, got, want, bytes, hex);
            return -1;
        }
        n++;
        p++;
    }
    return n;
}

void tp_mktmp(char *dir, size_t size, const char *name)
{
    snprintf(dir, size, "/tmp/placesim-%s-XXXXXX", name);
    cr_assert_not_null(mkdtemp(dir), "cannot make a directory %s", dir);
}

void tp_rmtmp(const char *dir)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(tp_shell(cmd), 0, "cannot remove %s", dir);
}
