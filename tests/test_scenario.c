/* Strict scenario validation, end to end: `placesim validate` on the
 * malformed scenarios of tests/data/bad/ (each a small change to the valid
 * tests/data/small.cfg) must fail with exit status 2 and report the
 * problem as "file:line: setting: message"; --set errors name "--set". */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "support.h"

#define BAD_DIR "tests/data/bad"

/* The problem each file must report first: its line, the setting's path
 * (NULL for syntax errors, which have none: the message then quotes the
 * line) and a part of the message. */
typedef struct bad_case {
    const char *file;
    int line;
    const char *setting;
    const char *detail;
} bad_case;

static const bad_case S_bad[] = {
    {"actor_duplicate_id.cfg", 65, "actors.[3].id", "duplicate actor id 'health'"},
    {"actor_missing_capacity.cfg", 60, "actors.[2].capacity", "required setting is missing"},
    {"actor_missing_domains.cfg", 55, "actors.[1].domains", "required setting is missing"},
    {"actor_missing_precondition.cfg", 69, "actors.[3].preconditions.I", "required setting is missing"},
    {"actor_missing_preconditions.cfg", 55, "actors.[1].preconditions", "required setting is missing"},
    {"actor_unknown_domain.cfg", 52, "actors.[0].domains.[1]", "unknown need domain 'mony' (did you mean 'money'?)"},
    {"actor_unknown_kind.cfg", 66, "actors.[3].kind", "unknown actor kind 'charity' (expected one of: statutory,"},
    {"actor_unknown_neighbourhood.cfg", 72, "actors.[4].neighbourhood", "unknown neighbourhood 'Nroth' (did you mean 'North'?)"},
    {"actor_unknown_role.cfg", 61, "actors.[2].role", "unknown role 'leader' (did you mean 'lead'?)"},
    {"actor_values_wrong_length.cfg", 53, "actors.[0].values", "expected 4 values"},
    {"actors_empty.cfg", 49, "actors", "got 0"},
    {"actors_single.cfg", 49, "actors", "got 1"},
    {"actors_two_front_doors.cfg", 63, "actors.[2].front_door", "only one actor can be the front door"},
    {"cooccurrence_diagonal.cfg", 38, "needs.cooccurrence.[45]", "diagonal must be 0"},
    {"cooccurrence_wrong_size.cfg", 32, "needs.cooccurrence", "expected 8 x 8 = 64 numbers"},
    {"domain_duplicate.cfg", 28, "needs.domains.[5].name", "duplicate need domain 'safety'"},
    {"domain_missing_onset.cfg", 26, "needs.domains.[3].onset", "required setting is missing"},
    {"domain_unserved.cfg", 49, "actors", "no actor serves the need domain 'money'"},
    {"hood_duplicate_name.cfg", 46, "neighbourhoods.[2].name", "duplicate neighbourhood 'North'"},
    {"hood_missing_share.cfg", 45, "neighbourhoods.[1].share", "required setting is missing"},
    {"hood_shares_not_one.cfg", 43, "neighbourhoods", "must add up to 1"},
    {"hoods_empty.cfg", 43, "neighbourhoods", "got 0"},
    {"infinite_capacity.cfg", 62, NULL, "capacity = inf"},
    {"integer64_overflow.cfg", 4, "run.seed", "does not fit a 64-bit integer"},
    {"integer_wraps.cfg", 12, "population.size", "4294969296 does not fit a 32-bit integer"},
    {"link_duplicate.cfg", 81, "links.[3]", "duplicate link"},
    {"link_missing_trust.cfg", 83, "links.[5].trust", "required setting is missing"},
    {"link_self.cfg", 81, "links.[3]", "to itself"},
    {"missing_actor_in_link.cfg", 81, "links.[3].from", "unknown actor 'fire_service'"},
    {"multiple_problems_engine.cfg", 77, "link", "did you mean 'links'?"},
    {"multiple_problems_place.cfg", 12, "population.size", "out of range"},
    {"nan_onset.cfg", 26, NULL, "onset = nan"},
    {"overflow_capacity.cfg", 62, "actors.[2].capacity", "finite"},
    {"population_absurd.cfg", 12, "population.size", "out of range"},
    {"population_missing_size.cfg", 11, "population.size", "required setting is missing"},
    {"population_negative.cfg", 12, "population.size", "out of range"},
    {"population_zero.cfg", 12, "population.size", "out of range"},
    {"range_capacity_reference_zero.cfg", 13, "population.capacity_reference", "out of range"},
    {"range_hood_assets.cfg", 45, "neighbourhoods.[1].assets", "out of range"},
    {"range_model_parameter.cfg", 17, "model.trust.alpha", "out of range"},
    {"range_negative_capacity.cfg", 57, "actors.[1].capacity", "out of range"},
    {"range_negative_trust.cfg", 81, "links.[3].trust", "out of range"},
    {"range_onset.cfg", 27, "needs.domains.[4].onset", "out of range"},
    {"range_precondition_above_one.cfg", 64, "actors.[2].preconditions.C", "out of range"},
    {"range_understanding_above_one.cfg", 80, "links.[2].understanding", "out of range"},
    {"range_value.cfg", 63, "actors.[2].values.[1]", "out of range"},
    {"run_negative_warmup.cfg", 7, "run.warmup", "out of range"},
    {"run_replications_zero.cfg", 5, "run.replications", "out of range"},
    {"run_weeks_zero.cfg", 6, "run.weeks", "out of range"},
    {"single_front_door_without_one.cfg", 18, "model.switches.single_front_door", "front_door = true"},
    {"summary_weeks_beyond_horizon.cfg", 8, "run.summary_weeks.[1]", "out of range"},
    {"summary_weeks_fraction.cfg", 8, "run.summary_weeks.[0]", "whole week"},
    {"summary_weeks_not_increasing.cfg", 8, "run.summary_weeks.[1]", "must increase"},
    {"syntax_duplicate_setting.cfg", 13, NULL, "size = 3000"},
    {"syntax_missing_comma.cfg", 45, NULL, "{ name = \"Centre\""},
    {"syntax_unbalanced_brace.cfg", 85, NULL, "is not closed"},
    {"syntax_unterminated_string.cfg", 45, NULL, "not closed on it"},
    {"type_bool_for_number.cfg", 79, "links.[1].trust", "expected a number"},
    {"type_float_for_integer.cfg", 12, "population.size", "expected a whole number, got 2000.5"},
    {"type_group_for_list.cfg", 77, "links", "expected a list"},
    {"type_list_for_group.cfg", 64, "actors.[2].preconditions", "expected a group"},
    {"type_model_number_for_switch.cfg", 18, "model.switches.single_front_door", "expected true or false"},
    {"type_model_string.cfg", 17, "model.trust.alpha", "expected a number"},
    {"type_number_for_actor_id_and_name.cfg", 55, "actors.[1].id", "expected a string"},
    {"type_number_for_string.cfg", 66, "actors.[3].kind", "expected a string"},
    {"type_string_for_bool.cfg", 53, "actors.[0].front_door", "expected true or false"},
    {"type_string_for_number.cfg", 57, "actors.[1].capacity", "expected a number"},
    {"unknown_actor_in_link.cfg", 79, "links.[1].to", "unknown actor 'polise' (did you mean 'police'?)"},
    {"unknown_key_actor.cfg", 67, "actors.[3].capacty", "did you mean 'capacity'?"},
    {"unknown_key_domain.cfg", 24, "needs.domains.[1].prevalence", "unknown setting"},
    {"unknown_key_link.cfg", 83, "links.[5].trsut", "did you mean 'trust'?"},
    {"unknown_key_needs.cfg", 32, "needs.cooccurence", "did you mean 'cooccurrence'?"},
    {"unknown_key_neighbourhood.cfg", 46, "neighbourhoods.[2].asset", "did you mean 'assets'?"},
    {"unknown_key_population.cfg", 14, "population.households", "unknown setting"},
    {"unknown_key_preconditions.cfg", 74, "actors.[4].preconditions.J", "unknown setting (expected one of: A, B,"},
    {"unknown_key_run.cfg", 5, "run.replicatons", "did you mean 'replications'?"},
    {"unknown_key_top_level.cfg", 11, "popluation", "did you mean 'population'?"},
    {"unknown_model_group.cfg", 18, "model.swiches.single_front_door", "did you mean 'model.switches.single_front_door'?"},
    {"unknown_model_parameter.cfg", 17, "model.trust.alhpa", "did you mean 'model.trust.alpha'?"},
};
#define N_BAD (sizeof S_bad / sizeof *S_bad)

