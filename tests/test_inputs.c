/* Every input reader checks its file before it parses it: a device that
 * never ends, a file over the size limit, a string that would keep
 * libconfig's scanner busy for minutes and a survey row longer than any
 * survey's are each refused at once, with the file (and line) named. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "support.h"

static char S_dir[64];

static void S_mktmp(void) { tp_mktmp(S_dir, sizeof S_dir, "inputs"); }

static void S_rmtmp(void) { tp_rmtmp(S_dir); }

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Runs placesim with args; returns the seconds it took. */
static double S_timed(const char *const *args, tp_output *r)
{
    double t0 = S_now();
    tp_exec(PLACESIM_BINARY, args, r);
    return S_now() - t0;
}

/* Writes small.cfg with `name = "<n bytes>"` added to its first actor. */
static void S_scenario_with_string(const char *path, size_t n, int pieces)
{
    char src[1024];
    snprintf(src, sizeof src, "%s/tests/data/small.cfg", PLACESIM_SOURCE_DIR);
    static char text[1 << 16];
    tp_read_text(src, text, sizeof text);
    const char *at = strstr(text, "name = \"City council\";");
    cr_assert_not_null(at);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fwrite(text, 1, (size_t)(at - text), fp);
    fputs("name =", fp);
    for (int p = 0; p < pieces; p++) {
        fputs(" \"", fp);
        for (size_t i = 0; i < n / (size_t)pieces; i++) fputc('x', fp);
        fputs("\"\n", fp);
    }
    fputs(";", fp);
    fputs(at + strlen("name = \"City council\";"), fp);
    fclose(fp);
}

Test(inputs, dev_zero_is_refused_at_once_by_every_reader, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 60)
{
    tp_output r;
    const char *runs[][8] = {
        {"run", "/dev/zero", "--quiet", NULL},
        {"validate", "/dev/zero", NULL},
        {"validate", "tests/data/small.cfg", "--policy", "/dev/zero", NULL},
        {"sweep", "/dev/zero", "--quiet", NULL},
        {"diagnose", "tests/data/small.cfg", "--survey", "/dev/zero", "--quiet", NULL},
    };
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        double s = S_timed(runs[i], &r);
        cr_expect_eq(r.status, 3, "%s %s: exit status %d\n%s", runs[i][0], runs[i][1], r.status,
                     r.err);
        cr_expect(s < 1.0, "%s: %.2f s to refuse /dev/zero", runs[i][0], s);
        cr_expect(strstr(r.err, "/dev/zero: cannot read the ") &&
                      strstr(r.err, "not a regular file"),
                  "%s: %s", runs[i][0], r.err);
    }
}

Test(inputs, a_file_over_the_limit_is_refused_before_it_is_read, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 60)
{
    char path[128], cmd[256];
    /* 17 MiB of nothing (a sparse file): over the default 16 MiB */
    snprintf(path, sizeof path, "%s/huge.cfg", S_dir);
    snprintf(cmd, sizeof cmd, "truncate -s 17M '%s'", path);
    cr_assert_eq(tp_shell(cmd), 0);
    tp_output r;
    double s = S_timed((const char *const[]){"validate", path, NULL}, &r);
    cr_expect_eq(r.status, 2, "exit status %d\n%s", r.status, r.err);
    cr_expect(s < 1.0, "%.2f s", s);
    cr_expect(strstr(r.err, "the file is 17.0 MiB, over the limit of 16.0 MiB") &&
                  strstr(r.err, "PLACESIM_MAX_INPUT_BYTES"),
              "%s", r.err);
    /* the limit can be lowered (and raised) */
    snprintf(cmd, sizeof cmd,
             "PLACESIM_MAX_INPUT_BYTES=1K %s validate tests/data/small.cfg > /dev/null 2> %s/err",
             PLACESIM_BINARY, S_dir);
    cr_expect_eq(tp_shell(cmd), 2);
    char err[4096];
    snprintf(path, sizeof path, "%s/err", S_dir);
    tp_read_text(path, err, sizeof err);
    cr_expect(strstr(err, "tests/data/small.cfg: the file is") &&
                  strstr(err, "over the limit of 1.0 KiB"), "%s", err);
    snprintf(cmd, sizeof cmd,
             "PLACESIM_MAX_INPUT_BYTES=64M %s validate tests/data/small.cfg > /dev/null 2>&1",
             PLACESIM_BINARY);
    cr_expect_eq(tp_shell(cmd), 0);
    snprintf(cmd, sizeof cmd,
             "PLACESIM_MAX_INPUT_BYTES=lots %s validate tests/data/small.cfg > /dev/null 2> %s",
             PLACESIM_BINARY, path);
    cr_expect_eq(tp_shell(cmd), 2);
    tp_read_text(path, err, sizeof err);
    cr_expect(strstr(err, "PLACESIM_MAX_INPUT_BYTES: expected a number of bytes") != NULL, "%s",
              err);
}

/* libconfig reads an @include'd file itself, past every check: a device
 * that never ends (/dev/stdin kept the reader waiting for ever) or a file
 * over the limit. Every libconfig reader (scenario, policy, sweep file)
 * refuses the directive at its line, at once. */
