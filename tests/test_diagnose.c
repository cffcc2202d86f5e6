/* Diagnosing a place: the survey's mapping and averaging checked by hand,
 * every malformed survey refused with its file and line, leverage that is
 * byte-identical on 1 and 2 threads and moves outcomes the way the model
 * says it should, and the report in a real browser. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sc_diagnose.h"
#include "sc_survey.h"
#include "support.h"

#define BIN PLACESIM_BINARY
#define SMALL_RUN "--set run.warmup=13"

static void S_print(const ps_diag *d)
{
    char b[512];
    for (int i = 0; i < d->count && i < PS_DIAG_MAX; i++) {
        ps_diag_format(d, i, b, sizeof b);
        fprintf(stderr, "%s\n", b);
    }
}

/* ---- the mapping and the averaging ----------------------------------------- */

Test(survey, a_hand_made_survey_gives_the_profile_computed_by_hand)
{
    tp_place tp;
    cr_assert_eq(tp_load(&tp, "tests/data/small.cfg", NULL, 0), 0);
    size_t n_ids;
    const char **ids = sc_dx_actor_ids(tp.place, &n_ids);
    cr_assert_eq(n_ids, 5);
    sc_survey sv;
    ps_diag d;
    ps_diag_init(&d);
    int rc = sc_survey_read(&sv, PLACESIM_SOURCE_DIR "/tests/data/surveys/hand_made.csv", ids,
                            n_ids, &d);
    S_print(&d);
    cr_assert_eq(rc, 0);
    cr_expect_eq(sv.respondents, 4);
    /* council (actor 0) rated A 5 and 3: levels 1 and 0.5 */
    const int council = 0, health = 1, police = 2, recovery = 3, community = 4;
    cr_expect_float_eq(sv.mean[council * 9 + 0], (1.0 + 0.5) / 2, 1e-15);
    cr_expect_float_eq(sv.sd[council * 9 + 0], sqrt((0.25 * 0.25 * 2) / 1), 1e-15);
    cr_expect_eq(sv.n[council * 9 + 2], 1, "one blank C");
    cr_expect_eq(sv.n[police * 9 + 1], 0, "police left B blank");
    cr_expect(isnan(sv.mean[police * 9 + 1]));

    sc_dx_profile pr;
    cr_assert_eq(sc_dx_profile_build(tp.place, &sv, &pr), 0);
    /* police B keeps the scenario's level; recovery has no respondent */
    cr_expect_float_eq(pr.actors[police].level[1], tp.place->actors[police].p[1], 1e-15);
    cr_expect_eq(pr.actors[police].from_survey[1], 0);
    cr_expect_float_eq(pr.actors[recovery].level[0], tp.place->actors[recovery].p[0], 1e-15);
    cr_expect_float_eq(pr.actors[health].level[4], 0.0, 1e-15);
    /* the place's A: influence-weighted mean of the levels */
    double w[5], lvA[5] = {0.75, 0.0, 0.25, 0, 0}, num = 0, den = 0;
    lvA[recovery] = tp.place->actors[recovery].p[0];
    lvA[community] = tp.place->actors[community].p[0];
    for (int a = 0; a < 5; a++) {
        w[a] = tp.place->actors[a].influence;
        num += w[a] * lvA[a];
        den += w[a];
    }
    cr_expect_float_eq(pr.groups[0].index[0], num / den, 1e-12);
    double var = 0;
    for (int a = 0; a < 5; a++) var += w[a] * (lvA[a] - num / den) * (lvA[a] - num / den);
    cr_expect_float_eq(pr.groups[0].spread_actors[0], sqrt(var / den), 1e-12);
    /* only council has two answers on A */
    cr_expect_float_eq(pr.groups[0].spread_respondents[0], sqrt(0.125), 1e-12);
    cr_expect(isnan(pr.groups[0].spread_respondents[2]), "nobody gave C twice");
    /* health is furthest below the place on A */
    cr_expect_eq(pr.groups[0].below[0][0], health);
    cr_expect_float_eq(pr.groups[0].below_gap[0][0], num / den - 0.0, 1e-12);
    /* one system per actor here, except multiple_needs (recovery, community) */
    int mn = -1;
    for (int g = 1; g < pr.n_groups; g++)
        if (strcmp(pr.groups[g].name, "multiple_needs") == 0) mn = g;
    cr_assert_geq(mn, 1);
    double iA = (w[recovery] * lvA[recovery] + w[community] * lvA[community]) /
                (w[recovery] + w[community]);
    cr_expect_float_eq(pr.groups[mn].index[0], iA, 1e-12);
    cr_expect_eq(pr.groups[mn].n_actors, 2);

    /* replications draw council's A around its mean, the same every time;
     * health (one respondent) is not drawn */
    double a1[45], a2[45], b1[45];
    sc_dx_levels(&pr, 7, 0, a1);
    sc_dx_levels(&pr, 7, 0, a2);
    sc_dx_levels(&pr, 7, 1, b1);
    cr_expect_eq(memcmp(a1, a2, sizeof a1), 0);
    cr_expect(a1[council * 9] != b1[council * 9], "different replications draw differently");
    cr_expect(a1[council * 9] >= 0 && a1[council * 9] <= 1);
    cr_expect_eq(a1[health * 9], 0.0);
    cr_expect_eq(a1[police * 9 + 1], tp.place->actors[police].p[1]);
    double mean = 0;
    for (unsigned r = 0; r < 4000; r++) {
        double lv[45];
        sc_dx_levels(&pr, 7, r, lv);
        mean += lv[council * 9] / 4000;
    }
    /* mean 0.75, standard error 0.25: draws clipped at 1 pull it a little down */
    cr_expect(mean > 0.70 && mean < 0.76, "mean of the draws %g", mean);

    /* raising C with its supporters (A, E, G) moves those four only */
    double lv[45];
    memcpy(lv, a1, sizeof lv);
    sc_dx_raise(&pr, lv, 2, 1, 0.1, 0);
    for (int a = 0; a < 5; a++)
        for (int k = 0; k < 9; k++) {
            int hit = k == 0 || k == 2 || k == 4 || k == 6;
            double want = hit ? fmin(1, a1[a * 9 + k] + 0.1) : a1[a * 9 + k];
            cr_expect_float_eq(lv[a * 9 + k], want, 1e-15, "actor %d k %d", a, k);
        }
    sc_dx_profile_free(&pr);
    sc_survey_free(&sv);
    free(ids);
    tp_free(&tp);
}

