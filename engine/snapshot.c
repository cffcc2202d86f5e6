#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "scenario.h"

#define S_MAGIC_LEN (sizeof PS_SNAPSHOT_MAGIC - 1)

uint64_t ps_snapshot_file_hash(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    unsigned char buf[65536];
    size_t n;
    uint64_t h = PS_FNV_OFFSET;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) h = ps_fnv1a64(h, buf, n);
    fclose(fp);
    return h;
}

/* Where the tables start, and the bytes of the three tables. */
static long S_tables_at(void) { return (long)S_MAGIC_LEN + (long)sizeof(ps_snapshot_header); }
static size_t S_table_bytes(int reps) { return 3 * (size_t)reps * sizeof(int64_t); }

static int S_alloc(ps_snapshot *s, int reps)
{
    size_t n = (size_t)(reps > 0 ? reps : 0) + 1;
    s->offsets = calloc(n, sizeof *s->offsets);
    s->lengths = calloc(n, sizeof *s->lengths);
    s->sums = calloc(n, sizeof *s->sums);
    return s->offsets && s->lengths && s->sums ? 0 : -1;
}

static void S_free(ps_snapshot *s)
{
    free(s->offsets);
    free(s->lengths);
    free(s->sums);
    s->offsets = s->lengths = NULL;
    s->sums = NULL;
}

/* The FNV-1a 64 of the text line, the header and the tables. */
static uint64_t S_header_sum(const ps_snapshot *s)
{
    size_t R = (size_t)s->h.replications;
    uint64_t h = ps_fnv1a64(PS_FNV_OFFSET, PS_SNAPSHOT_MAGIC, S_MAGIC_LEN);
    h = ps_fnv1a64(h, &s->h, sizeof s->h);
    h = ps_fnv1a64(h, s->offsets, R * sizeof *s->offsets);
    h = ps_fnv1a64(h, s->lengths, R * sizeof *s->lengths);
    return ps_fnv1a64(h, s->sums, R * sizeof *s->sums);
}

/* The FNV-1a 64 of len bytes at off of the file. Returns 0 or -1 (short). */
static int S_range_sum(FILE *fp, int64_t off, int64_t len, uint64_t *sum)
{
    unsigned char buf[65536];
    uint64_t h = PS_FNV_OFFSET;
    int fd = fileno(fp);
    while (len > 0) {
        size_t want = len < (int64_t)sizeof buf ? (size_t)len : sizeof buf;
        ssize_t got = pread(fd, buf, want, (off_t)off);
        if (got <= 0) return -1;
        h = ps_fnv1a64(h, buf, (size_t)got);
        off += got;
        len -= got;
    }
    *sum = h;
    return 0;
}

static int S_write_tables(ps_snapshot *s)
{
    size_t R = (size_t)s->h.replications;
    uint64_t hs = S_header_sum(s);
    return fwrite(s->offsets, sizeof *s->offsets, R, s->fp) != R ||
                   fwrite(s->lengths, sizeof *s->lengths, R, s->fp) != R ||
                   fwrite(s->sums, sizeof *s->sums, R, s->fp) != R ||
                   fwrite(&hs, sizeof hs, 1, s->fp) != 1
               ? -1
               : 0;
}

int ps_snapshot_create(ps_snapshot *s, const char *path, const ps_snapshot_header *h,
                       ps_diag *d)
{
    memset(s, 0, sizeof *s);
    s->writing = 1;
    s->open_rep = -1;
    s->h = *h;
    snprintf(s->path, sizeof s->path, "%s", path);
    ps_output_tmp_path(s->tmp_path, sizeof s->tmp_path, path);
    /* read back at the end, to checksum each blob as it is on disk */
    s->fp = S_alloc(s, h->replications) == 0 ? fopen(s->tmp_path, "w+b") : NULL;
    if (!s->fp) {
        ps_diag_add(d, PS_ERR_IO, s->tmp_path, 0, "", "cannot write the snapshot: %s",
                    strerror(errno));
        ps_snapshot_abandon(s);
        return -1;
    }
    fputs(PS_SNAPSHOT_MAGIC, s->fp);
    fwrite(&s->h, sizeof s->h, 1, s->fp);
    S_write_tables(s); /* zeros for now; ps_snapshot_finish writes them */
    return ferror(s->fp) ? -1 : 0;
}

