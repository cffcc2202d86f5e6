/* placesim: the command-line front end. */
#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "params.h"
#include "scenario.h"
#include "sim.h"
#include "systems_change.h"

#ifndef PLACESIM_VERSION
#define PLACESIM_VERSION "0.0.0"
#endif

static const ps_model_type *const S_model = &sc_model_type;

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
          "  validate SCENARIO  check a scenario file and report every problem\n"
          "  params             list every model parameter: path, default, range, doc\n"
          "  help COMMAND       help for one command\n"
          "\n"
          "options:\n"
          "  --help             this text\n"
          "  --version          the version\n"
          "\n"
          "Exit status: 0 success, 2 bad input, 3 file error, 4 out of memory,\n"
          "5 numeric failure in the model.\n",
          fp);
}

static void S_usage_run(FILE *fp)
{
    fputs("usage: placesim run SCENARIO [--reps N] [--seed S] [--threads T]\n"
          "                    [--out DIR] [--overwrite] [--quiet] [--profile]\n"
          "                    [--set path=value]...\n"
          "\n"
          "Runs N replications of the scenario and writes to DIR:\n"
          "  series.csv     replication, week, then one column per metric\n"
          "  summary.csv    per metric and chosen week: mean, sd, 5th/50th/95th percentile\n"
          "  annual.csv     per replication and year: contact overlap of housing,\n"
          "                 substance-use and offending needs\n"
          "  manifest.json  version, scenario hash, seed, threads, timings\n"
          "\n"
          "  --reps N         replications (default: run.replications in the file, else 1)\n"
          "  --seed S         seed (default: run.seed, else 1)\n"
          "  --threads T      OpenMP threads (default: all); results do not depend on T\n"
          "  --out DIR        output directory (default: results/<scenario name>)\n"
          "  --overwrite      allow writing into a non-empty output directory\n"
          "  --quiet          no progress lines\n"
          "  --profile        print the time spent in each phase of the tick\n"
          "  --set path=value override a parameter (see 'placesim params') or any\n"
          "                   scenario setting, e.g. population.size=20000 or\n"
          "                   actors.police.capacity=500; may be repeated\n",
          fp);
}

