/* placesim diagnose SCENARIO [--survey FILE.csv] ...: the profile of a place
 * and the leverage of each precondition (cli/diagnose.h). */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "diagnose.h"
#include "experiment.h"
#include "loaded_scenario.h"
#include "memory_guard.h"
#include "output.h"
#include "progress.h"
#include "sc_survey.h"

/* Defaults chosen so that the 19 arms at the flagship scenario take about a
 * minute on two cores; the reduced population keeps the pressure on
 * services (capacities scale with it). */
#define S_DEFAULT_REPS 8
#define S_DEFAULT_POPULATION 20000L
#define S_DEFAULT_STEP 0.1

void dx_usage(FILE *fp)
{
    fputs("usage: placesim diagnose SCENARIO [--survey FILE.csv] [--reps N] [--seed S]\n"
          "                         [--threads T] [--out DIR] [--overwrite] [--quiet]\n"
          "                         [--step X] [--by-system] [--force-memory]\n"
          "                         [--set path=value]...\n"
          "\n"
          "Diagnoses a place: the profile of its nine preconditions (from the scenario's\n"
          "levels, or from a survey of its organisations), per system label and for the\n"
          "whole; then, for each precondition, the simulated effect on citizen outcomes\n"
          "of raising it by X across the actors (alone, and with its supporters in the\n"
          "interdependence matrix C), against the baseline with common random numbers\n"
          "and 95 % paired intervals. Writes to DIR (default: results/diagnose_<name>):\n"
          "  report.html   profile and radar, leverage ranking with interval bars,\n"
          "                systems and the links between them, a plain summary\n"
          "  profile.csv   each precondition's index and spreads per system, and per actor\n"
          "  leverage.csv  per arm and outcome: baseline, arm, paired difference with its\n"
          "                95 % interval; for joint raises, joint minus alone and synergy\n"
          "  manifest.json version, scenario hash, seed, replications, population, timings\n"
          "\n"
          "  --survey FILE  a CSV with a header: actor, optional role and respondent,\n"
          "                 and A..I rated 1-5 (blank: no answer); a rating r is the level\n"
          "                 (r - 1) / 4; several respondents per actor are averaged and\n"
          "                 each replication draws the level from their standard error\n"
          "  --reps N         paired replications (default 8; at least 2)\n"
          "  --seed S         seed (default: run.seed, else 1); results do not depend on T\n"
          "  --threads T      OpenMP threads (default: all)\n"
          "  --step X         how much each raise adds to a level on the 0-1 scale, capped\n"
          "                   at 1 (default 0.1); it moves the institutional anchor too\n"
          "  --by-system      also raise each precondition alone within each system label\n"
          "                   (9 more arms per label)\n"
          "  --set path=value override a parameter or scenario setting; the leverage runs\n"
          "                   use the smallest population that stands for the place\n"
          "                   (at least 20000; capacities in proportion) unless\n"
          "                   population.size is set here\n"
          "  --force-memory   run even when the estimate exceeds the memory available\n"
          "  --out DIR, --overwrite, --quiet  as for run\n"
          "\n"
          "Exit status 2 for a bad scenario or survey (every problem is printed as\n"
          "file:line: column: message).\n",
          fp);
}

typedef struct S_args {
    const char *scenario, *survey, *out;
    char **sets;
    size_t n_sets;
    int reps, threads, overwrite, quiet, help, by_system, user_population, force_memory;
    double step;
} S_args;

static void S_free_args(S_args *a)
{
    for (size_t i = 0; i < a->n_sets; i++) free(a->sets[i]);
    free(a->sets);
}

