/* Snapshots: the whole state of every replication at the start of a
 * reported week, so a team warms its place up once and branches every
 * policy from the same week. The counter-based generator needs no state
 * beyond its keys, so a resumed run is byte-identical to the uninterrupted
 * one.
 *
 * File layout: a text header line (PS_SNAPSHOT_MAGIC), a binary header
 * (ps_snapshot_header), three tables with one entry per replication (the
 * offset of its blob, its length in bytes, its FNV-1a 64 checksum), the
 * FNV-1a 64 of everything before it, then per replication: the metric rows
 * of weeks 0..week, the annual rows of the years already complete, the
 * levels and ramp speeds of the timeline, and the model's own blob.
 *
 * ps_snapshot_open checks the header's checksum and then every
 * replication's, so a damaged snapshot is refused, naming the part and its
 * bytes, before anything runs; one from another version, model, scenario
 * file, seed, population or run length is refused with the reason. */
#ifndef PS_SNAPSHOT_H
#define PS_SNAPSHOT_H

#include <stdint.h>
#include <stdio.h>

#include "ps_error.h"

/* Version 2 added the lengths and checksums. */
#define PS_SNAPSHOT_MAGIC "placesim snapshot 2\n"

typedef struct ps_snapshot_header {
    char version[32];
    char model[32];
    uint64_t scenario_file_hash; /* FNV-1a of the scenario file's bytes */
    uint64_t seed;
    int64_t population;
    int32_t replications, weeks, warmup, week;
    int32_t n_metrics, n_annual, n_interventions, reserved;
} ps_snapshot_header;

typedef struct ps_snapshot {
    FILE *fp;
    int writing;
    char path[1024], tmp_path[1040];
    ps_snapshot_header h;
    int64_t *offsets; /* per replication */
    int64_t *lengths; /* per replication: its blob's bytes */
    uint64_t *sums;   /* per replication: its blob's FNV-1a 64 */
    int open_rep;     /* writing: the replication whose blob is being written, or -1 */
} ps_snapshot;

/* Starts writing path (under a temporary name until ps_snapshot_finish). */
int ps_snapshot_create(ps_snapshot *s, const char *path, const ps_snapshot_header *h,
                       ps_diag *d);
/* Opens path and checks it against want (every field but week and
 * n_interventions must match; the snapshot's week is returned in s->h). */
int ps_snapshot_open(ps_snapshot *s, const char *path, const ps_snapshot_header *want,
                     ps_diag *d);
/* Positions the file at replication rep's blob (reading) or records where
 * it starts (writing). */
int ps_snapshot_seek(ps_snapshot *s, int rep, ps_diag *d);
/* Completes a written snapshot (offsets, sync, rename) or closes a read one. */
int ps_snapshot_finish(ps_snapshot *s, ps_diag *d);
void ps_snapshot_abandon(ps_snapshot *s);

/* FNV-1a 64 of a file's bytes (0 when unreadable). */
uint64_t ps_snapshot_file_hash(const char *path);

#endif
