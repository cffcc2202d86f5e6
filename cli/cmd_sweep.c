/* placesim sweep: parameter sweeps and sensitivity analysis. */
#include <errno.h>
#include <getopt.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "loaded_scenario.h"
#include "sim.h"
#include "ranks.h"
#include "sweep.h"

void cli_usage_sweep(FILE *fp)
{
    fputs("usage: placesim sweep SWEEP.cfg [--out DIR] [--resume] [--threads T]\n"
          "                      [--overwrite] [--quiet] [--force-memory] [--show RUN]\n"
          "       mpirun -np K placesim sweep SWEEP.cfg ...   (a build with PLACESIM_MPI)\n"
          "\n"
          "Runs a scenario many times with factors varied by a design (factorial,\n"
          "random, lhs, sobol, saltelli, morris, or a matrix from a CSV file), each\n"
          "run one replication of one design point, and analyses the results\n"
          "(docs/sweep.md, configs/sweeps/). Writes to DIR (default:\n"
          "results/<sweep name>):\n"
          "  runs.csv     one row per run: run, point, replication, seed, status,\n"
          "               factor values, metrics, and the error of a failed run\n"
          "  indices.csv  Sobol S1 and ST with 95 % bootstrap intervals (saltelli), or\n"
          "               Morris mu*, mu and sigma (morris), with the run-to-run noise\n"
          "  report.html  the indices as bars, each metric against each factor\n"
          "  sweep.json   what was swept, and whether the sweep finished\n"
          "\n"
          "  --out DIR       output directory\n"
          "  --resume        finish a sweep that was stopped (or killed) in DIR: only\n"
          "                  the runs missing from runs.csv are run\n"
          "  --threads T     runs at once (default: all cores); results do not depend on T\n"
          "  --overwrite     allow starting afresh in a non-empty DIR\n"
          "  --quiet         no progress lines and no tables: warnings, errors and the\n"
          "                  line saying where the results are\n"
          "  --force-memory  run even when the estimate exceeds the memory available\n"
          "  --show RUN      print the 'placesim run' command that gives run RUN alone\n"
          "                  (its replication r is the sweep's run) and stop\n"
          "\n"
          "Exit status: 0 every run finished, 7 some runs failed (each is reported\n"
          "and recorded as failed in runs.csv; the others go on), 2 bad input,\n"
          "6 stopped by a signal (resume with --resume).\n",
          fp);
}

typedef struct {
    const char *file, *out;
    int resume, overwrite, quiet, force_memory, help, threads;
    long show;
} S_args;

