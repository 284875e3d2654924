/* tests/unit/disclosure/test_sup_nest.c: nested populations in disclosure
 * control (src/disclosure/sup_nest.c; docs/indicators.md, "Nested
 * populations"). An indicator of ages 13-24 lies within one of ages 10-24
 * over the same acts: the difference of their counts in a cell is the
 * 10-12-year-olds there, published nowhere. Each suppressed alone (the
 * old rule) shows both counts where the difference is 1-4, which the
 * attacker subtracts; suppressed together, the attacker gets nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "disclosure/sup.h"
#include "disclosure/sup_impl.h"
#include "sup_attack.h"

/* n persons of sex in muni, born in birth_year, each with an act in 2024. */
static void people(struct efx *f, int *pid, const char *muni, char sex, int birth_year,
                   int n)
{
    for (int i = 0; i < n; i++) {
        ++*pid;
        efx_person(f, *pid, birth_year, sex, muni, NULL);
        efx_act(f, *pid, T(2024, 3, 1, 8, 0, 0) + i * DAY);
    }
}

/* Mostly 20-year-olds (in both), a few 11-year-olds (in the outer only):
 * 2 in Stockholm F, 1 in Uppsala M, 3 in Skåne F, 6 in Västra Götaland M. */
static void data(struct efx *f)
{
    int pid = 0;
    static const struct {
        const char *muni;
        char sex;
        int n, young;
    } g[] = {
        {"0180", 'F', 30, 2}, {"0180", 'M', 25, 0}, {"0380", 'F', 12, 0},
        {"0380", 'M', 14, 1}, {"1280", 'F', 20, 3}, {"1280", 'M', 18, 0},
        {"1480", 'F', 17, 0}, {"1480", 'M', 22, 6},
    };
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++) {
        people(f, &pid, g[i].muni, g[i].sex, 2004, g[i].n);
        people(f, &pid, g[i].muni, g[i].sex, 2013, g[i].young);
    }
}

#define INNER                                                                            \
    EFX_HDR("inner")                                                                     \
    "from act\nwhere cause X60-X84\nwhere age 13-24\nyears 2024-2024\n"                  \
    "bands 13-19, 20-24\nbreakdown region, sex, band\n"                                  \
    "measure persons count persons\nmeasure acts count events\n"
#define OUTER                                                                            \
    EFX_HDR("outer")                                                                     \
    "from act\nwhere cause X60-X84, Y10-Y34\nwhere age 10-24\n"                          \
    "years 2024-2024\nbands 10-14, 15-19, 20-24\n"                                       \
    "breakdown region, sex, band\nmeasure persons count persons\n"

/* Detection from the definitions: inner within outer, not the reverse; a
 * definition that picks the first act per person is no subset; nor is one
 * with a condition the outer lacks the values of. */
static void test_detect(void **state)
{
    struct efx *f = *state;
    efx_parse(
        f,
        INNER OUTER EFX_HDR(
            "first") "from act\nwhere cause X60-X84\nwhere age 13-24\n"
                     "pick first per person per period\nyears 2024-2024\nmeasure n count "
                     "persons\n" EFX_HDR(
                         "other") "from act\nwhere cause X60-X84, X85\nwhere age 13-24\n"
                                  "years 2024-2024\nmeasure n count persons\n");
    const struct ind_def *d = f->cat.defs;
    struct sup_nest n;
    assert_true(sup_nested(&d[0], &d[1], &n));
    /* inner all ages (13-24) within outer all ages only; 20-24 within 20-24
     * and all; 13-19 within all only (15-19 does not hold 13 and 14) */
    assert_int_equal(n.npairs, 4);
    assert_int_equal(n.ia[0], 0);
    assert_int_equal(n.ib[0], 0);
    assert_int_equal(n.ia[1], 1);
    assert_int_equal(n.ib[1], 0);
    assert_int_equal(n.ia[2], 2);
    assert_int_equal(n.ib[2], 0);
    assert_int_equal(n.ia[3], 2);
    assert_int_equal(n.ib[3], 3);
    assert_false(sup_nested(&d[1], &d[0], &n));
    assert_false(sup_nested(&d[2], &d[1], &n)); /* pick first */
    assert_false(sup_nested(&d[3], &d[1], &n)); /* X85 is not the outer's */
}

/* Ages aside: an inner of ages 0-17 within an outer of 10-24 in its band
 * 10-17, as the children's coercive-measure limits lie within the bands
 * of their type's indicators. */
static void test_detect_ages(void **state)
{
    struct efx *f = *state;
    efx_parse(
        f,
        EFX_HDR("child") "from act\nwhere age 0-17\nyears 2024-2024\n"
                         "measure n count events\n" EFX_HDR(
                             "young") "from act\nwhere age 10-24\nyears 2024-2024\n"
                                      "bands 10-17, 18-24\nbreakdown region, sex, band\n"
                                      "measure n count events\n");
    struct sup_nest n;
    assert_true(sup_nested(&f->cat.defs[0], &f->cat.defs[1], &n));
    assert_int_equal(n.npairs, 2); /* all ages (10-17 of it) within all and 10-17 */
    assert_int_equal(n.ib[0], 0);
    assert_int_equal(n.ib[1], 1);
}