Test(survey, the_reader_takes_quotes_crlf_a_bom_and_comments_from_memory)
{
    const char *ids[] = {"council", "health"};
    const char text[] = "\xEF\xBB\xBF# comment\r\n"
                        "Actor,Role,a,b,c,d,e,f,g,h,i\r\n"
                        "\r\n"
                        "council,\"lead, \"\"housing\"\"\n(two lines)\",4,4,4,4,4,4,4,4,4\r\n"
                        "health,,2,2,2,2,2,2,2,2,\r\n";
    sc_survey sv;
    ps_diag d;
    ps_diag_init(&d);
    int rc = sc_survey_parse(&sv, text, sizeof text - 1, "mem.csv", ids, 2, &d);
    S_print(&d);
    cr_assert_eq(rc, 0);
    cr_expect_eq(sv.respondents, 2);
    cr_expect_float_eq(sv.mean[0], 0.75, 1e-15);
    cr_expect_float_eq(sv.mean[9], 0.25, 1e-15);
    cr_expect_eq(sv.n[9 + 8], 0);
    sc_survey_free(&sv);

    /* problems name the line the record starts on, and the column */
    const char bad[] = "actor,A,B,C,D,E,F,G,H,I\n"
                       "council,\"x\ny\",3,3,3,3,3,3,3,3\n"
                       "health,1,2,3,4,5,4,3,2,9\n";
    ps_diag_init(&d);
    cr_expect_eq(sc_survey_parse(&sv, bad, sizeof bad - 1, "mem.csv", ids, 2, &d), -1);
    char line[512];
    ps_diag_format(&d, 0, line, sizeof line);
    cr_expect(strstr(line, "mem.csv:2: column A:") != NULL, "%s", line);
    ps_diag_format(&d, d.count - 1, line, sizeof line);
    cr_expect(strstr(line, "mem.csv:4: column I: rating 9 is out of range") != NULL, "%s", line);
    cr_expect_eq(d.status, PS_ERR_INPUT);
    sc_survey_free(&sv);

    /* found by fuzzing: a record of empty fields only, before any byte was
     * kept (tests/fuzz/corpus/survey/survey-empty-fields-null-buffer.csv) */
    ps_diag_init(&d);
    cr_expect_eq(sc_survey_parse(&sv, ",", 1, "mem.csv", ids, 2, &d), -1);
    ps_diag_format(&d, 0, line, sizeof line);
    cr_expect(strstr(line, "mem.csv:1: column 1: unknown column ''") != NULL, "%s", line);
    sc_survey_free(&sv);
}

