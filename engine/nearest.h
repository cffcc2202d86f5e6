/* "Did you mean ...?": the closest known name to a misspelt one. */
#ifndef PS_NEAREST_H
#define PS_NEAREST_H

#include <stddef.h>

/* Edit distance (insertions, deletions, substitutions; case-insensitive). */
int ps_edit_distance(const char *a, const char *b);

/* The candidate closest to name, or NULL when none is close enough to be a
 * plausible misspelling (distance above a third of the name's length + 2). */
const char *ps_nearest(const char *name, const char *const *candidates,
                       size_t count);

#endif