static int S_parse(int argc, char **argv, S_args *a)
{
    static const struct option opts[] = {
        {"survey", required_argument, 0, 'v'}, {"reps", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},   {"threads", required_argument, 0, 't'},
        {"out", required_argument, 0, 'o'},    {"overwrite", no_argument, 0, 'w'},
        {"quiet", no_argument, 0, 'q'},        {"set", required_argument, 0, 'S'},
        {"step", required_argument, 0, 'x'},   {"by-system", no_argument, 0, 'b'},
        {"help", no_argument, 0, 'h'},         {"force-memory", no_argument, 0, 'M'},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->reps = S_DEFAULT_REPS;
    a->step = S_DEFAULT_STEP;
    a->sets = calloc((size_t)argc + 2, sizeof *a->sets);
    if (!a->sets) return -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        long v;
        double x;
        switch (c) {
        case 'v': a->survey = optarg; break;
        case 'r':
        case 't':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < (c == 'r' ? 2 : 1) ||
                v > (c == 'r' ? 100000 : 4096)) {
                fprintf(stderr, "placesim: --%s: expected a whole number from %d to %d, got '%s'\n",
                        c == 'r' ? "reps" : "threads", c == 'r' ? 2 : 1,
                        c == 'r' ? 100000 : 4096, optarg);
                return -1;
            }
            if (c == 'r') a->reps = (int)v;
            else a->threads = (int)v;
            break;
        case 's':
            errno = 0;
            (void)strtoll(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || optarg[0] == '-') {
                fprintf(stderr, "placesim: --seed: expected a non-negative whole number, got "
                                "'%s'\n", optarg);
                return -1;
            }
            a->sets[a->n_sets] = malloc(strlen(optarg) + 16);
            if (!a->sets[a->n_sets]) return -1;
            sprintf(a->sets[a->n_sets++], "run.seed=%s", optarg);
            break;
        case 'x':
            errno = 0;
            x = strtod(optarg, &end);
            if (*optarg == '\0' || *end || errno || !(x > 0 && x <= 1)) {
                fprintf(stderr, "placesim: --step: expected a number in (0, 1], got '%s'\n",
                        optarg);
                return -1;
            }
            a->step = x;
            break;
        case 'o': a->out = optarg; break;
        case 'w': a->overwrite = 1; break;
        case 'q': a->quiet = 1; break;
        case 'b': a->by_system = 1; break;
        case 'h': a->help = 1; break;
        case 'M': a->force_memory = 1; break;
        case 'S':
            if (strncmp(optarg, "population.size=", 16) == 0) a->user_population = 1;
            a->sets[a->n_sets] = strdup(optarg);
            if (!a->sets[a->n_sets++]) return -1;
            break;
        default: return -1;
        }
    }
    if (optind < argc) a->scenario = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "placesim: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

static double S_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The arms: 0 the baseline; 1 + 2k + joint for precondition k in the whole
 * place; then, with --by-system, 1 + 18 + 9 (g - 1) + k raised alone in
 * system g. */
typedef struct S_armdef {
    int k, joint, group;
} S_armdef;

/* Loads the baseline of replication rep: the levels drawn for it, as
 * overrides after the command's own. */
static int S_load_base(const S_args *a, const ps_model_type *model, const sc_dx_profile *pr,
                       const void *base_place, uint64_t seed, unsigned rep,
                       const char *const *common, size_t n_common, ps_loaded *loaded, ps_diag *d)
{
    size_t cells = (size_t)pr->n_actors * SC_DX_K;
    double *lv = malloc((cells + 1) * sizeof *lv);
    char **sets = calloc(n_common + cells + 1, sizeof *sets);
    int rc = 0;
    if (!lv || !sets) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        rc = -1;
        goto done;
    }
    sc_dx_levels(pr, seed, rep, lv);
    size_t n = 0;
    for (size_t i = 0; i < n_common; i++) sets[n++] = (char *)common[i];
    size_t own = n;
    if (sc_dx_overrides(base_place, lv, sets, &n) != 0) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        rc = -1;
    } else if (ps_loaded_open(loaded, model, a->scenario, NULL, (const char *const *)sets, n,
                              d) != 0) {
        rc = -1;
    }
    for (size_t i = own; i < n; i++) free(sets[i]);
done:
    free(lv);
    free(sets);
    return rc;
}

/* An arm's timeline: the scenario's own entries, then its raise, at week
 * 0, of each raised precondition's level and institutional anchor by the
 * step (capped at 1), in every active organisation or in one system's. */
typedef struct {
    config_t cfg;
    int live;
    ps_timeline raise;  /* the raise's entries (their handles) */
    ps_timeline merged; /* the scenario's and the raise's, sharing handles */
} S_arm_timeline;

static void S_arm_timeline_free(const ps_model_type *model, S_arm_timeline *t)
{
    ps_timeline_free(&t->raise, model->intervention_free);
    free(t->merged.items);
    t->merged.items = NULL;
    t->merged.n = 0;
    if (t->live) config_destroy(&t->cfg);
    t->live = 0;
}