/* ---- malformed surveys -------------------------------------------------- */

static const struct {
    const char *file;
    int line;
    const char *says;
} S_bad[] = {
    {"bad_empty.csv", 1, "empty survey"},
    {"bad_header_only.csv", 1, "no respondents"},
    {"bad_missing_column.csv", 1, "missing column H"},
    {"bad_duplicate_column.csv", 1, "duplicate column 'E'"},
    {"bad_unknown_column.csv", 1, "did you mean 'role'?"},
    {"bad_unknown_actor.csv", 3, "unknown actor 'polise' (did you mean 'police'?)"},
    {"bad_rating_out_of_range.csv", 4, "column C: rating 6 is out of range 1-5"},
    {"bad_rating_negative.csv", 3, "column D: rating -1 is out of range 1-5 (expected 1, 2, 3"},
    {"bad_rating_zero.csv", 2, "column A: rating 0 is out of range"},
    {"bad_rating_not_integer.csv", 3, "column B: rating '3.5' is not a whole number"},
    {"bad_rating_not_number.csv", 2, "column C: expected a rating 1 to 5 or a blank, got 'high'"},
    {"bad_wrong_column_count.csv", 3, "expected 11 columns, as in the header, got 12"},
    {"bad_unterminated_quote.csv", 2, "not closed"},
    {"bad_missing_actor_id.csv", 3, "column actor: the actor id is missing"},
};

Test(survey, every_malformed_survey_is_refused_with_its_file_and_line, .timeout = 120)
{
    char dir[] = "/tmp/placesim-dxbad-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    for (size_t i = 0; i < sizeof S_bad / sizeof *S_bad; i++) {
        char cmd[2048], err[8192], path[1200];
        snprintf(cmd, sizeof cmd,
                 "%s diagnose tests/data/small.cfg --survey tests/data/surveys/%s --reps 2 "
                 SMALL_RUN " --quiet --out %s/out%zu > /dev/null 2> %s/err",
                 BIN, S_bad[i].file, dir, i, dir);
        int rc = tp_shell(cmd);
        snprintf(path, sizeof path, "%s/err", dir);
        tp_read_text(path, err, sizeof err);
        cr_expect_eq(rc, 2, "%s: exit %d", S_bad[i].file, rc);
        char where[256];
        snprintf(where, sizeof where, "tests/data/surveys/%s:%d:", S_bad[i].file, S_bad[i].line);
        cr_expect(strstr(err, where) != NULL, "%s: expected '%s' in: %s", S_bad[i].file, where,
                  err);
        cr_expect(strstr(err, S_bad[i].says) != NULL, "%s: expected '%s' in: %s", S_bad[i].file,
                  S_bad[i].says, err);
        /* nothing was written that looks like a result */
        snprintf(path, sizeof path, "%s/out%zu/leverage.csv", dir, i);
        cr_expect_neq(access(path, F_OK), 0, "%s: a leverage.csv was written", S_bad[i].file);
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    tp_shell(cmd);
}

