/* A main for the fuzz targets without libFuzzer (gcc builds, valgrind):
 * runs the target once on every file named, or on every file in every
 * directory named (in name order, so a run is reproducible), and says how
 * many. A crash or a sanitizer report fails it, as it would the fuzzer. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_support.h"

static int S_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs the target on one file; returns 0 or -1 (unreadable). */
static int S_one(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0, got;
    unsigned char *buf = malloc(cap);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if (n < cap) continue;
        unsigned char *bigger = realloc(buf, 2 * cap);
        if (!bigger) break;
        buf = bigger;
        cap *= 2;
    }
    int bad = !buf || ferror(fp);
    fclose(fp);
    if (!bad) LLVMFuzzerTestOneInput(buf, n);
    else fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    return bad ? -1 : 0;
}

/* Runs every regular file in dir; returns how many, or -1. */
static long S_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh) {
        perror(dir);
        return -1;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        if (e->d_name[0] == '.') continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            char **bigger = realloc(names, cap * sizeof *names);
            if (!bigger) abort();
            names = bigger;
        }
        if (!(names[n++] = strdup(e->d_name))) abort();
    }
    closedir(dh);
    qsort(names, n, sizeof *names, S_cmp);
    long done = 0;
    for (size_t i = 0; i < n; i++) {
        char path[2048];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
            if (S_one(path) != 0) done = -1;
            else if (done >= 0) done++;
        }
        free(names[i]);
    }
    free(names);
    return done;
}

int main(int argc, char **argv)
{
    long total = 0;
    int bad = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            long n = S_dir(argv[i]);
            if (n < 0) bad = 1;
            else total += n;
        } else if (S_one(argv[i]) != 0) {
            bad = 1;
        } else {
            total++;
        }
    }
    printf("%s: %ld inputs replayed without a crash\n", argv[0], total);
    return bad ? 1 : 0;
}