static int S_mismatch(ps_diag *d, const char *path, const char *what)
{
    ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                "this snapshot was made with a different %s; make a new one with "
                "--snapshot-at WEEK FILE", what);
    return -1;
}

/* A part whose bytes do not agree with their checksum: the header
 * (rep < 0) or a replication's state, with its bytes [a, b). */
static int S_damaged(ps_diag *d, const char *path, long long a, long long b, int rep)
{
    char part[160];
    if (rep < 0) snprintf(part, sizeof part, "its header (bytes 0 to %lld)", b);
    else snprintf(part, sizeof part, "the state of replication %d (bytes %lld to %lld)", rep, a, b);
    ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                "the snapshot is damaged: the checksum of %s does not match; make a new one "
                "with --snapshot-at WEEK FILE", part);
    return -1;
}

int ps_snapshot_open(ps_snapshot *s, const char *path, const ps_snapshot_header *want,
                     ps_diag *d)
{
    memset(s, 0, sizeof *s);
    s->open_rep = -1;
    snprintf(s->path, sizeof s->path, "%s", path);
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "--from",
                    "cannot read the snapshot: it is not a regular file");
        return -1;
    }
    s->fp = fopen(path, "rb");
    if (!s->fp || fstat(fileno(s->fp), &st) != 0) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "--from", "cannot read the snapshot: %s",
                    strerror(errno));
        return -1;
    }
    char magic[sizeof PS_SNAPSHOT_MAGIC];
    size_t got = fread(magic, 1, S_MAGIC_LEN, s->fp);
    static const char family[] = "placesim snapshot ";
    if (got == S_MAGIC_LEN && memcmp(magic, family, sizeof family - 1) == 0 &&
        memcmp(magic, PS_SNAPSHOT_MAGIC, S_MAGIC_LEN) != 0) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                    "a snapshot of another format (version %.1s; this placesim reads version "
                    "%.1s); make a new one with --snapshot-at WEEK FILE",
                    magic + sizeof family - 1, &PS_SNAPSHOT_MAGIC[sizeof family - 1]);
        return -1;
    }
    if (got != S_MAGIC_LEN || memcmp(magic, PS_SNAPSHOT_MAGIC, S_MAGIC_LEN) != 0) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "not a placesim snapshot");
        return -1;
    }
    if (fread(&s->h, sizeof s->h, 1, s->fp) != 1) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "the snapshot is truncated");
        return -1;
    }
    /* the tables, then the header's checksum: nothing in the header is
     * believed (not even the number of replications) before it holds */
    int R = s->h.replications;
    long long data_at = S_tables_at() + (long long)S_table_bytes(R > 0 ? R : 0) + 8;
    if (R < 1 || R > 100000 || data_at > (long long)st.st_size) {
        if (R >= 1 && R <= 100000 && data_at > (long long)st.st_size)
            ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "the snapshot is truncated");
        else
            S_damaged(d, path, 0, S_tables_at(), -1);
        return -1;
    }
    uint64_t hs = 0;
    if (S_alloc(s, R) != 0 ||
        fread(s->offsets, sizeof *s->offsets, (size_t)R, s->fp) != (size_t)R ||
        fread(s->lengths, sizeof *s->lengths, (size_t)R, s->fp) != (size_t)R ||
        fread(s->sums, sizeof *s->sums, (size_t)R, s->fp) != (size_t)R ||
        fread(&hs, sizeof hs, 1, s->fp) != 1) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "the snapshot is truncated");
        return -1;
    }
    if (hs != S_header_sum(s)) return S_damaged(d, path, 0, data_at, -1);
    const ps_snapshot_header *h = &s->h;
    if (strncmp(h->version, want->version, sizeof h->version) != 0)
        return S_mismatch(d, path, "version of placesim");
    if (strncmp(h->model, want->model, sizeof h->model) != 0) return S_mismatch(d, path, "model");
    if (h->scenario_file_hash != want->scenario_file_hash)
        return S_mismatch(d, path, "scenario file");
    if (h->seed != want->seed) return S_mismatch(d, path, "seed");
    if (h->population != want->population) return S_mismatch(d, path, "population");
    if (h->replications != want->replications) return S_mismatch(d, path, "number of replications");
    if (h->weeks != want->weeks || h->warmup != want->warmup)
        return S_mismatch(d, path, "horizon or warm-up");
    if (h->n_metrics != want->n_metrics || h->n_annual != want->n_annual)
        return S_mismatch(d, path, "set of metrics");
    /* --snapshot-at takes a week before the horizon: any other was not
     * written by placesim, and would lead the reader past its rows */
    if (h->week < 0 || h->week >= h->weeks || h->n_interventions < 0) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                    "the snapshot's header gives week %d of a run of %d weeks (and %d "
                    "interventions): it was not made by --snapshot-at; make a new one with "
                    "--snapshot-at WEEK FILE", (int)h->week, (int)h->weeks,
                    (int)h->n_interventions);
        return -1;
    }
    /* every replication's bytes, before any is used */
    for (int r = 0; r < R; r++) {
        int64_t off = s->offsets[r], len = s->lengths[r];
        uint64_t sum;
        /* the end is not computed before the start and length are known
         * to fit: tables made by hand may give any numbers */
        if (off < data_at || len < 0 || off > (int64_t)st.st_size ||
            len > (int64_t)st.st_size - off) {
            ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                        "the snapshot is truncated: replication %d (bytes %lld to %llu) is not "
                        "all there", r, (long long)off,
                        (unsigned long long)off + (unsigned long long)len);
            return -1;
        }
        if (S_range_sum(s->fp, off, len, &sum) != 0 || sum != s->sums[r])
            return S_damaged(d, path, (long long)off, (long long)(off + len), r);
    }
    return 0;
}