/* ---- determinism, and the report in a browser --------------------------------- */

static int S_same(const char *a, const char *b)
{
    char cmd[2600];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return tp_shell(cmd) == 0;
}

Test(diagnose, leverage_is_byte_identical_on_one_and_two_threads_and_the_report_renders,
     .timeout = 300)
{
    char dir[] = "/tmp/placesim-dx-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2600], a[1200], b[1200];
    for (int t = 1; t <= 2; t++) {
        snprintf(cmd, sizeof cmd,
                 "%s diagnose tests/data/small.cfg --survey tests/data/surveys/hand_made.csv "
                 "--reps 3 --seed 11 --threads %d --by-system " SMALL_RUN
                 " --quiet --out %s/t%d > %s/t%d.log",
                 BIN, t, dir, t, dir, t);
        cr_assert_eq(tp_shell(cmd), 0, "diagnose with %d thread(s) failed", t);
    }
    snprintf(a, sizeof a, "%s/t1/leverage.csv", dir);
    snprintf(b, sizeof b, "%s/t2/leverage.csv", dir);
    cr_expect(S_same(a, b), "leverage.csv differs between 1 and 2 threads");
    snprintf(a, sizeof a, "%s/t1/profile.csv", dir);
    snprintf(b, sizeof b, "%s/t2/profile.csv", dir);
    cr_expect(S_same(a, b), "profile.csv differs between 1 and 2 threads");
    /* the summary says "sure" of the model, and lists a joint raise of one
     * set of preconditions once (C+A+E and A+C+E are the same raise) */
    static char summary[1 << 18];
    snprintf(a, sizeof a, "%s/t1/report.html", dir);
    tp_read_text(a, summary, sizeof summary);
    cr_expect(strstr(summary, "sure within the model, which is not the same as sure of the place") !=
              NULL);
    for (const char *li = summary; (li = strstr(li, "<li>")) != NULL; li++) {
        const char *colon = strstr(li, "): "), *end = strstr(li, "</li>");
        if (!colon || !end || colon > end) continue;
        unsigned seen[64];
        size_t n_seen = 0;
        for (const char *p = colon + 3; p < end;) {
            unsigned set = 0;
            for (; p < end && *p != ','; p++)
                if (*p >= 'A' && *p <= 'I' && (p[1] == '+' || p[1] == ',' || p[1] == ' ' ||
                                                p[1] == '.' || p[1] == '<'))
                    set |= 1u << (*p - 'A');
            for (size_t i = 0; set && i < n_seen; i++)
                cr_expect_neq(seen[i], set, "a raise listed twice in: %.*s", (int)(end - li), li);
            if (set && n_seen < 64) seen[n_seen++] = set;
            if (p < end) p++;
        }
    }
    /* --quiet: no tables, one line saying where the results are */
    static char log[4096];
    snprintf(a, sizeof a, "%s/t1.log", dir);
    tp_read_text(a, log, sizeof log);
    cr_expect(strncmp(log, "placesim: results in ", 21) == 0 && strchr(log, '\n') &&
                  strchr(log, '\n')[1] == '\0',
              "--quiet prints one line:\n%s", log);
    /* (18 arms for the place + 9 for each of its 4 system labels) x 5
     * outcomes, and a header */
    static char text[1 << 17];
    snprintf(a, sizeof a, "%s/t1/leverage.csv", dir);
    tp_read_text(a, text, sizeof text);
    int lines = 0;
    for (char *p = text; *p; p++) lines += *p == '\n';
    cr_expect_eq(lines, 1 + (18 + 9 * 4) * 5);
    cr_expect(strstr(text, "\nmultiple_needs,C,alone,C,") != NULL, "a system's own arms");
    /* an existing result is not overwritten without --overwrite */
    snprintf(cmd, sizeof cmd, "%s diagnose tests/data/small.cfg --reps 2 " SMALL_RUN
                              " --quiet --out %s/t1 > /dev/null 2>&1", BIN, dir);
    cr_expect_neq(tp_shell(cmd), 0);

    /* the report: no scripts, nothing from the network, charts in a browser */
    static char html[1 << 20];
    snprintf(a, sizeof a, "%s/t1/report.html", dir);
    tp_read_text(a, html, sizeof html);
    cr_expect(strstr(html, "<script") == NULL);
    cr_expect(strstr(html, "https://") == NULL);
    snprintf(cmd, sizeof cmd,
             "cd %s && timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic "
             "--no-first-run --disable-background-networking --disable-component-update "
             "--disable-sync --user-data-dir=%s/profile --dump-dom file://%s/t1/report.html "
             "> %s/dom.html 2> %s/chromium.log",
             dir, dir, dir, dir, dir);
    cr_assert_eq(tp_shell(cmd), 0, "chromium failed (see %s/chromium.log)", dir);
    snprintf(a, sizeof a, "%s/dom.html", dir);
    tp_read_text(a, html, sizeof html);
    int svgs = 0;
    for (char *p = html; (p = strstr(p, "<svg")) != NULL; p++) svgs++;
    cr_expect_geq(svgs, 2, "the browser's page has %d charts", svgs);
    cr_expect(strstr(html, "Precondition profile") != NULL);
    cr_expect(strstr(html, "where investment moves outcomes most") != NULL);
    cr_expect(strstr(html, "In short") != NULL);
    cr_expect(strstr(html, "multiple_needs") != NULL, "the per-system view");
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    tp_shell(cmd);
}

