/* placesim diagnose: a place's precondition profile (from its scenario or a
 * survey of its organisations) and where raising a precondition moves
 * citizen outcomes most (docs/diagnose.md). The command is in
 * cmd_diagnose.c, its report in diagnose_report.c. */
#ifndef PS_CLI_DIAGNOSE_H
#define PS_CLI_DIAGNOSE_H

#include <stdio.h>

#include "model.h"
#include "sc_diagnose.h"
#include "stats.h"

/* The outcomes each leverage arm is judged on. */
#define DX_N_OUTCOMES 5
typedef struct dx_outcome {
    const char *metric; /* the model's metric name */
    const char *label;  /* for people */
    int direction;      /* +1 higher is better, -1 lower is better */
    int discounted;     /* 1: discounted total over the horizon; 0: mean over weeks */
} dx_outcome;
extern const dx_outcome dx_outcomes[DX_N_OUTCOMES];

/* One arm against the baseline, on one outcome. */
typedef struct dx_effect {
    double baseline, arm;     /* means over replications */
    ps_interval diff;         /* arm - baseline, paired, 95 % */
    double share_better;      /* replications in which the arm did better */
    ps_interval vs_alone;     /* joint arms: joint - alone (k alone), paired */
    ps_interval synergy;      /* joint arms: joint effect - sum of the members' alone effects */
} dx_effect;

/* One leverage arm: precondition k raised alone or with its supporters,
 * in the whole place (group 0) or in one system's actors. */
typedef struct dx_lever {
    int k, joint, group;
    char raised[32];          /* "C", or "C+A+E+G" */
    dx_effect eff[DX_N_OUTCOMES];
    int rank;                 /* by the first outcome among arms of its kind */
} dx_lever;

typedef struct dx_result {
    const char *scenario, *survey;
    long population;          /* citizens in the leverage runs */
    long scenario_population; /* citizens in the scenario as written */
    int reps, weeks, warmup;
    unsigned long long seed;
    double step;
    double seconds;
    const sc_dx_profile *profile;
    size_t n_levers;
    dx_lever *levers;         /* [k * 2 + joint] for the place, then by system */
    /* the baseline as simulated, at the horizon (mean over replications),
     * per group as in the profile: where each system is heading */
    double sim_index[SC_DX_MAX_GROUPS][SC_DX_K];
    double sim_trust[SC_DX_MAX_GROUPS], sim_entropy[SC_DX_MAX_GROUPS];
} dx_result;

/* 1 when the interval excludes zero on the better side, -1 on the worse
 * side, 0 when it includes zero. */
int dx_sure(const ps_interval *iv, int direction);

/* The files of a diagnosis, each written into dir atomically. Return 0 or
 * -1 (d filled). */
int dx_write_profile(const char *dir, const sc_dx_profile *pr, ps_diag *d);
int dx_write_leverage(const char *dir, const dx_result *res, ps_diag *d);
int dx_write_manifest(const char *dir, const dx_result *res, unsigned long long scenario_hash,
                      const char *version, size_t n_arms, int threads, ps_diag *d);
/* The manifest of a diagnosis that failed after its directory was
 * prepared: what was asked, "finished": false and no files. */
int dx_write_failed_manifest(const char *dir, const char *scenario, const char *survey,
                             const char *version, ps_diag *d);

/* Writes report.html into dir atomically. Returns 0 or -1 (d filled). */
int dx_write_report(const char *dir, const dx_result *res, ps_diag *d);

/* The command: placesim diagnose ... Returns the exit status. */
int dx_command(int argc, char **argv, const ps_model_type *model, const char *version);
void dx_usage(FILE *fp);

#endif