/* ---- running the binary --------------------------------------------- */

typedef tp_output run_result;

static void S_run(const char *const *args, run_result *r)
{
    tp_exec(PLACESIM_BINARY, args, r);
}

static void S_validate(const char *path, const char *const *sets, run_result *r)
{
    const char *args[24] = {"validate", path};
    size_t n = 2;
    for (size_t i = 0; sets && sets[i] && n < 22; i++) {
        args[n++] = "--set";
        args[n++] = sets[i];
    }
    args[n] = NULL;
    S_run(args, r);
}

/* The number of stderr lines that begin with prefix. */
static int S_count_lines(const char *text, const char *prefix)
{
    int count = 0;
    size_t len = strlen(prefix);
    for (const char *p = text; *p;) {
        if (strncmp(p, prefix, len) == 0) count++;
        const char *nl = strchr(p, '\n');
        if (!nl) break;
        p = nl + 1;
    }
    return count;
}

/* Copies the first line of text into buf. */
static void S_first_line(const char *text, char *buf, size_t size)
{
    size_t len = strcspn(text, "\n");
    if (len >= size) len = size - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
}

/* Whether some line of text begins with prefix and then contains part. */
static int S_has_line(const char *text, const char *prefix, const char *part)
{
    size_t len = strlen(prefix);
    for (const char *p = text; *p;) {
        const char *nl = strchr(p, '\n');
        size_t line_len = nl ? (size_t)(nl - p) : strlen(p);
        if (strncmp(p, prefix, len) == 0) {
            char line[1024];
            size_t n = line_len < sizeof line - 1 ? line_len : sizeof line - 1;
            memcpy(line, p, n);
            line[n] = '\0';
            if (strstr(line + len, part)) return 1;
        }
        if (!nl) break;
        p = nl + 1;
    }
    return 0;
}

