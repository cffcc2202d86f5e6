/* placesim: the command-line front end. */
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cpu_features.h"
#include "diagnose.h"
#include "experiment.h"
#include "interrupt.h"
#include "loaded_scenario.h"
#include "memory_guard.h"
#include "model.h"
#include "output.h"
#include "policy.h"
#include "ranks.h"
#include "snapshot.h"
#include "params.h"
#include "scenario.h"
#include "sim.h"

/* the model every command runs (cli/cli_model.c) */
#define S_model cli_model

static void S_usage_main(FILE *fp)
{
    fputs("usage: placesim COMMAND [OPTIONS]\n"
          "\n"
          "Simulates how a policy change or a shock ripples through a place's\n"
          "organisations (trust, leadership, the nine preconditions for systems\n"
          "change) into resilience and citizen outcomes.\n"
          "\n"
          "commands:\n"
          "  run SCENARIO       simulate a scenario and write its results\n"
          "  compare SCENARIO POLICY  baseline against a policy, paired, with a report\n"
          "  diagnose SCENARIO  a place's precondition profile (scenario or --survey) and\n"
          "                     where raising each precondition moves outcomes most\n"
          "  validate SCENARIO  check a scenario file and report every problem\n"
          "  sweep SWEEP        vary factors by a design; Sobol or Morris indices\n"
          "  params             list every model parameter: path, default, range, doc\n"
          "  metrics SCENARIO   list the weekly metrics a run writes: name, unit, roles\n"
          "  help COMMAND       help for one command\n"
          "\n"
          "options:\n"
          "  --help             this text\n"
          "  --version          the version\n"
          "\n"
          "Exit status: 0 success, 2 bad input, 3 file error (or the output directory\n"
          "is being written by another placesim), 4 out of memory (or refused by the\n"
          "memory guard), 5 numeric failure in the model, 6 stopped by SIGINT or\n"
          "SIGTERM (no result file is left that looks complete), 7 some runs of a\n"
          "sweep failed.\n"
          "\n"
          "environment:\n"
          "  PLACESIM_MAX_INPUT_BYTES  the largest input file read (default 16M)\n"
          "  PLACESIM_MEMORY_LIMIT     the memory the guard allows (default: MemAvailable)\n",
          fp);
}

static void S_usage_run(FILE *fp)
{
    fputs("usage: placesim run SCENARIO [--reps N] [--seed S] [--threads T]\n"
          "                    [--out DIR] [--overwrite] [--quiet] [--profile]\n"
          "                    [--policy FILE] [--force-memory] [--no-cache]\n"
          "                    [--snapshot-at WEEK FILE | --from FILE]\n"
          "                    [--set path=value]...\n"
          "\n"
          "Runs N replications of the scenario and writes to DIR:\n"
          "  series.csv     replication, week, then one column per metric\n"
          "  summary.csv    per metric and chosen week: mean, sd, 5th/50th/95th percentile\n"
          "  annual.csv     per replication and year: contact overlap of housing,\n"
          "                 substance-use and offending needs\n"
          "  manifest.json  version, scenario hash, seed, threads, timings\n"
          "  report.html    a self-contained report, with radar.svg, outcomes.svg and\n"
          "                 resilience.svg\n"
          "\n"
          "  --reps N         replications (default: run.replications in the file, else 1)\n"
          "  --seed S         seed (default: run.seed, else 1)\n"
          "  --threads T      OpenMP threads (default: all); results do not depend on T\n"
          "  --out DIR        output directory (default: results/<scenario name>)\n"
          "  --overwrite      allow writing into a non-empty output directory\n"
          "  --quiet          no progress lines and no tables: warnings, errors and the\n"
          "                   line saying where the results are\n"
          "  --profile        print the time spent in each phase of the tick\n"
          "  --policy FILE    apply a policy file (configs/policies/) to the scenario\n"
          "  --force-memory   run even when the estimate exceeds the memory available\n"
          "  --no-cache       simulate the warm-up even when its state is cached (the\n"
          "                   results are the same); PLACESIM_CACHE=DIR or =off sets the\n"
          "                   cache (default ~/.cache/placesim)\n"
          "  --snapshot-at WEEK FILE  save every replication's whole state at the start\n"
          "                   of WEEK to FILE (the run goes on to the horizon)\n"
          "  --from FILE      start every replication from a snapshot; the results are\n"
          "                   byte-identical to the run that made it\n"
          "  --set path=value override a parameter (see 'placesim params') or any\n"
          "                   scenario setting, e.g. population.size=20000 or\n"
          "                   actors.police.capacity=500; may be repeated\n",
          fp);
}

static void S_usage_validate(FILE *fp)
{
    fputs("usage: placesim validate SCENARIO [--policy FILE] [--set path=value]...\n"
          "\n"
          "Checks the scenario strictly and prints every problem as\n"
          "file:line: setting: message. Exit status 0 when valid, 2 otherwise.\n",
          fp);
}

static void S_usage_metrics(FILE *fp);

