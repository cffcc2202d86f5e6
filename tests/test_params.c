/* The parameter registry (engine/params.c): registration, lookup, checked
 * setting, nearest names, reset, and writing into a model's struct. */
#include <criterion/criterion.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "params.h"
#include "sc.h"

typedef struct toy {
    double alpha;
    int weeks;
    int on;
    double beta;
} toy;

static ps_params *S_toy(void)
{
    ps_params *p = ps_params_create();
    cr_assert(p != NULL);
    cr_assert_eq(ps_params_add(p, "trust.alpha", PS_PARAM_DOUBLE, offsetof(toy, alpha),
                               0.1, 0, 1, "per week", "trust gain"), 0);
    cr_assert_eq(ps_params_add(p, "switches.weeks", PS_PARAM_INT, offsetof(toy, weeks),
                               4, 0, 52, "weeks", "follow-up weeks"), 0);
    cr_assert_eq(ps_params_add(p, "switches.on", PS_PARAM_BOOL, offsetof(toy, on), 0, 0,
                               1, "switch", "a switch"), 0);
    cr_assert_eq(ps_params_add(p, "trust.beta", PS_PARAM_DOUBLE, offsetof(toy, beta),
                               -2.5, -10, 10, NULL, "signed"), 0);
    return p;
}

Test(params, add_and_find)
{
    ps_params *p = S_toy();
    cr_expect_eq(ps_params_count(p), 4);
    const ps_param *a = ps_params_find(p, "trust.alpha");
    cr_assert(a != NULL);
    cr_expect_str_eq(a->path, "trust.alpha");
    cr_expect_eq(a->type, PS_PARAM_DOUBLE);
    cr_expect_eq(a->value, 0.1);
    cr_expect_eq(a->def, 0.1);
    cr_expect_eq(a->min, 0);
    cr_expect_eq(a->max, 1);
    cr_expect_str_eq(a->unit, "per week");
    cr_expect_str_eq(a->source, "default");
    cr_expect_str_eq(ps_params_find(p, "trust.beta")->unit, "", "NULL unit reads as \"\"");
    cr_expect(ps_params_at(p, 0) == a, "registration order is kept");
    cr_expect_str_eq(ps_params_at(p, 3)->path, "trust.beta");
    cr_expect_null(ps_params_at(p, 4));
    cr_expect_null(ps_params_find(p, "trust"));
    cr_expect_null(ps_params_find(p, "trust.alpha2"));
    cr_expect_null(ps_params_find(p, ""));
    ps_params_free(p);
}

Test(params, add_refuses_inconsistent_declarations)
{
    ps_params *p = S_toy();
    /* a second registration of a path */
    cr_expect_eq(ps_params_add(p, "trust.alpha", PS_PARAM_DOUBLE, 0, 0.5, 0, 1, "", ""), -1);
    /* a default outside the range, or NaN */
    cr_expect_eq(ps_params_add(p, "x.high", PS_PARAM_DOUBLE, 0, 2, 0, 1, "", ""), -1);
    cr_expect_eq(ps_params_add(p, "x.low", PS_PARAM_DOUBLE, 0, -0.1, 0, 1, "", ""), -1);
    cr_expect_eq(ps_params_add(p, "x.nan", PS_PARAM_DOUBLE, 0, NAN, 0, 1, "", ""), -1);
    /* integers and switches must default to whole numbers */
    cr_expect_eq(ps_params_add(p, "x.int", PS_PARAM_INT, 0, 2.5, 0, 10, "", ""), -1);
    cr_expect_eq(ps_params_add(p, "x.bool", PS_PARAM_BOOL, 0, 0.5, 0, 1, "", ""), -1);
    cr_expect_eq(ps_params_count(p), 4, "nothing refused was registered");
    cr_expect_eq(ps_params_find(p, "trust.alpha")->value, 0.1, "the first one is kept");
    ps_params_free(p);
}

Test(params, grows_past_its_first_allocation)
{
    ps_params *p = ps_params_create();
    static char names[300][16];
    for (int i = 0; i < 300; i++) {
        snprintf(names[i], sizeof names[i], "p.n%03d", i);
        cr_assert_eq(ps_params_add(p, names[i], PS_PARAM_DOUBLE, 0, i, 0, 1000, "", ""), 0);
    }
    cr_expect_eq(ps_params_count(p), 300);
    for (int i = 0; i < 300; i++) {
        const ps_param *e = ps_params_find(p, names[i]);
        cr_assert(e != NULL, "%s", names[i]);
        cr_expect_eq(e->value, i);
        cr_expect(ps_params_at(p, (size_t)i) == e);
    }
    ps_params_free(p);
    ps_params_free(NULL);
}

