/* The survey reader (sc_survey.h): a small CSV parser with the file's
 * line numbers, then a strict check of every field. */
#include "sc_survey.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input.h"
#include "nearest.h"

#define S_MAX_FIELDS 64

double sc_survey_level(int rating) { return (rating - 1) / 4.0; }

void sc_survey_free(sc_survey *s)
{
    free(s->n);
    free(s->mean);
    free(s->sd);
    free(s->actor_respondents);
    memset(s, 0, sizeof *s);
}

/* One record: the fields' unquoted bytes, one after another. */
typedef struct S_record {
    char *buf;
    size_t len, cap;
    size_t start[S_MAX_FIELDS + 1], flen[S_MAX_FIELDS + 1];
    int nf;        /* fields kept (at most S_MAX_FIELDS + 1: "too many") */
    int line;      /* the line the record starts on */
} S_record;

typedef struct S_reader {
    const char *b;
    size_t len, pos;
    int line;      /* the line at pos */
    const char *file;
    ps_diag *d;
} S_reader;

static int S_push(S_record *r, char c)
{
    if (r->len + 1 >= r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 256;
        char *nb = realloc(r->buf, cap);
        if (!nb) return -1;
        r->buf = nb;
        r->cap = cap;
    }
    r->buf[r->len++] = c;
    return 0;
}

static void S_new_field(S_record *r)
{
    if (r->nf <= S_MAX_FIELDS) {
        r->start[r->nf] = r->len;
        r->flen[r->nf] = 0;
    }
    r->nf++;
}

static void S_end_field(S_record *r)
{
    int f = r->nf - 1;
    if (f >= 0 && f <= S_MAX_FIELDS) r->flen[f] = r->len - r->start[f];
}

/* The text of a field for a message: printable, at most 40 bytes. */
static void S_show(const char *p, size_t n, char *out, size_t size)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 4 < size; i++) {
        if (i == 40) {
            out[k++] = '.';
            out[k++] = '.';
            out[k++] = '.';
            break;
        }
        unsigned char c = (unsigned char)p[i];
        out[k++] = (c >= 32 && c < 127) ? (char)c : '?';
    }
    out[k] = '\0';
}

/* Skips to just after the end of the current line. */
static void S_skip_line(S_reader *rd)
{
    while (rd->pos < rd->len && rd->b[rd->pos] != '\n') rd->pos++;
    if (rd->pos < rd->len) {
        rd->pos++;
        rd->line++;
    }
}

/* Reads the next record that is not blank or a comment. Returns 1 with a
 * record, 0 at the end, -1 on a problem that ends the reading (reported);
 * a problem confined to the record returns 2 (reported, record skipped). */