/* ---- the malformed corpus ------------------------------------------- */

ParameterizedTestParameters(bad, reports_file_line_and_setting)
{
    /* indices, not the structs: pointers in parameters need not survive
     * Criterion's worker processes */
    static int idx[N_BAD];
    for (size_t i = 0; i < N_BAD; i++) idx[i] = (int)i;
    return cr_make_param_array(int, idx, N_BAD);
}

ParameterizedTest(int *i, bad, reports_file_line_and_setting)
{
    const bad_case *c = &S_bad[*i];
    char path[256];
    snprintf(path, sizeof path, BAD_DIR "/%s", c->file);
    run_result r;
    S_validate(path, NULL, &r);
    cr_expect_eq(r.status, 2, "%s: exit status %d, expected 2\n%s", c->file,
                 r.status, r.err);

    /* the first report: "tests/data/bad/FILE:N: setting: message" */
    char first[1024], prefix[300];
    S_first_line(r.err, first, sizeof first);
    snprintf(prefix, sizeof prefix, "%s:", path);
    cr_assert(strncmp(first, prefix, strlen(prefix)) == 0,
              "%s: the first report does not name the file: '%s'", c->file, first);
    char *end;
    long line = strtol(first + strlen(prefix), &end, 10);
    cr_assert(end != first + strlen(prefix) && *end == ':' && line > 0,
              "%s: no line number in '%s'", c->file, first);
    cr_expect_eq(line, c->line, "%s: line %ld, expected %d: '%s'", c->file, line,
                 c->line, first);
    const char *rest = end + 1;
    cr_assert(*rest == ' ', "%s: '%s'", c->file, first);
    rest++;
    if (c->setting) {
        size_t len = strlen(c->setting);
        cr_expect(strncmp(rest, c->setting, len) == 0 && strncmp(rest + len, ": ", 2) == 0,
                  "%s: expected the setting '%s' in '%s'", c->file, c->setting, first);
    } else {
        cr_expect(strncmp(rest, "syntax error", 12) == 0,
                  "%s: expected a syntax error: '%s'", c->file, first);
    }
    cr_expect(strstr(rest, c->detail) != NULL, "%s: expected '%s' in '%s'", c->file,
              c->detail, first);
}

/* The table and the folder must agree: a new file needs its expectation,
 * and a file named in the table must exist. Each file says on its first
 * line what is wrong with it. */