Test(params, set_in_range_records_its_source)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(ps_params_set(p, "trust.alpha", 0.25, "a.cfg", 12, &d), 0);
    cr_expect_eq(ps_params_find(p, "trust.alpha")->value, 0.25);
    cr_expect_str_eq(ps_params_find(p, "trust.alpha")->source, "a.cfg:12");
    /* the bounds are inclusive */
    cr_expect_eq(ps_params_set(p, "trust.alpha", 1, "a.cfg", 13, &d), 0);
    cr_expect_eq(ps_params_set(p, "trust.beta", -10, "--set", 0, &d), 0);
    cr_expect_str_eq(ps_params_find(p, "trust.beta")->source, "--set");
    cr_expect_eq(ps_params_set(p, "switches.weeks", 52, NULL, 0, &d), 0);
    cr_expect_str_eq(ps_params_find(p, "switches.weeks")->source, "--set",
                     "no file and no line: the command line");
    cr_expect_eq(ps_params_set(p, "switches.on", 1, "b.cfg", 3, &d), 0);
    cr_expect_eq(d.count, 0);
    ps_params_free(p);
}

Test(params, set_out_of_range_is_reported_and_changes_nothing)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(ps_params_set(p, "trust.alpha", 1.5, "a.cfg", 7, &d), -1);
    cr_expect_eq(ps_params_set(p, "trust.alpha", -1e-9, "a.cfg", 8, &d), -1);
    cr_expect_eq(ps_params_set(p, "switches.weeks", 53, "--set", 0, &d), -1);
    cr_assert_eq(d.count, 3);
    cr_expect_eq(d.status, PS_ERR_INPUT);
    cr_expect_str_eq(d.entries[0].file, "a.cfg");
    cr_expect_eq(d.entries[0].line, 7);
    cr_expect_str_eq(d.entries[0].setting, "trust.alpha");
    cr_expect(strstr(d.entries[0].message, "1.5 is out of range [0, 1]") != NULL, "%s",
              d.entries[0].message);
    cr_expect_eq(d.entries[1].line, 8);
    cr_expect_str_eq(d.entries[2].file, "--set");
    cr_expect_eq(d.entries[2].line, 0);
    cr_expect(strstr(d.entries[2].message, "53 is out of range [0, 52]") != NULL, "%s",
              d.entries[2].message);
    const ps_param *a = ps_params_find(p, "trust.alpha");
    cr_expect_eq(a->value, 0.1);
    cr_expect_str_eq(a->source, "default");
    cr_expect_eq(ps_params_find(p, "switches.weeks")->value, 4);
    ps_params_free(p);
}

Test(params, set_checks_the_type)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(ps_params_set(p, "switches.weeks", 2.5, "a.cfg", 1, &d), -1);
    cr_expect_eq(ps_params_set(p, "switches.on", 0.5, "a.cfg", 2, &d), -1);
    /* 2 is whole, but a switch is 0 or 1: the type, not the range, says so */
    cr_expect_eq(ps_params_set(p, "switches.on", 2, "a.cfg", 3, &d), -1);
    cr_expect_eq(ps_params_set(p, "switches.weeks", 3, "a.cfg", 4, &d), 0);
    cr_assert_eq(d.count, 3);
    cr_expect(strstr(d.entries[0].message, "whole number") != NULL, "%s", d.entries[0].message);
    cr_expect(strstr(d.entries[1].message, "true or false") != NULL, "%s", d.entries[1].message);
    cr_expect(strstr(d.entries[2].message, "true or false") != NULL, "%s", d.entries[2].message);
    cr_expect_eq(ps_params_find(p, "switches.on")->value, 0);
    cr_expect_eq(ps_params_find(p, "switches.weeks")->value, 3);
    ps_params_free(p);
}

Test(params, set_refuses_non_finite_values)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(ps_params_set(p, "trust.beta", NAN, "a.cfg", 1, &d), -1);
    cr_expect_eq(ps_params_set(p, "trust.beta", INFINITY, "a.cfg", 2, &d), -1);
    cr_expect_eq(ps_params_set(p, "trust.beta", -INFINITY, "a.cfg", 3, &d), -1);
    cr_expect_eq(ps_params_set(p, "switches.weeks", NAN, "a.cfg", 4, &d), -1);
    cr_assert_eq(d.count, 4);
    for (int i = 0; i < 3; i++)
        cr_expect(strstr(d.entries[i].message, "finite") != NULL, "%s", d.entries[i].message);
    cr_expect_eq(ps_params_find(p, "trust.beta")->value, -2.5);
    ps_params_free(p);
}