static void S_usage_compare(FILE *fp)
{
    fputs("usage: placesim compare SCENARIO POLICY [--reps N] [--seed S] [--threads T]\n"
          "                        [--out DIR] [--overwrite] [--quiet] [--from SNAPSHOT]\n"
          "                        [--force-memory] [--no-cache] [--precision X\n"
          "                        [--max-reps N] [--batch B]] [--set path=value]...\n"
          "\n"
          "Runs the scenario as it is (the baseline) and with the policy file applied,\n"
          "with common random numbers: replication r of both arms shares its random\n"
          "streams, so differences come from the policy, not from luck. Writes to DIR\n"
          "(default: results/<policy name>):\n"
          "  report.html             a self-contained report with charts and a summary\n"
          "  compare.csv             per metric and week: each arm's mean with a 95 %\n"
          "                          interval, the paired difference with its 95 %\n"
          "                          t-interval, and the share of replications in which\n"
          "                          the policy was better ('all' = mean over the horizon)\n"
          "  costs.csv               discounted cost totals per arm and their paired\n"
          "                          difference with its 95 % interval\n"
          "  series.csv              arm, replication, week, one column per metric\n"
          "  resilience.csv          per shock, metric and replication: drawdown, time to\n"
          "                          recover (or not recovered), resilience loss\n"
          "  resilience_summary.csv  the same summarised per arm, with the paired\n"
          "                          difference of loss between arms\n"
          "  radar.svg, outcomes.svg, difference.svg, resilience.svg  the charts\n"
          "  manifest.json\n"
          "\n"
          "  --precision X    add replications (from the scenario's, in batches of\n"
          "                   --batch B, default 4) until the 95 % half-width of every\n"
          "                   headline difference (mean over the weeks) is at most X,\n"
          "                   or --max-reps N (default 64) are done; the result is the\n"
          "                   same for any batch size and thread count\n"
          "\n"
          "compare.csv marks a difference whose 95 % interval covers 0 as 'no detectable\n"
          "effect' and says when its sign differs between replications in more than a\n"
          "quarter of them (sign_varies).\n"
          "\n"
          "Every arm of replication r starts from the baseline's warm state (the place\n"
          "after run.warmup weeks, cached as for run): a policy acts from week 0 on the\n"
          "settled place. --no-cache simulates the warm-up again (same results).\n"
          "\n"
          "A policy file holds a name, a description, a 'set' list of overrides and a\n"
          "'timeline' of dated interventions (see docs/scenario.md and configs/policies/).\n",
          fp);
}

static void S_usage_metrics(FILE *fp)
{
    fputs("usage: placesim metrics SCENARIO [--set path=value]...\n"
          "\n"
          "Lists the weekly metrics a run of the scenario writes (the columns of\n"
          "series.csv, in order, with one block per system label), as CSV: name,\n"
          "unit, which way is better (higher, lower or empty), roles (headline:\n"
          "what a comparison is judged by; steady: checked for a transient and a\n"
          "drift; resilience: measured after each shock; count: also given for\n"
          "the whole place; cost: totalled and discounted), group and label. Any\n"
          "of these names can be a sweep metric.\n",
          fp);
}

static void S_usage_params(FILE *fp)
{
    fputs("usage: placesim params\n"
          "\n"
          "Lists every model parameter: dotted path, default, range, unit and a\n"
          "one-line description. Set them in a scenario's model group, e.g.\n"
          "  model = { trust = { alpha = 0.2; }; };\n"
          "or on the command line with --set trust.alpha=0.2.\n",
          fp);
}

typedef struct {
    const char *scenario;
    const char *out;
    const char **sets;
    size_t n_sets;
    const char *second;  /* compare: the policy file */
    const char *policy;  /* run, validate: --policy FILE */
    int threads, overwrite, quiet, help, profile, force_memory, no_cache;
    double precision;           /* compare --precision X (0: off) */
    long max_reps, batch;       /* compare --max-reps N, --batch B */
    int snapshot_week;          /* -1: none */
    const char *snapshot_path;  /* --snapshot-at WEEK FILE */
    const char *from_path;      /* --from FILE */
} S_args;