static int S_arm_timeline_make(const S_args *a, const ps_model_type *model, const ps_loaded *base,
                               const sc_dx_profile *pr, const S_armdef *def, S_arm_timeline *t,
                               ps_diag *d)
{
    memset(t, 0, sizeof *t);
    if (def->k >= 0) {
        char sel[64] = "all", text[8192];
        if (def->group > 0) snprintf(sel, sizeof sel, "system=%s", pr->groups[def->group].name);
        int sup[SC_DX_K], ns = def->joint ? sc_dx_supporters(def->k, sup) : 0;
        sup[ns++] = def->k;
        size_t len = (size_t)snprintf(text, sizeof text, "timeline = (");
        for (int j = 0; j < ns && len < sizeof text; j++)
            for (int anchor = 0; anchor < 2 && len < sizeof text; anchor++)
                len += (size_t)snprintf(text + len, sizeof text - len,
                                        "%s{ at = 0; target = \"actors[%s].%s.%c\"; op = \"add\"; "
                                        "value = %.17g; }",
                                        j || anchor ? ", " : "", sel,
                                        anchor ? "anchors" : "preconditions", 'A' + sup[j],
                                        a->step);
        if (len + 3 >= sizeof text) {
            ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "the raise of an arm is too long");
            return -1;
        }
        snprintf(text + len, sizeof text - len, ");");
        config_init(&t->cfg);
        t->live = 1;
        if (config_read_string(&t->cfg, text) != CONFIG_TRUE ||
            ps_timeline_read(&t->raise, config_lookup(&t->cfg, "timeline"), base->scen.run.weeks,
                             d) != 0 ||
            ps_sim_compile_timeline(model, base->place, base->reg, &t->raise, d) != 0) {
            if (!d->count) ps_diag_add(d, PS_ERR_INPUT, "", 0, "", "cannot build an arm's raise");
            return -1;
        }
    }
    size_t n = base->timeline.n + t->raise.n;
    t->merged.items = calloc(n + 1, sizeof *t->merged.items);
    if (!t->merged.items) {
        ps_diag_add(d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        return -1;
    }
    for (size_t i = 0; i < base->timeline.n; i++) t->merged.items[i] = base->timeline.items[i];
    for (size_t i = 0; i < t->raise.n; i++) t->merged.items[base->timeline.n + i] = t->raise.items[i];
    /* an entry's index keys the values `set` keeps: one per entry of the arm */
    for (size_t i = 0; i < n; i++) t->merged.items[i].index = i;
    t->merged.n = n;
    return 0;
}

/* Paired statistics of every arm against the baseline (and of joint arms
 * against k alone) on each outcome. */
static void S_levers(const ps_model_type *model, const void *place, const ps_compare_data *c,
                     const S_armdef *defs, size_t n_arms, dx_lever *levers)
{
    size_t R = c->reps;
    double *x = calloc(R + 1, sizeof *x), *y = calloc(R + 1, sizeof *y), *z = calloc(R + 1, sizeof *z);
    double *w = calloc(R + 1, sizeof *w);
    double rate = model->discount_rate ? model->discount_rate(place) : 0;
    if (!x || !y || !z || !w) goto done;
    for (int o = 0; o < DX_N_OUTCOMES; o++) {
        size_t m = ps_metric_index(c->metrics, c->n_metrics, dx_outcomes[o].metric);
        if (m == c->n_metrics) continue;
#define S_VAL(arm, r)                                                                    \
    (dx_outcomes[o].discounted ? ps_compare_discounted_total(c, arm, r, m, rate)         \
                               : ps_compare_horizon_mean(c, arm, r, m))
        for (size_t r = 0; r < R; r++) x[r] = S_VAL(0, r);
        for (size_t arm = 1; arm < n_arms; arm++) {
            dx_lever *L = &levers[arm - 1];
            dx_effect *e = &L->eff[o];
            size_t better = 0, pairs = 0;
            double sb = 0, sa = 0;
            for (size_t r = 0; r < R; r++) {
                y[r] = S_VAL(arm, r);
                sb += x[r];
                sa += y[r];
                if (!isnan(x[r]) && !isnan(y[r])) {
                    pairs++;
                    better += dx_outcomes[o].direction * (y[r] - x[r]) > 0;
                }
            }
            e->baseline = sb / (double)R;
            e->arm = sa / (double)R;
            e->diff = ps_paired_ci(x, y, R);
            e->share_better = pairs ? (double)better / (double)pairs : NAN;
            e->vs_alone.mean = e->vs_alone.lo = e->vs_alone.hi = NAN;
            e->synergy = e->vs_alone;
            if (!defs[arm].joint) continue;
            /* joint - alone, and joint - base - sum over members (alone - base) */
            int sup[SC_DX_K], ns = sc_dx_supporters(defs[arm].k, sup);
            sup[ns++] = defs[arm].k;
            size_t alone = 1 + 2 * (size_t)defs[arm].k;
            for (size_t r = 0; r < R; r++) {
                z[r] = S_VAL(alone, r);
                double sum = 0;
                for (int j = 0; j < ns; j++) sum += S_VAL(1 + 2 * (size_t)sup[j], r) - x[r];
                w[r] = x[r] + sum; /* what the members alone would add up to */
            }
            e->vs_alone = ps_paired_ci(z, y, R);
            e->synergy = ps_paired_ci(w, y, R);
        }
#undef S_VAL
    }
    /* ranks by the first outcome, among the arms of the same kind and group */
    for (size_t i = 0; i + 1 < n_arms; i++) {
        int rank = 1, dir = dx_outcomes[0].direction;
        for (size_t j = 0; j + 1 < n_arms; j++)
            if (j != i && levers[j].joint == levers[i].joint && levers[j].group == levers[i].group &&
                dir * levers[j].eff[0].diff.mean > dir * levers[i].eff[0].diff.mean)
                rank++;
        levers[i].rank = rank;
    }
done:
    free(x);
    free(y);
    free(z);
    free(w);
}

