/* tests/unit/engine/test_eng_duration.c: `where duration OP D`, the anchor's
 * own length (end - start, wall-clock), as the coercive-measure limits of
 * the law need it (belt restraint of a child beyond one hour, ...). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* Six belt restraints of one 15-year-old in 2024: 30 min, exactly 1 h,
 * 1 h 1 s, 2 h, 5 h, and one still going on (no end, no duration); a
 * 16-year-old's 90 min. > 1h: 3 + 1; >= 1h: 4 + 1; < 1h: 1; <= 1h: 2;
 * > 4h: 1. The open measure meets none of them. */
static void test_duration(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "inpatient");
    efx_person(f, 1, 2009, 'F', "0180", NULL);
    efx_person(f, 2, 2008, 'M', "0180", NULL);
    kn_time t0 = T(2024, 3, 1, 8, 0, 0);
    int stay = efx_stay(f, 1, 1, t0, T(2024, 4, 1, 0, 0, 0));
    int stay2 = efx_stay(f, 2, 1, t0, T(2024, 4, 1, 0, 0, 0));
    const long long lens[] = { 30 * 60, HOUR, HOUR + 1, 2 * HOUR, 5 * HOUR };
    for (int k = 0; k < 5; k++)
        efx_measure(f, 1, stay, t0 + (k + 1) * DAY, t0 + (k + 1) * DAY + lens[k]);
    efx_sql(f, "INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, "
               "start_time, end_time, source_system, source_id) VALUES (1, %d, "
               "'fastspanning', 'LPT', %lld, NULL, 't', 'open')", stay,
            (long long)(t0 + 20 * DAY));
    efx_measure(f, 2, stay2, t0 + DAY, t0 + DAY + 90 * 60);
#define DEF(id, cond)                                                                   \
    EFX_HDR(id) "from measure\nwhere type fastspanning\nwhere age 0-17\n" cond            \
                "years 2024-2024\nbreakdown region, sex\nmeasure n count events\n"        \
                "measure p count persons\n"
    efx_parse(f, DEF("gt", "where duration > 1h\n") DEF("ge", "where duration >= 1h\n")
                 DEF("lt", "where duration < 1h\n") DEF("le", "where duration <= 1h\n")
                 DEF("gt4", "where duration > 4h\n") DEF("all", ""));
#undef DEF
    struct eng_run run;
    efx_run(f, &run);
    NEAR(efx_cell(efx_res(&run, "gt", "n"), 0, NAT)->num, 4, 0);
    NEAR(efx_cell(efx_res(&run, "gt", "p"), 0, NAT)->num, 2, 0);
    NEAR(efx_cell(efx_res(&run, "gt", "n"), 0, 0, SEX_F, 0)->num, 3, 0);
    NEAR(efx_cell(efx_res(&run, "ge", "n"), 0, NAT)->num, 5, 0);
    NEAR(efx_cell(efx_res(&run, "lt", "n"), 0, NAT)->num, 1, 0);
    NEAR(efx_cell(efx_res(&run, "le", "n"), 0, NAT)->num, 2, 0);
    NEAR(efx_cell(efx_res(&run, "gt4", "n"), 0, NAT)->num, 1, 0);
    NEAR(efx_cell(efx_res(&run, "gt4", "p"), 0, 0, SEX_M, 0)->num, 0, 0);
    NEAR(efx_cell(efx_res(&run, "all", "n"), 0, NAT)->num, 7, 0);
    eng_run_free(&run);
}

/* The duration is a wall-clock difference in civil time: a seclusion from
 * 01:30 to 03:45 on 2024-03-31 (summer time begins at 02:00) lasts 2 h 15
 * min on the clock though 1 h 15 min passed: over two hours. */
static void test_duration_civil_time(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "inpatient");
    efx_person(f, 1, 2009, 'F', "0180", NULL);
    int stay = efx_stay(f, 1, 1, T(2024, 3, 30, 8, 0, 0), T(2024, 4, 2, 0, 0, 0));
    efx_sql(f, "INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, "
               "start_time, end_time, source_system, source_id) VALUES (1, %d, "
               "'avskiljning', 'LPT', %lld, %lld, 't', 'dst')", stay,
            (long long)T(2024, 3, 31, 1, 30, 0), (long long)T(2024, 3, 31, 3, 45, 0));
    efx_parse(f, EFX_HDR("s") "from measure\nwhere type avskiljning\nwhere duration > 2h\n"
                 "years 2024-2024\nmeasure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    NEAR(efx_cell(efx_res(&run, "s", "n"), 0, NAT)->num, 1, 0);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_duration),
        T_(test_duration_civil_time),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
