/* tests/unit/engine/test_eng_rates.c: the indicator engine's rates and
 * survival (src/engine/eng*.c) against docs/indicators.md: rates over the
 * population of a cell, directly standardised rates, the intervals of
 * counts, and Kaplan-Meier curves (censoring, deaths on the day, from the
 * discharge). The method is in eng_fixture.h; the statistics themselves
 * are checked in test_stat.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "stats/stat.h"

/* ---- rates ---- */

static double pop(const struct efx *f, const char *region, char sex, int lo, int hi)
{
    return (double)geo_population_sum(&f->geo, region, sex, lo, hi);
}

/* Rates per 100 000 over the population of the cell's region, sex and
 * ages (the `age` condition cut by the band); the healthcare regions take
 * Halland by its municipal split (203 113 Västra, 142 974 Södra). */
static void test_rate_population(void **state)
{
    struct efx *f = *state;
    efx_person(f, 50, 2006, 'F', "1380", NULL); /* 16 in 2022, Halland / Södra */
    efx_person(f, 51, 2000, 'M', "0180", NULL); /* 22 */
    efx_person(f, 52, 2006, 'F', "0180", NULL); /* 16 */
    efx_person(f, 53, 1990, 'F', "0180", NULL); /* 32: outside the ages */
    for (int p = 50; p <= 53; p++)
        efx_act(f, p, T(2022, 5, 1, 0, 0, 0));
    efx_act(f, 51, T(2022, 6, 1, 0, 0, 0)); /* a person counts once */
    efx_parse(f, EFX_HDR("r") "from act\nwhere age 10-24\nbands 10-14, 15-19, 20-24\n"
                 "breakdown region, sex, band\nyears 2022-2022\n"
                 "measure r count persons per 100000 population\n"
              EFX_HDR("r-all") "from act\nyears 2022-2022\n"
                 "measure r count events per 1000 population\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "r", "r");
    const struct eng_cell *c = efx_cell(r, 0, NAT);
    double den = pop(f, NULL, 0, 10, 24);
    NEAR(c->num, 3, 0);
    NEAR(c->den, den, 1e-6);
    NEAR(c->value, 3 / den * 1e5, 1e-9);
    struct stat_ci pc = stat_poisson(3, 0.95);
    NEAR(c->lo95, pc.lower / den * 1e5, 1e-9);
    NEAR(c->hi95, pc.upper / den * 1e5, 1e-9);
    c = efx_cell(r, 0, 0, SEX_F, 2);
    NEAR(c->num, 2, 0);
    NEAR(c->den, pop(f, NULL, 'F', 15, 19), 1e-6);
    c = efx_cell(r, 0, efx_reg(f, "13"), SEX_F, 2);
    NEAR(c->num, 1, 0);
    NEAR(c->den, pop(f, "13", 'F', 15, 19), 1e-6);
    NEAR(c->value, 1 / pop(f, "13", 'F', 15, 19) * 1e5, 1e-9);
    c = efx_cell(r, 0, efx_reg(f, "01"), SEX_M, 3);
    NEAR(c->num, 1, 0);
    NEAR(c->den, pop(f, "01", 'M', 20, 24), 1e-6);
    c = efx_cell(r, 0, efx_reg(f, "09"), SEX_F, 1);
    NEAR(c->num, 0, 0);
    NEAR(c->den, pop(f, "09", 'F', 10, 14), 1e-6);
    NEAR(c->value, 0, 0);
    c = efx_cell(r, 0, efx_hc(f, "Stockholm-Gotland"), SEX_ALL, 0);
    NEAR(c->num, 2, 0);
    NEAR(c->den, pop(f, "01", 0, 10, 24) + pop(f, "09", 0, 10, 24), 1e-6);
    const double south = 142974.0 / 346087.0, west = 203113.0 / 346087.0;
    c = efx_cell(r, 0, efx_hc(f, "Södra"), SEX_F, 2);
    NEAR(c->num, 1, 0);
    NEAR(c->den, pop(f, "07", 'F', 15, 19) + pop(f, "10", 'F', 15, 19) +
                     pop(f, "12", 'F', 15, 19) + south * pop(f, "13", 'F', 15, 19), 1e-6);
    c = efx_cell(r, 0, efx_hc(f, "Västra"), SEX_ALL, 0);
    NEAR(c->num, 0, 0);
    NEAR(c->den, pop(f, "14", 0, 10, 24) + west * pop(f, "13", 0, 10, 24), 1e-6);
    c = efx_cell(r, 0, efx_hc(f, "Norra"), SEX_M, 3);
    NEAR(c->den, pop(f, "22", 'M', 20, 24) + pop(f, "23", 'M', 20, 24) +
                     pop(f, "24", 'M', 20, 24) + pop(f, "25", 'M', 20, 24), 1e-6);
    /* no `age`: all ages; counts events */
    c = efx_cell(efx_res(&run, "r-all", "r"), 0, NAT);
    NEAR(c->num, 5, 0);
    NEAR(c->den, pop(f, NULL, 0, 0, GEO_AGE_OPEN), 1e-6);
    NEAR(c->value, 5 / pop(f, NULL, 0, 0, GEO_AGE_OPEN) * 1000, 1e-12);
    eng_run_free(&run);
}

/* ---- standardised rates ---- */

/* Directly standardised to ESP2013 over the bands; not computed below 10
 * events. Stockholm 9 acts (ages 12, 12, 16, 16, 16, 21, 21, 21, 21),
 * Uppsala 1 (age 16): the nation has 10. */
static void test_standardised(void **state)
{
    struct efx *f = *state;
    const int ages[10] = { 12, 12, 16, 16, 16, 21, 21, 21, 21, 16 };
    for (int i = 0; i < 10; i++) {
        efx_person(f, i + 1, 2022 - ages[i], i % 2 ? 'M' : 'F', i < 9 ? "0180" : "0380", NULL);
        efx_act(f, i + 1, T(2022, 6, 1, 0, 0, 0));
    }
    efx_parse(f, EFX_HDR("dsr") "from act\nwhere age 10-24\nbands 10-14, 15-19, 20-24\n"
                 "breakdown region, sex, band\nyears 2022-2022\n"
                 "measure r count events per 100000 population standardised\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "dsr", "r");
    const int lo[3] = { 10, 15, 20 };
    const double count[3] = { 2, 4, 4 };
    struct stat_stratum st[3];
    for (int b = 0; b < 3; b++) {
        double w = 0;
        for (size_t q = 0; q < f->geo.nesp2013; q++)
            if (f->geo.esp2013[q].age_from == lo[b])
                w = f->geo.esp2013[q].weight;
        assert_true(w > 0);
        st[b] = (struct stat_stratum){ count[b], pop(f, NULL, 0, lo[b], lo[b] + 4), w };
        CNT(r, 0, 0, SEX_ALL, (size_t)b + 1, count[b]);
    }
    struct stat_ci want95, want998;
    assert_true(stat_dsr(st, 3, 1e5, 0.95, &want95));
    assert_true(stat_dsr(st, 3, 1e5, 0.998, &want998));
    const struct eng_cell *c = efx_cell(r, 0, NAT);
    NEAR(c->num, 10, 0);
    NEAR(c->value, want95.value, 1e-9);
    NEAR(c->lo95, want95.lower, 1e-9);
    NEAR(c->hi95, want95.upper, 1e-9);
    NEAR(c->lo998, want998.lower, 1e-9);
    /* the bands themselves are crude rates */
    c = efx_cell(r, 0, 0, SEX_ALL, 2);
    NEAR(c->value, 4 / pop(f, NULL, 0, 15, 19) * 1e5, 1e-9);
    /* Stockholm: 9 events, no standardised value */
    c = efx_cell(r, 0, efx_reg(f, "01"), SEX_ALL, 0);
    NEAR(c->num, 9, 0);
    assert_int_equal(c->flags & ENG_HAS_VALUE, 0);
    eng_run_free(&run);
}

/* ---- intervals of counts ---- */

/* Count intervals: exact Poisson below 10, Byar's from 10. Stockholm 12
 * acts, Uppsala 3: the nation 15. */
static void test_count_intervals(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "0380", NULL);
    for (int i = 0; i < 12; i++)
        efx_act(f, 1, T(2022, 1, 1 + i, 0, 0, 0));
    for (int i = 0; i < 3; i++)
        efx_act(f, 2, T(2022, 2, 1 + i, 0, 0, 0));
    efx_parse(f, EFX_HDR("ci") "from act\nyears 2022-2022\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "ci", "n");
    const struct { size_t g; double n; } cells[] = {
        { 0, 15 }, { efx_reg(f, "01"), 12 }, { efx_reg(f, "03"), 3 }, { efx_reg(f, "09"), 0 },
    };
    for (size_t i = 0; i < 4; i++) {
        const struct eng_cell *c = efx_cell(r, 0, cells[i].g, SEX_ALL, 0);
        double o = cells[i].n;
        struct stat_ci a = o < 10 ? stat_poisson_exact(o, 0.95) : stat_poisson_byar(o, 0.95);
        struct stat_ci b = o < 10 ? stat_poisson_exact(o, 0.998) : stat_poisson_byar(o, 0.998);
        NEAR(c->num, o, 0);
        NEAR(c->value, o, 0);
        assert_true(c->flags & ENG_HAS_CI);
        NEAR(c->lo95, a.lower, 1e-9);
        NEAR(c->hi95, a.upper, 1e-9);
        NEAR(c->lo998, b.lower, 1e-9);
        NEAR(c->hi998, b.upper, 1e-9);
    }
    assert_string_equal(eng_geo_code(r, f->snap, 0), "SE");
    assert_string_equal(eng_geo_name(r, f->snap, 0), "Riket");
    assert_string_equal(eng_geo_code(r, f->snap, efx_reg(f, "03")), "03");
    eng_run_free(&run);
}

/* ---- survival ---- */

/* Kaplan-Meier by hand. Anchors (first act ever) at T0 = 2022-01-01 except
 * E; the data end at the latest event, D's act at T0 + 400 d (2023-02-05).
 *   A: next act at 10 d       event 10
 *   B: next act at 30 d       event 30
 *   C: dies at 20 d           censored at 365 d (followed to the window's
 *                             end), or at 20 d with `censor death`
 *   D: next act at 400 d      censored at 365 d
 *   E: act 2022-11-01 only    censored at the data's end, 96 d
 *   F: next act at 50 d       event 50
 * Without censoring at death: S = 5/6 * 4/5 * 3/4 = 1/2, incidence 50 %,
 * Greenwood sum 1/30 + 1/20 + 1/12 = 1/6.
 * With it: at 10 6 at risk, C leaves at 20, at 30 4 at risk, at 50 3:
 * S = 5/6 * 3/4 * 2/3 = 5/12, incidence 7/12; Greenwood 1/30 + 1/12 + 1/6
 * = 17/60. */
static void check_km(const struct eng_cell *c, double s, double green)
{
    double se = s * sqrt(green), ci = 1 - s;
    NEAR(c->value, 100 * ci, 1e-9);
    NEAR(c->lo95, 100 * fmax(0, ci - stat_z(0.95) * se), 1e-9);
    NEAR(c->hi95, 100 * fmin(1, ci + stat_z(0.95) * se), 1e-9);
    NEAR(c->lo998, 100 * fmax(0, ci - stat_z(0.998) * se), 1e-9);
    NEAR(c->hi998, 100 * fmin(1, ci + stat_z(0.998) * se), 1e-9);
}

static void test_survival(void **state)
{
    struct efx *f = *state;
    kn_time t0 = T(2022, 1, 1, 0, 0, 0);
    for (int p = 1; p <= 6; p++)
        person0180(f, p, 2004, p <= 3 ? 'F' : 'M');
    efx_act(f, 1, t0);
    efx_act(f, 1, t0 + 10 * DAY);
    efx_act(f, 2, t0);
    efx_act(f, 2, t0 + 30 * DAY);
    efx_act(f, 3, t0);
    efx_death(f, 3, D(2022, 1, 21), 0);
    efx_act(f, 4, t0);
    efx_act(f, 4, t0 + 400 * DAY);
    efx_act(f, 5, T(2022, 11, 1, 0, 0, 0));
    efx_act(f, 6, t0);
    efx_act(f, 6, t0 + 50 * DAY);
    efx_parse(f, EFX_HDR("km") "from act\npick first per person ever\nyears 2022-2023\n"
                 "measure s survival act in start (0d, 365d]\n"
                 "measure sd survival act in start (0d, 365d] censor death\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *s = efx_res(&run, "km", "s"), *sd = efx_res(&run, "km", "sd");
    const struct eng_cell *c = efx_cell(s, 0, NAT);
    NEAR(c->den, 6, 0);
    NEAR(c->num, 3, 0);
    check_km(c, 0.5, 1.0 / 6);
    c = efx_cell(sd, 0, NAT);
    NEAR(c->den, 6, 0);
    NEAR(c->num, 3, 0);
    check_km(c, 5.0 / 12, 17.0 / 60);
    /* F (A, B, C): without death censoring 10 e, 30 e, C at 365:
     * S = 2/3 * 1/2 = 1/3, Greenwood 1/6 + 1/2 */
    check_km(efx_cell(s, 0, 0, SEX_F, 0), 1.0 / 3, 1.0 / 6 + 1.0 / 2);
    /* with it: 10 e (3 at risk), C out at 20, 30 e (1 at risk): S = 0 */
    NEAR(efx_cell(sd, 0, 0, SEX_F, 0)->value, 100, 1e-9);
    /* 2023: no anchors, no value */
    c = efx_cell(s, 1, NAT);
    NEAR(c->den, 0, 0);
    assert_int_equal(c->flags & ENG_HAS_VALUE, 0);
    eng_run_free(&run);
}

/* No event by the window's end: Greenwood's interval would be [0, 0]; the
 * upper limit is the exact binomial one (stat_zero_upper) for no event
 * among the persons followed for the whole window. 8 persons with one act
 * in 2022 and none after, the data running to 2024 (a ninth person's act):
 * all 8 followed 365 days. A 2024 anchor, followed 100 days, is censored
 * early and does not count. */
static void test_survival_no_event(void **state)
{
    struct efx *f = *state;
    for (int p = 1; p <= 9; p++)
        person0180(f, p, 2004, 'F');
    for (int p = 1; p <= 8; p++)
        efx_act(f, p, T(2022, 2, p, 0, 0, 0));
    efx_act(f, 9, T(2024, 1, 1, 0, 0, 0));
    efx_act(f, 1, T(2024, 4, 10, 0, 0, 0)); /* 2 years on: outside the window */
    efx_parse(f, EFX_HDR("km0") "from act\npick first per person ever\nyears 2022-2024\n"
                 "measure s survival act in start (0d, 365d]\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "km0", "s"), 0, NAT);
    NEAR(c->den, 8, 0);
    NEAR(c->num, 0, 0);
    NEAR(c->value, 0, 0);
    NEAR(c->lo95, 0, 0);
    NEAR(c->hi95, 100 * (1 - pow(0.025, 1.0 / 8)), 1e-9);
    NEAR(c->hi998, 100 * (1 - pow(0.001, 1.0 / 8)), 1e-9);
    /* 2024: one anchor, followed 100 days only: nobody followed the window */
    c = efx_cell(efx_res(&run, "km0", "s"), 2, NAT);
    NEAR(c->den, 1, 0);
    NEAR(c->value, 0, 0);
    NEAR(c->hi95, 100, 0);
    eng_run_free(&run);
}

/* Survival from the discharge: an open stay has no time origin and is no
 * anchor of the curve; a stay starting before the discharge is not a
 * readmission. */
static void test_survival_in_end(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    for (int p = 1; p <= 4; p++)
        person0180(f, p, 2004, 'F');
    kn_time s = T(2022, 2, 1, 0, 0, 0), d = s + 10 * DAY;
    efx_stay(f, 1, 1, s, d);
    efx_stay(f, 1, 1, d + 5 * DAY, d + 6 * DAY); /* readmitted at 5 d */
    efx_stay(f, 2, 1, s, d);
    efx_stay(f, 3, 1, s, NO_END);
    efx_stay(f, 4, 1, s, d);
    efx_act(f, 4, T(2022, 12, 31, 0, 0, 0)); /* the data's end */
    efx_parse(f, EFX_HDR("re") "from stay\npick first per person ever\nyears 2022-2022\n"
                 "measure s survival stay in end (0d, 30d]\n"
                 "measure p proportion has stay in end (0d, 30d]\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "re", "s"), 0, NAT);
    NEAR(c->den, 3, 0); /* P1, P2, P4; not the open stay of P3 */
    NEAR(c->num, 1, 0);
    check_km(c, 2.0 / 3, 1.0 / 6);
    c = efx_cell(efx_res(&run, "re", "p"), 0, NAT);
    NEAR(c->den, 4, 0); /* the proportion keeps the open stay */
    NEAR(c->num, 1, 0);
    eng_run_free(&run);
}

/* A death is dated by its day and put at that day's last second. With
 * `censor death` a repeat act on the day of death still counts: A's anchor
 * 2022-01-01 10:00, repeat act 2022-02-20 14:00, death 2022-02-20: an
 * event at 50 d 4 h. B: a repeat act at 20 d, alive. */
static void test_death_same_day(void **state)
{
    struct efx *f = *state;
    person0180(f, 1, 2004, 'F');
    person0180(f, 2, 2004, 'F');
    kn_time t0 = T(2022, 1, 1, 10, 0, 0);
    efx_act(f, 1, t0);
    efx_act(f, 1, T(2022, 2, 20, 14, 0, 0));
    efx_death(f, 1, D(2022, 2, 20), 1);
    efx_act(f, 2, t0);
    efx_act(f, 2, t0 + 20 * DAY);
    efx_act(f, 2, T(2023, 6, 1, 0, 0, 0)); /* the data's end */
    efx_parse(f, EFX_HDR("dd") "from act\npick first per person ever\nyears 2022-2022\n"
                 "measure s survival act in start (0d, 365d] censor death\n"
                 "measure u survival act in start (0d, 365d]\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "dd", "s"), 0, NAT);
    NEAR(c->num, 2, 0); /* A and B */
    NEAR(c->value, 100, 1e-9);
    c = efx_cell(efx_res(&run, "dd", "u"), 0, NAT);
    NEAR(c->num, 2, 0);
    NEAR(c->value, 100, 1e-9);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_rate_population),
        T_(test_survival),
        T_(test_standardised),
        T_(test_survival_in_end),
        T_(test_count_intervals),
        T_(test_death_same_day),
        T_(test_survival_no_event),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
