/* What the libFuzzer targets share: a private working directory for the
 * files a reader must find on disk, the source tree's paths, and a check
 * that every diagnostic formats. Each target is also built with
 * replay.c's main (fuzz_TARGET_replay), so that ctest replays the target's
 * corpus in every build, gcc's and valgrind's included. */
#ifndef FUZZ_SUPPORT_H
#define FUZZ_SUPPORT_H

#include <stddef.h>
#include <stdint.h>

#include "loaded_scenario.h"
#include "ps_error.h"
#include "sweep.h"

/* The libFuzzer entry point every target defines. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* This process's working directory (/tmp/placesim-fuzz-NAME-XXXXXX),
 * made on the first call and removed when the process exits: a fuzzer
 * run never writes into the source tree, and two runs never share it. */
const char *fz_workdir(const char *name);

/* dir/name into buf. */
void fz_path(char *buf, size_t size, const char *dir, const char *name);

/* A file of the source tree (relative to its root) into buf. */
void fz_source(char *buf, size_t size, const char *rel);

/* Writes bytes to path (creating or truncating it). Returns 0 or -1. */
int fz_write(const char *path, const void *data, size_t size);

/* Copies a file of the source tree to path. Aborts when it cannot: the
 * target would fuzz nothing. */
void fz_copy_source(const char *rel, const char *path);

/* Every diagnostic formats, and a refusal (rc != 0) always says why.
 * With PLACESIM_FUZZ_VERBOSE set, each outcome is printed (to see how deep
 * the seeds go). */
void fz_check_diag(const ps_diag *d, int rc);

/* tests/data/small.cfg at 100 adults, 6 weeks after 2 of warm-up, with
 * the given replications, into l. Aborts when it cannot load. */
void fz_load_small(ps_loaded *l, int replications);

/* Every run of a prepared sweep (the first 64) has its overrides. */
void fz_check_run_sets(const ps_sweep *sw);

/* A line on stderr when PLACESIM_FUZZ_VERBOSE is set. */
void fz_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
