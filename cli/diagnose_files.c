/* The diagnosis's data files: profile.csv, leverage.csv and manifest.json
 * (docs/diagnose.md has their columns), each written atomically. */
#include <math.h>
#include <stdio.h>

#include "diagnose.h"
#include "output.h"

static void S_csv_num(FILE *fp, double v)
{
    fputc(',', fp);
    ps_write_double(fp, v);
}

int dx_write_profile(const char *dir, const sc_dx_profile *pr, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "profile.csv", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("scope,name,precondition,level,spread_actors,spread_respondents,actors,answers,"
          "rank_weakest,furthest_below,gap\n", fp);
    for (int g = 0; g < pr->n_groups; g++) {
        const sc_dx_group *G = &pr->groups[g];
        for (int k = 0; k < SC_DX_K; k++) {
            int rank = 1, ans = 0;
            for (int j = 0; j < SC_DX_K; j++)
                if (j != k && (G->index[j] < G->index[k] || (G->index[j] == G->index[k] && j < k)))
                    rank++;
            for (int a = 0; a < pr->n_actors; a++)
                if (!pr->actors[a].dormant && (g == 0 || pr->actors[a].group == g))
                    ans += pr->actors[a].answers[k];
            fprintf(fp, "%s,", g == 0 ? "place" : "system");
            ps_write_csv_field(fp, G->name);
            fprintf(fp, ",%c", 'A' + k);
            S_csv_num(fp, G->index[k]);
            S_csv_num(fp, G->spread_actors[k]);
            S_csv_num(fp, G->spread_respondents[k]);
            fprintf(fp, ",%d,%d,%d,", G->n_actors, ans, rank);
            if (G->below[k][0] >= 0) ps_write_csv_field(fp, pr->actors[G->below[k][0]].id);
            S_csv_num(fp, G->below[k][0] >= 0 ? G->below_gap[k][0] : NAN);
            fputc('\n', fp);
        }
        static const char *const structural[] = {"trust_density", "leadership_entropy", "links"};
        double vals[] = {G->trust_density, G->leadership_entropy, G->links};
        for (int s = 0; s < 3; s++) {
            fprintf(fp, "%s,", g == 0 ? "place" : "system");
            ps_write_csv_field(fp, G->name);
            fprintf(fp, ",%s", structural[s]);
            S_csv_num(fp, vals[s]);
            fprintf(fp, ",nan,nan,%d,0,0,,nan\n", G->n_actors);
        }
    }
    fputs("place,place,cross_system_links", fp);
    S_csv_num(fp, pr->cross_links);
    fputs(",nan,nan,0,0,0,,nan\nplace,place,cross_system_trust", fp);
    S_csv_num(fp, pr->cross_trust);
    fputs(",nan,nan,0,0,0,,nan\n", fp);
    for (int a = 0; a < pr->n_actors; a++) {
        const sc_dx_actor *x = &pr->actors[a];
        if (x->dormant) continue;
        for (int k = 0; k < SC_DX_K; k++) {
            fputs("actor,", fp);
            ps_write_csv_field(fp, x->id);
            fprintf(fp, ",%c", 'A' + k);
            S_csv_num(fp, x->level[k]);
            S_csv_num(fp, NAN);
            S_csv_num(fp, x->answers[k] >= 2 ? x->sd[k] : NAN);
            fprintf(fp, ",1,%d,0,", x->answers[k]);
            ps_write_csv_field(fp, x->group > 0 ? pr->groups[x->group].name : "");
            S_csv_num(fp, x->group > 0 ? pr->groups[x->group].index[k] - x->level[k] : NAN);
            fputc('\n', fp);
        }
    }
    return ps_outfile_commit(&f, d);
}