static void test_difference_attack(void **state)
{
    struct efx *f = *state;
    data(f);
    efx_parse(f, INNER OUTER);
    struct eng_run run;
    efx_run(f, &run);
    struct eng_result *in = (struct eng_result *)efx_res(&run, "inner", "persons");
    struct eng_result *out = (struct eng_result *)efx_res(&run, "outer", "persons");
    size_t sto = efx_reg(f, "01");
    NEAR(eng_cell(out, 0, sto, SEX_F, 0)->num - eng_cell(in, 0, sto, SEX_F, 0)->num, 2,
         0);

    /* one at a time (the old rule): the differences are there to read */
    struct eng_run ri = {.results = in, .n = 2}, ro = {.results = out, .n = 1};
    sup_apply(&ri, &RULES);
    sup_apply(&ro, &RULES);
    assert_false(sup_hidden(eng_cell(in, 0, sto, SEX_F, 0)));
    assert_false(sup_hidden(eng_cell(out, 0, sto, SEX_F, 0)));
    size_t old = diff_attack(in, out, 0, 0) + diff_attack(in, out, 2, 3);
    assert_true(old > 0);

    /* together: nothing to read, each cube still safe on its own */
    sup_apply(&run, &RULES);
    assert_true(sup_hidden(eng_cell(in, 0, sto, SEX_F, 0)));
    assert_int_equal(eng_cell(in, 0, sto, SEX_F, 0)->sup_num, ENG_SUP_COMPLEMENTARY);
    assert_false(sup_hidden(eng_cell(out, 0, sto, SEX_F, 0)));
    const size_t pairs[4][2] = {{0, 0}, {1, 0}, {2, 0}, {2, 3}};
    for (size_t q = 0; q < 4; q++)
        assert_int_equal(diff_attack(in, out, pairs[q][0], pairs[q][1]), 0);
    /* the acts of inner against the persons of outer are no pair */
    assert_safe(in, false);
    assert_safe(out, false);
    assert_safe(efx_res(&run, "inner", "acts"), false);
    eng_run_free(&run);
}

/* A self-harm act of intent undetermined (Y10): in the outer of
 * test_nest_closes_groups, not in its inner. */
static void undetermined(struct efx *f, int *pid, char sex, int birth_year, int n)
{
    for (int i = 0; i < n; i++) {
        ++*pid;
        efx_person(f, *pid, birth_year, sex, "0180", NULL);
        efx_sql(f, "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, "
                   "method, source_system, source_id) VALUES (%d, %lld, 'Y10', "
                   "'undetermined', 'poison', 't', 'y%d')",
                *pid, (long long)(T(2024, 5, 1, 8, 0, 0) + i * DAY), ++f->src);
    }
}

/* The withdrawn first linking (a cell hidden for a small difference was
 * not closed in its own cube): the difference in band 10-17 is 2 (two
 * 15-year-old girls in the outer only) while that of all ages is 14, so
 * the small difference hides the inner's 10-17 cells of F and both sexes
 * and nothing else of the differences changes. Those cells must then go
 * through the inner's own complementary suppression like any other
 * hidden cell: a band group (all ages = 10-17 + 18-24) left with its
 * 10-17 cell alone hidden gives it away as all ages minus 18-24, as on the
 * 4,000-person country of cli_indicators_run.sh (coe-young-tvangsmed). */
