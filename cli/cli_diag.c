#include <stdio.h>

#include "cli.h"

void cli_print_diag(const ps_diag *d)
{
    char line[1024];
    int shown = d->count < PS_DIAG_MAX ? d->count : PS_DIAG_MAX;
    for (int i = 0; i < shown; i++) {
        ps_diag_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (d->count > shown)
        fprintf(stderr, "placesim: %d more problems not shown\n", d->count - shown);
}

int cli_exit_code(const ps_diag *d) { return d->status ? d->status : PS_ERR_INPUT; }