static void S_usage_validate(FILE *fp)
{
    fputs("usage: placesim validate SCENARIO [--set path=value]...\n"
          "\n"
          "Checks the scenario strictly and prints every problem as\n"
          "file:line: setting: message. Exit status 0 when valid, 2 otherwise.\n",
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

static void S_print_diag(const ps_diag *d)
{
    char line[1024];
    int shown = d->count < PS_DIAG_MAX ? d->count : PS_DIAG_MAX;
    for (int i = 0; i < shown; i++) {
        ps_diag_format(d, i, line, sizeof line);
        fprintf(stderr, "%s\n", line);
    }
    if (d->count > shown)
        fprintf(stderr, "placesim: %d more problems not shown\n", d->count - shown);
}

static int S_exit_code(const ps_diag *d)
{
    return d->status ? d->status : PS_ERR_INPUT;
}

typedef struct {
    const char *scenario;
    const char *out;
    const char **sets;
    size_t n_sets;
    int threads, overwrite, quiet, help, profile;
} S_args;

static int S_parse(int argc, char **argv, S_args *a, int allow_run_opts)
{
    static const struct option opts[] = {
        {"reps", required_argument, 0, 'r'},   {"seed", required_argument, 0, 's'},
        {"threads", required_argument, 0, 't'}, {"out", required_argument, 0, 'o'},
        {"set", required_argument, 0, 'S'},    {"overwrite", no_argument, 0, 'w'},
        {"quiet", no_argument, 0, 'q'},        {"help", no_argument, 0, 'h'},
        {"profile", no_argument, 0, 'p'},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->sets = calloc((size_t)argc + 2, sizeof *a->sets);
    if (!a->sets) return -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end, *buf;
        long v;
        if (!allow_run_opts && c != 'S' && c != 'h' && c != '?') {
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
        case 'h': a->help = 1; break;
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

static void S_free_args(S_args *a)
{
    for (size_t i = 0; i < a->n_sets; i++) free((void *)a->sets[i]);
    free(a->sets);
}

/* Loads and validates; returns the place or NULL (problems printed). */
static void *S_load(const S_args *a, ps_params *reg, ps_scenario *scen, ps_diag *d)
{
    if (S_model->declare(reg) != 0) {
        fprintf(stderr, "placesim: internal error: the parameter registry is inconsistent\n");
        return NULL;
    }
    if (ps_scenario_open(scen, a->scenario, reg, S_model->scenario_keys,
                         S_model->n_scenario_keys, a->sets, a->n_sets, d) != 0)
        return NULL;
    return S_model->load(scen, reg, d);
}

static int S_cmd_validate(int argc, char **argv)
{
    S_args a;
    if (S_parse(argc, argv, &a, 0) != 0) {
        S_usage_validate(stderr);
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
    ps_params *reg = ps_params_create();
    ps_scenario scen;
    ps_diag d;
    ps_diag_init(&d);
    void *place = reg ? S_load(&a, reg, &scen, &d) : NULL;
    int rc = 0;
    if (!place) {
        S_print_diag(&d);
        fprintf(stderr, "placesim: %s: %d problem%s\n", a.scenario, d.count,
                d.count == 1 ? "" : "s");
        rc = S_exit_code(&d);
    } else {
        printf("%s: valid (%ld citizens, %d replications of %d weeks after %d weeks of warm-up)\n",
               a.scenario, S_model->population(place), scen.run.replications,
               scen.run.weeks, scen.run.warmup);
        S_model->unload(place);
    }
    ps_scenario_close(&scen);
    ps_params_free(reg);
    S_free_args(&a);
    return rc;
}

static void S_print_headline(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    FILE *fp = fopen(path, "r");
    if (!fp) return;
    static const char *const show[] = {"wellbeing_with_needs", "unmet_share_of_needs",
                                       "prevalence_3plus", "assessments_per_episode",
                                       "trust_density", "P_E", "P_H"};
    char line[1024], last_metric[128] = "";
    char best[sizeof show / sizeof *show][1024] = {{0}};
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
        for (size_t k = 0; k < sizeof show / sizeof *show; k++)
            if (strcmp(last_metric, show[k]) == 0) snprintf(best[k], sizeof best[k], "%s", line);
    }
    fclose(fp);
    printf("%-30s %6s %12s %12s %12s\n", "metric (at the horizon)", "week", "mean", "p5", "p95");
    for (size_t k = 0; k < sizeof show / sizeof *show; k++) {
        char metric[128];
        int week;
        unsigned n;
        double mean, sd, p5, p50, p95;
        if (sscanf(best[k], "%127[^,],%d,%u,%lf,%lf,%lf,%lf,%lf", metric, &week, &n, &mean,
                   &sd, &p5, &p50, &p95) == 8)
            printf("%-30s %6d %12.4g %12.4g %12.4g\n", metric, week, mean, p5, p95);
    }
}

static int S_cmd_run(int argc, char **argv)
{
    S_args a;
    if (S_parse(argc, argv, &a, 1) != 0) {
        S_usage_run(stderr);
        S_free_args(&a);
        return 2;
    }
    if (a.help) {
        S_usage_run(stdout);
        S_free_args(&a);
        return 0;
    }
    if (!a.scenario) {
        S_usage_run(stderr);
        S_free_args(&a);
        return 2;
    }
    if (a.threads > 0) omp_set_num_threads(a.threads);
    ps_params *reg = ps_params_create();
    ps_scenario scen;
    ps_diag d;
    ps_diag_init(&d);
    void *place = reg ? S_load(&a, reg, &scen, &d) : NULL;
    int rc = 0;
    char out[1024];
    if (!place) {
        S_print_diag(&d);
        rc = S_exit_code(&d);
        goto done;
    }
    if (a.out) {
        snprintf(out, sizeof out, "%s", a.out);
    } else {
        const char *base = strrchr(a.scenario, '/');
        base = base ? base + 1 : a.scenario;
        size_t len = strcspn(base, ".");
        snprintf(out, sizeof out, "results/%.*s", (int)len, base);
    }
    ps_run_options opt = {out, omp_get_max_threads(), a.overwrite, a.quiet,
                          PLACESIM_VERSION};
    ps_run_result res;
    if (!a.quiet)
        fprintf(stderr, "placesim: %s: %ld citizens, %d replication%s of %d weeks (+%d warm-up), %d thread%s\n",
                a.scenario, S_model->population(place), scen.run.replications,
                scen.run.replications == 1 ? "" : "s", scen.run.weeks, scen.run.warmup,
                opt.threads, opt.threads == 1 ? "" : "s");
    rc = ps_sim_run(S_model, place, &scen, &opt, &res, &d);
    if (rc) {
        S_print_diag(&d);
        fprintf(stderr, "placesim: the run did not finish; %s holds no complete result\n", out);
    } else {
        S_print_headline(out);
        printf("placesim: results in %s (series.csv, summary.csv, annual.csv, manifest.json)\n", out);
        printf("placesim: %.1f s, %.3g citizen-weeks per second\n", res.wall_seconds,
               res.citizen_weeks_per_second);
        if (a.profile) {
            double total = 0;
            for (size_t k = 0; k < res.n_phases; k++) total += res.phase_seconds[k];
            printf("%-12s %10s %8s %14s\n", "phase", "seconds", "share", "ns/citizen-week");
            double cw = (double)S_model->population(place) *
                        (scen.run.warmup + scen.run.weeks) * res.replications_done;
            for (size_t k = 0; k < res.n_phases; k++)
                printf("%-12s %10.3f %7.1f%% %14.2f\n", res.phase_names[k], res.phase_seconds[k],
                       total > 0 ? 100 * res.phase_seconds[k] / total : 0,
                       cw > 0 ? 1e9 * res.phase_seconds[k] / cw : 0);
        }
    }
    S_model->unload(place);
done:
    ps_scenario_close(&scen);
    ps_params_free(reg);
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
        else S_usage_main(stdout);
        return 0;
    }
    if (strcmp(cmd, "run") == 0) return S_cmd_run(argc - 1, argv + 1);
    if (strcmp(cmd, "validate") == 0) return S_cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "params") == 0) return S_cmd_params(argc - 1, argv + 1);
    fprintf(stderr, "placesim: unknown command '%s'\n\n", cmd);
    S_usage_main(stderr);
    return 2;
}