/* ---- connected systems ------------------------------------------------------ */

Test(systems, the_connected_scenario_is_valid_and_its_profile_shows_three_systems_and_bridges)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "%s validate configs/systems/coventry_connected.cfg > /dev/null", BIN);
    cr_expect_eq(tp_shell(cmd), 0);
    tp_place tp;
    int rc = tp_load(&tp, "configs/systems/coventry_connected.cfg", NULL, 0);
    if (rc) S_print(&tp.diag);
    cr_assert_eq(rc, 0);
    sc_dx_profile pr;
    cr_assert_eq(sc_dx_profile_build(tp.place, NULL, &pr), 0);
    const char *want[] = {"homelessness", "housing", "growth"};
    int g_of[3] = {-1, -1, -1};
    for (int i = 0; i < 3; i++)
        for (int g = 1; g < pr.n_groups; g++)
            if (strcmp(pr.groups[g].name, want[i]) == 0) g_of[i] = g;
    for (int i = 0; i < 3; i++) cr_assert_geq(g_of[i], 1, "no system %s", want[i]);
    /* links across systems are counted, by hand, from the scenario */
    int cross = 0;
    double trust = 0;
    for (int k = 0; k < tp.place->L; k++) {
        int s1 = tp.place->actors[tp.place->links[k].from].system;
        int s2 = tp.place->actors[tp.place->links[k].to].system;
        if (s1 < 0 || s2 < 0 || s1 != s2) {
            cross++;
            trust += tp.place->links[k].trust;
        }
    }
    cr_expect_eq(pr.cross_links, cross);
    cr_expect_float_eq(pr.cross_trust, trust / cross, 1e-12);
    /* the story the scenario tells: bridges weaker than the homelessness
     * system's own links, and the homelessness system ahead on A */
    double within = 0;
    int n_within = 0;
    for (int k = 0; k < tp.place->L; k++)
        if (tp.place->actors[tp.place->links[k].from].system == g_of[0] - 1 &&
            tp.place->actors[tp.place->links[k].to].system == g_of[0] - 1) {
            within += tp.place->links[k].trust;
            n_within++;
        }
    cr_assert_gt(n_within, 0);
    cr_expect_lt(pr.cross_trust, within / n_within);
    cr_expect_eq(pr.groups[g_of[0]].links, n_within);
    cr_expect_gt(pr.groups[g_of[0]].index[0], pr.groups[g_of[2]].index[0]);
    /* the whole place's index lies between its systems' extremes */
    for (int k = 0; k < SC_DX_K; k++) {
        double lo = 1, hi = 0;
        for (int g = 1; g < pr.n_groups; g++) {
            lo = fmin(lo, pr.groups[g].index[k]);
            hi = fmax(hi, pr.groups[g].index[k]);
        }
        /* unlabelled actors count only in the whole: widen by their range */
        for (int a = 0; a < pr.n_actors; a++)
            if (pr.actors[a].group == 0) {
                lo = fmin(lo, pr.actors[a].level[k]);
                hi = fmax(hi, pr.actors[a].level[k]);
            }
        cr_expect(pr.groups[0].index[k] >= lo && pr.groups[0].index[k] <= hi, "k %d", k);
    }
    sc_dx_profile_free(&pr);
    tp_free(&tp);
}

