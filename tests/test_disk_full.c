/* A full disk at any moment leaves nothing that looks finished. Each
 * command (run, compare, sweep, diagnose) writes into a tmpfs of every
 * size from one page to enough for all its files (mounted afresh each
 * time; where mounting is not allowed, every file is limited to that size
 * with RLIMIT_FSIZE instead). Every outcome must be one of two: exit 0 with
 * every file agreeing with its manifest's checksums, or exit 3 with no
 * result file left, no temporary file, and a manifest (if one could be
 * written) that says "finished": false and vouches for no file. Among the
 * sizes, one must fail at the last file written before the manifest, after
 * the others were complete: the case where diagnose used to leave a whole
 * profile.csv and leverage.csv behind. PLACESIM_TEST_NO_TMPFS=1 tries the
 * fallback. */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support.h"

#define PAGE 4096

static char S_dir[64];

static void S_mktmp(void)
{
    snprintf(S_dir, sizeof S_dir, "/tmp/placesim-full-XXXXXX");
    cr_assert_not_null(mkdtemp(S_dir));
}

static void S_rmtmp(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "umount '%s/disk' 2>/dev/null; rm -rf '%s'", S_dir, S_dir);
    tp_shell(cmd);
}

/* Mounts a tmpfs of `bytes` at dir; 0 when it could (never with
 * PLACESIM_TEST_NO_TMPFS=1, which tries the fallback where it could). */
static int S_mount(const char *dir, long bytes)
{
    char cmd[300];
    mkdir(dir, 0777);
    if (getenv("PLACESIM_TEST_NO_TMPFS")) return -1;
    snprintf(cmd, sizeof cmd, "mount -t tmpfs -o size=%ld tmpfs '%s' 2>/dev/null", bytes, dir);
    return tp_shell(cmd) == 0 ? 0 : -1;
}

static void S_umount(const char *dir)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "umount '%s'", dir);
    cr_assert_eq(tp_shell(cmd), 0, "cannot unmount %s", dir);
}

/* The files in dir, other than those in keep, as "a b c" ("" when none). */
static void S_others(const char *dir, const char *const *keep, char *buf, size_t size)
{
    buf[0] = '\0';
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || e->d_name[1] == '.')) continue;
        int kept = 0;
        for (size_t i = 0; keep[i] && !kept; i++) kept = strcmp(keep[i], e->d_name) == 0;
        if (kept) continue;
        size_t len = strlen(buf);
        snprintf(buf + len, size - len, "%s%s", len ? " " : "", e->d_name);
    }
    if (dh) closedir(dh);
}

/* The last file a finished result lists before its manifest. */
static void S_last_file(const char *manifest, char *name, size_t size)
{
    static char text[1 << 16];
    tp_read_text(manifest, text, sizeof text);
    name[0] = '\0';
    for (const char *p = text; (p = strstr(p, "{\"name\": \"")) != NULL; p++)
        snprintf(name, size, "%.*s", (int)strcspn(p + 10, "\""), p + 10);
}

/* Runs args (with "--out OUT" added) on disks of 1 page to `pages` pages.
 * keep: what a failure may leave besides manifest.json (a sweep's
 * journal). */
