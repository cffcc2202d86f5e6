#include "sweep_journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"
#include "scenario.h"

/* The column every row ends with. */
#define S_SUM_COLUMN "checksum"

/* Fields of one CSV line (quotes respected), or 0 for an unbalanced quote. */
static size_t S_fields(const char *line)
{
    size_t n = 1;
    int quoted = 0;
    for (const char *p = line; *p && *p != '\n'; p++) {
        if (*p == '"') quoted = !quoted;
        else if (*p == ',' && !quoted) n++;
    }
    return quoted ? 0 : n;
}

static int S_write_all(int fd, const char *text, size_t len)
{
    while (len) {
        ssize_t w = write(fd, text, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        text += w;
        len -= (size_t)w;
    }
    return 0;
}

/* The row's checksum: FNV-1a 64 of its text before the comma that precedes
 * the checksum, as 16 hex digits. */
static void S_row_sum(const char *text, size_t len, char out[17])
{
    snprintf(out, 17, "%016llx",
             (unsigned long long)ps_fnv1a64(PS_FNV_OFFSET, text, len));
}

/* Whether line (with its newline) ends in the checksum of what precedes
 * it. */
static int S_sum_holds(const char *line)
{
    const char *comma = strrchr(line, ',');
    if (!comma) return 0;
    size_t n = strcspn(comma + 1, "\n");
    char want[17];
    S_row_sum(line, (size_t)(comma - line), want);
    return n == 16 && strncmp(comma + 1, want, 16) == 0;
}

/* The first line of a journal file: the caller's columns and the checksum. */
static int S_is_header(const ps_journal *j, const char *line, size_t len)
{
    size_t hl = strlen(j->header), sl = strlen("," S_SUM_COLUMN);
    return len == hl + sl + 1 && strncmp(line, j->header, hl) == 0 &&
           strncmp(line + hl, "," S_SUM_COLUMN, sl) == 0 && line[len - 1] == '\n';
}

/* Syncs a directory, so a rename in it survives a crash. */
static void S_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* Reads one journal file into j->rows. own: this process will append to it,
 * so a torn last row is cut off the file. */
static int S_load(ps_journal *j, const char *path, int own, ps_diag *d)
{
    FILE *fp = fopen(path, own ? "r+" : "r");
    if (!fp) {
        if (errno == ENOENT) return 0;
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot read: %s", strerror(errno));
        return -1;
    }
    char *line = NULL;
    size_t size = 0;
    ssize_t len;
    int lineno = 0, before = d->count;
    long good_end = 0;
    while ((len = getline(&line, &size, fp)) > 0) {
        lineno++;
        if (line[len - 1] != '\n') break; /* torn by a crash: dropped */
        if (lineno == 1) {
            if (!S_is_header(j, line, (size_t)len)) {
                ps_diag_add(d, PS_ERR_INPUT, path, 1, "",
                            "the columns are not this sweep's; resume with the sweep file "
                            "that started it (and the placesim that started it), or choose "
                            "another --out");
                break;
            }
            good_end = ftell(fp);
            continue;
        }
        unsigned long run, point, rep;
        if (S_fields(line) != j->n_fields ||
            sscanf(line, "%lu,%lu,%lu,", &run, &point, &rep) != 3 || run >= j->n_runs ||
            point != run / j->replications || rep != run % j->replications) {
            ps_diag_add(d, PS_ERR_INPUT, path, lineno, "",
                        "not a row of this sweep (a damaged or foreign file)");
            break;
        }
        if (!S_sum_holds(line)) {
            ps_diag_add(d, PS_ERR_INPUT, path, lineno, "",
                        "run %lu: the row does not agree with its checksum (a damaged row); "
                        "delete the line to run it again", run);
            break;
        }
        char why[300];
        if (j->check && j->check(j->check_ctx, run, line, why, sizeof why) != 0) {
            ps_diag_add(d, PS_ERR_INPUT, path, lineno, "",
                        "run %lu: %s: not a row of this sweep; delete the line to run it again",
                        run, why);
            break;
        }
        if (j->rows[run]) {
            if (strcmp(j->rows[run], line) != 0) {
                ps_diag_add(d, PS_ERR_INPUT, path, lineno, "",
                            "run %lu appears twice with different results", run);
                break;
            }
        } else {
            if (!(j->rows[run] = strdup(line))) {
                ps_diag_add(d, PS_ERR_MEMORY, path, lineno, "", "out of memory");
                break;
            }
            j->done++;
        }
        good_end = ftell(fp);
    }
    free(line);
    if (own && d->count == before && ftruncate(fileno(fp), good_end) != 0)
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot cut off a torn row: %s",
                    strerror(errno));
    fclose(fp);
    return d->count > before ? -1 : 0;
}

/* Whether name is a journal file: runs.csv or runs-rank-N.csv. */
static int S_is_journal(const char *name)
{
    unsigned r;
    char tail[8];
    return strcmp(name, "runs.csv") == 0 ||
           (sscanf(name, "runs-rank-%u%7s", &r, tail) == 2 && strcmp(tail, ".csv") == 0);
}

static int S_load_all(ps_journal *j, ps_diag *d)
{
    DIR *dh = opendir(j->dir);
    if (!dh) {
        ps_diag_add(d, PS_ERR_IO, j->dir, 0, "", "cannot open: %s", strerror(errno));
        return -1;
    }
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(dh)) != NULL) {
        if (!S_is_journal(e->d_name)) continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", j->dir, e->d_name);
        rc = S_load(j, path, 0, d);
    }
    closedir(dh);
    return rc;
}

