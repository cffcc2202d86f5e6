#include "input.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int ps_input_limit(uint64_t *limit, ps_diag *d)
{
    *limit = PS_INPUT_DEFAULT_MAX_BYTES;
    const char *v = getenv("PLACESIM_MAX_INPUT_BYTES");
    if (!v || !*v) return 0;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned shift = 0;
    if (*end == 'k' || *end == 'K') shift = 10;
    else if (*end == 'm' || *end == 'M') shift = 20;
    else if (*end == 'g' || *end == 'G') shift = 30;
    if (shift) end++;
    if (end == v || *end || errno || v[0] == '-' || n == 0 || n > (UINT64_MAX >> shift)) {
        ps_diag_add(d, PS_ERR_INPUT, "PLACESIM_MAX_INPUT_BYTES", 0, "",
                    "expected a number of bytes above 0, optionally with K, M or G, got '%s'",
                    v);
        return -1;
    }
    *limit = (uint64_t)n << shift;
    return 0;
}

/* "17.2 MiB", "300 bytes" */
static void S_size(uint64_t n, char *buf, size_t size)
{
    if (n < 1024) snprintf(buf, size, "%llu bytes", (unsigned long long)n);
    else if (n < ((uint64_t)1 << 20)) snprintf(buf, size, "%.1f KiB", (double)n / 1024);
    else if (n < ((uint64_t)1 << 30)) snprintf(buf, size, "%.1f MiB", (double)n / 1048576);
    else snprintf(buf, size, "%.1f GiB", (double)n / 1073741824);
}

/* have: the file's size, or 0 when it grew past the limit as it was read */
static void S_too_large(const char *path, const char *what, uint64_t have, uint64_t limit,
                        ps_diag *d)
{
    char h[32], l[32];
    S_size(have, h, sizeof h);
    S_size(limit, l, sizeof l);
    if (have)
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "",
                    "the %s is %s, over the limit of %s for an input file (the environment "
                    "variable PLACESIM_MAX_INPUT_BYTES changes it)", what, h, l);
    else
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "",
                    "the %s grew past the limit of %s for an input file as it was read (the "
                    "environment variable PLACESIM_MAX_INPUT_BYTES changes it)", what, l);
}

int ps_input_check(const char *path, const char *what, ps_diag *d)
{
    uint64_t limit;
    if (ps_input_limit(&limit, d) != 0) return -1;
    struct stat st;
    if (stat(path, &st) != 0) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read the %s: %s", what, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read the %s: it is a directory", what);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "",
                    "cannot read the %s: it is not a regular file (a device, a pipe or a "
                    "socket, which may never end)", what);
        return -1;
    }
    if ((uint64_t)st.st_size > limit) {
        S_too_large(path, what, (uint64_t)st.st_size, limit, d);
        return -1;
    }
    return 0;
}

char *ps_input_read(const char *path, const char *what, size_t *len, ps_diag *d)
{
    uint64_t limit;
    if (ps_input_check(path, what, d) != 0 || ps_input_limit(&limit, d) != 0) return NULL;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read the %s: %s", what, strerror(errno));
        return NULL;
    }
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap + 1);
    while (buf && (got = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += got;
        if ((uint64_t)n > limit) break;
        if (n < cap) continue;
        char *bigger = realloc(buf, 2 * cap + 1);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int err = !buf ? ENOMEM : !ferror(fp) ? 0 : errno ? errno : EIO;
    fclose(fp);
    if (err) {
        free(buf);
        ps_diag_add(d, err == ENOMEM ? PS_ERR_MEMORY : PS_ERR_IO, path, 0, "",
                    "cannot read the %s: %s", what, strerror(err));
        return NULL;
    }
    if ((uint64_t)n > limit) {
        free(buf);
        S_too_large(path, what, 0, limit, d);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}
