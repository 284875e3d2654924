/* tests/unit/engine/test_eng_target.c: the status of a cell against its
 * target (src/engine/eng_target.c), decided on the counts: a value exactly
 * at the target is `met` (docs/indicators.md, "Targets"), whatever the
 * floating-point rounding of the value and of the level would say.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"
#include "export/eng_out.h"

/* 10 persons with an act in 2020 and 9 in 2024 in every region and sex:
 * 2024 is exactly 10 % below 2020 over the same population, in every
 * region, healthcare region and the nation (`target <= -10% from 2020`:
 * met). 11 in 2020 and 10 in 2024 of one more sex-less check: 10 against
 * 11 * 0.9 = 9.9 is above, not met. */
static void test_relative_boundary(void **state)
{
    struct efx *f = *state;
    int id = 0;
    efx_sql(f, "BEGIN");
    for (size_t r = 0; r < f->geo.nregions; r++)
        for (int sx = 0; sx < 2; sx++)
            for (int year = 2020; year <= 2024; year += 4)
                for (int k = 0; k < (year == 2020 ? 10 : 9); k++) {
                    efx_person(f, ++id, 2006, sx ? 'M' : 'F', NULL, f->geo.regions[r].code);
                    efx_act(f, id, T(year, 3, 1 + k, 12, 0, 0));
                }
    efx_sql(f, "COMMIT");
    efx_parse(f, EFX_HDR("t") "from act\nwhere age 10-24\nyears 2020-2024\n"
                 "breakdown region, sex\n"
                 "measure rate count persons per 100000 population\n"
                 "measure persons count persons\n"
                 "target <= -10% from 2020\n"
              EFX_HDR("u") "from act\nwhere age 10-24\nyears 2020-2024\n"
                 "breakdown region, sex\n"
                 "measure persons count persons\n"
                 "target <= -9% from 2020\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *rate = efx_res(&run, "t", "rate");
    const struct eng_result *u = efx_res(&run, "u", "persons");
    int p2024 = 4, checked = 0, noisy = 0;
    for (size_t g = 0; g < 1 + f->geo.nhregions + f->geo.nregions; g++)
        for (int so = 0; so < 3; so++) {
            const struct eng_cell *c = eng_cell(rate, p2024, g, so, 0),
                                  *b = eng_cell(rate, 0, g, so, 0);
            assert_true(c->flags & ENG_HAS_VALUE);
            NEAR(c->num * 10, b->num * 9, 0);
            if (strcmp(eng_status(rate, p2024, g, so, 0), "met") != 0)
                fail_msg("place %zu sex %d: %.17g against %.17g * 0.9 = %.17g is not met", g,
                         so, c->value, b->value, b->value * 0.9);
            noisy += !(c->value <= b->value * (1 + -10.0 / 100)); /* what doubles say */
            /* 9 against 10 is more than 9 % below */
            assert_string_equal(eng_status(u, p2024, g, so, 0), "met");
            checked++;
        }
    assert_int_equal(checked, (1 + (int)f->geo.nhregions + (int)f->geo.nregions) * 3);
    print_message("# %d of %d boundary cells would be not_met in floating point\n", noisy,
                  checked);
    /* the base year has no base: no status */
    assert_string_equal(eng_status(rate, 0, 0, 0, 0), "");
    eng_run_free(&run);
}

/* Just beyond the boundary: 10 against 11 in the base year is 9.09 % below,
 * not 10 %. */
static void test_relative_not_met(void **state)
{
    struct efx *f = *state;
    int id = 0;
    for (int year = 2020; year <= 2024; year += 4)
        for (int k = 0; k < (year == 2020 ? 11 : 10); k++) {
            efx_person(f, ++id, 2006, 'F', "0180", NULL);
            efx_act(f, id, T(year, 3, 1 + k, 12, 0, 0));
        }
    efx_parse(f, EFX_HDR("t") "from act\nwhere age 10-24\nyears 2020-2024\n"
                 "measure rate count persons per 100000 population\n"
                 "target <= -10% from 2020\n"
              EFX_HDR("v") "from act\nwhere age 10-24\nyears 2020-2024\n"
                 "measure n count events\n"
                 "target <= -9.09% from 2020\n");
    struct eng_run run;
    efx_run(f, &run);
    assert_string_equal(eng_status(efx_res(&run, "t", "rate"), 4, NAT), "not_met");
    /* 10 <= 11 * 0.9091 = 10.0001: met */
    assert_string_equal(eng_status(efx_res(&run, "v", "n"), 4, NAT), "met");
    eng_run_free(&run);
}

/* A level: 7 of 100 acts undetermined is a share of exactly 7 % (in
 * doubles 100 * 0.07 = 7.000000000000001): `target <= 7` is met, and
 * `target >= 7` too; 1 of 8 is 12.5 %: `target >= 12.5` met, `target >=
 * 12.51` not. */
static void test_level_boundary(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2006, 'F', "0180", NULL);
    efx_person(f, 2, 2006, 'M', "0180", NULL);
    efx_sql(f, "BEGIN");
    for (int k = 0; k < 100; k++)
        efx_sql(f, "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, "
                   "method, source_system, source_id) VALUES (1, %lld, '%s', '%s', "
                   "'poison', 't', 'a%d')", (long long)T(2024, 1, 1 + k / 4, 6 * (k % 4), 0, 0),
                k < 7 ? "Y10" : "X60", k < 7 ? "undetermined" : "intentional", k);
    for (int k = 0; k < 8; k++)
        efx_sql(f, "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, "
                   "method, source_system, source_id) VALUES (2, %lld, '%s', '%s', "
                   "'poison', 't', 'b%d')", (long long)T(2024, 2, 1 + k, 0, 0, 0),
                k < 1 ? "Y10" : "X60", k < 1 ? "undetermined" : "intentional", k);
    efx_sql(f, "COMMIT");
    efx_parse(f, EFX_HDR("le") "from act\nyears 2024-2024\nbreakdown region, sex\n"
                 "measure s proportion intent undetermined\ntarget <= 7\n"
              EFX_HDR("ge") "from act\nyears 2024-2024\nbreakdown region, sex\n"
                 "measure s proportion intent undetermined\ntarget >= 7\n"
              EFX_HDR("half") "from act\nyears 2024-2024\nbreakdown region, sex\n"
                 "measure s proportion intent undetermined\ntarget >= 12.5\n"
              EFX_HDR("over") "from act\nyears 2024-2024\nbreakdown region, sex\n"
                 "measure s proportion intent undetermined\ntarget >= 12.51\n");
    struct eng_run run;
    efx_run(f, &run);
    size_t sthlm = efx_reg(f, "01");
    const struct eng_cell *c = eng_cell(efx_res(&run, "le", "s"), 0, sthlm, SEX_F, 0);
    NEAR(c->num, 7, 0);
    NEAR(c->den, 100, 0);
    assert_string_equal(eng_status(efx_res(&run, "le", "s"), 0, sthlm, SEX_F, 0), "met");
    assert_string_equal(eng_status(efx_res(&run, "ge", "s"), 0, sthlm, SEX_F, 0), "met");
    assert_string_equal(eng_status(efx_res(&run, "half", "s"), 0, sthlm, SEX_M, 0), "met");
    assert_string_equal(eng_status(efx_res(&run, "over", "s"), 0, sthlm, SEX_M, 0), "not_met");
    /* 8 of 108 is 7.4 %: above 7 */
    assert_string_equal(eng_status(efx_res(&run, "le", "s"), 0, sthlm, SEX_ALL, 0), "not_met");
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_relative_boundary),
        T_(test_relative_not_met),
        T_(test_level_boundary),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