Test(inputs, an_include_is_refused_at_its_line_by_every_libconfig_reader, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 60)
{
    char path[128], want[200];
    snprintf(path, sizeof path, "%s/include.cfg", S_dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("# a file that includes another\nname = \"x\";\n  @include \"/dev/stdin\"\n", fp);
    fclose(fp);
    snprintf(want, sizeof want, "%s:3: @include is not allowed", path);
    const char *runs[][6] = {
        {"validate", path, NULL},
        {"validate", "tests/data/small.cfg", "--policy", path, NULL},
        {"sweep", path, "--quiet", NULL},
    };
    tp_output r;
    for (size_t i = 0; i < sizeof runs / sizeof *runs; i++) {
        double s = S_timed(runs[i], &r);
        cr_expect_eq(r.status, 2, "%s: exit status %d\n%s", runs[i][0], r.status, r.err);
        cr_expect(s < 1.0, "%s: %.2f s", runs[i][0], s);
        cr_expect(strstr(r.err, want) != NULL, "%s: expected '%s' in %s", runs[i][0], want,
                  r.err);
    }
    /* the word in a string or a comment is only text */
    fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("name = \"@include\"; # @include \"x\"\nset = [\"trust.alpha=0.1\"];\n", fp);
    fclose(fp);
    tp_exec(PLACESIM_BINARY, runs[1], &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
}

/* libconfig's scanner is quadratic in a string's length: a 10 MB string
 * took it minutes. It is refused at its line before libconfig sees it,
 * and so is one made of adjacent strings (libconfig joins them). */
Test(inputs, a_long_string_is_refused_at_its_line_before_parsing, .init = S_mktmp,
     .fini = S_rmtmp, .timeout = 60)
{
    char path[128], want[256];
    tp_output r;
    snprintf(path, sizeof path, "%s/long.cfg", S_dir);
    S_scenario_with_string(path, 10 * 1000 * 1000, 1);
    double s = S_timed((const char *const[]){"validate", path, NULL}, &r);
    cr_expect_eq(r.status, 2, "exit status %d\n%s", r.status, r.err);
    cr_expect(s < 1.0, "%.2f s for a 10 MB string", s);
    snprintf(want, sizeof want, "%s:50: a string of 10000000 bytes starts here; a string may "
             "have at most 4096 bytes", path);
    cr_expect(strstr(r.err, want) != NULL, "expected '%s' in %s", want, r.err);
    S_scenario_with_string(path, 3 * 4000, 3);
    S_timed((const char *const[]){"validate", path, NULL}, &r);
    cr_expect_eq(r.status, 2, "exit status %d\n%s", r.status, r.err);
    cr_expect(strstr(r.err, ":50: a string of 12000 bytes") != NULL, "%s", r.err);
    /* 4096 bytes are fine */
    S_scenario_with_string(path, 4096, 1);
    S_timed((const char *const[]){"validate", path, NULL}, &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
    /* a policy file and a sweep file are read the same way */
    snprintf(path, sizeof path, "%s/long_policy.cfg", S_dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("name = \"long\";\ndescription = \"", fp);
    for (int i = 0; i < 5000; i++) fputc('y', fp);
    fputs("\";\nset = [\"trust.alpha=0.3\"];\n", fp);
    fclose(fp);
    S_timed((const char *const[]){"validate", "tests/data/small.cfg", "--policy", path, NULL},
            &r);
    cr_expect_eq(r.status, 2, "%s", r.err);
    snprintf(want, sizeof want, "%s:2: a string of 5000 bytes", path);
    cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
    snprintf(path, sizeof path, "%s/long_sweep.cfg", S_dir);
    fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("# a sweep\nscenario = \"", fp);
    for (int i = 0; i < 5000; i++) fputc('z', fp);
    fputs("\";\n", fp);
    fclose(fp);
    S_timed((const char *const[]){"sweep", path, "--quiet", NULL}, &r);
    cr_expect_eq(r.status, 2, "%s", r.err);
    snprintf(want, sizeof want, "%s:2: a string of 5000 bytes", path);
    cr_expect(strstr(r.err, want) != NULL, "%s", r.err);
}

/* A survey row longer than any survey's (16 KiB) ends the reading at its
 * line; a survey over the size limit is refused before it is read. */
Test(inputs, a_long_survey_line_is_refused_at_its_line, .init = S_mktmp, .fini = S_rmtmp,
     .timeout = 60)
{
    char path[128], out[128], want[256];
    snprintf(path, sizeof path, "%s/long.csv", S_dir);
    snprintf(out, sizeof out, "%s/out", S_dir);
    FILE *fp = fopen(path, "w");
    cr_assert_not_null(fp);
    fputs("actor,respondent,A,B,C,D,E,F,G,H,I\ncouncil,ok,3,3,3,3,3,3,3,3,3\ncouncil,", fp);
    for (int i = 0; i < 20000; i++) fputc('r', fp);
    fputs(",3,3,3,3,3,3,3,3,3\n", fp);
    fclose(fp);
    tp_output r;
    double s = S_timed((const char *const[]){"diagnose", "tests/data/small.cfg", "--survey", path,
                                             "--quiet", "--out", out, NULL},
                       &r);
    cr_expect_eq(r.status, 2, "exit status %d\n%s", r.status, r.err);
    cr_expect(s < 1.0, "%.2f s", s);
    snprintf(want, sizeof want, "%s:3: a line (a row, with any quoted line breaks) longer than "
             "16384 bytes", path);
    cr_expect(strstr(r.err, want) != NULL, "expected '%s' in %s", want, r.err);
    snprintf(path, sizeof path, "%s/huge.csv", S_dir);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "truncate -s 17M '%s'", path);
    cr_assert_eq(tp_shell(cmd), 0);
    s = S_timed((const char *const[]){"diagnose", "tests/data/small.cfg", "--survey", path,
                                      "--quiet", "--out", out, NULL},
                &r);
    cr_expect_eq(r.status, 2, "exit status %d\n%s", r.status, r.err);
    cr_expect(s < 1.0, "%.2f s", s);
    snprintf(want, sizeof want, "%s: the survey is 17.0 MiB, over the limit of 16.0 MiB", path);
    cr_expect(strstr(r.err, want) != NULL, "expected '%s' in %s", want, r.err);
}
