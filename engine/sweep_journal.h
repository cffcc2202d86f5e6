/* The journal of a sweep's finished runs: one CSV row per run, appended,
 * flushed and synced before the run is counted, so that a sweep killed at
 * any moment (kill -9 included) resumes with every finished run and no
 * duplicate or torn row. A row without its final newline was cut off by
 * the crash and is dropped (the run is done again). Every row ends with a
 * checksum column, the FNV-1a 64 of the row before it (16 hex digits), and
 * a resumed row is checked twice: against its checksum (a damaged row) and
 * by the caller's check (a row that is whole but not this sweep's: a
 * factor value the design does not give). Each process of an MPI
 * sweep appends to its own file (rank 0 to runs.csv, rank r to
 * runs-rank-r.csv); when every run is done, rank 0 writes runs.csv afresh
 * in run order and removes the others. */
#ifndef PS_SWEEP_JOURNAL_H
#define PS_SWEEP_JOURNAL_H

#include <stddef.h>

#include "ps_error.h"

/* A check of a whole row of run `run` (the row's text with its newline):
 * 0, or -1 with what is wrong in why. */
typedef int (*ps_journal_check)(void *ctx, size_t run, const char *row, char *why, size_t size);

typedef struct ps_journal {
    char dir[1024];
    char path[1100];  /* this process's file */
    int fd;
    const char *header; /* the caller's columns, without the checksum's */
    size_t n_fields;    /* with the checksum */
    ps_journal_check check;
    void *check_ctx;
    size_t n_runs, replications;
    char **rows;      /* [run]: the row with its newline, or NULL */
    size_t done;
} ps_journal;

/* Opens this process's journal in dir. With resume, first reads every
 * journal file there (a row must have the header's fields, its run, point
 * and replication must agree, its checksum must hold and check, when not
 * NULL, must accept it); without, starts empty. Returns 0 or -1 (d
 * filled). */
int ps_journal_open(ps_journal *j, const char *dir, int rank, const char *header,
                    size_t n_runs, size_t replications, int resume, ps_journal_check check,
                    void *check_ctx, ps_diag *d);

/* Reads every journal file in the directory again (rows other processes
 * appended). Returns 0 or -1. */
int ps_journal_reload(ps_journal *j, ps_diag *d);

/* Appends run's row (text ending in a newline) with its checksum, flushed
 * and synced. Returns 0 or -1. */
int ps_journal_append(ps_journal *j, size_t run, const char *row, ps_diag *d);

/* Writes runs.csv in run order (every run must have a row) by rename and
 * removes the per-rank files. Returns 0 or -1. */
int ps_journal_finish(ps_journal *j, ps_diag *d);

void ps_journal_close(ps_journal *j);

/* Removes every journal file in dir (a sweep started afresh there). */
void ps_journal_remove_all(const char *dir);

#endif
