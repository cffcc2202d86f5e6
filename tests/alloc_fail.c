/* Allocation failure on demand, for the tests: the executables that link
 * this file are linked with -Wl,--wrap for malloc, calloc, realloc and
 * strdup, so every allocation placesim's own code makes (the libraries
 * linked statically) goes through here, and the k-th can be made to fail.
 * Allocations inside shared libraries (libconfig, GSL, OpenMP, libc) are
 * not counted: a failure there is theirs to handle. */
#include "alloc_fail.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);

static atomic_long S_count, S_fail_at;

void tp_alloc_fail_at(long k)
{
    atomic_store(&S_count, 0);
    atomic_store(&S_fail_at, k);
}

long tp_alloc_count(void) { return atomic_load(&S_count); }

static int S_fails(void)
{
    long k = atomic_fetch_add(&S_count, 1) + 1;
    long at = atomic_load(&S_fail_at);
    return at > 0 && k == at;
}

void *__wrap_malloc(size_t n) { return S_fails() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t size) { return S_fails() ? NULL : __real_calloc(n, size); }
void *__wrap_realloc(void *p, size_t n) { return S_fails() ? NULL : __real_realloc(p, n); }
char *__wrap_strdup(const char *s) { return S_fails() ? NULL : __real_strdup(s); }