static int S_parse(int argc, char **argv, S_args *a, int allow_run_opts)
{
    static const struct option opts[] = {
        {"reps", required_argument, 0, 'r'},   {"seed", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"set", required_argument, 0, 'S'},    {"overwrite", no_argument, 0, 'w'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"profile", no_argument, 0, 'p'},       {"policy", required_argument, 0, 'P'},
        {"force-memory", no_argument, 0, 'M'}, {"no-cache", no_argument, 0, 'C'},
        {"precision", required_argument, 0, 'X'}, {"max-reps", required_argument, 0, 'N'},
        {"batch", required_argument, 0, 'B'},
        {"snapshot-at", required_argument, 0, 'A'}, {"from", required_argument, 0, 'F'},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->snapshot_week = -1;
    a->sets = calloc((size_t)argc + 2, sizeof *a->sets);
    if (!a->sets) return -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end, *buf;
        long v;
        if (!allow_run_opts && c != 'S' && c != 'h' && c != 'P' && c != '?') {
            fprintf(stderr, "placesim: option %s is not valid here\n", argv[optind - 1]);
            return -1;
        }
        switch (c) {
        case 'r':
        case 's':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < (c == 'r' ? 1 : 0)) {
                fprintf(stderr, "placesim: --%s: expected a %s whole number, got '%s'\n",
                        c == 'r' ? "reps" : "seed", c == 'r' ? "positive" : "non-negative",
                        optarg);
                return -1;
            }
            buf = malloc(strlen(optarg) + 32);
            if (!buf) return -1;
            sprintf(buf, "run.%s=%s", c == 'r' ? "replications" : "seed", optarg);
            a->sets[a->n_sets++] = buf;
            break;
        case 't':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < 1 || v > 4096) {
                fprintf(stderr, "placesim: --threads: expected 1 to 4096, got '%s'\n", optarg);
                return -1;
            }
            a->threads = (int)v;
            break;
        case 'o': a->out = optarg; break;
        case 'S': a->sets[a->n_sets++] = strdup(optarg); break;
        case 'w': a->overwrite = 1; break;
        case 'q': a->quiet = 1; break;
        case 'p': a->profile = 1; break;
        case 'P': a->policy = optarg; break;
        case 'M': a->force_memory = 1; break;
        case 'C': a->no_cache = 1; break;
        case 'X':
            errno = 0;
            a->precision = strtod(optarg, &end);
            if (*optarg == '\0' || *end || errno || !(a->precision > 0 && a->precision < 1)) {
                fprintf(stderr, "placesim: --precision: expected a half-width between 0 and 1 "
                                "(the headline metrics are shares), got '%s'\n", optarg);
                return -1;
            }
            break;
        case 'N':
        case 'B':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < (c == 'N' ? 2 : 1) || v > 100000) {
                fprintf(stderr, "placesim: --%s: expected a whole number from %d to 100000, got "
                                "'%s'\n", c == 'N' ? "max-reps" : "batch", c == 'N' ? 2 : 1, optarg);
                return -1;
            }
            if (c == 'N') a->max_reps = v;
            else a->batch = v;
            break;
        case 'A':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < 0 || v > INT_MAX || optind >= argc) {
                fprintf(stderr, "placesim: --snapshot-at: expected a week and a file, e.g. "
                                "--snapshot-at 52 warm.snap\n");
                return -1;
            }
            a->snapshot_week = (int)v;
            a->snapshot_path = argv[optind++];
            break;
        case 'F': a->from_path = optarg; break;
        case 'h': a->help = 1; break;
        default: return -1;
        }
    }
    if (optind < argc) a->scenario = argv[optind++];
    if (optind < argc) a->second = argv[optind++];
    if (a->scenario) {
        ps_diag d;
        ps_diag_init(&d);
        if (cli_choose_model(a->scenario, &d) != 0) {
            cli_print_diag(&d);
            return -2; /* the problem is printed: no usage text */
        }
    }
    if (a->second && allow_run_opts != 2) {
        fprintf(stderr, "placesim: unexpected argument '%s'\n", a->second);
        return -1;
    }
    if (optind < argc) {
        fprintf(stderr, "placesim: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
}

static void S_free_args(S_args *a)
{
    for (size_t i = 0; i < a->n_sets; i++) free((void *)a->sets[i]);
    free(a->sets);
}

static int S_cmd_validate(int argc, char **argv)
{
    S_args a;
    int parsed = S_parse(argc, argv, &a, 0);
    if (parsed != 0) {
        if (parsed != -2) S_usage_validate(stderr);
        S_free_args(&a);
        return 2;
    }
    if (a.help) {
        S_usage_validate(stdout);
        S_free_args(&a);
        return 0;
    }
    if (!a.scenario) {
        S_usage_validate(stderr);
        S_free_args(&a);
        return 2;
    }
    ps_loaded arm;
    ps_diag d;
    ps_diag_init(&d);
    int rc = 0;
    if (ps_loaded_open(&arm, S_model, a.scenario, a.policy, a.sets, a.n_sets, &d) != 0) {
        cli_print_diag(&d);
        fprintf(stderr, "placesim: %s: %d problem%s\n", a.policy ? a.policy : a.scenario,
                d.count, d.count == 1 ? "" : "s");
        rc = cli_exit_code(&d);
    } else {
        printf("%s: valid (%ld citizens, %d replications of %d weeks after %d weeks of warm-up, "
               "%zu intervention%s)\n",
               a.policy ? a.policy : a.scenario, S_model->population(arm.place),
               arm.scen.run.replications, arm.scen.run.weeks, arm.scen.run.warmup,
               arm.timeline.n, arm.timeline.n == 1 ? "" : "s");
    }
    ps_loaded_close(&arm);
    S_free_args(&a);
    return rc;
}

static void S_print_headline(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    /* the model's key figures (its report spec) */
    const ps_report_spec *spec = S_model->report;
    const char *const *show = spec ? spec->key_figures : NULL;
    size_t n_show = spec ? spec->n_key_figures : 0;
    if (n_show > 16) n_show = 16;
    char line[1024], last_metric[128] = "";
    char best[16][1024] = {{0}};
    if (!fgets(line, sizeof line, fp)) {
        fclose(fp);
        return;
    }
    while (fgets(line, sizeof line, fp)) {
        char *comma = strchr(line, ',');
        if (!comma) continue;
        size_t len = (size_t)(comma - line);
        if (len >= sizeof last_metric) continue;
        memcpy(last_metric, line, len);
        last_metric[len] = '\0';
        for (size_t k = 0; k < n_show; k++)
            if (strcmp(last_metric, show[k]) == 0) snprintf(best[k], sizeof best[k], "%s", line);
    }
    fclose(fp);
    printf("%-30s %6s %12s %12s %12s\n", "metric (at the horizon)", "week", "mean", "p5", "p95");
    for (size_t k = 0; k < n_show; k++) {
        char metric[128];
        int week;
        unsigned n;
        double mean, sd, p5, p50, p95;
        if (sscanf(best[k], "%127[^,],%d,%u,%lf,%lf,%lf,%lf,%lf", metric, &week, &n, &mean,
                   &sd, &p5, &p50, &p95) == 8)
            printf("%-30s %6d %12.4g %12.4g %12.4g\n", metric, week, mean, p5, p95);
    }
}

static void S_snapshot_header(const ps_loaded *arm, int week, ps_snapshot_header *h)
{
    memset(h, 0, sizeof *h);
    snprintf(h->version, sizeof h->version, "%s", PLACESIM_VERSION);
    snprintf(h->model, sizeof h->model, "%s", S_model->name);
    h->scenario_file_hash = ps_snapshot_file_hash(arm->scen.path);
    h->seed = arm->scen.run.seed;
    h->population = S_model->population(arm->place);
    h->replications = arm->scen.run.replications;
    h->weeks = arm->scen.run.weeks;
    h->warmup = arm->scen.run.warmup;
    h->week = week;
    const char *const *names;
    h->n_metrics = (int32_t)ps_model_metric_count(S_model, arm->place);
    h->n_annual = S_model->annual_names ? (int32_t)S_model->annual_names(arm->place, &names) : 0;
    h->n_interventions = (int32_t)arm->timeline.n;
}

/* Opens the snapshots a command asked for; returns 0 or -1 (d filled). */
static int S_snapshots_open(const S_args *a, const ps_loaded *arm, ps_snapshot *save,
                            ps_snapshot *from, ps_snapshot_io *io, ps_diag *d)
{
    memset(io, 0, sizeof *io);
    ps_snapshot_header h;
    if ((a->snapshot_path || a->from_path) && (!S_model->save || !S_model->restore)) {
        ps_diag_add(d, PS_ERR_INPUT, a->snapshot_path ? "--snapshot-at" : "--from", 0, "",
                    "the model '%s' does not save its state, so it takes no snapshots",
                    S_model->name);
        return -1;
    }
    if (a->snapshot_path) {
        if (a->snapshot_week >= arm->scen.run.weeks) {
            ps_diag_add(d, PS_ERR_INPUT, "--snapshot-at", 0, "",
                        "week %d is not before the horizon (%d weeks)", a->snapshot_week,
                        arm->scen.run.weeks);
            return -1;
        }
        S_snapshot_header(arm, a->snapshot_week, &h);
        if (ps_snapshot_create(save, a->snapshot_path, &h, d) != 0) return -1;
        io->save = save;
    }
    if (a->from_path) {
        S_snapshot_header(arm, 0, &h);
        if (ps_snapshot_open(from, a->from_path, &h, d) != 0) {
            ps_snapshot_abandon(from);
            return -1;
        }
        io->from = from;
    }
    return 0;
}

/* Refuses, before allocating, a run whose state and series would not fit
 * in the memory available (unless --force-memory): one replication's state
 * is alive at a time, but the rows of every replication (of every arm, for
 * compare) are kept to the end for summary.csv and the report. Returns 0
 * to go on. */
static int S_memory_guard(const S_args *a, const ps_loaded *l, int arms)
{
    const ps_run_settings *run = &l->scen.run;
    /* a warm state is held twice while it is written to the cache or
     * branched into the arms: the state and its bytes */
    double state = S_model->state_bytes ? 2.05 * (double)S_model->state_bytes(l->place) : 0;
    int reps = run->replications;
    if (a->precision > 0) reps = a->max_reps > reps ? (int)a->max_reps : (reps > 64 ? reps : 64);
    size_t nm = ps_model_metric_count(S_model, l->place);
    double series = ps_memory_series_bytes((size_t)arms, (size_t)reps, (size_t)run->weeks, nm);
    if (arms == 1) /* and the summary weeks of every replication */
        series += (double)run->replications * run->n_summary_weeks * (double)nm * sizeof(double);
    char what[320], s1[32], s2[32];
    snprintf(what, sizeof what,
             "a replication of %ld citizens, held twice (%s), and the series of %d arm%s x %d "
             "replications x %d weeks x %zu metrics (%s)",
             S_model->population(l->place), ps_memory_size(state, s1, sizeof s1), arms,
             arms == 1 ? "" : "s", reps, run->weeks + 1, nm,
             ps_memory_size(series, s2, sizeof s2));
    ps_diag d;
    ps_diag_init(&d);
    int rc = ps_memory_check(state + series, what, a->force_memory, &d);
    if (rc) cli_print_diag(&d);
    return rc;
}

/* Warns (on stderr, once) when the run is too small to stand for the place. */
static void S_warn_size(const void *place)
{
    char msg[512];
    if (ps_size_warning(S_model, place, msg, sizeof msg)) fprintf(stderr, "placesim: %s\n", msg);
}

/* The warm-state cache a command uses: the environment's, unless --no-cache. */
static void S_cache(const S_args *a, ps_warm_cache *c)
{
    ps_warm_cache_default(c);
    if (a->no_cache) c->dir[0] = '\0';
}

/* One line on the steady state the reported numbers come from, and a
 * warning when the warm-up did not hold the transient or the reported
 * window drifts (manifest.json has the details). */
static void S_print_steady(const ps_steady *s, const void *place, int quiet)
{
    const ps_metric *metrics;
    S_model->metrics(place, &metrics);
    if (s->n == 0) return;
    /* --quiet: only a warning */
    size_t drifting = 0;
    for (size_t k = 0; k < s->n; k++) drifting += s->part > 0 && !s->m[k].drift_ok;
    if (quiet && s->covered && !drifting) return;
    const char *slow = metrics[s->m[s->slowest].metric].name;
    size_t unresolved = s->n;
    for (size_t k = 0; k < s->n; k++)
        if (!s->m[k].resolved) unresolved = k;
    if (s->covered)
        printf("steady state: the %d-week warm-up covers the transient (MSER-5 ends it at "
               "week %d, %s the slowest)", s->warmup, s->transient_end, slow);
    else if (unresolved < s->n)
        printf("WARNING: MSER-5 finds no end to the transient of %s in the first half of the "
               "warm-up and checked weeks: the %d-week warm-up is likely too short",
               metrics[s->m[unresolved].metric].name, s->warmup);
    else
        printf("WARNING: the transient outlasts the %d-week warm-up: MSER-5 ends it %d weeks "
               "into the reported window (%s); raise run.warmup to at least %d",
               s->warmup, s->transient_end, slow, s->warmup + s->transient_end);
    if (s->part == 0) {
        printf("; the reported window was not tested for drift (%s)\n",
               s->reps < 2 ? "one replication" : "too few weeks before the first intervention");
        return;
    }
    size_t bad = 0, first = 0;
    for (size_t k = 0; k < s->n; k++)
        if (!s->m[k].drift_ok && bad++ == 0) first = k;
    if (!bad)
        printf("; no drift over the %d checked weeks\n", s->checked_weeks);
    else
        printf("\nWARNING: %zu of %zu headline metrics drift over the %d checked weeks "
               "(%s: %+.3g from the first to the last %d weeks); the numbers are read off a "
               "transient\n",
               bad, s->n, s->checked_weeks, metrics[s->m[first].metric].name, s->m[first].drift.mean,
               s->part);
}

/* The output directory: --out, else results/<name of the file>. */
static void S_out_dir(const S_args *a, const char *name_from, char *out, size_t size)
{
    if (a->out) {
        snprintf(out, size, "%s", a->out);
        return;
    }
    const char *base = strrchr(name_from, '/');
    base = base ? base + 1 : name_from;
    size_t len = strcspn(base, ".");
    snprintf(out, size, "results/%.*s", (int)len, base);
}

/* The serial part of the tick and what it implies for many threads: were
 * the rest to scale perfectly from these T threads, one thread would spend
 * s1 of its time on it, and Amdahl's law caps the efficiency on P threads
 * at 1 / (P s1 + 1 - s1). */
static void S_print_serial(const ps_run_result *res, double total, int threads)
{
    double serial = res->serial_seconds;
    if (serial < 0 || total <= 0) return;
    double one = serial + (double)threads * (total - serial);
    double s1 = one > 0 ? serial / one : 0;
    printf("%-12s %10.3f %7.1f%%   (outside parallel regions, within the phases above)\n",
           "serial", serial, 100 * serial / total);
    printf("Amdahl: %.2f %% of a one-thread tick is serial; efficiency is at most %.0f %% on "
           "16 threads and %.0f %% on 64\n",
           100 * s1, 100 / (16 * s1 + 1 - s1), 100 / (64 * s1 + 1 - s1));
}

static void S_print_profile(const ps_run_result *res, double citizen_weeks, int threads)
{
    double total = 0;
    for (size_t k = 0; k < res->n_phases; k++) total += res->phase_seconds[k];
    printf("%-12s %10s %8s %16s\n", "phase", "seconds", "share", "ns/citizen-week");
    for (size_t k = 0; k < res->n_phases; k++)
        printf("%-12s %10.3f %7.1f%% %16.2f\n", res->phase_names[k], res->phase_seconds[k],
               total > 0 ? 100 * res->phase_seconds[k] / total : 0,
               citizen_weeks > 0 ? 1e9 * res->phase_seconds[k] / citizen_weeks : 0);
    S_print_serial(res, total, threads);
    printf("vector paths: %s\n",
           ps_cpu_avx2() ? "AVX2 (PLACESIM_NO_AVX2=1 times the portable ones)"
                         : "portable (no AVX2, or PLACESIM_NO_AVX2 set)");
}

static int S_cmd_run(int argc, char **argv)
{
    S_args a;
    int parsed = S_parse(argc, argv, &a, 1);
    if (parsed != 0) {
        if (parsed != -2) S_usage_run(stderr);
        S_free_args(&a);
        return 2;
    }
    if (a.help || !a.scenario) {
        S_usage_run(a.help ? stdout : stderr);
        S_free_args(&a);
        return a.help ? 0 : 2;
    }
    if (a.threads > 0) omp_set_num_threads(a.threads);
    ps_loaded arm, base;
    memset(&base, 0, sizeof base);
    ps_diag d;
    ps_diag_init(&d);
    int rc = 0;
    char out[1024];
    ps_snapshot snap_save, snap_from;
    ps_snapshot_io snap_io = {NULL, NULL};
    memset(&snap_save, 0, sizeof snap_save);
    memset(&snap_from, 0, sizeof snap_from);
    if (ps_loaded_open(&arm, S_model, a.scenario, a.policy, a.sets, a.n_sets, &d) != 0) {
        cli_print_diag(&d);
        rc = cli_exit_code(&d);
        goto done;
    }
    if ((rc = S_memory_guard(&a, &arm, 1)) != 0) goto done;
    S_warn_size(arm.place);
    if (a.snapshot_path && a.from_path) {
        fprintf(stderr, "placesim: use either --snapshot-at or --from, not both\n");
        rc = 2;
        goto done;
    }
    if (S_snapshots_open(&a, &arm, &snap_save, &snap_from, &snap_io, &d) != 0) {
        cli_print_diag(&d);
        rc = cli_exit_code(&d);
        goto done;
    }
    S_out_dir(&a, a.scenario, out, sizeof out);
    /* a policy acts from week 0 on the baseline's settled place, as in a
     * comparison: the warm-up is the baseline's */
    if (a.policy && !a.from_path &&
        ps_loaded_open(&base, S_model, a.scenario, NULL, a.sets, a.n_sets, &d) != 0) {
        cli_print_diag(&d);
        rc = cli_exit_code(&d);
        goto done;
    }
    ps_warm_cache cache;
    S_cache(&a, &cache);
    ps_run_options opt = {out, &arm.timeline, omp_get_max_threads(), a.overwrite, a.quiet,
                          PLACESIM_VERSION, &snap_io, &cache,
                          a.policy && !a.from_path ? base.place : NULL,
                          a.policy && !a.from_path ? &base.scen : NULL, NULL};
    ps_run_result res;
    const ps_run_settings *run = &arm.scen.run;
    if (!a.quiet)
        fprintf(stderr, "placesim: %s: %ld citizens, %d replication%s of %d weeks (+%d warm-up), "
                        "%zu intervention%s, %d thread%s\n",
                a.scenario, S_model->population(arm.place), run->replications,
                run->replications == 1 ? "" : "s", run->weeks, run->warmup, arm.timeline.n,
                arm.timeline.n == 1 ? "" : "s", opt.threads, opt.threads == 1 ? "" : "s");
    rc = ps_sim_run(S_model, arm.place, &arm.scen, &opt, &res, &d);
    if (snap_io.save) {
        if (rc) ps_snapshot_abandon(&snap_save);
        else if (ps_snapshot_finish(&snap_save, &d) != 0) rc = d.status;
        else if (!a.quiet)
            fprintf(stderr, "placesim: snapshot of week %d in %s\n", a.snapshot_week,
                    a.snapshot_path);
    }
    if (snap_io.from) ps_snapshot_finish(&snap_from, &d);
    if (rc) {
        char what[300];
        cli_print_diag(&d);
        ps_output_describe(out, what, sizeof what);
        fprintf(stderr, "placesim: the run did not finish; %s %s\n", out, what);
    } else {
        if (!a.quiet) S_print_headline(out);
        S_print_steady(&res.steady, arm.place, a.quiet);
        printf("placesim: results in %s (report.html, series.csv, summary.csv, %smanifest.json)\n",
               out, S_model->annual_names ? "annual.csv, " : "");
        if (!a.quiet)
            printf("placesim: %.1f s, %.3g citizen-weeks per second\n", res.wall_seconds,
                   res.citizen_weeks_per_second);
        if (a.profile)
            S_print_profile(&res,
                            (double)S_model->population(arm.place) *
                                (run->warmup + run->weeks) * res.replications_done,
                            opt.threads);
    }
    ps_steady_free(&res.steady);
done:
    ps_loaded_close(&arm);
    ps_loaded_close(&base);
    S_free_args(&a);
    return rc;
}

/* Prints the paired differences of the headline metrics (mean over the
 * horizon) from compare.csv. */
static void S_print_compare(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/compare.csv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    static const char *const show[] = {"wellbeing_with_needs", "unmet_share_of_needs",
                                       "wellbeing_gap_1_vs_3plus", "assessments_per_episode",
                                       "weeks_to_first_support", "trust_density"};
    char line[2048];
    printf("%-26s %10s %10s %11s %22s %7s  %s\n", "metric (mean over weeks)", "baseline",
           "policy", "difference", "95% interval", "better", "reading");
    while (fgets(line, sizeof line, fp)) {
        char metric[128], week[16], effect[32] = "", varies[8] = "";
        int dir_;
        double v[12];
        if (sscanf(line,
                   "%127[^,],%15[^,],%d,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%lf,%31[^,],%7[^,\n]",
                   metric, week, &dir_, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7],
                   &v[8], &v[9], &v[10], &v[11], effect, varies) != 17 ||
            strcmp(week, "all") != 0)
            continue;
        for (size_t k = 0; k < sizeof show / sizeof *show; k++)
            if (strcmp(metric, show[k]) == 0)
                printf("%-26s %10.4g %10.4g %+11.3g [%+9.3g, %+9.3g] %6.0f%%  %s%s\n", metric,
                       v[0], v[3], v[6], v[7], v[8], 100 * v[11], effect,
                       strcmp(varies, "yes") == 0 ? " (sign varies across replications)" : "");
    }
    fclose(fp);
}

