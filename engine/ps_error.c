#include "ps_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ps_diag_init(ps_diag *d) { memset(d, 0, sizeof *d); }

static void S_copy(char *dst, size_t size, const char *src)
{
    if (!src) src = "";
    snprintf(dst, size, "%s", src);
}

void ps_diag_add(ps_diag *d, int status, const char *file, int line,
                 const char *setting, const char *fmt, ...)
{
    if (d->status == PS_OK || status == PS_ERR_MEMORY) d->status = status;
    if (d->count < PS_DIAG_MAX) {
        ps_diag_entry *e = &d->entries[d->count];
        S_copy(e->file, sizeof e->file, file);
        e->line = line;
        S_copy(e->setting, sizeof e->setting, setting);
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->message, sizeof e->message, fmt, ap);
        va_end(ap);
    }
    d->count++;
}

void ps_diag_format(const ps_diag *d, int i, char *buf, size_t size)
{
    const ps_diag_entry *e = &d->entries[i];
    char where[300];
    if (e->line > 0)
        snprintf(where, sizeof where, "%s:%d", e->file, e->line);
    else
        snprintf(where, sizeof where, "%s", e->file[0] ? e->file : "placesim");
    if (e->setting[0])
        snprintf(buf, size, "%s: %s: %s", where, e->setting, e->message);
    else
        snprintf(buf, size, "%s: %s", where, e->message);
}
