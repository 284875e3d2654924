/* tests/unit/engine/test_eng_measures.c: the indicator engine's measures
 * (src/engine/eng*.c) against docs/indicators.md: persons and events,
 * proportions of a field, sums and medians of durations, and ratios
 * within and across definitions. Rates and survival are in
 * test_eng_rates.c. The method is in eng_fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "stats/stat.h"

/* ---- counts ---- */

/* A person with three acts in a year counts once in each period's cells. */
static void test_persons_vs_events(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "1380", NULL);
    efx_act(f, 1, T(2022, 1, 5, 0, 0, 0));
    efx_act(f, 1, T(2022, 1, 20, 0, 0, 0));
    efx_act(f, 1, T(2022, 3, 10, 0, 0, 0));
    efx_act(f, 1, T(2023, 2, 1, 0, 0, 0));
    efx_act(f, 2, T(2022, 1, 7, 0, 0, 0));
    efx_parse(f, EFX_HDR("y") "from act\nyears 2022-2023\nmeasure p count persons\n"
                 "measure e count events\n"
              EFX_HDR("m") "from act\nperiod month\nyears 2022-2022\n"
                 "measure p count persons\nmeasure e count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *p = efx_res(&run, "y", "p"), *e = efx_res(&run, "y", "e");
    CNT(p, 0, NAT, 2);
    CNT(p, 0, 0, SEX_F, 0, 1);
    CNT(p, 0, 0, SEX_M, 0, 1);
    CNT(p, 0, efx_reg(f, "01"), SEX_ALL, 0, 1);
    CNT(p, 0, efx_reg(f, "13"), SEX_ALL, 0, 1);
    CNT(p, 0, efx_hc(f, "Södra"), SEX_ALL, 0, 1);
    CNT(p, 1, NAT, 1);
    CNT(e, 0, NAT, 4);
    CNT(e, 0, 0, SEX_F, 0, 3);
    CNT(e, 1, NAT, 1);
    const struct eng_result *mp = efx_res(&run, "m", "p"), *me = efx_res(&run, "m", "e");
    CNT(mp, 0, NAT, 2);
    CNT(mp, 1, NAT, 0);
    CNT(mp, 2, NAT, 1);
    CNT(me, 0, NAT, 3);
    eng_run_free(&run);
}

/* `proportion FIELD values`: the share of anchors whose field matches, with
 * the Wilson interval: 1 LPT stay of 4, and the unit kind of 3 of 4. */
