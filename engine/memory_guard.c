#include "memory_guard.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

double ps_memory_available(int *bad)
{
    *bad = 0;
    const char *v = getenv("PLACESIM_MEMORY_LIMIT");
    if (v && *v) {
        char *end;
        errno = 0;
        double n = strtod(v, &end);
        double scale = 1;
        if (*end == 'k' || *end == 'K') scale = 1024.0;
        else if (*end == 'm' || *end == 'M') scale = 1048576.0;
        else if (*end == 'g' || *end == 'G') scale = 1073741824.0;
        if (scale > 1) end++;
        if (end == v || *end || errno || !(n > 0)) {
            *bad = 1;
            return 0;
        }
        return n * scale;
    }
    FILE *fp = fopen("/proc/meminfo", "r");
    if (!fp) return 0;
    char line[256];
    double kb = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1) break;
    fclose(fp);
    return kb * 1024;
}

double ps_memory_series_bytes(size_t arms, size_t replications, size_t weeks, size_t n_metrics)
{
    return (double)arms * (double)replications * ((double)weeks + 1) * (double)n_metrics *
           (double)sizeof(double);
}

const char *ps_memory_size(double bytes, char *buf, size_t size)
{
    if (bytes < 1073741824.0) snprintf(buf, size, "%.1f MiB", bytes / 1048576.0);
    else snprintf(buf, size, "%.2f GiB", bytes / 1073741824.0);
    return buf;
}

int ps_memory_check(double need, const char *what, int force, ps_diag *d)
{
    int bad;
    double have = ps_memory_available(&bad);
    if (bad) {
        ps_diag_add(d, PS_ERR_INPUT, "PLACESIM_MEMORY_LIMIT", 0, "",
                    "expected a number of bytes above 0, optionally with K, M or G");
        return PS_ERR_INPUT;
    }
    if (have <= 0 || need <= 0.9 * have || force) return 0;
    char n[32], h[32];
    ps_diag_add(d, PS_ERR_MEMORY, "", 0, "",
                "%s need about %s together, and %s is available%s; reduce population.size, "
                "the replications or the weeks, or pass --force-memory to try anyway",
                what, ps_memory_size(need, n, sizeof n), ps_memory_size(have, h, sizeof h),
                getenv("PLACESIM_MEMORY_LIMIT") ? " (PLACESIM_MEMORY_LIMIT)" : "");
    return PS_ERR_MEMORY;
}
