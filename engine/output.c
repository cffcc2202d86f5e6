#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "scenario.h"
#include "text.h"

int ps_mkdir_p(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) return -1;
    return 0;
}

/* Syncs a directory, so a rename or an unlink in it survives a crash. */
static void S_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* ---- the directories this process holds -------------------------------
 * A lock belongs to the process (flock: to its open file), so the table of
 * held directories is the process's too: one table, guarded by a mutex.
 * A directory is known by its device and inode, however its path is
 * spelt. */

typedef struct S_file {
    char name[256];
    uint64_t sum, bytes;
} S_file;

typedef struct S_dir {
    int used, fd;
    dev_t dev;
    ino_t ino;
    char path[1024];
    char lock_path[1100];
    S_file *files;
    size_t n_files, cap_files;
} S_dir;

#define S_MAX_DIRS 16
static S_dir S_dirs[S_MAX_DIRS];
static pthread_mutex_t S_dirs_mutex = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint S_tmp_counter;

static S_dir *S_find(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) != 0) return NULL;
    for (int i = 0; i < S_MAX_DIRS; i++)
        if (S_dirs[i].used && S_dirs[i].dev == st.st_dev && S_dirs[i].ino == st.st_ino)
            return &S_dirs[i];
    return NULL;
}

/* The command line of this process, as one line, for the lock file. */
static void S_command(char *buf, size_t size)
{
    buf[0] = '\0';
    FILE *fp = fopen("/proc/self/cmdline", "rb");
    if (!fp) return;
    size_t n = fread(buf, 1, size - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    for (size_t i = 0; i + 1 < n; i++)
        if (buf[i] == '\0' || buf[i] == '\n') buf[i] = ' ';
}

/* Reads the holder's line ("PID COMMAND") from the lock file; the holder
 * writes it just after taking the lock, so an empty file is read again a
 * few times before giving up. */
static void S_holder(int fd, long *pid, char *cmd, size_t size)
{
    *pid = 0;
    cmd[0] = '\0';
    for (int tries = 0; tries < 20 && *pid == 0; tries++) {
        char text[600];
        ssize_t n = pread(fd, text, sizeof text - 1, 0);
        if (n > 0) {
            text[n] = '\0';
            text[strcspn(text, "\n")] = '\0';
            char *end;
            *pid = strtol(text, &end, 10);
            if (end != text && *end == ' ') snprintf(cmd, size, "%.200s", end + 1);
        }
        if (*pid == 0) nanosleep(&(struct timespec){0, 5000000}, NULL);
    }
}

static int S_lock(const char *dir, ps_diag *d)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        ps_diag_add(d, PS_ERR_IO, dir, 0, "", "cannot open: %s", strerror(errno));
        return -1;
    }
    S_dir *e = S_find(dir);
    if (e) {
        e->n_files = 0; /* a new command in a directory this process holds */
        return 0;
    }
    for (int i = 0; i < S_MAX_DIRS && !e; i++)
        if (!S_dirs[i].used) e = &S_dirs[i];
    if (!e) {
        ps_diag_add(d, PS_ERR_IO, dir, 0, "", "more than %d output directories at once",
                    S_MAX_DIRS);
        return -1;
    }
    char lock_path[1100];
    snprintf(lock_path, sizeof lock_path, "%s/%s", dir, PS_OUTPUT_LOCK_NAME);
    /* a holder that finishes unlinks the file while holding the lock: a
     * lock taken on a file no longer at the path is no lock, so try again */
    for (int tries = 0; tries < 16; tries++) {
        int fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0) {
            ps_diag_add(d, PS_ERR_IO, lock_path, 0, "", "cannot create the lock file: %s",
                        strerror(errno));
            return -1;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int err = errno;
            if (err == EWOULDBLOCK) {
                long pid;
                char cmd[256];
                S_holder(fd, &pid, cmd, sizeof cmd);
                if (pid > 0)
                    ps_diag_add(d, PS_ERR_IO, dir, 0, "",
                                "the output directory is being written by another placesim "
                                "(pid %ld: %s); wait for it to finish, or choose another --out",
                                pid, cmd[0] ? cmd : "?");
                else
                    ps_diag_add(d, PS_ERR_IO, dir, 0, "",
                                "the output directory is being written by another process "
                                "(it holds %s); wait for it to finish, or choose another --out",
                                PS_OUTPUT_LOCK_NAME);
            } else {
                ps_diag_add(d, PS_ERR_IO, lock_path, 0, "", "cannot lock: %s", strerror(err));
            }
            close(fd);
            return -1;
        }
        struct stat held, now;
        if (fstat(fd, &held) != 0 || stat(lock_path, &now) != 0 || held.st_ino != now.st_ino ||
            held.st_dev != now.st_dev) {
            close(fd);
            continue;
        }
        char cmd[400], line[480];
        S_command(cmd, sizeof cmd);
        int len = snprintf(line, sizeof line, "%ld %s\n", (long)getpid(), cmd);
        if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len) {
            ps_diag_add(d, PS_ERR_IO, lock_path, 0, "", "cannot write the lock file: %s",
                        strerror(errno));
            unlink(lock_path);
            close(fd);
            return -1;
        }
        memset(e, 0, sizeof *e);
        e->used = 1;
        e->fd = fd;
        e->dev = st.st_dev;
        e->ino = st.st_ino;
        snprintf(e->path, sizeof e->path, "%s", dir);
        snprintf(e->lock_path, sizeof e->lock_path, "%s", lock_path);
        return 0;
    }
    ps_diag_add(d, PS_ERR_IO, lock_path, 0, "", "cannot lock: the lock file keeps changing");
    return -1;
}