static void test_proportion_field(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "inpatient");
    efx_unit(f, 2, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    kn_time t = T(2022, 2, 1, 0, 0, 0);
    int s1 = efx_stay(f, 1, 1, t, t + DAY);
    efx_stay(f, 1, 1, t + 10 * DAY, t + 11 * DAY);
    efx_stay(f, 1, 1, t + 20 * DAY, t + 21 * DAY);
    efx_stay(f, 1, 2, t + 30 * DAY, t + 31 * DAY);
    efx_sql(f, "UPDATE contact SET legal_basis = 'LPT' WHERE id = %d", s1);
    efx_parse(f, EFX_HDR("pf") "from stay\nyears 2022-2022\n"
                 "measure lpt proportion legal LPT\n"
                 "measure bup proportion unit-kind bup\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "pf", "lpt"), 0, NAT);
    NEAR(c->num, 1, 0);
    NEAR(c->den, 4, 0);
    NEAR(c->value, 25, 1e-12);
    struct stat_ci w = stat_wilson(1, 4, 0.95);
    NEAR(c->lo95, 100 * w.lower, 1e-9);
    NEAR(c->hi95, 100 * w.upper, 1e-9);
    c = efx_cell(efx_res(&run, "pf", "bup"), 0, NAT);
    NEAR(c->num, 3, 0);
    NEAR(c->value, 75, 1e-12);
    eng_run_free(&run);
}

/* ---- sums and medians ---- */

static void test_sum_hours_days(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    for (int p = 1; p <= 4; p++)
        person0180(f, p, 2004, 'F');
    kn_time s = T(2022, 2, 1, 8, 0, 0);
    efx_stay(f, 1, 1, s, s + 36 * HOUR);
    efx_stay(f, 2, 1, s, s + 12 * HOUR);
    efx_stay(f, 3, 1, s, NO_END);
    efx_stay(f, 4, 1, s, s); /* an end, no length */
    efx_parse(f, EFX_HDR("s") "from stay\nyears 2022-2022\nmeasure h sum hours\n"
                 "measure d sum days\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *h = efx_cell(efx_res(&run, "s", "h"), 0, NAT);
    NEAR(h->num, 48, 1e-12);
    NEAR(h->value, 48, 1e-12);
    NEAR(h->den, 3, 0);
    assert_int_equal(h->flags & ENG_HAS_CI, 0); /* sums have no interval */
    const struct eng_cell *d = efx_cell(efx_res(&run, "s", "d"), 0, NAT);
    NEAR(d->value, 2, 1e-12);
    CNT(efx_res(&run, "s", "n"), 0, NAT, 4); /* the open stay is counted */
    eng_run_free(&run);
}

/* Median of durations: an even count gives the mean of the two middle
 * values; open stays are left out. */
static void test_median_duration(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    for (int p = 1; p <= 8; p++)
        person0180(f, p, 2004, p % 2 ? 'F' : 'M');
    kn_time s = T(2022, 4, 1, 0, 0, 0), s3 = T(2023, 4, 1, 0, 0, 0);
    efx_stay(f, 1, 1, s, s + 10 * DAY);
    efx_stay(f, 2, 1, s, s + 1 * DAY);
    efx_stay(f, 3, 1, s, s + 3 * DAY);
    efx_stay(f, 4, 1, s, s + 2 * DAY);
    efx_stay(f, 5, 1, s, NO_END);
    efx_stay(f, 6, 1, s3, s3 + 3 * DAY);
    efx_stay(f, 7, 1, s3, s3 + 1 * DAY);
    efx_stay(f, 8, 1, s3, s3 + 2 * DAY);
    efx_parse(f, EFX_HDR("md") "from stay\nyears 2022-2023\nmeasure m median days of duration\n"
                 "measure h median hours of duration\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *m = efx_res(&run, "md", "m");
    const struct eng_cell *c = efx_cell(m, 0, NAT);
    NEAR(c->den, 4, 0);
    NEAR(c->value, 2.5, 1e-12);
    const double v4[4] = { 1, 2, 3, 10 };
    struct stat_ci ci = stat_median(v4, 4, 0.95);
    NEAR(c->lo95, ci.lower, 1e-12);
    NEAR(c->hi95, ci.upper, 1e-12);
    c = efx_cell(m, 1, NAT);
    NEAR(c->den, 3, 0);
    NEAR(c->value, 2, 1e-12);
    /* F: persons 1, 3 in 2022 -> 10, 3 -> 6.5; M: 1, 2 -> 1.5 */
    NEAR(efx_cell(m, 0, 0, SEX_F, 0)->value, 6.5, 1e-12);
    NEAR(efx_cell(m, 0, 0, SEX_M, 0)->value, 1.5, 1e-12);
    NEAR(efx_cell(efx_res(&run, "md", "h"), 0, NAT)->value, 60, 1e-12);
    eng_run_free(&run);
}

/* ---- ratios ---- */

/* Coercive measures per 1000 care days: `ratio n / days:d per 1000` across
 * two definitions run together, and a ratio within one definition. */
static void test_ratio(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 60, 2004, 'F', "0180", NULL);
    efx_person(f, 61, 2004, 'M', "1380", NULL);
    kn_time s1 = T(2022, 3, 1, 0, 0, 0), s2 = T(2022, 6, 1, 0, 0, 0), s3 = T(2022, 5, 1, 0, 0, 0);
    int id1 = efx_stay(f, 60, 1, s1, s1 + 10 * DAY);
    int id2 = efx_stay(f, 60, 1, s2, s2 + 10 * DAY);
    int id3 = efx_stay(f, 61, 1, s3, s3 + 6 * DAY);
    efx_measure(f, 60, id1, s1 + DAY, s1 + DAY + HOUR);
    efx_measure(f, 60, id1, s1 + 2 * DAY, s1 + 2 * DAY + HOUR);
    efx_measure(f, 60, id2, s2 + DAY, s2 + DAY + HOUR);
    efx_measure(f, 61, id3, s3 + DAY, s3 + DAY + HOUR);
    efx_parse(f, EFX_HDR("coe") "from measure\nyears 2022-2022\nmeasure n count events\n"
                 "measure r ratio n / days:d per 1000\n"
              EFX_HDR("days") "from stay\nyears 2022-2022\nmeasure d sum days\n"
                 "measure n count events\nmeasure r ratio n / d per 1000\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "coe", "r"), *r2 = efx_res(&run, "days", "r");
    const struct eng_cell *c = efx_cell(r, 0, NAT);
    NEAR(c->num, 4, 0);
    NEAR(c->den, 26, 1e-12);
    NEAR(c->value, 4.0 / 26 * 1000, 1e-9);
    NEAR(efx_cell(r, 0, efx_reg(f, "01"), SEX_ALL, 0)->value, 3.0 / 20 * 1000, 1e-9);
    NEAR(efx_cell(r, 0, efx_reg(f, "13"), SEX_ALL, 0)->value, 1.0 / 6 * 1000, 1e-9);
    NEAR(efx_cell(r, 0, 0, SEX_M, 0)->value, 1.0 / 6 * 1000, 1e-9);
    /* no stays in Uppsala: no value */
    assert_int_equal(efx_cell(r, 0, efx_reg(f, "03"), SEX_ALL, 0)->flags & ENG_HAS_VALUE, 0);
    NEAR(efx_cell(r2, 0, NAT)->value, 3.0 / 26 * 1000, 1e-9);
    eng_run_free(&run);
    /* the denominator's definition not run alongside: no values */
    const struct ind_def *only[1] = { &f->cat.defs[0] };
    efx_run_opt(f, only, 1, 0, 0, &run);
    c = efx_cell(efx_res(&run, "coe", "r"), 0, NAT);
    assert_int_equal(c->flags & ENG_HAS_VALUE, 0);
    eng_run_free(&run);
}

/* A ratio over another indicator that has two versions: each period takes
 * the version valid for it (the series of a changed definition goes on). */
static void test_ratio_versions(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    kn_time s1 = T(2022, 3, 1, 0, 0, 0), s2 = T(2023, 3, 1, 0, 0, 0);
    int a = efx_stay(f, 1, 1, s1, s1 + 10 * DAY);
    int b = efx_stay(f, 1, 1, s2, s2 + 20 * DAY);
    efx_measure(f, 1, a, s1 + DAY, s1 + DAY + HOUR);
    efx_measure(f, 1, b, s2 + DAY, s2 + DAY + HOUR);
    efx_measure(f, 1, b, s2 + 2 * DAY, s2 + 2 * DAY + HOUR);
    efx_parse(f, EFX_HDR("coe") "from measure\nyears 2022-2023\nmeasure n count events\n"
                 "measure r ratio n / days:d per 1000\n"
              EFX_HDR("days") "valid 2020-01-01 .. 2023-01-01\nfrom stay\nyears 2022-2023\n"
                 "measure d sum days\n"
                 "indicator days\nversion 2\nvalid 2023-01-01 ..\ntitle sv \"t\"\n"
                 "title en \"t\"\ndescription sv \"t\"\ndescription en \"t\"\nowner \"t\"\n"
                 "goal self-harm\ndirection lower\nfrom stay\nyears 2022-2023\n"
                 "measure d sum days\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "coe", "r");
    const struct eng_cell *c = efx_cell(r, 0, NAT);
    NEAR(c->value, 1.0 / 10 * 1000, 1e-9); /* 2022: version 1 */
    c = efx_cell(r, 1, NAT);
#if 1
    /* fixed (was ENGINE-BUG): eng_final.c ratios() takes the first result of id
     * "days" (version 1) for every period, so 2023, which version 2
     * covers, has no value (version 1's 2023 cells are not computed);
     * sup.c takes the last one instead, so value and suppression follow
     * different versions. */
    assert_true(c->flags & ENG_HAS_VALUE);
    NEAR(c->value, 2.0 / 20 * 1000, 1e-9);
#endif
    (void)c;
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_proportion_field),
        T_(test_persons_vs_events),
        T_(test_sum_hours_days),
        T_(test_median_duration),
        T_(test_ratio),
        T_(test_ratio_versions),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
