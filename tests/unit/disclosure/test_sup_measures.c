/* tests/unit/disclosure/test_sup_measures.c: disclosure control
 * (src/disclosure/sup.c) against docs/indicators.md, "Disclosure control", for
 * the measures beyond counts and proportions: rates over a small
 * population, medians, standardised rates (a published weighted sum of the
 * band counts), survival and sums. The cubes come from the engine
 * (eng_fixture.h); the attacker is sup_attack.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "disclosure/sup.h"
#include "sup_attack.h"

/* A rate whose population is below min_denominator: Gotland has 3 men of
 * 99 (data/population.csv). */
static void test_rate_small_population(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 1994, 'F', "0180", NULL);
    efx_act(f, 1, T(2024, 5, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("r99") "from act\nyears 2024-2024\nbands 30-30, 99-99\n"
                 "breakdown region, sex, band\n"
                 "measure r count persons per 100000 population\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_reg(f, "09"), SEX_M, 2);
    NEAR(c->den, (double)geo_population_sum(&f->geo, "09", 'M', 99, 99), 0);
    assert_true(c->den < RULES.min_denominator);
    NEAR(c->num, 0, 0);
    assert_true(c->flags & ENG_HAS_VALUE);
#if 1
    /* fixed (was ENGINE-BUG): docs/indicators.md: "a rate, proportion, median or
     * survival whose denominator is below min_denominator is hidden
     * (denominator)"; sup.c's primary() checks no denominator for a
     * `count ... per N population` (the rate 0 per 3 men is shown). */
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
#endif
    /* the count goes with it: count and population would give the rate */
    assert_int_equal(c->sup_num, ENG_SUP_DENOMINATOR);
    /* Stockholm's woman of 30: count 1 hidden and the rate with it */
    c = eng_cell(r, 0, efx_reg(f, "01"), SEX_F, 1);
    NEAR(c->num, 1, 0);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    eng_run_free(&run);
}

/* Medians: a denominator (anchors with a value) of 1-4 is hidden; below 15
 * the value is hidden. */
static void test_median(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    int pid = 0;
    kn_time t = T(2024, 3, 1, 0, 0, 0);
    const struct { const char *muni; int n; } spec[] = { { "0180", 20 }, { "0380", 3 },
                                                         { "1280", 10 } };
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < spec[i].n; k++) {
            efx_person(f, ++pid, 2004, k % 2 ? 'M' : 'F', spec[i].muni, NULL);
            efx_stay(f, pid, 1, t, t + (k + 1) * DAY);
        }
    efx_parse(f, EFX_HDR("md") "from stay\nyears 2024-2024\n"
                 "measure m median days of duration\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    const struct eng_cell *c = eng_cell(r, 0, efx_reg(f, "03"), SEX_ALL, 0);
    NEAR(c->den, 3, 0);
    assert_int_equal(c->sup_den, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    c = eng_cell(r, 0, efx_reg(f, "12"), SEX_ALL, 0);
    NEAR(c->den, 10, 0);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    c = eng_cell(r, 0, efx_reg(f, "01"), SEX_ALL, 0);
    NEAR(c->den, 20, 0);
    NEAR(c->value, 10.5, 1e-12);
    assert_int_equal(c->sup_value, 0);
    {
        struct rels rs = { 0 };
        groups_of(r, 0, &rs);
        check_additive(r, &rs, C_DEN);
        assert_int_equal(attack_subtract(r, &rs, C_DEN), 0);
        assert_int_equal(attack_rank(r, &rs, C_DEN, NULL), 0);
        free(rs.v);
    }
    eng_run_free(&run);
}

/* A standardised rate is a published weighted sum of the band counts: with
 * the total and all but two bands shown, a shown DSR gives the two hidden
 * bands away. Nation (all women): 10-14 3 acts, 15-19 40, 20-24 50. */
static void test_standardised_value(void **state)
{
    struct efx *f = *state;
    const int by[3] = { 2012, 2007, 2002 }, n[3] = { 3, 40, 50 };
    for (int k = 0; k < 3; k++) {
        efx_person(f, k + 1, by[k], 'F', "0180", NULL);
        for (int i = 0; i < n[k]; i++)
            efx_act(f, k + 1, T(2024, 1, 1, 0, 0, 0) + i * HOUR);
    }
    efx_parse(f, EFX_HDR("dsr") "from act\nyears 2024-2024\nwhere age 10-24\n"
                 "bands 10-14, 15-19, 20-24\nbreakdown region, sex, band\n"
                 "measure r count events per 100000 population standardised\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *r = &run.results[0];
    assert_int_equal(eng_cell(r, 0, 0, SEX_ALL, 1)->sup_num, ENG_SUP_COUNT);
    /* all ages is hidden with its band, and so carries no number at all: it
     * is the second hidden member of the group bands = all ages */
    const struct eng_cell *all = eng_cell(r, 0, 0, SEX_ALL, 0);
    assert_int_not_equal(all->sup_value, 0);
    assert_int_not_equal(all->sup_num, 0);
    assert_true(all->flags & ENG_HAS_VALUE);
    assert_safe(r, false);
    /* the attacker: V * sum(w) / 1e5 = sum(w_b c_b / p_b), c1 + c2 = 93 - 50 */
    double w[3], p[3], sw = 0;
    for (int k = 0; k < 3; k++) {
        for (size_t q = 0; q < f->geo.nesp2013; q++)
            if (f->geo.esp2013[q].age_from == 10 + 5 * k)
                w[k] = f->geo.esp2013[q].weight;
        p[k] = eng_cell(r, 0, 0, SEX_ALL, (size_t)k + 1)->den; /* published */
        sw += w[k];
    }
    double c12 = all->num - eng_cell(r, 0, 0, SEX_ALL, 3)->num;
    double c1 = (all->value * sw / 1e5 - w[1] * c12 / p[1] - w[2] * 50 / p[2]) /
                (w[0] / p[0] - w[1] / p[1]);
    (void)c1; /* = 3.000..., the hidden count */
#if 1
    /* fixed (was ENGINE-BUG): the standardised value of a cell whose band counts are
     * hidden is shown, and with the shown populations and ESP2013 weights
     * it gives the hidden band counts back (c1 = 3 exactly); docs/
     * indicators.md promises that no hidden cell can be recovered. */
    assert_true(fabs(c1 - 3) > 0.5 || all->sup_value != 0);
#endif
    eng_run_free(&run);
}

/* Survival and sums: a denominator below 15 hides the survival value; a
 * denominator of 1-4 hides a sum with its count of anchors. */
static void test_survival_and_sum(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    int pid = 0;
    kn_time t = T(2024, 2, 1, 0, 0, 0);
    const struct { const char *muni; int n; } spec[] = { { "0180", 30 }, { "0380", 8 },
                                                         { "1280", 2 } };
    for (size_t i = 0; i < 3; i++)
        for (int k = 0; k < spec[i].n; k++) {
            efx_person(f, ++pid, 2004, k % 2 ? 'M' : 'F', spec[i].muni, NULL);
            efx_stay(f, pid, 1, t, t + (k + 1) * DAY);
            if (k % 3 == 0)
                efx_stay(f, pid, 1, t + 40 * DAY, t + 41 * DAY);
        }
    efx_act(f, 1, T(2024, 12, 31, 0, 0, 0));
    efx_parse(f, EFX_HDR("sv") "from stay\npick first per person ever\nyears 2024-2024\n"
                 "measure s survival stay in end (0d, 90d]\nmeasure d sum days\n");
    struct eng_run run;
    efx_run(f, &run);
    sup_apply(&run, &RULES);
    const struct eng_result *s = efx_res(&run, "sv", "s"), *d = efx_res(&run, "sv", "d");
    const struct eng_cell *c = eng_cell(s, 0, efx_reg(f, "03"), SEX_ALL, 0);
    NEAR(c->den, 8, 0);
    NEAR(c->num, 3, 0);
    assert_int_equal(c->sup_value, ENG_SUP_DENOMINATOR);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    c = eng_cell(s, 0, efx_reg(f, "01"), SEX_ALL, 0);
    NEAR(c->den, 30, 0);
    assert_int_equal(c->sup_value, 0);
    c = eng_cell(d, 0, efx_reg(f, "12"), SEX_ALL, 0);
    NEAR(c->den, 2, 0);
    NEAR(c->num, 3, 1e-12);
    assert_int_equal(c->sup_num, ENG_SUP_COUNT);
    assert_int_equal(c->sup_den, ENG_SUP_COUNT);
    assert_int_not_equal(c->sup_value, 0);
    assert_safe(s, true);
    assert_safe(d, true);
    assert_values_follow(s);
    assert_values_follow(d);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_rate_small_population),
        T_(test_median),
        T_(test_standardised_value),
        T_(test_survival_and_sum),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
