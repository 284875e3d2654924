/* tests/unit/engine/test_eng_observed.c: `where observed start|end D`, the
 * anchors whose window the data reach (no half-seen follow-up periods). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* The data end with the last event, an act on 2024-12-31 12:00. Stays
 * discharged 2024-06-01 and 2024-12-26 and 2024-12-24 12:00 (exactly 7 days
 * before the end) and one still open: with `observed end 7d` the first and
 * the third count (the window reaches the data's end, inclusive), the
 * second does not, and the open one has no end. The condition does not
 * touch the population of a rate. */
static void test_observed(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_stay(f, 1, 1, T(2024, 5, 20, 0, 0, 0), T(2024, 6, 1, 0, 0, 0));
    efx_stay(f, 1, 1, T(2024, 12, 10, 0, 0, 0), T(2024, 12, 26, 0, 0, 0));
    efx_stay(f, 1, 1, T(2024, 12, 21, 0, 0, 0), T(2024, 12, 24, 12, 0, 0));
    efx_stay(f, 1, 1, T(2024, 12, 28, 0, 0, 0), NO_END);
    efx_act(f, 1, T(2024, 12, 31, 12, 0, 0));
    efx_parse(f, EFX_HDR("ob") "from stay\nyears 2024-2024\nwhere observed end 7d\n"
                 "measure n count events\n"
              EFX_HDR("all") "from stay\nyears 2024-2024\nmeasure n count events\n"
              EFX_HDR("st") "from stay\nyears 2024-2024\nwhere observed start 30d\n"
                 "measure n count events\n"
              EFX_HDR("rt") "from act\nyears 2024-2024\nwhere age 10-24\n"
                 "where observed start 0d\nmeasure r count persons per 100000 population\n");
    struct eng_run run;
    efx_run(f, &run);
    NEAR(efx_cell(efx_res(&run, "ob", "n"), 0, 0, SEX_ALL, 0)->num, 2, 0);
    NEAR(efx_cell(efx_res(&run, "all", "n"), 0, 0, SEX_ALL, 0)->num, 4, 0);
    /* admitted by 2024-12-01 12:00: the first only */
    NEAR(efx_cell(efx_res(&run, "st", "n"), 0, 0, SEX_ALL, 0)->num, 1, 0);
    const struct eng_cell *c = efx_cell(efx_res(&run, "rt", "r"), 0, 0, SEX_ALL, 0);
    NEAR(c->num, 1, 0);
    NEAR(c->den, (double)geo_population_sum(&f->geo, NULL, 0, 10, 24), 0);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_observed, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