static int S_next(S_reader *rd, S_record *r)
{
    for (;;) {
        if (rd->pos >= rd->len) return 0;
        /* blank lines (spaces and tabs only) and comments */
        size_t q = rd->pos;
        while (q < rd->len && (rd->b[q] == ' ' || rd->b[q] == '\t')) q++;
        if (q >= rd->len) return 0;
        if (rd->b[q] == '\n' || (rd->b[q] == '\r' && q + 1 < rd->len && rd->b[q + 1] == '\n') ||
            (q == rd->pos && rd->b[q] == '#')) {
            S_skip_line(rd);
            continue;
        }
        break;
    }
    /* a buffer even for a record of empty fields: S_field points into it */
    if (!r->buf) {
        r->buf = malloc(256);
        if (!r->buf) return -1;
        r->cap = 256;
    }
    r->len = 0;
    r->nf = 0;
    r->line = rd->line;
    S_new_field(r);
    int quoted = 0, after_quote = 0, bad = 0, empty = 1; /* empty: nothing yet in the field */
    size_t start = rd->pos;
    while (rd->pos < rd->len) {
        if (rd->pos - start >= SC_SURVEY_MAX_LINE) {
            /* no survey row is this long: the file is not a survey, and
             * reading on would only spend memory on it */
            ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, "",
                        "a line (a row, with any quoted line breaks) longer than %d bytes; a "
                        "survey row has at most %d", SC_SURVEY_MAX_LINE, SC_SURVEY_MAX_LINE);
            return -1;
        }
        char c = rd->b[rd->pos++];
        if (c == '\0' && !bad) {
            ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, rd->line, "", "%s",
                        "a NUL byte: this is not a text (CSV) file");
            bad = 1;
        }
        if (quoted) {
            if (c == '"') {
                if (rd->pos < rd->len && rd->b[rd->pos] == '"') {
                    rd->pos++;
                    if (S_push(r, '"')) return -1;
                } else {
                    quoted = 0;
                    after_quote = 1;
                }
                continue;
            }
            if (c == '\n') rd->line++;
            if (S_push(r, c)) return -1;
            continue;
        }
        if (c == '\r' && rd->pos < rd->len && rd->b[rd->pos] == '\n') continue;
        if (c == '\n') {
            rd->line++;
            break;
        }
        if (c == ',') {
            S_end_field(r);
            S_new_field(r);
            after_quote = 0;
            empty = 1;
            continue;
        }
        if (c == '"' && empty && !after_quote) {
            /* a quote opens a field only as its first byte */
            quoted = 1;
            empty = 0;
            continue;
        }
        empty = 0;
        if (after_quote && c != ' ' && c != '\t' && !bad) {
            ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, rd->line, "",
                        "unexpected '%c' after a closing quote (a quote inside a quoted "
                        "field is written \"\")", (c >= 32 && c < 127) ? c : '?');
            bad = 1;
        }
        if (after_quote) continue;
        if (r->nf > S_MAX_FIELDS) continue;
        if (S_push(r, c)) return -1;
    }
    if (quoted) {
        ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, "", "%s",
                    "a quoted field is not closed before the end of the file");
        return -1;
    }
    S_end_field(r);
    return bad ? 2 : 1;
}

/* Trims spaces and tabs: the field's text as (p, n). */
static void S_field(const S_record *r, int f, const char **p, size_t *n)
{
    const char *s = r->buf + r->start[f];
    size_t len = r->flen[f];
    while (len && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t')) len--;
    *p = s;
    *n = len;
}

enum { S_COL_ACTOR = SC_SURVEY_K, S_COL_ROLE, S_COL_RESPONDENT, S_COL_N };
static const char *const S_col_names[S_COL_N] = {"A", "B", "C", "D", "E", "F", "G", "H", "I",
                                                 "actor", "role", "respondent"};

/* Reads the header into col[field] (an S_COL_* index); returns 0 or -1. */
static int S_header(S_reader *rd, const S_record *r, int *col)
{
    int seen[S_COL_N];
    for (int c = 0; c < S_COL_N; c++) seen[c] = -1;
    int before = rd->d->count;
    if (r->nf > S_MAX_FIELDS) {
        ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, "",
                    "the header has %d columns; a survey has at most %d", r->nf, S_MAX_FIELDS);
        return -1;
    }
    for (int f = 0; f < r->nf; f++) {
        const char *p;
        size_t n;
        S_field(r, f, &p, &n);
        char name[64], shown[64];
        S_show(p, n, shown, sizeof shown);
        col[f] = -1;
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            for (int c = 0; c < S_COL_N; c++)
                if (strlen(name) == n && strcasecmp(name, S_col_names[c]) == 0) col[f] = c;
        }
        char where[32];
        snprintf(where, sizeof where, "column %d", f + 1);
        if (col[f] < 0) {
            const char *near = n < sizeof name && n ? ps_nearest(name, S_col_names, S_COL_N) : NULL;
            if (near)
                ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, where,
                            "unknown column '%s' (did you mean '%s'?)", shown, near);
            else
                ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, where,
                            "unknown column '%s' (expected actor, role, respondent and A to I)",
                            shown);
            continue;
        }
        if (seen[col[f]] >= 0) {
            ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, where,
                        "duplicate column '%s' (first at column %d)", S_col_names[col[f]],
                        seen[col[f]] + 1);
            continue;
        }
        seen[col[f]] = f;
    }
    char missing[64] = "";
    for (int c = 0; c <= S_COL_ACTOR; c++)
        if (seen[c] < 0) {
            size_t k = strlen(missing);
            snprintf(missing + k, sizeof missing - k, "%s%s", k ? ", " : "", S_col_names[c]);
        }
    if (missing[0])
        ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, "header",
                    "missing column%s %s (a survey needs actor and A to I)",
                    strchr(missing, ',') ? "s" : "", missing);
    return rd->d->count > before ? -1 : 0;
}

