/* tests/unit/engine/test_eng_popyear.c: each period's rates over its own
 * population year (docs/indicators.md, "Population"): the year chosen for
 * a period (eng_pop_year), and rates of a store holding 2020 beside the
 * shipped 2025 table: 2020-2024 over 2020, 2025 and later over 2025,
 * 2019 over the earliest year; pop_year says which.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

static void test_year_choice(void **state)
{
    (void)state;
    const int years[] = {2019, 2020, 2025};
    assert_int_equal(eng_pop_year(years, 3, 2010), 2019); /* before all: the earliest */
    assert_int_equal(eng_pop_year(years, 3, 2019), 2019);
    assert_int_equal(eng_pop_year(years, 3, 2020), 2020);
    assert_int_equal(eng_pop_year(years, 3, 2022), 2020); /* a gap: the latest before */
    assert_int_equal(eng_pop_year(years, 3, 2024), 2020);
    assert_int_equal(eng_pop_year(years, 3, 2025), 2025);
    assert_int_equal(eng_pop_year(years, 3, 2031), 2025); /* after all: the latest */
    assert_int_equal(eng_pop_year(years + 2, 1, 2020), 2025);
    assert_int_equal(eng_pop_year(years, 0, 2020), 0);
}

static double pop(const struct efx *f, const char *region, char sex, int lo, int hi)
{
    return (double)geo_population_sum(&f->geo, region, sex, lo, hi);
}

static void test_rates_by_year(void **state)
{
    struct efx *f = *state;
    /* 2018 and 2020: the 2025 figures times three and two */
    efx_sql(f, "INSERT INTO population (year, region_code, sex, age, population) "
               "SELECT 2020, region_code, sex, age, 2 * population FROM population "
               "WHERE year = 2025");
    efx_sql(f, "INSERT INTO population (year, region_code, sex, age, population) "
               "SELECT 2018, region_code, sex, age, 3 * population FROM population "
               "WHERE year = 2025");
    efx_person(f, 1, 2006, 'F', "0180", NULL);
    for (int y = 2017; y <= 2026; y++)
        efx_act(f, 1, T(y, 5, 1, 0, 0, 0));
    efx_parse(
        f, EFX_HDR("r") "from act\nwhere age 10-24\nbreakdown region, sex\n"
                        "years 2017-2026\nmeasure r count events per 100000 population\n"
                        "measure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *r = efx_res(&run, "r", "r");
    double p25 = pop(f, NULL, 0, 10, 24), s25 = pop(f, "01", 'F', 10, 24);
    assert_int_equal(r->nperiods, 10);
    for (int p = 0; p < 10; p++) {
        int year = 2017 + p;
        int want = year < 2020 ? 2018 : year < 2025 ? 2020 : 2025;
        double k = want == 2018 ? 3 : want == 2020 ? 2 : 1;
        assert_int_equal(r->pop_year[p], want);
        const struct eng_cell *c = efx_cell(r, p, NAT);
        NEAR(c->num, 1, 0);
        NEAR(c->den, k * p25, 1e-6);
        NEAR(c->value, 1e5 / (k * p25), 1e-12);
        c = efx_cell(r, p, efx_reg(f, "01"), SEX_F, 0);
        NEAR(c->den, k * s25, 1e-6);
    }
    /* a measure without a population names no year */
    const struct eng_result *n = efx_res(&run, "r", "n");
    for (int p = 0; p < 10; p++)
        assert_int_equal(n->pop_year[p], 0);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_year_choice),
        cmocka_unit_test_setup_teardown(test_rates_by_year, efx_setup, efx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
