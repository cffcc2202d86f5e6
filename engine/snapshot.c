#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "scenario.h"

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

int ps_snapshot_create(ps_snapshot *s, const char *path, const ps_snapshot_header *h,
                       ps_diag *d)
{
    memset(s, 0, sizeof *s);
    s->writing = 1;
    s->h = *h;
    snprintf(s->path, sizeof s->path, "%s", path);
    ps_output_tmp_path(s->tmp_path, sizeof s->tmp_path, path);
    s->offsets = calloc((size_t)h->replications + 1, sizeof *s->offsets);
    s->fp = fopen(s->tmp_path, "wb");
    if (!s->offsets || !s->fp) {
        ps_diag_add(d, PS_ERR_IO, s->tmp_path, 0, "", "cannot write the snapshot: %s",
                    strerror(errno));
        ps_snapshot_abandon(s);
        return -1;
    }
    fputs(PS_SNAPSHOT_MAGIC, s->fp);
    fwrite(&s->h, sizeof s->h, 1, s->fp);
    fwrite(s->offsets, sizeof *s->offsets, (size_t)h->replications, s->fp);
    return ferror(s->fp) ? -1 : 0;
}

static int S_mismatch(ps_diag *d, const char *path, const char *what)
{
    ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from",
                "this snapshot was made with a different %s; make a new one with "
                "--snapshot-at WEEK FILE", what);
    return -1;
}

int ps_snapshot_open(ps_snapshot *s, const char *path, const ps_snapshot_header *want,
                     ps_diag *d)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    s->fp = fopen(path, "rb");
    if (!s->fp) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "--from", "cannot read the snapshot: %s",
                    strerror(errno));
        return -1;
    }
    char magic[sizeof PS_SNAPSHOT_MAGIC];
    if (fread(magic, 1, sizeof magic - 1, s->fp) != sizeof magic - 1 ||
        memcmp(magic, PS_SNAPSHOT_MAGIC, sizeof magic - 1) != 0 ||
        fread(&s->h, sizeof s->h, 1, s->fp) != 1) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "not a placesim snapshot");
        return -1;
    }
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
    s->offsets = calloc((size_t)h->replications + 1, sizeof *s->offsets);
    if (!s->offsets ||
        fread(s->offsets, sizeof *s->offsets, (size_t)h->replications, s->fp) !=
            (size_t)h->replications) {
        ps_diag_add(d, PS_ERR_INPUT, path, 0, "--from", "the snapshot is truncated");
        return -1;
    }
    return 0;
}

int ps_snapshot_seek(ps_snapshot *s, int rep, ps_diag *d)
{
    if (rep < 0 || rep >= s->h.replications) return -1;
    if (s->writing) {
        s->offsets[rep] = (int64_t)ftell(s->fp);
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
        bad |= fseek(s->fp, (long)strlen(PS_SNAPSHOT_MAGIC) + (long)sizeof s->h, SEEK_SET) != 0;
        bad |= fwrite(s->offsets, sizeof *s->offsets, (size_t)s->h.replications, s->fp) !=
               (size_t)s->h.replications;
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
    free(s->offsets);
    s->offsets = NULL;
    return bad ? -1 : 0;
}

void ps_snapshot_abandon(ps_snapshot *s)
{
    if (s->fp) fclose(s->fp);
    if (s->writing) unlink(s->tmp_path);
    s->fp = NULL;
    free(s->offsets);
    s->offsets = NULL;
}
