
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
 * with it does more for the wellbeing of people with needs than C alone. */
Test(diagnose, raising_c_cuts_assessments_and_its_supporters_add_to_it, .timeout = 600)
{
    char dir[] = "/tmp/placesim-dxsign-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char cmd[2048], path[1200];
    snprintf(cmd, sizeof cmd,
             "%s diagnose configs/coventry.cfg --reps 4 --step 0.3 --set population.size=20000 "
             "--set run.weeks=104 --set run.warmup=52 --quiet --out %s/out > %s/log 2>&1",
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
    /* and the joint arm raised four preconditions: it says so */
    cr_expect(strstr(csv, "place,C,with_supporters,C+A+E+G,") != NULL);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    tp_shell(cmd);
}