static int S_cmd_compare(int argc, char **argv)
{
    S_args a;
    int parsed = S_parse(argc, argv, &a, 2);
    if (parsed != 0) {
        if (parsed != -2) S_usage_compare(stderr);
        S_free_args(&a);
        return 2;
    }
    if (!a.help && (a.max_reps || a.batch) && !(a.precision > 0)) {
        fprintf(stderr, "placesim: --max-reps and --batch go with --precision\n");
        S_free_args(&a);
        return 2;
    }
    if (!a.help && a.precision > 0 && a.from_path) {
        fprintf(stderr, "placesim: --precision adds replications, which a snapshot (--from) "
                        "cannot provide beyond its own\n");
        S_free_args(&a);
        return 2;
    }
    if (!a.help && (a.policy || a.profile)) {
        fprintf(stderr, "placesim: compare takes the policy as its second argument and has no "
                        "--profile\n");
        S_free_args(&a);
        return 2;
    }
    if (a.help || !a.scenario || !a.second) {
        S_usage_compare(a.help ? stdout : stderr);
        S_free_args(&a);
        return a.help ? 0 : 2;
    }
    if (a.threads > 0) omp_set_num_threads(a.threads);
    ps_loaded arms[2];
    memset(arms, 0, sizeof arms);
    ps_snapshot snap_save, snap_from;
    ps_snapshot_io snap_io = {NULL, NULL};
    memset(&snap_save, 0, sizeof snap_save);
    memset(&snap_from, 0, sizeof snap_from);
    ps_diag d;
    ps_diag_init(&d);
    int rc = 0;
    char out[1024];
    if (ps_loaded_open(&arms[0], S_model, a.scenario, NULL, a.sets, a.n_sets, &d) != 0 ||
        ps_loaded_open(&arms[1], S_model, a.scenario, a.second, a.sets, a.n_sets, &d) != 0) {
        cli_print_diag(&d);
        rc = cli_exit_code(&d);
        goto done;
    }
    if ((rc = S_memory_guard(&a, &arms[0], 2)) != 0) goto done;
    S_warn_size(arms[0].place);
    if (a.snapshot_path) {
        fprintf(stderr, "placesim: compare takes --from FILE; make the snapshot with "
                        "'placesim run SCENARIO --snapshot-at WEEK FILE'\n");
        rc = 2;
        goto done;
    }
    if (S_snapshots_open(&a, &arms[0], &snap_save, &snap_from, &snap_io, &d) != 0) {
        cli_print_diag(&d);
        rc = cli_exit_code(&d);
        goto done;
    }
    S_out_dir(&a, a.second, out, sizeof out);
    ps_arm spec[2] = {
        {"baseline", "", arms[0].place, &arms[0].scen, &arms[0].timeline},
        {arms[1].policy.name, arms[1].policy.description, arms[1].place, &arms[1].scen,
         &arms[1].timeline}};
    ps_warm_cache cache;
    S_cache(&a, &cache);
    ps_precision precision = {a.precision, a.max_reps ? (size_t)a.max_reps : 64,
                              a.batch ? (size_t)a.batch : 4, 0, 0, NAN, NULL};
    ps_run_options opt = {out, NULL, omp_get_max_threads(), a.overwrite, a.quiet,
                          PLACESIM_VERSION, &snap_io, &cache, NULL, NULL, &precision};
    ps_run_result res;
    if (!a.quiet)
        fprintf(stderr, "placesim: comparing '%s' with the baseline %s: %d paired replication%s "
                        "of %d weeks, %d thread%s\n",
                spec[1].name, a.scenario, arms[0].scen.run.replications,
                arms[0].scen.run.replications == 1 ? "" : "s", arms[0].scen.run.weeks,
                opt.threads, opt.threads == 1 ? "" : "s");
    rc = ps_compare_run(S_model, spec, 2, &opt, &res, &d);
    if (snap_io.from) ps_snapshot_finish(&snap_from, &d);
    if (rc) {
        char what[300];
        cli_print_diag(&d);
        ps_output_describe(out, what, sizeof what);
        fprintf(stderr, "placesim: the comparison did not finish; %s %s\n", out, what);
    } else {
        if (!a.quiet) S_print_compare(out);
        if (a.precision > 0 && (!a.quiet || !precision.met))
            printf("precision: %s with %zu paired replication%s (largest 95%% half-width %.4g, "
                   "%s; target %g%s)\n",
                   precision.met ? "met" : "NOT met", precision.reps,
                   precision.reps == 1 ? "" : "s", precision.worst_half_width,
                   precision.worst_metric ? precision.worst_metric : "-", a.precision,
                   precision.met ? "" : ", at the --max-reps cap");
        S_print_steady(&res.steady, arms[0].place, a.quiet);
        printf("placesim: results in %s (report.html, compare.csv, costs.csv, series.csv, "
               "resilience.csv, resilience_summary.csv, manifest.json)\n", out);
        if (!a.quiet)
            printf("placesim: %.1f s, %.3g citizen-weeks per second\n", res.wall_seconds,
                   res.citizen_weeks_per_second);
    }
    ps_steady_free(&res.steady);
done:
    ps_loaded_close(&arms[0]);
    ps_loaded_close(&arms[1]);
    S_free_args(&a);
    return rc;
}

