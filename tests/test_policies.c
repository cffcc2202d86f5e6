/* The ready-made policy and shock files: every file in configs/policies/ and
 * configs/shocks/ validates against the flagship scenario, begins with a
 * comment that says what it represents, and there are enough of them (one
 * policy per citizen story, and the four named shocks). */
#include <criterion/criterion.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define MAX_FILES 256

typedef struct {
    size_t n;
    char name[MAX_FILES][256];
} S_list;

static int S_cmp(const void *a, const void *b) { return strcmp(a, b); }

/* The .cfg files of a directory under the source tree, sorted. */
static void S_list_dir(const char *sub, S_list *l)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", PLACESIM_SOURCE_DIR, sub);
    DIR *dp = opendir(dir);
    cr_assert_not_null(dp, "cannot open %s", dir);
    l->n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || len >= sizeof l->name[0] || strcmp(e->d_name + len - 4, ".cfg") != 0)
            continue;
        cr_assert_lt(l->n, MAX_FILES);
        snprintf(l->name[l->n++], sizeof l->name[0], "%s", e->d_name);
    }
    closedir(dp);
    qsort(l->name, l->n, sizeof l->name[0], S_cmp);
}

/* Runs `placesim validate configs/coventry.cfg --policy FILE`; returns its
 * exit status (-1 if it did not exit), its stderr in err. */
static int S_validate(const char *file, char *err, size_t size)
{
    char errfile[] = "/tmp/placesim-policy-XXXXXX";
    int fd = mkstemp(errfile);
    cr_assert_geq(fd, 0);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "'%s' validate '%s/configs/coventry.cfg' --policy '%s' >/dev/null 2>'%s'",
             PLACESIM_BINARY, PLACESIM_SOURCE_DIR, file, errfile);
    int st = tp_shell(cmd);
    tp_read_text(errfile, err, size);
    unlink(errfile);
    return st;
}

/* Every file of the directory validates and opens with a comment. */
static void S_check_dir(const char *sub, size_t at_least)
{
    S_list *l = malloc(sizeof *l);
    cr_assert_not_null(l);
    S_list_dir(sub, l);
    cr_expect_geq(l->n, at_least, "%s: %zu files, expected at least %zu", sub, l->n, at_least);
    for (size_t i = 0; i < l->n; i++) {
        char path[2048], err[4096], first[256] = "";
        snprintf(path, sizeof path, "%s/%s/%s", PLACESIM_SOURCE_DIR, sub, l->name[i]);
        int rc = S_validate(path, err, sizeof err);
        cr_expect_eq(rc, 0, "%s/%s does not validate against configs/coventry.cfg "
                            "(exit status %d):\n%s", sub, l->name[i], rc, err);
        FILE *fp = fopen(path, "r");
        cr_expect_not_null(fp, "cannot read %s", path);
        if (!fp) continue;
        if (!fgets(first, sizeof first, fp)) first[0] = '\0';
        fclose(fp);
        cr_expect_eq(first[0], '#', "%s/%s: should begin with a comment saying what it "
                                    "represents and what it moves", sub, l->name[i]);
    }
    free(l);
}

Test(policies, every_policy_validates, .timeout = 120)
{
    S_check_dir("configs/policies", 8);
}

Test(policies, every_shock_validates, .timeout = 120)
{
    S_check_dir("configs/shocks", 4);
}

/* The four named shocks each have a file. */
Test(policies, every_named_shock_has_a_file, .timeout = 30)
{
    static const char *const shocks[] = {"funding_cut", "demand_surge", "leader_departure",
                                         "service_closure"};
    S_list *l = malloc(sizeof *l);
    cr_assert_not_null(l);
    S_list_dir("configs/shocks", l);
    for (size_t k = 0; k < sizeof shocks / sizeof *shocks; k++) {
        char want[64];
        snprintf(want, sizeof want, "\"%s\"", shocks[k]);
        int found = 0;
        for (size_t i = 0; i < l->n && !found; i++) {
            char path[2048], line[1024];
            snprintf(path, sizeof path, "%s/configs/shocks/%s", PLACESIM_SOURCE_DIR,
                     l->name[i]);
            FILE *fp = fopen(path, "r");
            if (!fp) continue;
            while (!found && fgets(line, sizeof line, fp))
                if (line[0] != '#' && strstr(line, "shock") && strstr(line, want)) found = 1;
            fclose(fp);
        }
        cr_expect(found, "no file in configs/shocks uses the shock %s", shocks[k]);
    }
    free(l);
}
