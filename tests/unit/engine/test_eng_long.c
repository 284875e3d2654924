/* tests/unit/engine/test_eng_long.c: a timeline of 256 or more events (the
 * snapshot keeps the order by kind only for shorter ones; the engine
 * builds it for longer ones itself) gives the same results as short ones. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* Person 1: 300 daily acts and an assessment one hour after every third;
 * person 2: 20 daily acts, assessments likewise. Every act but each
 * person's last is followed by another within (0d, 1d]; an act has an
 * assessment within [0h, 2h] when its index is a multiple of 3. */
static void test_long_timeline(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "0180", NULL);
    kn_time t = T(2022, 1, 1, 8, 0, 0);
    const int n[2] = { 300, 20 };
    for (int who = 0; who < 2; who++)
        for (int i = 0; i < n[who]; i++) {
            efx_act(f, who + 1, t + i * DAY);
            if (i % 3 == 0)
                efx_assessment(f, who + 1, t + i * DAY + HOUR, "psychosocial");
        }
    efx_parse(f, EFX_HDR("lg") "from act\nyears 2022-2022\n"
                 "measure rep proportion has act in start (0d, 1d]\n"
                 "measure ass proportion has assessment in start [0h, 2h]\n"
                 "measure first median hours to first assessment in start [0h, 2h]\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "lg", "rep"), 0, 0, SEX_F, 0);
    NEAR(c->num, 299, 0);
    NEAR(c->den, 300, 0);
    c = efx_cell(efx_res(&run, "lg", "rep"), 0, 0, SEX_M, 0);
    NEAR(c->num, 19, 0);
    NEAR(c->den, 20, 0);
    c = efx_cell(efx_res(&run, "lg", "ass"), 0, 0, SEX_F, 0);
    NEAR(c->num, 100, 0);
    c = efx_cell(efx_res(&run, "lg", "ass"), 0, 0, SEX_M, 0);
    NEAR(c->num, 7, 0);
    c = efx_cell(efx_res(&run, "lg", "first"), 0, 0, SEX_ALL, 0);
    NEAR(c->den, 107, 0);
    NEAR(c->value, 1, 1e-12);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_long_timeline, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
