#include "output.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int S_mkdir_p(const char *dir)
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

int ps_output_prepare_dir(const char *dir, int overwrite, ps_diag *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            ps_diag_add(d, PS_ERR_IO, dir, 0, "",
                        "exists and is not a directory");
            return -1;
        }
        DIR *dh = opendir(dir);
        if (!dh) {
            ps_diag_add(d, PS_ERR_IO, dir, 0, "", "cannot open: %s",
                        strerror(errno));
            return -1;
        }
        int entries = 0;
        struct dirent *e;
        while ((e = readdir(dh)) != NULL)
            if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) entries++;
        closedir(dh);
        if (entries && !overwrite) {
            ps_diag_add(d, PS_ERR_INPUT, dir, 0, "",
                        "output directory exists and is not empty; choose "
                        "another --out or pass --overwrite");
            return -1;
        }
        return 0;
    }
    if (S_mkdir_p(dir) != 0) {
        ps_diag_add(d, PS_ERR_IO, dir, 0, "", "cannot create: %s",
                    strerror(errno));
        return -1;
    }
    return 0;
}

int ps_outfile_open(ps_outfile *f, const char *dir, const char *name,
                    ps_diag *d)
{
    snprintf(f->final_path, sizeof f->final_path, "%s/%s", dir, name);
    snprintf(f->tmp_path, sizeof f->tmp_path, "%s/.%s.partial", dir, name);
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
    if (!bad) bad = fsync(fileno(f->fp)) != 0 && errno != EINVAL;
    bad |= fclose(f->fp) != 0;
    f->fp = NULL;
    if (bad || rename(f->tmp_path, f->final_path) != 0) {
        ps_diag_add(d, PS_ERR_IO, f->final_path, 0, "", "cannot write: %s",
                    strerror(errno));
        unlink(f->tmp_path);
        return -1;
    }
    return 0;
}

void ps_outfile_abandon(ps_outfile *f)
{
    if (f->fp) fclose(f->fp);
    f->fp = NULL;
    unlink(f->tmp_path);
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