Test(bad, every_file_is_in_the_table)
{
    DIR *dir = opendir(BAD_DIR);
    cr_assert(dir != NULL, "cannot open " BAD_DIR);
    int seen[N_BAD] = {0};
    int files = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".cfg") != 0) continue;
        files++;
        size_t k;
        for (k = 0; k < N_BAD; k++)
            if (strcmp(S_bad[k].file, e->d_name) == 0) break;
        cr_expect(k < N_BAD, "%s is not in the table of test_scenario.c", e->d_name);
        if (k < N_BAD) seen[k]++;
        char path[512], head[8] = "";
        snprintf(path, sizeof path, BAD_DIR "/%s", e->d_name);
        FILE *f = fopen(path, "r");
        cr_assert(f != NULL, "cannot open %s", path);
        cr_expect(fgets(head, sizeof head, f) && strncmp(head, "# BAD:", 6) == 0,
                  "%s: the first line must be '# BAD: what is wrong'", e->d_name);
        fclose(f);
    }
    closedir(dir);
    for (size_t k = 0; k < N_BAD; k++)
        cr_expect_eq(seen[k], 1, "%s is in the table but not in " BAD_DIR, S_bad[k].file);
    cr_expect_geq(files, 40, "only %d malformed scenarios", files);
}

/* ---- valid scenarios ------------------------------------------------ */

Test(valid, small_scenario_validates)
{
    run_result r;
    S_validate("tests/data/small.cfg", NULL, &r);
    cr_expect_eq(r.status, 0, "exit status %d\n%s", r.status, r.err);
    cr_expect_str_empty(r.err);
    cr_expect(strstr(r.out, "tests/data/small.cfg: valid (2000 citizens") != NULL,
              "stdout: %s", r.out);
}

Test(valid, flagship_validates)
{
    run_result r;
    S_validate("configs/coventry.cfg", NULL, &r);
    cr_expect_eq(r.status, 0, "exit status %d\n%s", r.status, r.err);
    cr_expect(strstr(r.out, "valid (270000 citizens") != NULL, "stdout: %s", r.out);
}

/* --set is applied before validation: it can repair a bad file. */
Test(valid, set_repairs_a_bad_value)
{
    const char *sets[] = {"run.replications=3", NULL};
    run_result r;
    S_validate(BAD_DIR "/run_replications_zero.cfg", sets, &r);
    cr_expect_eq(r.status, 0, "exit status %d\n%s", r.status, r.err);
    cr_expect(strstr(r.out, "3 replications") != NULL, "stdout: %s", r.out);
}

Test(valid, set_accepts_parameters_and_settings)
{
    const char *sets[] = {"trust.alpha=0.5", "model.needs.psi=0.4",
                          "actors.police.capacity=50", "needs.domains.housing.onset=0.001",
                          "population.size=3000", "switches.single_front_door=true", NULL};
    run_result r;
    S_validate("tests/data/small.cfg", sets, &r);
    cr_expect_eq(r.status, 0, "exit status %d\n%s", r.status, r.err);
    cr_expect(strstr(r.out, "(3000 citizens") != NULL, "stdout: %s", r.out);
}

/* ---- nearest names -------------------------------------------------- */

Test(nearest, misspelt_parameter_in_the_file)
{
    run_result r;
    S_validate(BAD_DIR "/unknown_model_parameter.cfg", NULL, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, BAD_DIR "/unknown_model_parameter.cfg:17: model.trust.alhpa: ",
                         "did you mean 'model.trust.alpha'?"),
              "%s", r.err);
}

Test(nearest, misspelt_parameter_on_the_command_line)
{
    const char *sets[] = {"trust.alhpa=0.2", NULL};
    run_result r;
    S_validate("tests/data/small.cfg", sets, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, "--set: trust.alhpa: ", "did you mean 'trust.alpha'?"),
              "%s", r.err);
}

Test(nearest, misspelt_actor_id)
{
    run_result r;
    S_validate(BAD_DIR "/unknown_actor_in_link.cfg", NULL, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, BAD_DIR "/unknown_actor_in_link.cfg:79: links.[1].to: ",
                         "did you mean 'police'?"),
              "%s", r.err);
}

Test(nearest, misspelt_actor_id_in_a_set_path)
{
    const char *sets[] = {"actors.polise.capacity=3", NULL};
    run_result r;
    S_validate("tests/data/small.cfg", sets, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, "--set: actors.polise.capacity: ", "did you mean 'police'?"),
              "%s", r.err);
}

/* a one-letter key has no plausible near name: list the valid ones */
Test(nearest, no_far_fetched_suggestion)
{
    run_result r;
    S_validate(BAD_DIR "/unknown_key_preconditions.cfg", NULL, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "did you mean") == NULL, "%s", r.err);
    cr_expect(strstr(r.err, "expected one of: A, B, C, D, E, F, G, H, I") != NULL, "%s",
              r.err);
}

/* ---- --set errors --------------------------------------------------- */

typedef struct set_case {
    const char *set;
    const char *prefix; /* the report's start: "--set: setting: " */
    const char *detail;
} set_case;