static void test_nest_closes_groups(void **state)
{
    struct efx *f = *state;
    int pid = 0;
    people(f, &pid, "0180", 'F', 2009, 20); /* 15 in 2024 */
    people(f, &pid, "0180", 'M', 2009, 20);
    people(f, &pid, "0180", 'F', 2004, 20); /* 20 */
    people(f, &pid, "0180", 'M', 2004, 20);
    undetermined(f, &pid, 'F', 2009, 2);
    undetermined(f, &pid, 'F', 2004, 6);
    undetermined(f, &pid, 'M', 2004, 6);
#define NEST_DEF(id, cause)                                                              \
    EFX_HDR(id) "from act\nwhere cause " cause "\nwhere age 10-24\nyears 2024-2024\n"     \
                "bands 10-17, 18-24\nbreakdown sex, band\nmeasure persons count persons\n"
    efx_parse(f, NEST_DEF("inner", "X60-X84") NEST_DEF("outer", "X60-X84, Y10-Y34"));
#undef NEST_DEF
    struct sup_nest n;
    assert_true(sup_nested(&f->cat.defs[0], &f->cat.defs[1], &n));
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *in = efx_res(&run, "inner", "persons");
    const struct eng_result *out = efx_res(&run, "outer", "persons");
    NEAR(eng_cell(out, 0, 0, SEX_F, 1)->num - eng_cell(in, 0, 0, SEX_F, 1)->num, 2, 0);
    NEAR(eng_cell(out, 0, 0, SEX_F, 0)->num - eng_cell(in, 0, 0, SEX_F, 0)->num, 8, 0);
    NEAR(eng_cell(out, 0, 0, SEX_ALL, 0)->num - eng_cell(in, 0, 0, SEX_ALL, 0)->num, 14, 0);

    sup_apply(&run, &RULES);
    assert_true(sup_hidden(eng_cell(in, 0, 0, SEX_F, 1)));   /* the small difference */
    assert_true(sup_hidden(eng_cell(in, 0, 0, SEX_ALL, 1))); /* 2 in both sexes too */
    assert_false(sup_hidden(eng_cell(out, 0, 0, SEX_F, 1))); /* only inner cells */
    /* its band groups are closed: a second cell hidden in each */
    assert_true(sup_hidden(eng_cell(in, 0, 0, SEX_F, 0)) ||
                sup_hidden(eng_cell(in, 0, 0, SEX_F, 2)));
    assert_true(sup_hidden(eng_cell(in, 0, 0, SEX_ALL, 0)) ||
                sup_hidden(eng_cell(in, 0, 0, SEX_ALL, 2)));
    assert_safe(in, false);
    assert_safe(out, false);
    for (size_t b = 0; b < 3; b++)
        assert_int_equal(diff_attack(in, out, b, b), 0);
    eng_run_free(&run);
}

/* A duration condition is part of what selects the events
 * (sup_population hashes `where duration OP D` with its bound): belt
 * restraints of children over two hours are a subset of those over one
 * hour, not the same events. Hashed without the bound (the fingerprint
 * before), the two looked like one population, linked as siblings and so
 * never nested, and the difference of 2 restraints of 1-2 hours in
 * Stockholm F was there to read. */
static void test_duration_fingerprint(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "inpatient");
    efx_unit(f, 2, "12", "bup", "inpatient");
    kn_time t0 = T(2024, 3, 1, 8, 0, 0);
    static const struct {
        const char *muni;
        char sex;
        int unit, n, shorter;
    } g[] = {
        {"0180", 'F', 1, 12, 2}, {"0180", 'M', 1, 10, 0},
        {"1280", 'F', 2, 9, 0},  {"1280", 'M', 2, 11, 0},
    };
    int pid = 0;
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        for (int k = 0; k < g[i].n + g[i].shorter; k++) {
            ++pid;
            efx_person(f, pid, 2009, g[i].sex, g[i].muni, NULL);
            int stay = efx_stay(f, pid, g[i].unit, t0, t0 + 20 * DAY);
            kn_time len = k < g[i].shorter ? 90 * 60 : 3 * HOUR;
            efx_measure(f, pid, stay, t0 + DAY, t0 + DAY + len);
        }
#define BELT_DEF(id, cond)                                                               \
    EFX_HDR(id) "from measure\nwhere type fastspanning\nwhere age 0-17\n" cond            \
                "years 2024-2024\nbreakdown region, sex\nmeasure n count events\n"
    efx_parse(f, BELT_DEF("over-1h", "where duration > 1h\n")
                     BELT_DEF("over-2h", "where duration > 2h\n")
                         BELT_DEF("from-2h", "where duration >= 2h\n")
                             BELT_DEF("under-1h", "where duration < 1h\n"));
#undef BELT_DEF
    const struct ind_def *d = f->cat.defs;
    assert_true(sup_population(&d[0]) != sup_population(&d[1]));
    assert_true(sup_population(&d[1]) != sup_population(&d[2]));
    struct sup_nest n;
    assert_true(sup_nested(&d[1], &d[0], &n));  /* > 2h within > 1h */
    assert_false(sup_nested(&d[0], &d[1], &n));
    assert_true(sup_nested(&d[1], &d[2], &n));  /* > 2h within >= 2h */
    assert_false(sup_nested(&d[2], &d[1], &n)); /* exactly 2 h is not > 2h */
    assert_false(sup_nested(&d[3], &d[0], &n)); /* other sides */

    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *in = efx_res(&run, "over-2h", "n");
    const struct eng_result *out = efx_res(&run, "over-1h", "n");
    size_t sto = efx_reg(f, "01");
    NEAR(eng_cell(out, 0, sto, SEX_F, 0)->num - eng_cell(in, 0, sto, SEX_F, 0)->num, 2, 0);
    sup_apply(&run, &RULES);
    assert_true(sup_hidden(eng_cell(in, 0, sto, SEX_F, 0)));
    assert_int_equal(diff_attack(in, out, 0, 0), 0);
    assert_safe(in, false);
    assert_safe(out, false);
    eng_run_free(&run);
}

int main(void)
{
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
    const struct CMUnitTest tests[] = {
        T_(test_detect),
        T_(test_detect_ages),
        T_(test_difference_attack),
        T_(test_nest_closes_groups),
        T_(test_duration_fingerprint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
