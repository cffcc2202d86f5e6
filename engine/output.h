/* Result files and the directories that hold them.
 *
 * One writer per directory: ps_output_prepare_dir (or ps_output_lock, for
 * a directory that is resumed as it is) takes an advisory lock, flock(2)
 * on DIR/.placesim.lock, which names its holder (pid and command), and
 * holds it until ps_output_release or the end of the process; a second
 * writer is refused at once with the holder's pid (PS_ERR_IO).
 *
 * Each file is written under a temporary name unique to the process
 * (.NAME.PID-N.partial) and renamed into place only when complete, so a
 * crash or an interrupted run never leaves a file that looks finished and
 * two processes never share a temporary file. Every file committed into a
 * locked directory is recorded with its size and FNV-1a 64 checksum; the
 * manifest, written last, lists them (ps_outfile_write_files), and when a
 * command fails ps_output_discard removes them again. */
#ifndef PS_OUTPUT_H
#define PS_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "ps_error.h"

#define PS_OUTPUT_LOCK_NAME ".placesim.lock"

typedef struct ps_outfile {
    FILE *fp;
    char final_path[1024];
    char tmp_path[1100];
    size_t name_at; /* where the file's name starts in final_path */
} ps_outfile;

/* Prepares dir: creates it (and parents) if missing and locks it; if it
 * holds files, refuses unless overwrite (an earlier manifest.json is then
 * removed: it no longer vouches for what is being replaced). Returns 0 or
 * -1 (with d filled). */
/* Creates dir and its parents as needed (like mkdir -p). Returns 0 or -1
 * (errno set). */
int ps_mkdir_p(const char *dir);

int ps_output_prepare_dir(const char *dir, int overwrite, ps_diag *d);

/* Locks an existing directory for this process (again: a no-op) and starts
 * its list of committed files afresh. Returns 0 or -1 (d filled; another
 * holder is PS_ERR_IO and named). */
int ps_output_lock(const char *dir, ps_diag *d);
/* Removes the lock file and releases the lock (of every directory). */
void ps_output_release(const char *dir);
void ps_output_release_all(void);

/* Removes every file this process committed into dir since it locked it:
 * after a failure nothing there looks finished. */
void ps_output_discard(const char *dir);

/* What dir holds, for a message after a failure: "holds no complete
 * result", "holds a finished result (its manifest.json says ...)", "is
 * being written by another placesim (pid N)". */
void ps_output_describe(const char *dir, char *buf, size_t size);

int ps_outfile_open(ps_outfile *f, const char *dir, const char *name,
                    ps_diag *d);
/* Flushes, syncs, checksums and renames into place. Returns 0 or -1. */
int ps_outfile_commit(ps_outfile *f, ps_diag *d);
/* Closes and removes the temporary file. */
void ps_outfile_abandon(ps_outfile *f);

/* Writes `,\n  "files": [...]` into the manifest being written in f: every
 * other file committed into its directory, in commit order, with its name,
 * bytes and FNV-1a 64 checksum (16 hex digits). */
void ps_outfile_write_files(const ps_outfile *manifest);

/* A temporary name beside final_path, unique to this process and call:
 * DIR/.NAME.PID-N.partial. */
void ps_output_tmp_path(char *buf, size_t size, const char *final_path);

/* FNV-1a 64 and size of a file's bytes. Returns 0 or -1 (unreadable). */
int ps_file_checksum(const char *path, uint64_t *sum, uint64_t *bytes);

/* Writes a double with ten significant digits (the same bits give the same
 * text on any thread count), with
 * "nan" for a missing value. */
void ps_write_double(FILE *fp, double v);

/* Writes a text field for CSV: quoted (with quotes doubled) when it holds a
 * comma, a quote or a line break. */
void ps_write_csv_field(FILE *fp, const char *text);

/* Writes a JSON string: quotes, backslashes and control characters
 * escaped, and a byte that is not part of valid UTF-8 as U+FFFD, so the
 * document is valid JSON whatever the text. */
void ps_write_json_string(FILE *fp, const char *text);

/* Writes text for HTML: <, >, & and " as entities. */
void ps_write_html(FILE *fp, const char *text);

#endif