static const set_case S_sets[] = {
    /* a scenario setting out of range, checked like the file's */
    {"population.size=-5", "--set: population.size: ", "-5 is out of range"},
    {"population.size=2000.5", "--set: population.size: ", "expected a whole number"},
    {"actors.police.capacity=-1", "--set: actors.[2].capacity: ", "out of range"},
    {"run.replications=0", "--set: run.replications: ", "out of range"},
    {"actors.police.kind=charity", "--set: actors.[2].kind: ", "unknown actor kind"},
    /* a parameter out of range, of the wrong type, not finite */
    {"trust.alpha=7", "--set: trust.alpha: ", "7 is out of range [0, 1]"},
    {"model.trust.alpha=7", "--set: trust.alpha: ", "out of range"},
    {"trust.alpha=abc", "--set: trust.alpha: ", "expected a number, got 'abc'"},
    {"trust.alpha=nan", "--set: trust.alpha: ", "finite"},
    {"switches.single_front_door=2", "--set: switches.single_front_door: ", "true or false"},
    {"switches.follow_up_weeks=2.5", "--set: switches.follow_up_weeks: ", "whole number"},
    /* a path that is neither a parameter nor in the scenario: it cannot
     * silently add a top-level group */
    {"nonsense.path=1", "--set: nonsense.path: ", "neither a parameter"},
    {"model.nonsense=1", "--set: nonsense: ", "unknown parameter"},
    /* an unknown key inside a scenario group is reported as in a file */
    {"population.sizee=3000", "--set: population.sizee: ", "did you mean 'size'?"},
    {"actors.[9].capacity=1", "--set: actors.[9].capacity: ", "names no element"},
    {"population=5", "--set: population: ", "cannot set"},
    {"noequals", "--set: noequals: ", "expected path=value"},
};
#define N_SETS (sizeof S_sets / sizeof *S_sets)

ParameterizedTestParameters(set, errors_name_set)
{
    static int idx[N_SETS];
    for (size_t i = 0; i < N_SETS; i++) idx[i] = (int)i;
    return cr_make_param_array(int, idx, N_SETS);
}

ParameterizedTest(int *i, set, errors_name_set)
{
    const set_case *c = &S_sets[*i];
    const char *sets[] = {c->set, NULL};
    run_result r;
    S_validate("tests/data/small.cfg", sets, &r);
    cr_expect_eq(r.status, 2, "--set %s: exit status %d", c->set, r.status);
    char first[1024];
    S_first_line(r.err, first, sizeof first);
    cr_expect(strncmp(first, c->prefix, strlen(c->prefix)) == 0,
              "--set %s: expected '%s...', got '%s'", c->set, c->prefix, first);
    cr_expect(strstr(first, c->detail) != NULL, "--set %s: expected '%s' in '%s'",
              c->set, c->detail, first);
}

/* the narrow citizen fields set two limits, refused at load with a reason */
Test(set, limits_of_the_citizen_layout)
{
    static const char *const cases[][2] = {
        {"community.max_new=300", "a place has at most 253 actors"},
        {"run.weeks=70000", "the model runs at most 65535 weeks, warm-up included"},
    };
    for (size_t k = 0; k < 2; k++) {
        const char *sets[] = {cases[k][0], NULL};
        run_result r;
        S_validate("tests/data/small.cfg", sets, &r);
        cr_expect_eq(r.status, 2, "--set %s: exit status %d", cases[k][0], r.status);
        cr_expect(strstr(r.err, cases[k][1]) != NULL, "--set %s: expected '%s' in '%s'",
                  cases[k][0], cases[k][1], r.err);
    }
    const char *ok[] = {"community.max_new=200", "run.weeks=65000", "run.warmup=0", NULL};
    run_result r;
    S_validate("tests/data/small.cfg", ok, &r);
    cr_expect_eq(r.status, 0, "%s", r.err);
}

/* the registry value from --set wins over the file's, and a bad one is
 * reported against --set, not the file's line */
Test(set, overrides_the_file_and_is_blamed)
{
    const char *sets[] = {"trust.alpha=2", NULL};
    run_result r;
    S_validate(BAD_DIR "/range_model_parameter.cfg", sets, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, BAD_DIR "/range_model_parameter.cfg:17: model.trust.alpha: ",
                         "7 is out of range"),
              "%s", r.err);
    cr_expect(S_has_line(r.err, "--set: trust.alpha: ", "2 is out of range"), "%s", r.err);
}