/* A rating field: 0 blank, 1 with *rating set, -1 reported. */
static int S_rating(S_reader *rd, const S_record *r, int f, int c, int *rating)
{
    const char *p;
    size_t n;
    S_field(r, f, &p, &n);
    if (n == 0) return 0;
    char shown[64], where[32];
    S_show(p, n, shown, sizeof shown);
    snprintf(where, sizeof where, "column %s", S_col_names[c]);
    /* a whole number, signed or not ("-1", "+3", "03"), is a rating in
     * range or out of it; only other numbers are "not whole" */
    size_t sign = p[0] == '+' || p[0] == '-', i = sign;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    int whole = i == n && n > sign;
    long v = 0;
    if (whole) {
        for (i = sign; i < n && v <= 5; i++) v = 10 * v + (p[i] - '0');
        if (p[0] == '-' && v > 0) v = -v;
    }
    if (whole && (v < 1 || v > 5)) {
        ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, where,
                    "rating %s is out of range 1-5 (expected 1, 2, 3, 4 or 5, or a blank for no "
                    "answer)", shown);
        return -1;
    }
    if (!whole) {
        int number = 0;
        char tmp[64];
        if (n < sizeof tmp) {
            memcpy(tmp, p, n);
            tmp[n] = '\0';
            char *end;
            errno = 0;
            (void)strtod(tmp, &end);
            number = end != tmp && *end == '\0';
        }
        ps_diag_add(rd->d, PS_ERR_INPUT, rd->file, r->line, where,
                    number ? "rating '%s' is not a whole number (expected 1, 2, 3, 4 or 5, "
                             "or a blank for no answer)"
                           : "expected a rating 1 to 5 or a blank, got '%s'",
                    shown);
        return -1;
    }
    *rating = (int)v;
    return 1;
}

