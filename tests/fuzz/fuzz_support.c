#include "fuzz_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "systems_change.h"

static char S_dir[256];

/* Removes the working directory at exit (a shell, so that what a reader
 * left there, directories included, goes too). */
static void S_remove_dir(void)
{
    char cmd[300];
    if (!S_dir[0]) return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", S_dir);
    if (system(cmd) != 0) fprintf(stderr, "fuzz: could not remove %s\n", S_dir);
}

const char *fz_workdir(const char *name)
{
    if (S_dir[0]) return S_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(S_dir, sizeof S_dir, "%s/placesim-fuzz-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
             name);
    if (!mkdtemp(S_dir)) {
        perror("fuzz: mkdtemp");
        abort();
    }
    atexit(S_remove_dir);
    return S_dir;
}

void fz_path(char *buf, size_t size, const char *dir, const char *name)
{
    if ((size_t)snprintf(buf, size, "%s/%s", dir, name) >= size) abort();
}

void fz_source(char *buf, size_t size, const char *rel)
{
    fz_path(buf, size, PLACESIM_SOURCE_DIR, rel);
}

int fz_write(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp) return -1;
    int bad = size && fwrite(data, 1, size, fp) != size;
    bad |= fclose(fp) != 0;
    return bad ? -1 : 0;
}

void fz_copy_source(const char *rel, const char *path)
{
    char src[1024];
    fz_source(src, sizeof src, rel);
    FILE *fp = fopen(src, "rb");
    if (!fp) {
        perror(src);
        abort();
    }
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    if (n == sizeof buf || fz_write(path, buf, n) != 0) {
        fprintf(stderr, "fuzz: cannot copy %s to %s\n", src, path);
        abort();
    }
}

void fz_note(const char *fmt, ...)
{
    if (!getenv("PLACESIM_FUZZ_VERBOSE")) return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void fz_check_diag(const ps_diag *d, int rc)
{
    char line[1024];
    fz_note("rc %d, %d diagnostics", rc, d->count);
    for (int i = 0; i < d->count && i < PS_DIAG_MAX; i++) {
        ps_diag_format(d, i, line, sizeof line);
        fz_note("  %s", line);
    }
    if (rc != 0 && d->count == 0) {
        fprintf(stderr, "fuzz: refused without a diagnostic\n");
        abort();
    }
}

void fz_load_small(ps_loaded *l, int replications)
{
    char reps[40];
    snprintf(reps, sizeof reps, "run.replications=%d", replications);
    const char *const sets[] = {"population.size=100", reps, "run.weeks=6", "run.warmup=2",
                                "run.summary_weeks=[6]"};
    char scenario[1024];
    fz_source(scenario, sizeof scenario, "tests/data/small.cfg");
    ps_diag d;
    ps_diag_init(&d);
    if (ps_loaded_open(l, &sc_model_type, scenario, NULL, sets, 5, &d) != 0) abort();
}

void fz_check_run_sets(const ps_sweep *sw)
{
    for (size_t r = 0; r < ps_sweep_run_count(sw) && r < 64; r++) {
        char **sets;
        long n = ps_sweep_run_sets(sw, r, &sets);
        if (n < 0) abort();
        ps_sweep_free_sets(sets, (size_t)n);
    }
}
