/* The memory guard: before allocating a run's state, compare what it will
 * need with what the machine has free, and refuse clearly rather than be
 * killed half-way (or push the machine into swap). */
#ifndef PS_MEMORY_GUARD_H
#define PS_MEMORY_GUARD_H

#include "ps_error.h"

/* Bytes of memory available now (MemAvailable), or 0 when unknown. */
double ps_memory_available(void);

/* Returns 0 when `need` bytes fit in 90 % of what is available (or when
 * that is unknown, or force is set); otherwise PS_ERR_MEMORY with a message
 * in d that names `what` and how to go on. */
int ps_memory_check(double need, const char *what, int force, ps_diag *d);

#endif