int ps_output_lock(const char *dir, ps_diag *d)
{
    pthread_mutex_lock(&S_dirs_mutex);
    int rc = S_lock(dir, d);
    pthread_mutex_unlock(&S_dirs_mutex);
    return rc;
}

static void S_release(S_dir *e)
{
    /* unlinked while still held, so nobody takes a lock on a file that is
     * about to go */
    unlink(e->lock_path);
    close(e->fd);
    free(e->files);
    memset(e, 0, sizeof *e);
}

void ps_output_release(const char *dir)
{
    pthread_mutex_lock(&S_dirs_mutex);
    S_dir *e = S_find(dir);
    if (e) S_release(e);
    pthread_mutex_unlock(&S_dirs_mutex);
}

void ps_output_release_all(void)
{
    pthread_mutex_lock(&S_dirs_mutex);
    for (int i = 0; i < S_MAX_DIRS; i++)
        if (S_dirs[i].used) S_release(&S_dirs[i]);
    pthread_mutex_unlock(&S_dirs_mutex);
}

void ps_output_discard(const char *dir)
{
    pthread_mutex_lock(&S_dirs_mutex);
    S_dir *e = S_find(dir);
    for (size_t i = 0; e && i < e->n_files; i++) {
        char path[1400];
        snprintf(path, sizeof path, "%s/%s", dir, e->files[i].name);
        unlink(path);
    }
    if (e) e->n_files = 0;
    pthread_mutex_unlock(&S_dirs_mutex);
    S_sync_dir(dir);
}

/* Records a committed file (a file committed again replaces its entry). */
static void S_record(const char *dir, const char *name, uint64_t sum, uint64_t bytes)
{
    pthread_mutex_lock(&S_dirs_mutex);
    S_dir *e = S_find(dir);
    S_file *slot = NULL;
    for (size_t i = 0; e && i < e->n_files && !slot; i++)
        if (strcmp(e->files[i].name, name) == 0) slot = &e->files[i];
    if (e && !slot) {
        if (e->n_files == e->cap_files) {
            size_t cap = e->cap_files ? 2 * e->cap_files : 16;
            S_file *grown = realloc(e->files, cap * sizeof *grown);
            if (grown) {
                e->files = grown;
                e->cap_files = cap;
            }
        }
        if (e->n_files < e->cap_files) slot = &e->files[e->n_files++];
    }
    if (slot) {
        snprintf(slot->name, sizeof slot->name, "%s", name);
        slot->sum = sum;
        slot->bytes = bytes;
    }
    pthread_mutex_unlock(&S_dirs_mutex);
}

/* Removes an earlier manifest.json in dir and then the files it vouched
 * for (its "files" list, as ps_outfile_write_files writes it): a result
 * written over with --overwrite leaves nothing of the earlier one that the
 * new one does not write again (a chart its model has and this one has
 * not). The manifest goes first, so that a process killed in between
 * leaves files nothing vouches for, never a manifest that vouches for
 * files that are gone. Only plain names placesim wrote are removed. */
