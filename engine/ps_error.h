/* Diagnostics: every failure a user can cause is reported as
 * "file:line: setting: message", collected (not printed) by the library so
 * that a loader can report every problem in a file at once. The CLI decides
 * where the messages go. */
#ifndef PS_ERROR_H
#define PS_ERROR_H

#include <stddef.h>

enum ps_status {
    PS_OK = 0,
    PS_ERR_INPUT = 2,   /* the user's input is wrong: exit status 2 */
    PS_ERR_IO = 3,      /* a file could not be read or written */
    PS_ERR_MEMORY = 4,  /* an allocation failed */
    PS_ERR_NUMERIC = 5, /* the state became non-finite or left its range */
    PS_ERR_INTERRUPTED = 6
};

#define PS_DIAG_MAX 64

typedef struct ps_diag_entry {
    char file[256];
    int line;        /* 0 when unknown (command-line overrides) */
    char setting[128];
    char message[384];
} ps_diag_entry;

/* A bounded list of problems; count may exceed PS_DIAG_MAX (the excess is
 * counted but not kept). */
typedef struct ps_diag {
    int count;
    int status;
    ps_diag_entry entries[PS_DIAG_MAX];
} ps_diag;

void ps_diag_init(ps_diag *d);
/* Records one problem; status is the ps_status it implies. */
void ps_diag_add(ps_diag *d, int status, const char *file, int line,
                 const char *setting, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* Formats entry i as "file:line: setting: message" into buf. */
void ps_diag_format(const ps_diag *d, int i, char *buf, size_t size);

#endif