static void S_every_size(const char *what, const char *const *args, const char *const *keep)
{
    char disk[128], out[160], path[600];
    snprintf(disk, sizeof disk, "%s/disk", S_dir);
    snprintf(out, sizeof out, "%s/out", disk);
    /* a disk big enough, first: the sizes to try and the last file */
    const char *argv[40];
    size_t n = 0;
    for (; args[n]; n++) argv[n] = args[n];
    argv[n] = "--out";
    argv[n + 1] = out;
    argv[n + 2] = NULL;
    int tmpfs = S_mount(disk, 4096L * PAGE) == 0;
    tp_output r;
    tp_exec(PLACESIM_BINARY, argv, &r);
    cr_assert_eq(r.status, 0, "%s on a big disk: %s", what, r.err);
    const char *manifest_name = strcmp(args[0], "sweep") == 0 ? "sweep.json" : "manifest.json";
    char last[256], why[512] = "";
    snprintf(path, sizeof path, "%s/%s", out, manifest_name);
    S_last_file(path, last, sizeof last);
    cr_assert(last[0], "%s: its manifest lists no file", what);
    long total = 0;
    DIR *dh = opendir(out);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", out, e->d_name);
        if (e->d_name[0] != '.' && stat(path, &st) == 0) total += (st.st_size + PAGE - 1) / PAGE;
    }
    if (dh) closedir(dh);
    if (tmpfs) S_umount(disk);
    int failed_last = 0, failed = 0, finished = 0;
    /* temporary files take room beside the finished ones (a sweep's journal
     * beside the runs.csv that replaces it): up to twice as much */
    for (long pages = 1; pages <= 2 * total + 4; pages++) {
        char cmd[400];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", out);
        tp_shell(cmd);
        if (tmpfs) cr_assert_eq(S_mount(disk, pages * PAGE), 0);
        else mkdir(disk, 0777);
        if (tmpfs) tp_exec(PLACESIM_BINARY, argv, &r);
        else tp_exec_limited(PLACESIM_BINARY, argv, pages * PAGE, &r);
        char others[1024], text[8192];
        const char *allowed[8] = {manifest_name};
        for (size_t i = 0; keep && keep[i] && i < 6; i++) allowed[i + 1] = keep[i];
        if (r.status == 0) {
            finished++;
            cr_expect_geq(tp_check_manifest(out, manifest_name, why, sizeof why), 1, "%s, %ld pages: %s", what,
                          pages, why);
        } else {
            failed++;
            cr_expect_eq(r.status, 3, "%s, %ld pages: exit status %d: %s", what, pages, r.status,
                         r.err);
            S_others(out, allowed, others, sizeof others);
            cr_expect_str_eq(others, "", "%s, %ld pages: left %s\n%s", what, pages, others, r.err);
            snprintf(path, sizeof path, "%s/%s", out, manifest_name);
            if (access(path, F_OK) == 0) {
                tp_read_text(path, text, sizeof text);
                cr_expect(strstr(text, "\"finished\": false") && strstr(text, "\"files\": []"),
                          "%s, %ld pages: the manifest of a failure: %s", what, pages, text);
            }
            char want[600];
            snprintf(want, sizeof want, "%s: cannot write: ", last);
            if (strstr(r.err, want)) failed_last++;
        }
        if (tmpfs) S_umount(disk);
    }
    fprintf(stderr, "%s (%s): %d disk sizes failed (%d at %s, the last file), %d finished\n",
            what, tmpfs ? "tmpfs" : "RLIMIT_FSIZE", failed, failed_last, last, finished);
    cr_expect_gt(finished, 0, "%s: never finished, even with %ld pages", what, 2 * total + 4);
    cr_expect_gt(failed, 0, "%s: no size failed", what);
    /* a limit per file cannot fail a small last file after a large one */
    if (tmpfs)
        cr_expect_gt(failed_last, 0, "%s: no disk size failed at %s, after the other files",
                     what, last);
}

#define SHORT "--reps", "2", "--set", "run.weeks=30", "--set", "run.warmup=4", "--set", \
              "run.summary_weeks=[15, 30]", "--quiet", "--threads", "1"

Test(disk_full, run_leaves_nothing_finished_looking, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    S_every_size("run", (const char *const[]){"run", "tests/data/small.cfg", SHORT, NULL}, NULL);
}

Test(disk_full, compare_leaves_nothing_finished_looking, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    S_every_size("compare",
                 (const char *const[]){"compare", "tests/data/small.cfg",
                                       "tests/data/policies/cut_at_26.cfg", SHORT, NULL},
                 NULL);
}

Test(disk_full, diagnose_leaves_nothing_finished_looking, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 300)
{
    S_every_size("diagnose",
                 (const char *const[]){"diagnose", "tests/data/small.cfg", "--survey",
                                       "tests/data/surveys/hand_made.csv", "--reps", "2", "--set",
                                       "run.weeks=20", "--set", "run.warmup=4", "--set",
                                       "run.summary_weeks=[20]", "--quiet", "--threads", "1",
                                       NULL},
                 NULL);
}

/* A sweep keeps its journal (runs.csv, for --resume) and its sweep.json,
 * which says "finished": false; nothing made from the runs stays. */
Test(disk_full, sweep_leaves_nothing_finished_looking_but_its_journal, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 300)
{
    S_every_size("sweep",
                 (const char *const[]){"sweep", "tests/data/sweeps/saltelli.cfg", "--quiet",
                                       "--threads", "1", NULL},
                 (const char *const[]){"runs.csv", NULL});
}
