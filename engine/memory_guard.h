/* The memory guard: before allocating a run's state, compare what it will
 * need with what the machine has free, and refuse clearly rather than be
 * killed half-way (or push the machine into swap). What it will need is
 * the model's state and everything a command keeps to its end: the series
 * of every replication (and arm), a sweep's rows, a diagnosis's table. */
#ifndef PS_MEMORY_GUARD_H
#define PS_MEMORY_GUARD_H

#include <stddef.h>

#include "ps_error.h"

/* Bytes of memory available now: the environment variable
 * PLACESIM_MEMORY_LIMIT when set ("512M", "8G": to keep placesim within a
 * share of a machine, or to test the guard), else MemAvailable; 0 when
 * unknown. Sets *bad when the variable is malformed. */
double ps_memory_available(int *bad);

/* The series a command keeps until it ends: arms x replications x
 * (weeks + 1) rows of n_metrics doubles. */
double ps_memory_series_bytes(size_t arms, size_t replications, size_t weeks, size_t n_metrics);

/* A size for a message: "12.3 MiB", "4.56 GiB". */
const char *ps_memory_size(double bytes, char *buf, size_t size);

/* Returns 0 when `need` bytes fit in 90 % of what is available (or when
 * that is unknown, or force is set); otherwise PS_ERR_MEMORY with a message
 * in d that names `what` (what was counted) and how to go on. A malformed
 * PLACESIM_MEMORY_LIMIT is PS_ERR_INPUT. */
int ps_memory_check(double need, const char *what, int force, ps_diag *d);

#endif