static int S_cmd_metrics(int argc, char **argv)
{
    S_args a;
    int rc = S_parse(argc, argv, &a, 0);
    if (rc == 0 && a.help) {
        S_usage_metrics(stdout);
        S_free_args(&a);
        return 0;
    }
    if (rc != 0 || !a.scenario || a.policy) {
        if (rc != -2) S_usage_metrics(stderr);
        S_free_args(&a);
        return 2;
    }
    ps_loaded l;
    ps_diag d;
    ps_diag_init(&d);
    if (ps_loaded_open(&l, S_model, a.scenario, NULL, a.sets, a.n_sets, &d) != 0) {
        cli_print_diag(&d);
        fprintf(stderr, "placesim: %s: %d problem%s\n", a.scenario, d.count,
                d.count == 1 ? "" : "s");
        rc = cli_exit_code(&d);
    } else {
        static const struct {
            unsigned role;
            const char *name;
        } roles[] = {{PS_METRIC_HEADLINE, "headline"}, {PS_METRIC_STEADY, "steady"},
                     {PS_METRIC_RESILIENCE, "resilience"}, {PS_METRIC_COUNT, "count"},
                     {PS_METRIC_COST, "cost"}};
        const ps_metric *t;
        size_t n = S_model->metrics(l.place, &t);
        puts("metric,unit,better,roles,group,label");
        for (size_t m = 0; m < n; m++) {
            char list[96] = "";
            for (size_t k = 0; k < sizeof roles / sizeof *roles; k++)
                if (t[m].roles & roles[k].role)
                    snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                             list[0] ? " " : "", roles[k].name);
            printf("%s,", t[m].name);
            ps_write_csv_field(stdout, t[m].unit);
            printf(",%s,%s,", t[m].better > 0 ? "higher" : t[m].better < 0 ? "lower" : "", list);
            ps_write_csv_field(stdout, t[m].group);
            putchar(',');
            ps_write_csv_field(stdout, t[m].label);
            putchar('\n');
        }
        if (fflush(stdout) != 0 || ferror(stdout)) rc = 3;
    }
    ps_loaded_close(&l);
    S_free_args(&a);
    return rc;
}