static int S_parse(int argc, char **argv, S_args *a)
{
    static const struct option opts[] = {
        {"out", required_argument, 0, 'o'},     {"resume", no_argument, 0, 'r'},
        {"threads", required_argument, 0, 't'}, {"overwrite", no_argument, 0, 'w'},
        {"quiet", no_argument, 0, 'q'},         {"force-memory", no_argument, 0, 'M'},
        {"show", required_argument, 0, 's'},    {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    memset(a, 0, sizeof *a);
    a->show = -1;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end;
        long v;
        switch (c) {
        case 'o': a->out = optarg; break;
        case 'r': a->resume = 1; break;
        case 'w': a->overwrite = 1; break;
        case 'q': a->quiet = 1; break;
        case 'M': a->force_memory = 1; break;
        case 'h': a->help = 1; break;
        case 't':
        case 's':
            errno = 0;
            v = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end || errno || v < (c == 't' ? 1 : 0) ||
                (c == 't' && v > 4096)) {
                fprintf(stderr, "placesim: --%s: expected %s, got '%s'\n",
                        c == 't' ? "threads" : "show",
                        c == 't' ? "1 to 4096" : "a run number from 0", optarg);
                return -1;
            }
            if (c == 't') a->threads = (int)v;
            else a->show = v;
            break;
        default: return -1;
        }
    }
    if (optind < argc) a->file = argv[optind++];
    if (optind < argc) {
        fprintf(stderr, "placesim: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    if (a->resume && a->overwrite) {
        fprintf(stderr, "placesim: --resume keeps what is in DIR and --overwrite starts afresh; "
                        "choose one\n");
        return -1;
    }
    return 0;
}

/* Prints the placesim run command that gives run `run` alone. */
static int S_show(const ps_sweep *sw, long run)
{
    if ((size_t)run >= ps_sweep_run_count(sw)) {
        fprintf(stderr, "placesim: --show: the sweep has runs 0 to %zu\n",
                ps_sweep_run_count(sw) - 1);
        return 2;
    }
    char **sets;
    long n = ps_sweep_run_sets(sw, (size_t)run, &sets);
    if (n < 0) return 4;
    printf("placesim run %s", sw->scenario);
    for (long i = 0; i < n; i++) printf(" --set '%s'", sets[i]);
    printf(" --reps %ld\n", run % sw->replications + 1);
    printf("# run %ld is replication %ld of that run (point %ld)\n", run,
           run % sw->replications, run / sw->replications);
    ps_sweep_free_sets(sets, (size_t)n);
    return 0;
}

int cli_cmd_sweep(int argc, char **argv)
{
    S_args a;
    if (S_parse(argc, argv, &a) != 0) {
        cli_usage_sweep(stderr);
        return 2;
    }
    if (a.help || !a.file) {
        cli_usage_sweep(a.help ? stdout : stderr);
        return a.help ? 0 : 2;
    }
    int rank = ps_ranks_rank();
    ps_diag d;
    ps_diag_init(&d);
    ps_sweep sw;
    int rc = 0;
    if (ps_sweep_open(&sw, a.file, &d) != 0 || cli_choose_model(sw.scenario, &d) != 0 ||
        ps_sweep_prepare(&sw, cli_model, &d) != 0) {
        if (rank == 0) {
            cli_print_diag(&d);
            fprintf(stderr, "placesim: %s: %d problem%s\n", a.file, d.count,
                    d.count == 1 ? "" : "s");
        }
        rc = cli_exit_code(&d);
        goto done;
    }
    if (a.show >= 0) {
        rc = rank == 0 ? S_show(&sw, a.show) : 0;
        goto done;
    }
    if (rank == 0) {
        /* the sweep's scenario with its fixed overrides: too small to stand
         * for the place? */
        ps_loaded l;
        ps_diag scratch;
        ps_diag_init(&scratch);
        char msg[512];
        if (ps_loaded_open(&l, cli_model, sw.scenario, NULL, sw.sets, sw.n_sets, &scratch) == 0 &&
            ps_size_warning(cli_model, l.place, msg, sizeof msg))
            fprintf(stderr, "placesim: %s\n", msg);
        ps_loaded_close(&l);
    }
    char out[1024];
    if (a.out) {
        snprintf(out, sizeof out, "%s", a.out);
    } else {
        const char *base = strrchr(a.file, '/');
        base = base ? base + 1 : a.file;
        snprintf(out, sizeof out, "results/%.*s", (int)strcspn(base, "."), base);
    }
    ps_sweep_options opt = {out,       a.resume,  a.overwrite, a.quiet || rank != 0,
                            a.force_memory, a.threads ? a.threads : omp_get_max_threads(),
                            PLACESIM_VERSION};
    ps_sweep_outcome res;
    rc = ps_sweep_execute(&sw, cli_model, &opt, &res, &d);
    if (rc && rc != PS_SWEEP_RUNS_FAILED) {
        cli_print_diag(&d);
        if (rank == 0 && rc != 6 && res.started)
            fprintf(stderr, "placesim: the sweep did not finish; the finished runs are kept in "
                            "%s/runs.csv\n", out);
    } else if (rank == 0) {
        printf("placesim: %zu runs (%zu resumed, %zu now) in %.1f s; results in %s (runs.csv,%s "
               "report.html, sweep.json)\n",
               res.runs, res.resumed, res.done_now, res.wall_seconds, out,
               sw.design == PS_SWEEP_SALTELLI || sw.design == PS_SWEEP_MORRIS ? " indices.csv,"
                                                                              : "");
        if (res.failed)
            fprintf(stderr, "placesim: %zu of %zu runs FAILED; they are marked 'failed' in "
                            "runs.csv with their errors, and the indices leave them out\n",
                    res.failed, res.runs);
    }
done:
    ps_sweep_close(&sw);
    return rc;
}
