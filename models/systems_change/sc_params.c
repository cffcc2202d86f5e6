/* Every parameter of the systems-change model, registered once with its
 * dotted path, default, range, unit and doc. Defaults follow the reference
 * model (v1 with the v1.1 amendments); docs/model.md explains each. */
#include <stddef.h>

#include "sc.h"

#define D(path, field, def, lo, hi, unit, doc)                                 \
    if (ps_params_add(reg, path, PS_PARAM_DOUBLE, offsetof(sc_params, field),  \
                      def, lo, hi, unit, doc) != 0)                            \
        return -1;
#define I(path, field, def, lo, hi, unit, doc)                                 \
    if (ps_params_add(reg, path, PS_PARAM_INT, offsetof(sc_params, field),     \
                      def, lo, hi, unit, doc) != 0)                            \
        return -1;
#define B(path, field, def, doc)                                               \
    if (ps_params_add(reg, path, PS_PARAM_BOOL, offsetof(sc_params, field),    \
                      def, 0, 1, "switch", doc) != 0)                          \
        return -1;

int sc_declare(ps_params *reg)
{
    /* latent disadvantage (7b): a small class with a much higher hazard */
    D("disadvantage.high_share", high_share, 0.01, 0, 0.5, "share",
      "share of adults in the high-disadvantage class");
    D("disadvantage.ratio", high_ratio, 440, 1, 100000, "ratio",
      "onset hazard of the high class relative to the rest");

    /* needs (section 4, step 1) */
    D("needs.initial_severity", s0, 0.4, 0.06, 1, "severity",
      "severity of a new need");
    D("needs.kappa_onset", kappa_onset, 0.05, 0, 100, "multiplier",
      "knock-on of active needs on the onset of others (scales W)");
    D("needs.kappa_growth", kappa_growth, 0.5, 0, 100, "multiplier",
      "knock-on of active needs on the growth of unmet ones");
    D("needs.psi", psi, 0.5, 0, 1, "share",
      "protection of personal assets against onset");
    D("needs.chi", chi, 0.3, 0, 1, "share",
      "protection of neighbourhood assets against onset");
    D("needs.relapse", relapse, 2, 1, 100, "multiplier",
      "onset multiplier in a recently resolved domain");
    D("needs.relapse_fade", relapse_fade, 1.0 / 104, 0, 1, "per week",
      "chance a week that the relapse memory of a domain fades");
    D("needs.growth", growth, 0.02, 0, 1, "per week",
      "growth of an unmet need, g (1 - sev)");
    D("needs.recovery", recovery, 0.01, 0, 1, "per week",
      "natural recovery of every need, r sev");
    D("needs.threshold", threshold, 0.05, 0.001, 0.5, "severity",
      "a need below this severity is resolved");
    D("needs.spontaneous", spontaneous, 0.01, 0, 1, "per week",
      "chance a week that an unmet need resolves on its own");
    D("needs.initial_severity_max", initial_severity_max, 0.6, 0.06, 1,
      "severity", "upper bound of the initial severity of needs present at the start");

    /* seeking help and entry */
    D("seek.nu", seek_nu, 1, 0, 10, "exponent",
      "help seeking probability is engagement * max_sev^nu");
    D("seek.local_weight", local_weight, 3, 0, 1000, "weight",
      "weight of an actor based in the citizen's neighbourhood");
    D("seek.away_weight", away_weight, 0.2, 0, 1000, "weight",
      "weight of an actor based in another neighbourhood (city-wide: 1)");

    /* treatment (B, F) */
    D("treatment.eps", eps, 0.08, 0, 1, "per week",
      "base share of a served need's severity removed each week");
    D("treatment.beta_F", beta_F, 0.5, 0, 10, "multiplier",
      "strengths-based gain: (1 + beta_F assets p_F)");

    /* engagement and assets of citizens */
    D("engagement.mean", eng_mean, 0.5, 0, 1, "share",
      "mean initial engagement (Beta distributed)");
    D("engagement.sd", eng_sd, 0.2, 0.001, 0.49, "share",
      "spread of initial engagement");
    D("engagement.gain", eng_gain, 0.3, 0, 1, "share",
      "engagement gain after a case closes with needs resolved");
    D("engagement.turned_away", eng_turned_away, 0.1, 0, 1, "share",
      "engagement loss when turned away or signposted");
    D("engagement.setback", eng_setback, 0.2, 0, 1, "share",
      "engagement loss after a setback that is not picked up");
    D("engagement.relax", eng_relax, 0.02, 0, 1, "per week",
      "engagement relaxes toward the mean at this rate");
    D("assets.mean", assets_mean, 0.4, 0, 1, "share",
      "mean initial personal assets (Beta distributed)");
    D("assets.sd", assets_sd, 0.2, 0.001, 0.49, "share",
      "spread of initial personal assets");
    D("assets.gain", assets_gain, 0.01, 0, 1, "per week",
      "asset growth while supported, times the lead's p_F");
    D("assets.loss", assets_loss, 0.005, 0, 1, "per week",
      "asset loss while a need is unmet");
    D("assets.relax", assets_relax, 0.002, 0, 1, "per week",
      "assets relax toward the mean at this rate");

    /* cases */
    D("cases.dropout", dropout, 0.01, 0, 1, "per week",
      "drop-out chance, times (1 - p_D) of the lead; doubled out of area");
    D("cases.out_of_area", out_of_area, 0.3, 0, 1, "share",
      "chance of an out-of-area placement, times (1 - p_D) of the lead");
    D("cases.early_close", early_close, 0.02, 0, 1, "per week",
      "early closure chance, times (1 - p_A) min(1, 2 stress) needs / 2");
    I("switches.follow_up_weeks", follow_up_weeks, 26, 0, 250, "weeks",
      "follow-up window after a case closes");
    B("switches.single_front_door", single_front_door, 0,
      "every new case goes to the front-door actor, which refers the rest");
    B("switches.information_sharing", information_sharing, 0,
      "information always travels with a warm referral");
    D("volunteers.assets", volunteer_assets, 0.6, 0, 1, "share",
      "assets above which a recovered citizen may volunteer");
    D("volunteers.leave", volunteer_leave, 1.0 / 52, 0, 1, "per week",
      "share of volunteers who stop each week");

    /* dispositions (section 5, 7b) */
    D("dispositions.eta", eta, 0.02, 0, 1, "per week", "learning rate");
    D("dispositions.mu_H", mu_H, 2, 0, 100, "multiplier",
      "H multiplies every learning rate by (1 + mu_H p_H)");
    D("dispositions.c_self", c_self, 0.5, 0, 10, "weight",
      "pull toward the interdependence target C p");
    D("dispositions.c_peer", c_peer, 0.5, 0, 10, "weight",
      "pull toward trusted, influential partners");
    D("dispositions.c_anchor", c_anchor, 0.5, 0, 10, "weight",
      "institutional memory: pull toward the scenario's level");
    D("dispositions.noise", noise, 0.005, 0, 0.2, "sd per week",
      "noise of each disposition");
    D("dispositions.perf_weight", perf_weight, 1.0 / 13, 0, 1, "per week",
      "EWMA weight of an actor's performance");
    D("dispositions.aspiration_weight", asp_weight, 1.0 / 52, 0, 1, "per week",
      "EWMA weight of an actor's aspiration (its own past performance)");
    D("dispositions.feedback_core", fb_core, 0.2, 0, 10, "weight",
      "performance feedback on C, E and H");
    D("dispositions.feedback_other", fb_other, 0.1, 0, 10, "weight",
      "performance feedback on the other preconditions");
    D("stress.A", rho[P_A], 0.05, 0, 1, "per week", "stress erosion of A");
    D("stress.B", rho[P_B], 0.02, 0, 1, "per week", "stress erosion of B");
    D("stress.C", rho[P_C], 0.05, 0, 1, "per week", "stress erosion of C");
    D("stress.D", rho[P_D], 0.02, 0, 1, "per week", "stress erosion of D");
    D("stress.E", rho[P_E], 0.05, 0, 1, "per week", "stress erosion of E");
    D("stress.F", rho[P_F], 0.02, 0, 1, "per week", "stress erosion of F");
    D("stress.G", rho[P_G], 0.03, 0, 1, "per week", "stress erosion of G");
    D("stress.H", rho[P_H], 0.05, 0, 1, "per week", "stress erosion of H");
    D("stress.I", rho[P_I], 0.05, 0, 1, "per week", "stress erosion of I");
    D("stress.rejection_weight", rej_weight, 0.25, 0, 1, "per week",
      "EWMA weight of requests turned away (4 weeks)");
    D("stress.cut_decay", cut_decay, 1.0 / 26, 0, 1, "per week",
      "how fast the stress of a capacity cut fades");

    /* trust and understanding (E, G) */
    D("trust.alpha", trust_alpha, 0.1, 0, 1, "per week",
      "speed at which trust approaches observed reliability");
    D("trust.omega", trust_omega, 0.2, 0, 1, "share",
      "weight of one joint case: 1 - (1 - omega)^n");
    D("trust.delta", trust_delta, 0.005, 0, 1, "per week",
      "decay of trust without joint work");
    D("scale.memory", scale_memory, 1.0 / 52, 0.001, 1, "per week",
      "EWMA weight of the recent mean of an actor's cases and requests (runs below the place's size)");
    D("trust.memory", trust_memory, 1.0 / 26, 0.001, 1, "per week",
      "EWMA weight of a link's joint-work record (outcomes per reference population)");
    D("trust.floor", trust_floor, 0.1, 0, 1, "trust", "trust decays toward this");
    D("trust.default", trust_default, 0.2, 0, 1, "trust",
      "trust assumed between actors with no link");
    D("understanding.beta", u_beta, 0.05, 0, 1, "per week",
      "growth of understanding with joint work, times p_E");
    D("understanding.delta", u_delta, 0.02, 0, 1, "per week",
      "decay of understanding");
    D("leadership.lambda_G", lambda_G, 3, 0, 100, "multiplier",
      "convening by common partners speeds trust and understanding");
    D("leadership.zeta", zeta, 0.02, 0, 1, "per week",
      "speed of influence change");
    D("leadership.anchor", influence_anchor, 0.01, 0, 1, "per week",
      "pull of influence back toward the scenario's (institutional) roles");

    /* letting go, community capacity, commissioning, assets (I, B, F) */
    D("community.lambda_I", lambda_I, 1, 0, 100, "multiplier",
      "community and voluntary capacity scale with (1 + lambda_I P_I)");
    D("community.iota", iota, 0.01, 0, 1, "per week",
      "chance a week of a new community actor, times statutory P_I");
    I("community.max_new", max_new_actors, 5, 0, 1000, "actors",
      "at most this many new community actors");
    D("community.lifetime", community_lifetime, 260, 0, 1e6, "weeks",
      "mean life of an emerging community actor before it folds (0: never)");
    D("community.new_capacity", new_capacity, 40, 0, 1e6, "cases",
      "capacity of a new community actor");
    I("commissioning.period", commission_period, 13, 1, 520, "weeks",
      "weeks between commissioning rounds");
    D("commissioning.rate", commission_rate, 0.5, 0, 1, "share",
      "share of the gap to demand-led budgets closed, times P_B");
    D("neighbourhoods.nu_F", nu_F, 2, 0, 1000, "multiplier",
      "asset gain per volunteer per resident");
    D("neighbourhoods.delta_A", delta_A, 0.01, 0, 1, "per week",
      "neighbourhood assets relax toward their baseline");
    D("timeline.ramp_d", ramp_d, 1, 0, 100, "multiplier",
      "D: interventions ramp in (1 + ramp_d P_D) times faster than written");
    D("population.turnover", turnover, 0.02 / 52, 0, 0.1, "per week",
      "chance a week that an adult leaves and a new one arrives");
    return 0;
}