Test(set, single_front_door_without_one_names_set)
{
    const char *sets[] = {"switches.single_front_door=true", "actors.council.front_door=false",
                          NULL};
    run_result r;
    S_validate("tests/data/small.cfg", sets, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, "--set: model.switches.single_front_door: ", "front_door"),
              "%s", r.err);
}

/* ---- files that cannot be read -------------------------------------- */

Test(files, missing_file)
{
    run_result r;
    S_validate("tests/data/no_such_scenario.cfg", NULL, &r);
    cr_expect_eq(r.status, 3, "exit status %d (3: a file error)", r.status);
    cr_expect(S_has_line(r.err, "tests/data/no_such_scenario.cfg: ",
                         "cannot read the file: No such file or directory"),
              "%s", r.err);
}

Test(files, directory)
{
    run_result r;
    S_validate("tests/data", NULL, &r);
    cr_expect_eq(r.status, 3, "exit status %d", r.status);
    cr_expect(S_has_line(r.err, "tests/data: ", "cannot read the file"), "%s", r.err);
}

/* An empty file parses: every required group is then missing, reported
 * against the file (there is no line), never against "--set". */
Test(files, empty_file)
{
    char path[] = "/tmp/placesim_empty_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    run_result r;
    S_validate(path, NULL, &r);
    unlink(path);
    cr_expect_eq(r.status, 2);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "%s: ", path);
    cr_expect(S_has_line(r.err, prefix, "population: required setting is missing"), "%s", r.err);
    cr_expect(S_has_line(r.err, prefix, "needs: required setting is missing"), "%s", r.err);
    cr_expect(S_has_line(r.err, prefix, "neighbourhoods: required setting is missing"),
              "%s", r.err);
    cr_expect(strstr(r.err, "--set") == NULL, "%s", r.err);
}

Test(files, no_scenario_given)
{
    const char *args[] = {"validate", NULL};
    run_result r;
    S_run(args, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(strstr(r.err, "usage: placesim validate") != NULL, "%s", r.err);
}

/* ---- several problems at once --------------------------------------- */

/* run, model and the top level are checked together */
Test(several, engine_problems_are_all_reported)
{
    run_result r;
    S_validate(BAD_DIR "/multiple_problems_engine.cfg", NULL, &r);
    const char *f = BAD_DIR "/multiple_problems_engine.cfg:";
    cr_expect_eq(r.status, 2);
    cr_expect_eq(S_count_lines(r.err, f), 4, "%s", r.err);
    cr_expect(S_has_line(r.err, f, "77: link: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "5: run.replications: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "8: run.summary_weeks.[1]: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "17: model.trust.alhpa: "), "%s", r.err);
    cr_expect(strstr(r.err, "4 problems") != NULL, "%s", r.err);
}

/* a problem in one part of the place does not hide those in the others */
Test(several, place_problems_are_all_reported)
{
    run_result r;
    S_validate(BAD_DIR "/multiple_problems_place.cfg", NULL, &r);
    const char *f = BAD_DIR "/multiple_problems_place.cfg:";
    cr_expect_eq(r.status, 2);
    cr_expect_eq(S_count_lines(r.err, f), 5, "%s", r.err);
    cr_expect(S_has_line(r.err, f, "12: population.size: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "27: needs.domains.[4].onset: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "45: neighbourhoods.[1].assets: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "57: actors.[1].capacity: "), "%s", r.err);
    cr_expect(S_has_line(r.err, f, "81: links.[3].trust: "), "%s", r.err);
    cr_expect(strstr(r.err, "5 problems") != NULL, "%s", r.err);
}

/* a bad share sum is still reported when the population is bad too */
Test(several, share_sum_survives_an_earlier_problem)
{
    const char *sets[] = {"population.size=5", NULL};
    run_result r;
    S_validate(BAD_DIR "/hood_shares_not_one.cfg", sets, &r);
    cr_expect_eq(r.status, 2);
    cr_expect(S_has_line(r.err, "--set: population.size: ", "out of range"), "%s", r.err);
    cr_expect(S_has_line(r.err, BAD_DIR "/hood_shares_not_one.cfg:43: neighbourhoods: ",
                         "must add up to 1"),
              "%s", r.err);
}

/* a duplicate mutual link is one problem, reported once */
Test(several, duplicate_link_reported_once)
{
    run_result r;
    S_validate(BAD_DIR "/link_duplicate.cfg", NULL, &r);
    cr_expect_eq(S_count_lines(r.err, BAD_DIR "/link_duplicate.cfg:"), 1, "%s", r.err);
}