/* Creates the file with its header, atomically. */
static int S_create(const char *path, const char *header, ps_diag *d)
{
    char tmp[1200];
    static const char tail[] = "," S_SUM_COLUMN "\n";
    ps_output_tmp_path(tmp, sizeof tmp, path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || S_write_all(fd, header, strlen(header)) != 0 ||
        S_write_all(fd, tail, sizeof tail - 1) != 0 ||
        fsync(fd) != 0 || close(fd) != 0 || rename(tmp, path) != 0) {
        ps_diag_add(d, PS_ERR_IO, path, 0, "", "cannot write: %s", strerror(errno));
        if (fd >= 0) unlink(tmp);
        return -1;
    }
    return 0;
}

int ps_journal_open(ps_journal *j, const char *dir, int rank, const char *header,
                    size_t n_runs, size_t replications, int resume, ps_journal_check check,
                    void *check_ctx, ps_diag *d)
{
    memset(j, 0, sizeof *j);
    j->fd = -1;
    snprintf(j->dir, sizeof j->dir, "%s", dir);
    if (rank == 0) snprintf(j->path, sizeof j->path, "%s/runs.csv", dir);
    else snprintf(j->path, sizeof j->path, "%s/runs-rank-%d.csv", dir, rank);
    j->header = header;
    j->n_fields = S_fields(header) + 1;
    j->check = check;
    j->check_ctx = check_ctx;
    j->n_runs = n_runs;
    j->replications = replications;
    j->rows = calloc(n_runs ? n_runs : 1, sizeof *j->rows);
    if (!j->rows) {
        ps_diag_add(d, PS_ERR_MEMORY, dir, 0, "", "out of memory");
        return -1;
    }
    if (resume) {
        /* this process's own file first, so its torn row is cut off */
        if (S_load(j, j->path, 1, d) != 0 || S_load_all(j, d) != 0) return -1;
    }
    struct stat st;
    int has_header = 0;
    if (resume && stat(j->path, &st) == 0 && st.st_size > 0) {
        FILE *fp = fopen(j->path, "r");
        char *line = NULL;
        size_t size = 0;
        has_header = fp && getline(&line, &size, fp) > 0 && strchr(line, '\n');
        free(line);
        if (fp) fclose(fp);
    }
    if (!has_header && S_create(j->path, header, d) != 0) return -1;
    S_sync_dir(dir);
    j->fd = open(j->path, O_WRONLY | O_APPEND);
    if (j->fd < 0) {
        ps_diag_add(d, PS_ERR_IO, j->path, 0, "", "cannot append: %s", strerror(errno));
        return -1;
    }
    return 0;
}

int ps_journal_reload(ps_journal *j, ps_diag *d) { return S_load_all(j, d); }

int ps_journal_append(ps_journal *j, size_t run, const char *text, ps_diag *d)
{
    /* the row as written: the text, then its checksum */
    size_t len = strcspn(text, "\n");
    char *row = malloc(len + 19);
    if (!row) {
        ps_diag_add(d, PS_ERR_MEMORY, j->path, 0, "", "out of memory");
        return -1;
    }
    memcpy(row, text, len);
    row[len] = ',';
    S_row_sum(text, len, row + len + 1);
    row[len + 17] = '\n';
    row[len + 18] = '\0';
    if (S_write_all(j->fd, row, len + 18) != 0 || fsync(j->fd) != 0) {
        int err = errno;
        free(row);
        ps_diag_add(d, PS_ERR_IO, j->path, 0, "", "cannot append a finished run: %s",
                    strerror(err));
        return -1;
    }
    if (!j->rows[run]) {
        j->rows[run] = row;
        j->done++;
    } else {
        free(row);
    }
    return 0;
}

/* Removes the journal files in dir (but runs.csv when keep_main). */
static void S_remove(const char *dir, int keep_main)
{
    DIR *dh = opendir(dir);
    struct dirent *e;
    while (dh && (e = readdir(dh)) != NULL) {
        if (!S_is_journal(e->d_name) || (keep_main && strcmp(e->d_name, "runs.csv") == 0))
            continue;
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        unlink(path);
    }
    if (dh) closedir(dh);
}

void ps_journal_remove_all(const char *dir) { S_remove(dir, 0); }

int ps_journal_finish(ps_journal *j, ps_diag *d)
{
    for (size_t r = 0; r < j->n_runs; r++)
        if (!j->rows[r]) {
            ps_diag_add(d, PS_ERR_IO, j->dir, 0, "", "run %zu has no row", r);
            return -1;
        }
    ps_outfile f;
    if (ps_outfile_open(&f, j->dir, "runs.csv", d) != 0) return -1;
    fprintf(f.fp, "%s," S_SUM_COLUMN "\n", j->header);
    for (size_t r = 0; r < j->n_runs; r++) fputs(j->rows[r], f.fp);
    if (ps_outfile_commit(&f, d) != 0) return -1;
    /* the rows are all in runs.csv now: the per-rank files can go */
    S_remove(j->dir, 1);
    S_sync_dir(j->dir);
    return 0;
}

void ps_journal_close(ps_journal *j)
{
    if (j->fd >= 0) close(j->fd);
    for (size_t r = 0; j->rows && r < j->n_runs; r++) free(j->rows[r]);
    free(j->rows);
    memset(j, 0, sizeof *j);
    j->fd = -1;
}
