/* Input files: every reader (scenario, policy, sweep file, design matrix,
 * survey) checks a file before it parses it, so that no input can make
 * placesim read without end or spend minutes in a parser:
 *
 * - it must be a regular file: a directory is not a file, and a device
 *   (/dev/zero), a pipe or a socket may never end (PS_ERR_IO);
 * - it may be at most PS_INPUT_DEFAULT_MAX_BYTES (16 MiB), or what the
 *   environment variable PLACESIM_MAX_INPUT_BYTES says ("100000", "64M",
 *   "2G"); a larger file is refused before it is read (PS_ERR_INPUT).
 *
 * The readers of libconfig files also refuse a string longer than
 * PS_INPUT_MAX_STRING bytes before libconfig sees it (scenario.h). */
#ifndef PS_INPUT_H
#define PS_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "ps_error.h"

#define PS_INPUT_DEFAULT_MAX_BYTES ((uint64_t)16 << 20)
#define PS_INPUT_MAX_STRING 4096

/* The size limit in bytes: PLACESIM_MAX_INPUT_BYTES, or the default.
 * Returns 0, or -1 when the variable is malformed (d filled). */
int ps_input_limit(uint64_t *limit, ps_diag *d);

/* Checks that path names a regular file within the limit; `what` names it
 * in messages ("file", "policy file", "survey"). Returns 0 or -1 (d). */
int ps_input_check(const char *path, const char *what, ps_diag *d);

/* Checks, then reads the whole file: a malloc'd buffer with a NUL after
 * its *len bytes. A file that grew past the limit while it was read is
 * refused too. Returns NULL with d filled. */
char *ps_input_read(const char *path, const char *what, size_t *len, ps_diag *d);

#endif