int dx_write_leverage(const char *dir, const dx_result *res, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "leverage.csv", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("scope,precondition,variant,raised,step,metric,direction,baseline,arm,difference,"
          "difference_lo,difference_hi,sure,share_better,joint_minus_alone,"
          "joint_minus_alone_lo,joint_minus_alone_hi,synergy,synergy_lo,synergy_hi,rank\n",
          fp);
    static const char *const sure[] = {"worse", "unsure", "better"};
    for (size_t i = 0; i < res->n_levers; i++) {
        const dx_lever *L = &res->levers[i];
        for (int o = 0; o < DX_N_OUTCOMES; o++) {
            const dx_effect *e = &L->eff[o];
            ps_write_csv_field(fp, res->profile->groups[L->group].name);
            fprintf(fp, ",%c,%s,%s", 'A' + L->k, L->joint ? "with_supporters" : "alone",
                    L->raised);
            S_csv_num(fp, res->step);
            fprintf(fp, ",%s,%d", dx_outcomes[o].metric, dx_outcomes[o].direction);
            S_csv_num(fp, e->baseline);
            S_csv_num(fp, e->arm);
            S_csv_num(fp, e->diff.mean);
            S_csv_num(fp, e->diff.lo);
            S_csv_num(fp, e->diff.hi);
            fprintf(fp, ",%s", sure[1 + dx_sure(&e->diff, dx_outcomes[o].direction)]);
            S_csv_num(fp, e->share_better);
            S_csv_num(fp, e->vs_alone.mean);
            S_csv_num(fp, e->vs_alone.lo);
            S_csv_num(fp, e->vs_alone.hi);
            S_csv_num(fp, e->synergy.mean);
            S_csv_num(fp, e->synergy.lo);
            S_csv_num(fp, e->synergy.hi);
            fprintf(fp, ",%d\n", L->rank);
        }
    }
    return ps_outfile_commit(&f, d);
}


/* What was run, for the record (the timings differ between runs; the CSV
 * files do not). */
int dx_write_manifest(const char *dir, const dx_result *res, unsigned long long scenario_hash,
                      const char *version, size_t n_arms, int threads, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "manifest.json", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("{\n  \"program\": \"placesim diagnose\",\n  \"version\": ", fp);
    ps_write_json_string(fp, version);
    fputs(",\n  \"scenario\": ", fp);
    ps_write_json_string(fp, res->scenario);
    fprintf(fp, ",\n  \"scenario_hash\": \"fnv1a64:%016llx\"",
            scenario_hash);
    fputs(",\n  \"survey\": ", fp);
    if (res->survey) ps_write_json_string(fp, res->survey);
    else fputs("null", fp);
    fprintf(fp, ",\n  \"seed\": %llu,\n  \"replications\": %d,\n  \"arms\": %zu", res->seed,
            res->reps, n_arms);
    fprintf(fp, ",\n  \"weeks\": %d,\n  \"warmup\": %d", res->weeks, res->warmup);
    fprintf(fp, ",\n  \"population\": %ld,\n  \"scenario_population\": %ld", res->population,
            res->scenario_population);
    fprintf(fp, ",\n  \"step\": %.10g", res->step);
    fprintf(fp, ",\n  \"threads\": %d,\n  \"wall_seconds\": %.3f", threads,
            res->seconds);
    fputs(",\n  \"finished\": true", fp);
    ps_outfile_write_files(&f);
    fputs("\n}\n", fp);
    return ps_outfile_commit(&f, d);
}

int dx_write_failed_manifest(const char *dir, const char *scenario, const char *survey,
                             const char *version, ps_diag *d)
{
    ps_outfile f;
    if (ps_outfile_open(&f, dir, "manifest.json", d) != 0) return -1;
    FILE *fp = f.fp;
    fputs("{\n  \"program\": \"placesim diagnose\",\n  \"version\": ", fp);
    ps_write_json_string(fp, version);
    fputs(",\n  \"scenario\": ", fp);
    ps_write_json_string(fp, scenario);
    fputs(",\n  \"survey\": ", fp);
    if (survey) ps_write_json_string(fp, survey);
    else fputs("null", fp);
    fputs(",\n  \"finished\": false", fp);
    ps_outfile_write_files(&f);
    fputs("\n}\n", fp);
    return ps_outfile_commit(&f, d);
}
