#include "memory_guard.h"

#include <stdio.h>

double ps_memory_available(void)
{
    FILE *fp = fopen("/proc/meminfo", "r");
    if (!fp) return 0;
    char line[256];
    double kb = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "MemAvailable: %lf kB", &kb) == 1) break;
    fclose(fp);
    return kb * 1024;
}

int ps_memory_check(double need, const char *what, int force, ps_diag *d)
{
    double have = ps_memory_available();
    if (have <= 0 || need <= 0.9 * have || force) return 0;
    ps_diag_add(d, PS_ERR_MEMORY, "", 0, "",
                "%s needs about %.2f GiB and %.2f GiB is available; reduce population.size "
                "or pass --force-memory to try anyway",
                what, need / 1073741824.0, have / 1073741824.0);
    return PS_ERR_MEMORY;
}