/* ---- leverage moves outcomes the way the model says ------------------------ */

/* The value of column `col` (0-based) in the leverage.csv row of
 * (precondition, variant, metric) at the place. */
static double S_cell(const char *csv, char k, const char *variant, const char *metric, int col)
{
    char key[128];
    snprintf(key, sizeof key, "\nplace,%c,%s,", k, variant);
    for (const char *p = strstr(csv, key); p; p = strstr(p + 1, key)) {
        char row[1024];
        size_t n = strcspn(p + 1, "\n");
        if (n >= sizeof row) continue;
        memcpy(row, p + 1, n);
        row[n] = '\0';
        char *save = NULL, *f = strtok_r(row, ",", &save);
        const char *fields[32];
        int nf = 0;
        for (; f && nf < 32; f = strtok_r(NULL, ",", &save)) fields[nf++] = f;
        if (nf > col && nf > 5 && strcmp(fields[5], metric) == 0) return atof(fields[col]);
    }
    cr_assert_fail("no row %c %s %s", k, variant, metric);
    return NAN;
}

/* Section 3 of the model: a lead with a high C takes the whole person, so
 * raising C cuts assessments per episode (tell my story once); and C's
 * supporters (A, E, G) make the referrals it sends work, so raising them
 * with it does more for the wellbeing of people with needs than C alone.
 * (Checked beforehand with seeds 20151 and 3: lower ends 0.0019 and 0.0002 at 8
 * replications, each arm from the baseline's settled place.) */
Test(diagnose, raising_c_cuts_assessments_and_its_supporters_add_to_it, .timeout = 600)
{
    char dir[] = "/tmp/placesim-dxsign-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048], path[1200];
    snprintf(cmd, sizeof cmd,
             "%s diagnose configs/coventry.cfg --reps 8 --step 0.3 --set population.size=20000 "
             "--quiet --out %s/out > %s/log 2>&1",
             BIN, dir, dir);
    cr_assert_eq(tp_shell(cmd), 0, "diagnose failed (see %s/log)", dir);
    static char csv[1 << 16];
    snprintf(path, sizeof path, "%s/out/leverage.csv", dir);
    tp_read_text(path, csv, sizeof csv);
    /* columns: 9 difference, 10 its lo, 11 its hi, 14 joint minus alone, 15 its lo */
    double hi = S_cell(csv, 'C', "alone", "assessments_per_episode", 11);
    cr_expect(hi < 0, "raising C: assessments per episode, upper end of the interval %g", hi);
    double lo = S_cell(csv, 'C', "with_supporters", "wellbeing_with_needs", 15);
    cr_expect(lo > 0, "C with supporters minus C alone, wellbeing: lower end %g", lo);
    /* and the joint arm says which four it raised */
    cr_expect(strstr(csv, "place,C,with_supporters,C+A+E+G,") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    tp_shell(cmd);
}