Test(params, unknown_path_suggests_the_nearest)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_expect_eq(ps_params_set(p, "trust.alhpa", 0.2, "a.cfg", 5, &d), -1);
    cr_expect_eq(ps_params_set(p, "completely.unrelated.name", 0.2, "--set", 0, &d), -1);
    cr_assert_eq(d.count, 2);
    cr_expect_str_eq(d.entries[0].setting, "trust.alhpa");
    cr_expect(strstr(d.entries[0].message, "did you mean 'trust.alpha'?") != NULL, "%s",
              d.entries[0].message);
    cr_expect(strstr(d.entries[1].message, "placesim params") != NULL, "%s",
              d.entries[1].message);
    cr_expect(strstr(d.entries[1].message, "did you mean") == NULL, "%s",
              d.entries[1].message);
    ps_params_free(p);
}

Test(params, nearest)
{
    ps_params *p = S_toy();
    cr_expect_str_eq(ps_params_nearest(p, "trust.alhpa"), "trust.alpha");
    cr_expect_str_eq(ps_params_nearest(p, "Trust.Alpha"), "trust.alpha", "case-insensitive");
    cr_expect_str_eq(ps_params_nearest(p, "trust.beta"), "trust.beta", "an exact name");
    cr_expect_str_eq(ps_params_nearest(p, "switches.weeek"), "switches.weeks");
    cr_expect_null(ps_params_nearest(p, "zzzzzzzzzzzzzzzz"));
    ps_params_free(p);
    ps_params *empty = ps_params_create();
    cr_expect_null(ps_params_nearest(empty, "trust.alpha"));
    cr_expect_null(ps_params_find(empty, "trust.alpha"));
    cr_expect_eq(ps_params_count(empty), 0);
    ps_params_free(empty);
}

Test(params, reset_restores_every_default)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    cr_assert_eq(ps_params_set(p, "trust.alpha", 0.9, "a.cfg", 1, &d), 0);
    cr_assert_eq(ps_params_set(p, "switches.weeks", 10, "--set", 0, &d), 0);
    cr_assert_eq(ps_params_set(p, "switches.on", 1, "--set", 0, &d), 0);
    ps_params_reset(p);
    for (size_t i = 0; i < ps_params_count(p); i++) {
        const ps_param *e = ps_params_at(p, i);
        cr_expect_eq(e->value, e->def, "%s", e->path);
        cr_expect_str_eq(e->source, "default", "%s", e->path);
    }
    ps_params_free(p);
}

Test(params, write_fills_the_struct_by_offset)
{
    ps_params *p = S_toy();
    ps_diag d;
    ps_diag_init(&d);
    toy t;
    memset(&t, 0xab, sizeof t);
    ps_params_write(p, &t);
    cr_expect_eq(t.alpha, 0.1);
    cr_expect_eq(t.weeks, 4);
    cr_expect_eq(t.on, 0);
    cr_expect_eq(t.beta, -2.5);
    cr_assert_eq(ps_params_set(p, "trust.alpha", 0.75, "a.cfg", 1, &d), 0);
    cr_assert_eq(ps_params_set(p, "switches.weeks", 52, "a.cfg", 2, &d), 0);
    cr_assert_eq(ps_params_set(p, "switches.on", 1, "a.cfg", 3, &d), 0);
    cr_assert_eq(ps_params_set(p, "trust.beta", 9.5, "a.cfg", 4, &d), 0);
    ps_params_write(p, &t);
    cr_expect_eq(t.alpha, 0.75);
    cr_expect_eq(t.weeks, 52);
    cr_expect_eq(t.on, 1);
    cr_expect_eq(t.beta, 9.5);
    ps_params_free(p);
}

/* The model's own registry is consistent: unique paths, defaults in range,
 * every field inside sc_params, and each path its own nearest name. */
Test(params, model_registry_is_consistent)
{
    ps_params *p = ps_params_create();
    cr_assert_eq(sc_declare(p), 0);
    size_t n = ps_params_count(p);
    cr_expect_gt(n, 50);
    for (size_t i = 0; i < n; i++) {
        const ps_param *e = ps_params_at(p, i);
        cr_expect(ps_params_find(p, e->path) == e, "%s is registered twice", e->path);
        cr_expect_str_eq(ps_params_nearest(p, e->path), e->path);
        cr_expect(e->def >= e->min && e->def <= e->max, "%s", e->path);
        size_t width = e->type == PS_PARAM_DOUBLE ? sizeof(double) : sizeof(int);
        cr_expect_leq(e->offset + width, sizeof(sc_params), "%s", e->path);
        cr_expect(e->doc && e->doc[0], "%s has no doc", e->path);
    }
    sc_params prm;
    ps_params_write(p, &prm);
    cr_expect_eq(prm.trust_alpha, ps_params_find(p, "trust.alpha")->def);
    cr_expect_eq(prm.single_front_door, 0);
    ps_params_free(p);
}