static void S_remove_manifest_and_files(const char *dir)
{
    char manifest[1100];
    snprintf(manifest, sizeof manifest, "%s/manifest.json", dir);
    enum { S_MANIFEST_MAX = 1 << 16 };
    char *text = malloc(S_MANIFEST_MAX);
    size_t n = 0;
    FILE *fp = text ? fopen(manifest, "r") : NULL;
    if (fp) {
        n = fread(text, 1, S_MANIFEST_MAX - 1, fp);
        fclose(fp);
    }
    if (text) text[n] = '\0';
    int removed = unlink(manifest) == 0;
    if (removed) S_sync_dir(dir);
    if (!removed || !text) {
        /* no manifest, or no memory to read it: the files stay, vouched for by nothing */
        free(text);
        return;
    }
    const char *p = strstr(text, "\"files\": [");
    while (p && (p = strstr(p, "{\"name\": \"")) != NULL) {
        p += 10;
        const char *end = strchr(p, '"');
        if (!end) break;
        char name[256];
        size_t len = (size_t)(end - p);
        /* a name with a path, an escape or an odd character is not one placesim wrote */
        int plain = len > 0 && len < sizeof name;
        for (size_t i = 0; plain && i < len; i++)
            plain = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
                    (p[i] >= '0' && p[i] <= '9') || p[i] == '_' || p[i] == '-' ||
                    (p[i] == '.' && i > 0);
        if (plain) {
            memcpy(name, p, len);
            name[len] = '\0';
            char path[1400];
            snprintf(path, sizeof path, "%s/%s", dir, name);
            unlink(path);
        }
        p = end;
    }
    free(text);
}

int ps_output_prepare_dir(const char *dir, int overwrite, ps_diag *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            ps_diag_add(d, PS_ERR_IO, dir, 0, "",
                        "exists and is not a directory");
            return -1;
        }
    } else if (ps_mkdir_p(dir) != 0) {
        ps_diag_add(d, PS_ERR_IO, dir, 0, "", "cannot create: %s",
                    strerror(errno));
        return -1;
    }
    pthread_mutex_lock(&S_dirs_mutex);
    int held_before = S_find(dir) != NULL;
    int rc = S_lock(dir, d);
    pthread_mutex_unlock(&S_dirs_mutex);
    if (rc != 0) return -1;
    DIR *dh = opendir(dir);
    if (!dh) {
        ps_diag_add(d, PS_ERR_IO, dir, 0, "", "cannot open: %s",
                    strerror(errno));
        if (!held_before) ps_output_release(dir);
        return -1;
    }
    int entries = 0;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strcmp(e->d_name, PS_OUTPUT_LOCK_NAME))
            entries++;
    closedir(dh);
    if (entries && !overwrite) {
        ps_diag_add(d, PS_ERR_INPUT, dir, 0, "",
                    "output directory exists and is not empty; choose "
                    "another --out or pass --overwrite");
        if (!held_before) ps_output_release(dir);
        return -1;
    }
    if (entries) S_remove_manifest_and_files(dir);
    return 0;
}

void ps_output_describe(const char *dir, char *buf, size_t size)
{
    struct stat st;
    if (stat(dir, &st) != 0) {
        snprintf(buf, size, "does not exist");
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        snprintf(buf, size, "is not a directory");
        return;
    }
    char path[1100];
    snprintf(path, sizeof path, "%s/%s", dir, PS_OUTPUT_LOCK_NAME);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    pthread_mutex_lock(&S_dirs_mutex);
    int ours = S_find(dir) != NULL;
    pthread_mutex_unlock(&S_dirs_mutex);
    if (fd >= 0 && !ours && flock(fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
        long pid;
        char cmd[256];
        S_holder(fd, &pid, cmd, sizeof cmd);
        close(fd);
        if (pid > 0) snprintf(buf, size, "is being written by another placesim (pid %ld)", pid);
        else snprintf(buf, size, "is being written by another process");
        return;
    }
    if (fd >= 0) close(fd);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(buf, size, "holds no complete result");
        return;
    }
    char line[512];
    int finished = -1;
    while (finished < 0 && fgets(line, sizeof line, fp)) {
        if (strstr(line, "\"finished\": true")) finished = 1;
        else if (strstr(line, "\"finished\": false")) finished = 0;
    }
    fclose(fp);
    if (finished == 1)
        snprintf(buf, size, "holds a finished result, as it was (its manifest.json says "
                            "\"finished\": true)");
    else
        snprintf(buf, size, "holds no complete result%s",
                 finished == 0 ? " (its manifest.json says \"finished\": false)" : "");
}

void ps_output_tmp_path(char *buf, size_t size, const char *final_path)
{
    const char *slash = strrchr(final_path, '/');
    int dir_len = slash ? (int)(slash - final_path + 1) : 0;
    unsigned n = atomic_fetch_add(&S_tmp_counter, 1u);
    snprintf(buf, size, "%.*s.%s.%ld-%u.partial", dir_len, final_path, final_path + dir_len,
             (long)getpid(), n);
}

int ps_file_checksum(const char *path, uint64_t *sum, uint64_t *bytes)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return -1;
    unsigned char buf[65536];
    size_t n;
    uint64_t h = PS_FNV_OFFSET, total = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        h = ps_fnv1a64(h, buf, n);
        total += n;
    }
    int bad = ferror(fp);
    fclose(fp);
    if (bad) return -1;
    *sum = h;
    *bytes = total;
    return 0;
}