/* Writing: the blob being written ends where the file ends now. */
static void S_close_blob(ps_snapshot *s)
{
    if (s->open_rep < 0) return;
    s->lengths[s->open_rep] = (int64_t)ftell(s->fp) - s->offsets[s->open_rep];
    s->open_rep = -1;
}

int ps_snapshot_seek(ps_snapshot *s, int rep, ps_diag *d)
{
    if (rep < 0 || rep >= s->h.replications) return -1;
    if (s->writing) {
        S_close_blob(s);
        s->offsets[rep] = (int64_t)ftell(s->fp);
        s->open_rep = rep;
        return 0;
    }
    if (s->offsets[rep] <= 0 || fseek(s->fp, (long)s->offsets[rep], SEEK_SET) != 0) {
        ps_diag_add(d, PS_ERR_INPUT, s->path, 0, "--from",
                    "the snapshot holds no replication %d", rep);
        return -1;
    }
    return 0;
}

int ps_snapshot_finish(ps_snapshot *s, ps_diag *d)
{
    int bad = 0;
    if (s->writing && s->fp) {
        S_close_blob(s);
        bad |= fflush(s->fp) != 0;
        for (int r = 0; !bad && r < s->h.replications; r++)
            bad |= s->offsets[r] <= 0 ||
                   S_range_sum(s->fp, s->offsets[r], s->lengths[r], &s->sums[r]) != 0;
        bad |= fseek(s->fp, S_tables_at(), SEEK_SET) != 0;
        bad |= S_write_tables(s) != 0;
        bad |= fflush(s->fp) != 0 || fsync(fileno(s->fp)) != 0;
        bad |= fclose(s->fp) != 0;
        s->fp = NULL;
        if (bad || rename(s->tmp_path, s->path) != 0) {
            ps_diag_add(d, PS_ERR_IO, s->path, 0, "", "cannot write the snapshot");
            unlink(s->tmp_path);
            bad = 1;
        }
    }
    if (s->fp) fclose(s->fp);
    s->fp = NULL;
    S_free(s);
    return bad ? -1 : 0;
}

void ps_snapshot_abandon(ps_snapshot *s)
{
    if (s->fp) fclose(s->fp);
    if (s->writing) unlink(s->tmp_path);
    s->fp = NULL;
    S_free(s);
}
