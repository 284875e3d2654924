/* tests/unit/engine/test_eng_periods.c: when and whom the indicator
 * engine (src/engine/eng*.c) counts, against docs/indicators.md: periods
 * (year of start or end, tertials, quarters, months), `years` and the
 * run's override, versions by `valid`, ages and bands, and `pick`. The
 * method is in eng_fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* ---- periods ---- */

/* `period year of end`: a stay over new year counts in the year of its
 * discharge; an open stay never counts there; the age is that of the
 * period's year. */
static void test_period_of_end(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    person0180(f, 30, 2004, 'F');
    person0180(f, 31, 2004, 'M');
    person0180(f, 32, 2004, 'F');
    efx_stay(f, 30, 1, T(2021, 12, 30, 14, 0, 0), T(2022, 1, 2, 10, 0, 0)); /* 2 d 20 h */
    efx_stay(f, 31, 1, T(2022, 6, 1, 10, 0, 0), NO_END);
    efx_stay(f, 32, 1, T(2022, 3, 1, 0, 0, 0), T(2022, 3, 5, 0, 0, 0)); /* 4 d */
    efx_parse(f, EFX_HDR("pe") "from stay\nperiod year of end\nyears 2021-2022\n"
                 "measure n count events\nmeasure d sum days\n"
              EFX_HDR("ps") "from stay\nperiod year of start\nyears 2021-2022\n"
                 "measure n count events\nmeasure d sum days\n"
              EFX_HDR("pe-age") "from stay\nperiod year of end\nyears 2021-2022\n"
                 "where age 18-24\nmeasure n count events\n"
              EFX_HDR("ps-age") "from stay\nyears 2021-2022\n"
                 "where age 18-24\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *pe = efx_res(&run, "pe", "n"), *ps = efx_res(&run, "ps", "n");
    CNT(pe, 0, NAT, 0);
    CNT(pe, 1, NAT, 2); /* P30 (discharged 2022), P32; never the open P31 */
    CNT(ps, 0, NAT, 1); /* P30 admitted 2021 */
    CNT(ps, 1, NAT, 2); /* P31 (open), P32 */
    double d30 = 2 + 20.0 / 24;
    NEAR(efx_cell(efx_res(&run, "pe", "d"), 1, NAT)->num, d30 + 4, 1e-12);
    NEAR(efx_cell(efx_res(&run, "pe", "d"), 1, NAT)->den, 2, 0);
    NEAR(efx_cell(efx_res(&run, "ps", "d"), 0, NAT)->num, d30, 1e-12);
    NEAR(efx_cell(efx_res(&run, "ps", "d"), 1, NAT)->num, 4, 1e-12);
    NEAR(efx_cell(efx_res(&run, "ps", "d"), 1, NAT)->den, 1, 0);
    /* P30 is 2022 - 2004 = 18 in the year of the discharge, 17 at the
     * admission */
    CNT(efx_res(&run, "pe-age", "n"), 1, NAT, 2);
    CNT(efx_res(&run, "ps-age", "n"), 0, NAT, 0);
    CNT(efx_res(&run, "ps-age", "n"), 1, NAT, 2); /* P31, P32 */
    eng_run_free(&run);
}

/* Tertials (Jan-Apr, May-Aug, Sep-Dec), quarters and months. */
static void test_period_tertial_quarter_month(void **state)
{
    struct efx *f = *state;
    person0180(f, 1, 2004, 'F');
    efx_act(f, 1, T(2021, 12, 31, 23, 59, 59)); /* outside the years */
    efx_act(f, 1, T(2022, 3, 31, 23, 59, 59));
    efx_act(f, 1, T(2022, 4, 30, 23, 59, 59));
    efx_act(f, 1, T(2022, 5, 1, 0, 0, 0));
    efx_act(f, 1, T(2022, 8, 31, 12, 0, 0));
    efx_act(f, 1, T(2022, 9, 1, 0, 0, 0));
    efx_act(f, 1, T(2022, 12, 31, 23, 59, 59));
    efx_act(f, 1, T(2023, 1, 1, 0, 0, 0)); /* outside */
    efx_parse(f, EFX_HDR("tt") "from act\nperiod tertial\nyears 2022-2022\n"
                 "measure n count events\n"
              EFX_HDR("qq") "from act\nperiod quarter\nyears 2022-2022\n"
                 "measure n count events\n"
              EFX_HDR("mm") "from act\nperiod month\nyears 2022-2022\n"
                 "measure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *t = efx_res(&run, "tt", "n"), *q = efx_res(&run, "qq", "n"),
                            *m = efx_res(&run, "mm", "n");
    char buf[16];
    assert_int_equal(t->nperiods, 3);
    assert_int_equal(t->months_per_period, 4);
    assert_int_equal(t->first_month, 2022 * 12);
    const double tw[3] = { 2, 2, 2 };
    for (int p = 0; p < 3; p++)
        CNT(t, p, NAT, tw[p]);
    eng_period_text(t, 1, buf);
    assert_string_equal(buf, "2022-T2");
    assert_int_equal(q->nperiods, 4);
    const double qw[4] = { 1, 2, 2, 1 };
    for (int p = 0; p < 4; p++)
        CNT(q, p, NAT, qw[p]);
    eng_period_text(q, 2, buf);
    assert_string_equal(buf, "2022-Q3");
    assert_int_equal(m->nperiods, 12);
    const double mw[12] = { 0, 0, 1, 1, 1, 0, 0, 1, 1, 0, 0, 1 };
    for (int p = 0; p < 12; p++)
        CNT(m, p, NAT, mw[p]);
    eng_period_text(m, 4, buf);
    assert_string_equal(buf, "2022-05");
    eng_run_free(&run);
}

/* `years`, the data's years by default (deaths do not extend them), and
 * the run's override. */
static void test_years(void **state)
{
    struct efx *f = *state;
    person0180(f, 1, 2004, 'F');
    efx_act(f, 1, T(2019, 5, 1, 0, 0, 0));
    efx_act(f, 1, T(2021, 5, 1, 0, 0, 0));
    efx_act(f, 1, T(2023, 5, 1, 0, 0, 0));
    efx_death(f, 1, D(2025, 1, 1), 0);
    efx_parse(f, EFX_HDR("all") "from act\nmeasure n count events\n"
              EFX_HDR("y") "from act\nyears 2020-2022\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *a = efx_res(&run, "all", "n"), *y = efx_res(&run, "y", "n");
    assert_int_equal(a->nperiods, 5);
    assert_int_equal(a->first_month, 2019 * 12);
    const double aw[5] = { 1, 0, 1, 0, 1 };
    for (int p = 0; p < 5; p++)
        CNT(a, p, NAT, aw[p]);
    assert_int_equal(y->nperiods, 3);
    assert_int_equal(y->first_month, 2020 * 12);
    CNT(y, 0, NAT, 0);
    CNT(y, 1, NAT, 1);
    CNT(y, 2, NAT, 0);
    eng_run_free(&run);
    /* years asked for are computed besides the definition's own */
    efx_run_opt(f, NULL, 0, 2023, 2023, &run);
    a = efx_res(&run, "all", "n");
    assert_int_equal(a->nperiods, 5);
    CNT(a, 4, NAT, 1);
    y = efx_res(&run, "y", "n");
    assert_int_equal(y->first_month, 2020 * 12);
    assert_int_equal(y->nperiods, 4);
    CNT(y, 3, NAT, 1);
    eng_run_free(&run);
}

/* `valid FROM .. TO`: the periods starting on or after FROM and before TO. */
static void test_valid_versions(void **state)
{
    struct efx *f = *state;
    person0180(f, 1, 2004, 'F');
    for (int y = 2020; y <= 2023; y++)
        efx_act(f, 1, T(y, 6, 1, 0, 0, 0));
    efx_act(f, 1, T(2022, 2, 1, 0, 0, 0));
    efx_act(f, 1, T(2022, 4, 1, 0, 0, 0)); /* after 2022-03-15, in T1 */
    efx_parse(f, EFX_HDR("v") "valid 2020-01-01 .. 2022-01-01\nfrom act\nyears 2020-2023\n"
                 "measure n count events\n"
                 "indicator v\nversion 2\nvalid 2022-01-01 ..\ntitle sv \"t\"\n"
                 "title en \"t\"\ndescription sv \"t\"\ndescription en \"t\"\nowner \"t\"\n"
                 "goal self-harm\ndirection lower\nfrom act\nyears 2020-2023\n"
                 "measure n count events\n"
              EFX_HDR("vt") "valid 2022-03-15..\nfrom act\nperiod tertial\nyears 2022-2022\n"
                 "measure n count events\n");
    assert_int_equal(f->cat.n, 3);
    struct eng_run run;
    efx_run(f, &run);
    assert_int_equal(run.n, 3);
    const struct eng_result *v1 = &run.results[0], *v2 = &run.results[1];
    assert_int_equal(v1->def->version, 1);
    assert_int_equal(v2->def->version, 2);
    const bool w1[4] = { true, true, false, false };
    const double n1[4] = { 1, 1, 0, 0 }, n2[4] = { 0, 0, 3, 1 };
    for (int p = 0; p < 4; p++) {
        assert_int_equal(v1->period_valid[p], w1[p]);
        assert_int_equal(v2->period_valid[p], !w1[p]);
        CNT(v1, p, NAT, n1[p]);
        CNT(v2, p, NAT, n2[p]);
    }
    const struct eng_result *vt = efx_res(&run, "vt", "n");
    assert_false(vt->period_valid[0]); /* T1 starts 2022-01-01 < 2022-03-15 */
    assert_true(vt->period_valid[1]);
    assert_true(vt->period_valid[2]);
    CNT(vt, 0, NAT, 0); /* not computed, though an act is after 03-15 */
    CNT(vt, 1, NAT, 1);
    CNT(vt, 2, NAT, 0);
    eng_run_free(&run);
}

/* ---- ages and bands ---- */

static void age_people(struct efx *f)
{
    efx_person(f, 40, 2005, 'F', "0180", NULL);
    efx_sql(f, "UPDATE person SET birth_month = 12, birth_day = 31 WHERE id = 40");
    efx_act(f, 40, T(2024, 1, 1, 0, 0, 0));     /* 19 (not yet 18 by birthday) */
    efx_act(f, 40, T(2024, 12, 31, 23, 59, 59)); /* 19 */
    efx_person(f, 41, 2015, 'M', "0180", NULL);  /* 9 */
    efx_person(f, 42, 2014, 'M', "0180", NULL);  /* 10 */
    efx_person(f, 43, 2000, 'F', "0180", NULL);  /* 24 */
    efx_person(f, 44, 1999, 'F', "0180", NULL);  /* 25 */
    for (int p = 41; p <= 44; p++)
        efx_act(f, p, T(2024, 7, 1, 0, 0, 0));
}

/* Age = event year - birth year: born 2005-12-31 is 19 throughout 2024. */
static void test_age(void **state)
{
    struct efx *f = *state;
    age_people(f);
    efx_parse(f, EFX_HDR("a19") "from act\nyears 2024-2024\nwhere age 19\n"
                 "measure n count events\n"
              EFX_HDR("a18") "from act\nyears 2024-2024\nwhere age 18\n"
                 "measure n count events\n"
              EFX_HDR("a20") "from act\nyears 2024-2024\nwhere age 20\n"
                 "measure n count events\n"
              EFX_HDR("young") "from act\nyears 2024-2024\nwhere age 10-24\n"
                 "measure n count events\n"
              EFX_HDR("ends") "from act\nyears 2024-2024\nwhere age 10-12, 24\n"
                 "measure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    CNT(efx_res(&run, "a19", "n"), 0, NAT, 2);
    CNT(efx_res(&run, "a18", "n"), 0, NAT, 0);
    CNT(efx_res(&run, "a20", "n"), 0, NAT, 0);
    CNT(efx_res(&run, "young", "n"), 0, NAT, 4); /* P40 twice, P42, P43 */
    CNT(efx_res(&run, "ends", "n"), 0, NAT, 2);  /* P42, P43 */
    eng_run_free(&run);
}

/* Bands: a cell per band; anchors outside every band count in all ages
 * only (band slot 0). */
static void test_bands(void **state)
{
    struct efx *f = *state;
    age_people(f);
    efx_parse(f, EFX_HDR("b") "from act\nyears 2024-2024\nbands 10-14, 15-19, 20-24\n"
                 "breakdown region, sex, band\nmeasure n count events\n"
                 "measure p count persons\n"
              EFX_HDR("b-young") "from act\nyears 2024-2024\nwhere age 10-24\n"
                 "bands 10-14, 15-19, 20-24\nbreakdown region, sex, band\n"
                 "measure n count events\n"
              EFX_HDR("b-none") "from act\nyears 2024-2024\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *b = efx_res(&run, "b", "n");
    assert_int_equal(b->nband, 4);
    size_t st = efx_reg(f, "01");
    const double all[4] = { 6, 1, 2, 1 }, fem[4] = { 4, 0, 2, 1 }, mal[4] = { 2, 1, 0, 0 };
    for (size_t k = 0; k < 4; k++) {
        CNT(b, 0, 0, SEX_ALL, k, all[k]);
        CNT(b, 0, 0, SEX_F, k, fem[k]);
        CNT(b, 0, 0, SEX_M, k, mal[k]);
        CNT(b, 0, st, SEX_ALL, k, all[k]);
    }
    const double pers[4] = { 5, 1, 1, 1 };
    for (size_t k = 0; k < 4; k++)
        CNT(efx_res(&run, "b", "p"), 0, 0, SEX_ALL, k, pers[k]);
    const struct eng_result *y = efx_res(&run, "b-young", "n");
    const double yw[4] = { 4, 1, 2, 1 };
    for (size_t k = 0; k < 4; k++)
        CNT(y, 0, 0, SEX_ALL, k, yw[k]);
    /* without bands: all ages only */
    const struct eng_result *nb = efx_res(&run, "b-none", "n");
    assert_int_equal(nb->nband, 1);
    CNT(nb, 0, NAT, 6);
    eng_run_free(&run);
}

/* ---- pick ---- */

/* A: stays of 1..5 days in 2021, 2022 (three), 2023; B: 10 days in 2020
 * (outside the years), 20 and 30 days in 2022. The sum of days tells which
 * stays were picked. */
static void pick_people(struct efx *f)
{
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    person0180(f, 1, 2004, 'F');
    person0180(f, 2, 2004, 'M');
    const kn_time a[5] = { T(2021, 2, 1, 0, 0, 0), T(2022, 3, 1, 0, 0, 0), T(2022, 7, 1, 0, 0, 0),
                           T(2022, 11, 1, 0, 0, 0), T(2023, 5, 1, 0, 0, 0) };
    for (int i = 0; i < 5; i++)
        efx_stay(f, 1, 1, a[i], a[i] + (i + 1) * DAY);
    efx_stay(f, 2, 1, T(2020, 6, 1, 0, 0, 0), T(2020, 6, 11, 0, 0, 0));
    efx_stay(f, 2, 1, T(2022, 1, 15, 0, 0, 0), T(2022, 2, 4, 0, 0, 0));  /* 20 d */
    efx_stay(f, 2, 1, T(2022, 2, 15, 0, 0, 0), T(2022, 3, 17, 0, 0, 0)); /* 30 d */
}

#define PICK_DEF(id, pick)                                                               \
    EFX_HDR(id) "from stay\nyears 2021-2023\n" pick "measure d sum days\n"              \
                "measure n count events\n"

static void expect3(const struct eng_run *run, const char *id, const double d[3],
                    const double n[3])
{
    for (int p = 0; p < 3; p++) {
        NEAR(efx_cell(efx_res(run, id, "d"), p, NAT)->num, d[p], 1e-12);
        CNT(efx_res(run, id, "n"), p, NAT, n[p]);
    }
}

static void test_pick_per_period(void **state)
{
    struct efx *f = *state;
    pick_people(f);
    efx_parse(f, PICK_DEF("all", "")
                 PICK_DEF("first", "pick first per person per period\n")
                 PICK_DEF("first-default", "pick first per person\n")
                 PICK_DEF("last", "pick last per person per period\n")
                 PICK_DEF("nth2", "pick nth 2 per person per period\n"));
    struct eng_run run;
    efx_run(f, &run);
    expect3(&run, "all", (double[]){ 1, 59, 5 }, (double[]){ 1, 5, 1 });
    expect3(&run, "first", (double[]){ 1, 22, 5 }, (double[]){ 1, 2, 1 });
    expect3(&run, "first-default", (double[]){ 1, 22, 5 }, (double[]){ 1, 2, 1 });
    expect3(&run, "last", (double[]){ 1, 34, 5 }, (double[]){ 1, 2, 1 });
    expect3(&run, "nth2", (double[]){ 0, 33, 0 }, (double[]){ 0, 2, 0 });
    const struct eng_result *last = efx_res(&run, "last", "d");
    NEAR(efx_cell(last, 1, 0, SEX_F, 0)->num, 4, 1e-12);
    NEAR(efx_cell(last, 1, 0, SEX_M, 0)->num, 30, 1e-12);
    eng_run_free(&run);
}

/* `ever`: a cohort of first events. B's first stay is in 2020, outside the
 * years, so B is not counted at all, though B has stays in 2022. */
static void test_pick_ever(void **state)
{
    struct efx *f = *state;
    pick_people(f);
    efx_parse(f, PICK_DEF("first", "pick first per person ever\n")
                 PICK_DEF("last", "pick last per person ever\n")
                 PICK_DEF("nth2", "pick nth 2 per person ever\n")
                 PICK_DEF("nth6", "pick nth 6 per person ever\n"));
    struct eng_run run;
    efx_run(f, &run);
    expect3(&run, "first", (double[]){ 1, 0, 0 }, (double[]){ 1, 0, 0 });
    expect3(&run, "last", (double[]){ 0, 30, 5 }, (double[]){ 0, 1, 1 });
    expect3(&run, "nth2", (double[]){ 0, 22, 0 }, (double[]){ 0, 2, 0 });
    expect3(&run, "nth6", (double[]){ 0, 0, 0 }, (double[]){ 0, 0, 0 });
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_period_of_end),
        T_(test_period_tertial_quarter_month),
        T_(test_years),
        T_(test_valid_versions),
        T_(test_age),
        T_(test_bands),
        T_(test_pick_per_period),
        T_(test_pick_ever),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