/* The mean over replications of the baseline's metric `name` at the
 * horizon; NaN when the model has no such metric. */
static double S_horizon(const ps_compare_data *c, const char *name)
{
    size_t m = ps_metric_index(c->metrics, c->n_metrics, name);
    if (m == c->n_metrics) return NAN;
    double s = 0;
    for (size_t r = 0; r < c->reps; r++) s += ps_compare_at(c, 0, r, c->weeks)[m];
    return s / (double)c->reps;
}

/* Where each group is heading in the baseline: the model reports P_X,
 * trust_density and leadership_entropy for the place and, suffixed with
 * ".label", for each system label. */
static void S_simulated(dx_result *res, const ps_compare_data *c)
{
    for (int g = 0; g < res->profile->n_groups; g++) {
        char name[96], suffix[40] = "";
        if (g > 0) snprintf(suffix, sizeof suffix, ".%s", res->profile->groups[g].name);
        for (int k = 0; k < SC_DX_K; k++) {
            snprintf(name, sizeof name, "P_%c%s", 'A' + k, suffix);
            res->sim_index[g][k] = S_horizon(c, name);
        }
        snprintf(name, sizeof name, "trust_density%s", suffix);
        res->sim_trust[g] = S_horizon(c, name);
        snprintf(name, sizeof name, "leadership_entropy%s", suffix);
        res->sim_entropy[g] = S_horizon(c, name);
    }
}