int sc_survey_parse(sc_survey *s, const char *buf, size_t len, const char *file,
                    const char *const *ids, size_t n_ids, ps_diag *d)
{
    memset(s, 0, sizeof *s);
    size_t cells = n_ids * SC_SURVEY_K + 1;
    s->n_actors = n_ids;
    s->n = calloc(cells, sizeof *s->n);
    s->mean = calloc(cells, sizeof *s->mean);
    s->sd = calloc(cells, sizeof *s->sd);
    s->actor_respondents = calloc(n_ids + 1, sizeof *s->actor_respondents);
    S_record r;
    memset(&r, 0, sizeof r);
    if (!s->n || !s->mean || !s->sd || !s->actor_respondents) {
        ps_diag_add(d, PS_ERR_MEMORY, file, 0, "", "out of memory");
        sc_survey_free(s);
        return -1;
    }
    int before = d->count;
    S_reader rd = {buf, len, 0, 1, file, d};
    /* a UTF-8 byte-order mark, as spreadsheets write it */
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) rd.pos = 3;
    int col[S_MAX_FIELDS + 1];
    int rc = S_next(&rd, &r);
    if (rc == 0) {
        ps_diag_add(d, PS_ERR_INPUT, file, 1, "", "%s",
                    "empty survey: expected a header line with actor and A to I, then one row "
                    "per respondent");
        goto fail;
    }
    if (rc != 1 || S_header(&rd, &r, col) != 0) goto fail;
    int header_nf = r.nf, header_line = r.line;
    /* sums of levels per cell: levels are quarters, so sums are exact */
    double *sum = s->mean, *sumsq = s->sd;
    while ((rc = S_next(&rd, &r)) != 0) {
        if (rc < 0) goto fail;
        if (rc == 2) continue;
        if (r.nf != header_nf) {
            ps_diag_add(d, PS_ERR_INPUT, file, r.line, "",
                        "expected %d columns, as in the header, got %d", header_nf, r.nf);
            continue;
        }
        int actor = -1, ratings[SC_SURVEY_K], ok = 1;
        for (int f = 0; f < r.nf; f++) {
            if (col[f] == S_COL_ACTOR) {
                const char *p;
                size_t n;
                S_field(&r, f, &p, &n);
                char id[64], shown[64];
                S_show(p, n, shown, sizeof shown);
                if (n == 0) {
                    ps_diag_add(d, PS_ERR_INPUT, file, r.line, "column actor", "%s",
                                "the actor id is missing");
                    ok = 0;
                    continue;
                }
                if (n < sizeof id && !memchr(p, '\0', n)) {
                    memcpy(id, p, n);
                    id[n] = '\0';
                    for (size_t a = 0; a < n_ids && actor < 0; a++)
                        if (strcmp(ids[a], id) == 0) actor = (int)a;
                }
                if (actor < 0) {
                    const char *near = n < sizeof id ? ps_nearest(id, ids, n_ids) : NULL;
                    if (near)
                        ps_diag_add(d, PS_ERR_INPUT, file, r.line, "column actor",
                                    "unknown actor '%s' (did you mean '%s'?)", shown, near);
                    else
                        ps_diag_add(d, PS_ERR_INPUT, file, r.line, "column actor",
                                    "unknown actor '%s' (not an actor id of the scenario)",
                                    shown);
                    ok = 0;
                }
            } else if (col[f] >= 0 && col[f] < SC_SURVEY_K) {
                int v = 0, got = S_rating(&rd, &r, f, col[f], &v);
                if (got < 0) ok = 0;
                ratings[col[f]] = got > 0 ? v : 0;
            }
        }
        if (!ok) continue;
        for (int k = 0; k < SC_SURVEY_K; k++) {
            if (!ratings[k]) continue;
            size_t i = (size_t)actor * SC_SURVEY_K + (size_t)k;
            double level = sc_survey_level(ratings[k]);
            s->n[i]++;
            sum[i] += level;
            sumsq[i] += level * level;
        }
        s->respondents++;
        s->actor_respondents[actor]++;
    }
    if (d->count > before) goto fail;
    if (s->respondents == 0) {
        ps_diag_add(d, PS_ERR_INPUT, file, header_line, "", "%s",
                    "the survey has a header but no respondents");
        goto fail;
    }
    for (size_t i = 0; i < n_ids * SC_SURVEY_K; i++) {
        int n = s->n[i];
        if (n == 0) {
            s->mean[i] = NAN;
            s->sd[i] = 0;
            continue;
        }
        double m = sum[i] / n;
        double var = n > 1 ? (sumsq[i] - n * m * m) / (n - 1) : 0;
        s->mean[i] = m;
        s->sd[i] = var > 0 ? sqrt(var) : 0;
    }
    free(r.buf);
    return 0;
fail:
    free(r.buf);
    if (d->count == before) ps_diag_add(d, PS_ERR_MEMORY, file, 0, "", "out of memory");
    size_t n_keep = s->n_actors;
    sc_survey_free(s);
    s->n_actors = n_keep;
    return -1;
}

int sc_survey_read(sc_survey *s, const char *path, const char *const *ids, size_t n_ids,
                   ps_diag *d)
{
    memset(s, 0, sizeof *s);
    size_t len = 0;
    char *buf = ps_input_read(path, "survey", &len, d);
    if (!buf) return -1;
    int rc = sc_survey_parse(s, buf, len, path, ids, n_ids, d);
    free(buf);
    return rc;
}