static int S_cmd_params(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        S_usage_params(stdout);
        return 0;
    }
    if (argc > 1) {
        S_usage_params(stderr);
        return 2;
    }
    ps_params *reg = ps_params_create();
    if (!reg || S_model->declare(reg) != 0) return 4;
    printf("%-36s %-10s %-21s %-12s %s\n", "path", "default", "range", "unit", "description");
    for (size_t i = 0; i < ps_params_count(reg); i++) {
        const ps_param *p = ps_params_at(reg, i);
        char range[64];
        snprintf(range, sizeof range, "[%g, %g]", p->min, p->max);
        printf("%-36s %-10g %-21s %-12s %s\n", p->path, p->def, range, p->unit, p->doc);
    }
    ps_params_free(reg);
    return 0;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts the process on a domain error; the
     * library's callers check the status codes instead */
    gsl_set_error_handler_off();
    if (argc < 2) {
        S_usage_main(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        S_usage_main(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        printf("placesim %s\n", PLACESIM_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0) {
        const char *what = argc > 2 ? argv[2] : "";
        if (strcmp(what, "run") == 0) S_usage_run(stdout);
        else if (strcmp(what, "validate") == 0) S_usage_validate(stdout);
        else if (strcmp(what, "params") == 0) S_usage_params(stdout);
        else if (strcmp(what, "metrics") == 0) S_usage_metrics(stdout);
        else if (strcmp(what, "compare") == 0) S_usage_compare(stdout);
        else if (strcmp(what, "sweep") == 0) cli_usage_sweep(stdout);
        else if (strcmp(what, "diagnose") == 0) dx_usage(stdout);
        else if (!what[0]) S_usage_main(stdout);
        else {
            fprintf(stderr, "placesim: help: there is no command '%s'\n\n", what);
            S_usage_main(stderr);
            return 2;
        }
        return 0;
    }
    ps_interrupt_install();
    int rc;
    if (strcmp(cmd, "run") == 0) {
        rc = S_cmd_run(argc - 1, argv + 1);
    } else if (strcmp(cmd, "compare") == 0) {
        rc = S_cmd_compare(argc - 1, argv + 1);
    } else if (strcmp(cmd, "diagnose") == 0) {
        rc = dx_command(argc - 1, argv + 1, S_model, PLACESIM_VERSION);
    } else if (strcmp(cmd, "validate") == 0) {
        rc = S_cmd_validate(argc - 1, argv + 1);
    } else if (strcmp(cmd, "params") == 0) {
        rc = S_cmd_params(argc - 1, argv + 1);
    } else if (strcmp(cmd, "metrics") == 0) {
        rc = S_cmd_metrics(argc - 1, argv + 1);
    } else if (strcmp(cmd, "sweep") == 0) {
        /* only a sweep spreads over MPI ranks (when started by mpirun) */
        ps_ranks_init(&argc, &argv);
        rc = cli_cmd_sweep(argc - 1, argv + 1);
        ps_ranks_finalize();
    } else {
        fprintf(stderr, "placesim: unknown command '%s'\n\n", cmd);
        S_usage_main(stderr);
        rc = 2;
    }
    /* the output directory's lock is held until the command has ended */
    ps_output_release_all();
    return rc;
}
