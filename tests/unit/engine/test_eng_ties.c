/* tests/unit/engine/test_eng_ties.c: anchors at the same second, and which
 * of them `pick` takes (docs/indicators.md, "Reproducing the numbers"). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* Anchors at the same second: `pick first` takes the one stored first (the
 * lowest id), `pick last` the one stored last, however many events the
 * person has (docs/indicators.md, "Periods, ages and places"). 30 acts at
 * one second (more than the snapshot sorts by insertion): the first
 * stored is undetermined, the others intentional; a second person's 5. */
static void test_pick_ties(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2006, 'F', "0180", NULL);
    efx_person(f, 2, 2006, 'M', "0180", NULL);
    kn_time t0 = T(2023, 6, 1, 12, 0, 0);
    for (int p = 1; p <= 2; p++)
        for (int k = 0; k < (p == 1 ? 30 : 5); k++)
            efx_sql(f, "INSERT INTO self_harm_act (person_id, act_time, cause_code, intent, "
                       "method, source_system, source_id) VALUES (%d, %lld, '%s', '%s', "
                       "'poison', 't', 'tie%d-%d')", p, (long long)t0, k ? "X60" : "Y10",
                    k ? "intentional" : "undetermined", p, k);
    efx_parse(f, EFX_HDR("first") "from act\npick first per person ever\nyears 2023-2023\n"
                 "breakdown region, sex\nmeasure s proportion intent undetermined\n"
              EFX_HDR("last") "from act\npick last per person per period\nyears 2023-2023\n"
                 "breakdown region, sex\nmeasure s proportion intent undetermined\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "first", "s"), 0, 0, SEX_F, 0);
    NEAR(c->den, 1, 0);
    NEAR(c->num, 1, 0);
    c = efx_cell(efx_res(&run, "first", "s"), 0, 0, SEX_M, 0);
    NEAR(c->num, 1, 0);
    c = efx_cell(efx_res(&run, "last", "s"), 0, NAT);
    NEAR(c->den, 2, 0);
    NEAR(c->num, 0, 0);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pick_ties, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