int ps_outfile_open(ps_outfile *f, const char *dir, const char *name,
                    ps_diag *d)
{
    int len = snprintf(f->final_path, sizeof f->final_path, "%s/%s", dir, name);
    f->name_at = (size_t)len - strlen(name);
    ps_output_tmp_path(f->tmp_path, sizeof f->tmp_path, f->final_path);
    f->fp = fopen(f->tmp_path, "w");
    if (!f->fp) {
        ps_diag_add(d, PS_ERR_IO, f->tmp_path, 0, "", "cannot write: %s",
                    strerror(errno));
        return -1;
    }
    return 0;
}

int ps_outfile_commit(ps_outfile *f, ps_diag *d)
{
    int bad = fflush(f->fp) != 0 || ferror(f->fp);
    int err = bad ? (errno ? errno : EIO) : 0;
    if (!bad && fsync(fileno(f->fp)) != 0 && errno != EINVAL) {
        bad = 1;
        err = errno;
    }
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    f->fp = NULL;
    /* the checksum of the bytes on disk, which the manifest will vouch for */
    uint64_t sum = 0, bytes = 0;
    if (!bad && ps_file_checksum(f->tmp_path, &sum, &bytes) != 0) {
        bad = 1;
        err = errno;
    }
    if (!bad && rename(f->tmp_path, f->final_path) != 0) {
        bad = 1;
        err = errno;
    }
    if (bad) {
        ps_diag_add(d, PS_ERR_IO, f->final_path, 0, "", "cannot write: %s",
                    strerror(err ? err : EIO));
        unlink(f->tmp_path);
        return -1;
    }
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", (int)f->name_at - 1, f->final_path);
    S_record(dir, f->final_path + f->name_at, sum, bytes);
    return 0;
}

void ps_outfile_abandon(ps_outfile *f)
{
    if (f->fp) fclose(f->fp);
    f->fp = NULL;
    unlink(f->tmp_path);
}

void ps_outfile_write_files(const ps_outfile *manifest)
{
    FILE *fp = manifest->fp;
    char dir[1024];
    snprintf(dir, sizeof dir, "%.*s", (int)manifest->name_at - 1, manifest->final_path);
    const char *self = manifest->final_path + manifest->name_at;
    fputs(",\n  \"files\": [", fp);
    pthread_mutex_lock(&S_dirs_mutex);
    S_dir *e = S_find(dir);
    int first = 1;
    for (size_t i = 0; e && i < e->n_files; i++) {
        const S_file *x = &e->files[i];
        if (strcmp(x->name, self) == 0) continue;
        fputs(first ? "\n    {\"name\": " : ",\n    {\"name\": ", fp);
        ps_write_json_string(fp, x->name);
        fprintf(fp, ", \"bytes\": %llu, \"fnv1a64\": \"%016llx\"}", (unsigned long long)x->bytes,
                (unsigned long long)x->sum);
        first = 0;
    }
    pthread_mutex_unlock(&S_dirs_mutex);
    fputs(first ? "]" : "\n  ]", fp);
}

void ps_write_double(FILE *fp, double v)
{
    if (isnan(v))
        fputs("nan", fp);
    else
        fprintf(fp, "%.10g", v);
}

void ps_write_csv_field(FILE *fp, const char *text)
{
    if (!text) text = "";
    if (!strpbrk(text, ",\"\n\r")) {
        fputs(text, fp);
        return;
    }
    fputc('"', fp);
    for (; *text; text++) {
        if (*text == '"') fputc('"', fp);
        fputc(*text, fp);
    }
    fputc('"', fp);
}

void ps_write_json_string(FILE *fp, const char *text)
{
    fputc('"', fp);
    for (const char *s = text ? text : ""; *s;) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            fprintf(fp, "\\%c", c);
            s++;
        } else if (c < 0x20) {
            fprintf(fp, "\\u%04x", c);
            s++;
        } else {
            size_t n = ps_utf8_char(s);
            if (n == 0) {
                fputs("\\ufffd", fp);
                s++;
            } else {
                fwrite(s, 1, n, fp);
                s += n;
            }
        }
    }
    fputc('"', fp);
}

void ps_write_html(FILE *fp, const char *text)
{
    for (; text && *text; text++) {
        switch (*text) {
        case '<': fputs("&lt;", fp); break;
        case '>': fputs("&gt;", fp); break;
        case '&': fputs("&amp;", fp); break;
        case '"': fputs("&quot;", fp); break;
        default: fputc(*text, fp);
        }
    }
}
