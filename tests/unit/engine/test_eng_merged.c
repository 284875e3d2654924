/* tests/unit/engine/test_eng_merged.c: `sum hours merged`, the time under
 * at least one of a person's intervals (overlaps counted once). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* Person 1: measures [0 h, 10 h], [5 h, 15 h] and [12 h, 13 h] (inside the
 * second) and [20 h, 22 h]: covered 15 + 2 = 17 h, summed 10 + 10 + 1 + 2 =
 * 23 h. Person 2: [0 h, 4 h] alone: 4 h either way; the persons' times do
 * not merge with each other. An open measure adds nothing. */
static void test_merged_hours(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "adult_psychiatry", "inpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "0180", NULL);
    kn_time t = T(2022, 3, 1, 8, 0, 0);
    int s1 = efx_stay(f, 1, 1, t, t + 48 * HOUR);
    int s2 = efx_stay(f, 2, 1, t, t + 48 * HOUR);
    efx_measure(f, 1, s1, t, t + 10 * HOUR);
    efx_measure(f, 1, s1, t + 5 * HOUR, t + 15 * HOUR);
    efx_measure(f, 1, s1, t + 12 * HOUR, t + 13 * HOUR);
    efx_measure(f, 1, s1, t + 20 * HOUR, t + 22 * HOUR);
    efx_measure(f, 2, s2, t, t + 4 * HOUR);
    efx_sql(f, "INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, "
               "start_time, source_system, source_id) VALUES (2, %d, 'avskiljning', 'LPT', "
               "%lld, 't', 'open')", s2, (long long)(t + HOUR));
    efx_parse(f, EFX_HDR("mg") "from measure\nyears 2022-2022\n"
                 "measure summed sum hours\nmeasure covered sum hours merged\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_cell *c = efx_cell(efx_res(&run, "mg", "summed"), 0, 0, SEX_ALL, 0);
    NEAR(c->num, 27, 1e-12);
    NEAR(c->den, 5, 0);
    c = efx_cell(efx_res(&run, "mg", "covered"), 0, 0, SEX_ALL, 0);
    NEAR(c->num, 21, 1e-12);
    NEAR(c->den, 5, 0);
    c = efx_cell(efx_res(&run, "mg", "covered"), 0, 0, SEX_F, 0);
    NEAR(c->num, 17, 1e-12);
    c = efx_cell(efx_res(&run, "mg", "covered"), 0, 0, SEX_M, 0);
    NEAR(c->num, 4, 1e-12);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_merged_hours, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
