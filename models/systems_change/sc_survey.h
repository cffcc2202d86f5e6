/* A survey of the nine preconditions: a CSV file with a header and one row
 * per respondent,
 *
 *   actor,role,A,B,C,D,E,F,G,H,I
 *   council_housing,manager,3,2,,4,3,3,2,2,2
 *
 * `actor` (an actor id of the scenario) and the nine columns A..I are
 * required, `role` and `respondent` are optional and kept for the record;
 * each rating is a whole number from 1 to 5, or blank for no answer. Lines
 * starting with '#' and blank lines are skipped; fields may be quoted
 * ("a, b" with "" for a quote); a row has at most SC_SURVEY_MAX_LINE bytes.
 * Each problem is reported as
 * FILE:LINE: column X: message (exit status 2); every row is checked, so
 * one reading reports every problem.
 *
 * The reader knows nothing of the model beyond the list of actor ids it is
 * given, and parses from memory as well as from a file (the fuzz target
 * calls it on arbitrary bytes). */
#ifndef SC_SURVEY_H
#define SC_SURVEY_H

#include <stddef.h>

#include "ps_error.h"

#define SC_SURVEY_K 9 /* the columns A..I */
/* The longest row (line) a survey may have, in bytes: a longer one is
 * refused and ends the reading. The file as a whole is limited as every
 * input is (engine/input.h). */
#define SC_SURVEY_MAX_LINE 16384

/* A rating r in 1..5 as a level in [0, 1]: (r - 1) / 4. */
double sc_survey_level(int rating);

/* The answers per actor and precondition: [actor * SC_SURVEY_K + k]. */
typedef struct sc_survey {
    size_t n_actors;   /* the number of ids the survey was read against */
    size_t respondents;
    int *n;            /* answers (not blank) */
    double *mean;      /* mean level of the answers; NaN when n = 0 */
    double *sd;        /* sample standard deviation of the levels; 0 when n < 2 */
    int *actor_respondents; /* rows naming each actor [n_actors] */
} sc_survey;

/* Parses len bytes of CSV (named `file` in messages) against the actor
 * ids. Returns 0, or -1 with the problems in d (s is then empty). s must be
 * released with sc_survey_free either way. */
int sc_survey_parse(sc_survey *s, const char *buf, size_t len, const char *file,
                    const char *const *ids, size_t n_ids, ps_diag *d);
/* Reads and parses a file; a file that cannot be read is PS_ERR_IO. */
int sc_survey_read(sc_survey *s, const char *path, const char *const *ids, size_t n_ids,
                   ps_diag *d);
void sc_survey_free(sc_survey *s);

#endif