/* The headline on stdout: the profile's extremes and the ranking. */
static void S_print_summary(const dx_result *res)
{
    const sc_dx_profile *pr = res->profile;
    const sc_dx_group *P = &pr->groups[0];
    printf("profile (%s): weakest %c (%.2f), strongest %c (%.2f); trust density %.3f, "
           "leadership entropy %.3f; %d links across systems\n",
           pr->survey ? "survey" : "scenario levels", 'A' + P->weakest, P->index[P->weakest],
           'A' + P->strongest, P->index[P->strongest], P->trust_density, P->leadership_entropy,
           pr->cross_links);
    /* the nine preconditions, weakest first */
    static const char *const names[SC_DX_K] = {
        "beneficiary impact", "citizen-centred", "systemic", "grounded in place",
        "trusted partners", "strengths based", "distributed leadership",
        "resilient, risk embracing", "able to let go"};
    int order[SC_DX_K];
    for (int k = 0; k < SC_DX_K; k++) order[k] = k;
    for (int i = 1; i < SC_DX_K; i++)
        for (int j = i; j > 0 && P->index[order[j]] < P->index[order[j - 1]]; j--) {
            int t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    printf("%-30s %6s %14s %18s  %s\n", "precondition (weakest first)", "index", "sd (actors)",
           "sd (respondents)", "furthest below");
    for (int i = 0; i < SC_DX_K; i++) {
        int k = order[i], b = P->below[k][0];
        char rsd[32];
        if (isnan(P->spread_respondents[k])) snprintf(rsd, sizeof rsd, "-");
        else snprintf(rsd, sizeof rsd, "%.3f", P->spread_respondents[k]);
        printf("%c %-28s %6.3f %14.3f %18s  %s%s", 'A' + k, names[k], P->index[k],
               P->spread_actors[k], rsd, b >= 0 ? pr->actors[b].id : "-", b >= 0 ? " (" : "");
        if (b >= 0) printf("%+.2f)", -P->below_gap[k][0]);
        putchar('\n');
    }
    printf("\n%-4s %-12s %-16s %11s %24s %7s\n", "rank", "raise", "variant",
           "wellbeing", "95% interval", "sure");
    for (int joint = 0; joint < 2; joint++)
        for (int rank = 1; rank <= SC_DX_K; rank++)
            for (size_t i = 0; i < res->n_levers; i++) {
                const dx_lever *L = &res->levers[i];
                if (L->group != 0 || L->joint != joint || L->rank != rank) continue;
                const dx_effect *e = &L->eff[0];
                int s = dx_sure(&e->diff, dx_outcomes[0].direction);
                printf("%-4d %-12s %-16s %+11.2e [%+10.2e, %+10.2e] %7s\n", rank, L->raised,
                       joint ? "with supporters" : "alone", e->diff.mean, e->diff.lo, e->diff.hi,
                       s > 0 ? "better" : s < 0 ? "worse" : "unsure");
            }
}

/* The citizens of the leverage runs: the scenario's, or fewer when it has
 * more than the smallest run that stands for the place (at least 20,000),
 * unless --set population.size says otherwise. */
static long S_run_population(const S_args *a, const ps_model_type *model, const void *place,
                             long pop)
{
    long smallest = model->smallest_population ? model->smallest_population(place) : 0;
    long want = smallest > S_DEFAULT_POPULATION ? smallest : S_DEFAULT_POPULATION;
    return !a->user_population && pop > want ? want : pop;
}

static size_t S_n_arms(const S_args *a, const sc_dx_profile *pr)
{
    return 1 + 2 * SC_DX_K + (a->by_system ? (size_t)(pr->n_groups - 1) * SC_DX_K : 0);
}

/* Refuses, before the directory is touched, a diagnosis whose table would
 * not fit in the memory available (unless --force-memory): every arm's
 * weekly rows of every replication are kept to the end, beside one run's
 * state (at the leverage runs' population) and the arms' places. */
static int S_memory_guard(const S_args *a, const ps_model_type *model, const ps_loaded *base,
                          const sc_dx_profile *pr, ps_diag *d)
{
    long pop = model->population(base->place),
         run_pop = S_run_population(a, model, base->place, pop);
    double state = model->state_bytes ? (double)model->state_bytes(base->place) *
                                            (double)run_pop / (double)(pop > 0 ? pop : 1)
                                      : 0;
    size_t nm = ps_model_metric_count(model, base->place), arms = S_n_arms(a, pr);
    double table = ps_memory_series_bytes(arms, (size_t)a->reps, (size_t)base->scen.run.weeks, nm);
    char what[320], s1[32], s2[32];
    snprintf(what, sizeof what,
             "a replication of %ld citizens (%s) and the table of %zu arms x %d "
             "replications x %d weeks x %zu metrics (%s)",
             run_pop, ps_memory_size(state, s1, sizeof s1), arms, a->reps,
             base->scen.run.weeks + 1, nm, ps_memory_size(table, s2, sizeof s2));
    return ps_memory_check(state + table, what, a->force_memory, d) ? -1 : 0;
}

int dx_command(int argc, char **argv, const ps_model_type *model, const char *version)
{
    S_args a;
    if (S_parse(argc, argv, &a) != 0) {
        dx_usage(stderr);
        S_free_args(&a);
        return 2;
    }
    if (a.help || !a.scenario) {
        dx_usage(a.help ? stdout : stderr);
        S_free_args(&a);
        return a.help ? 0 : 2;
    }
    if (a.threads > 0) omp_set_num_threads(a.threads);
    double t0 = S_now();
    ps_diag d;
    ps_diag_init(&d);
    ps_loaded base;
    sc_survey sv;
    sc_dx_profile pr;
    memset(&sv, 0, sizeof sv);
    memset(&pr, 0, sizeof pr);
    const char **ids = NULL;
    char **common = NULL;
    size_t n_common = 0, n_arms = 0;
    S_armdef *defs = NULL;
    dx_lever *levers = NULL;
    ps_compare_data data = {0};
    memset(&data, 0, sizeof data);
    int rc = 0, prepared = 0;
    char out[1024];
    if (ps_loaded_open(&base, model, a.scenario, NULL, (const char *const *)a.sets, a.n_sets,
                       &d) != 0)
        goto fail;
    size_t n_ids = 0;
    ids = sc_dx_actor_ids(base.place, &n_ids);
    if (!ids) {
        ps_diag_add(&d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        goto fail;
    }
    if (a.survey && sc_survey_read(&sv, a.survey, ids, n_ids, &d) != 0) goto fail;
    if (sc_dx_profile_build(base.place, a.survey ? &sv : NULL, &pr) != 0) {
        ps_diag_add(&d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        goto fail;
    }
    if (a.out) {
        snprintf(out, sizeof out, "%s", a.out);
    } else {
        const char *b = strrchr(a.scenario, '/');
        b = b ? b + 1 : a.scenario;
        snprintf(out, sizeof out, "results/diagnose_%.*s", (int)strcspn(b, "."), b);
    }
    if (S_memory_guard(&a, model, &base, &pr, &d) != 0) goto fail;
    if (ps_output_prepare_dir(out, a.overwrite, &d) != 0) goto fail;
    prepared = 1;

    /* the leverage runs: the user's overrides, then the diagnosis's own */
    long pop = model->population(base.place);
    common = calloc(a.n_sets + 4, sizeof *common);
    if (!common) goto fail;
    for (size_t i = 0; i < a.n_sets; i++) common[n_common++] = a.sets[i];
    char reps_set[48], pop_set[48], ref_set[64];
    snprintf(reps_set, sizeof reps_set, "run.replications=%d", a.reps);
    common[n_common++] = reps_set;
    long run_pop = S_run_population(&a, model, base.place, pop);
    if (run_pop != pop) {
        snprintf(pop_set, sizeof pop_set, "population.size=%ld", run_pop);
        snprintf(ref_set, sizeof ref_set, "population.capacity_reference=%ld",
                 sc_dx_capacity_reference(base.place));
        common[n_common++] = pop_set;
        common[n_common++] = ref_set;
    }
    n_arms = S_n_arms(&a, &pr);
    defs = calloc(n_arms, sizeof *defs);
    levers = calloc(n_arms, sizeof *levers);
    if (!defs || !levers) {
        ps_diag_add(&d, PS_ERR_MEMORY, "", 0, "", "out of memory");
        goto fail;
    }
    defs[0].k = -1;
    for (size_t arm = 1; arm < n_arms; arm++) {
        S_armdef *A = &defs[arm];
        if (arm <= 2 * SC_DX_K) {
            A->k = (int)(arm - 1) / 2;
            A->joint = (int)(arm - 1) % 2;
        } else {
            A->k = (int)(arm - 1 - 2 * SC_DX_K) % SC_DX_K;
            A->group = 1 + (int)(arm - 1 - 2 * SC_DX_K) / SC_DX_K;
        }
        dx_lever *L = &levers[arm - 1];
        L->k = A->k;
        L->joint = A->joint;
        L->group = A->group;
        int sup[SC_DX_K], ns = A->joint ? sc_dx_supporters(A->k, sup) : 0;
        int len = snprintf(L->raised, sizeof L->raised, "%c", 'A' + A->k);
        for (int j = 0; j < ns; j++)
            len += snprintf(L->raised + len, sizeof L->raised - (size_t)len, "+%c", 'A' + sup[j]);
    }
    uint64_t seed = base.scen.run.seed;
    if (!a.quiet)
        fprintf(stderr, "placesim: diagnose %s%s%s: %zu arms x %d paired replications, %ld "
                        "citizens%s, step %g, %d thread%s\n",
                a.scenario, a.survey ? " with " : "", a.survey ? a.survey : "", n_arms, a.reps,
                run_pop, run_pop != pop ? " (reduced for the leverage runs; --set "
                                          "population.size=N to change)" : "",
                a.step, omp_get_max_threads(), omp_get_max_threads() == 1 ? "" : "s");
    ps_progress prog;
    ps_progress_start(&prog, "replications of every arm", (size_t)a.reps, a.quiet);
    /* every arm of replication r starts from the baseline's warm state:
     * the raise acts from week 0 on the settled place */
    ps_warm_cache cache;
    ps_warm_cache_default(&cache);
    ps_compare_start start = {1, &cache, NULL};
    for (int r = 0; r < a.reps; r++) {
        ps_loaded base_r;
        memset(&base_r, 0, sizeof base_r);
        int lrc = S_load_base(&a, model, &pr, base.place, seed, (unsigned)r,
                              (const char *const *)common, n_common, &base_r, &d);
        ps_arm *spec = calloc(n_arms, sizeof *spec);
        S_arm_timeline *tls = calloc(n_arms, sizeof *tls);
        if (lrc == 0 && spec && tls) {
            for (size_t arm = 0; arm < n_arms && lrc == 0; arm++) {
                lrc = S_arm_timeline_make(&a, model, &base_r, &pr, &defs[arm], &tls[arm], &d);
                spec[arm].name = arm ? levers[arm - 1].raised : "baseline";
                spec[arm].description = "";
                spec[arm].place = base_r.place;
                spec[arm].scen = &base_r.scen;
                spec[arm].timeline = &tls[arm].merged;
            }
            if (lrc == 0 && r == 0) lrc = ps_compare_alloc(model, spec, n_arms, &data, &d);
            if (lrc == 0)
                lrc = ps_compare_collect_replication(model, spec, n_arms, (size_t)r, &start,
                                                     &data, &d);
        } else if (!spec || !tls) {
            ps_diag_add(&d, PS_ERR_MEMORY, "", 0, "", "out of memory");
            lrc = -1;
        }
        for (size_t arm = 0; tls && arm < n_arms; arm++) S_arm_timeline_free(model, &tls[arm]);
        free(tls);
        free(spec);
        ps_loaded_close(&base_r);
        if (lrc != 0) {
            ps_progress_finish(&prog);
            goto fail;
        }
        ps_progress_update(&prog, (size_t)r + 1);
    }
    ps_progress_finish(&prog);
    /* the table lived in the arms' places, now closed: the base has the same */
    data.n_metrics = model->metrics(base.place, &data.metrics);
    S_levers(model, base.place, &data, defs, n_arms, levers);
    dx_result res = {a.scenario, a.survey, run_pop, pop, a.reps, (int)data.weeks,
                     base.scen.run.warmup, (unsigned long long)seed, a.step, S_now() - t0, &pr,
                     n_arms - 1, levers, {{0}}, {0}, {0}};
    S_simulated(&res, &data);
    if (dx_write_profile(out, &pr, &d) != 0 || dx_write_leverage(out, &res, &d) != 0 ||
        dx_write_report(out, &res, &d) != 0 ||
        dx_write_manifest(out, &res, (unsigned long long)base.scen.content_hash, version, n_arms,
                          omp_get_max_threads(), &d) != 0)
        goto fail;
    if (!a.quiet) S_print_summary(&res);
    printf("placesim: results in %s (report.html, profile.csv, leverage.csv, manifest.json)\n",
           out);
    if (!a.quiet) printf("placesim: %.1f s\n", S_now() - t0);
    goto done;
fail:
    cli_print_diag(&d);
    if (d.count > 1)
        fprintf(stderr, "placesim: %s: %d problems\n", d.entries[0].file, d.count);
    rc = d.status ? d.status : PS_ERR_INPUT;
    if (prepared) {
        /* nothing that looks finished stays: what was committed goes, and
         * the manifest says the diagnosis did not finish */
        ps_diag scratch;
        ps_diag_init(&scratch);
        ps_output_discard(out);
        dx_write_failed_manifest(out, a.scenario, a.survey, version, &scratch);
        char what[300];
        ps_output_describe(out, what, sizeof what);
        fprintf(stderr, "placesim: the diagnosis did not finish; %s %s\n", out, what);
    }
done:
    ps_compare_data_free(&data);
    free(levers);
    free(defs);
    free(common);
    sc_dx_profile_free(&pr);
    sc_survey_free(&sv);
    free(ids);
    ps_loaded_close(&base);
    S_free_args(&a);
    return rc;
}
