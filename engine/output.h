/* Result files: each is written under a temporary name in the output
 * directory and renamed into place only when complete, so a crash or an
 * interrupted run never leaves a file that looks finished. */
#ifndef PS_OUTPUT_H
#define PS_OUTPUT_H

#include <stdio.h>

#include "ps_error.h"

typedef struct ps_outfile {
    FILE *fp;
    char final_path[1024];
    char tmp_path[1040];
} ps_outfile;

/* Prepares dir: creates it (and parents) if missing; if it exists and holds
 * files, refuses unless overwrite. Returns 0 or -1 (with d filled). */
int ps_output_prepare_dir(const char *dir, int overwrite, ps_diag *d);

int ps_outfile_open(ps_outfile *f, const char *dir, const char *name,
                    ps_diag *d);
/* Flushes, syncs and renames into place. Returns 0 or -1. */
int ps_outfile_commit(ps_outfile *f, ps_diag *d);
/* Closes and removes the temporary file. */
void ps_outfile_abandon(ps_outfile *f);

/* Writes a double with ten significant digits (the same bits give the same
 * text on any thread count), with
 * "nan" for a missing value. */
void ps_write_double(FILE *fp, double v);

/* Writes a text field for CSV: quoted (with quotes doubled) when it holds a
 * comma, a quote or a line break. */
void ps_write_csv_field(FILE *fp, const char *text);

/* Writes text for HTML: <, >, & and " as entities. */
void ps_write_html(FILE *fp, const char *text);

#endif
