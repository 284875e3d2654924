/* tests/unit/domain/test_geo.c: src/domain/geo.c against the facts in
 * data/SOURCES.md (counts, totals, the Halland split). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "domain/geo.h"

static void test_counts_and_codes(void **state)
{
    (void)state;
    struct arena a;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    if (geo_load(&g, &a, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(g.nregions, 21);
    assert_int_equal(g.nmunicipalities, 290);
    assert_int_equal(g.nhregions, 6);
    assert_int_equal(g.npopulation, 21 * 2 * 101);
    assert_int_equal(g.nesp2013, 20);
    assert_int_equal(g.nicd10, 55);
    assert_string_equal(geo_region(&g, "01")->name, "Region Stockholm");
    assert_string_equal(geo_region(&g, "14")->name, "Västra Götalandsregionen");
    assert_null(geo_region(&g, "02"));
    assert_string_equal(geo_municipality(&g, "0114")->name, "Upplands Väsby");
    assert_null(geo_municipality(&g, "9999"));
    /* Municipalities per region (SCB, SOURCES.md). */
    static const struct { const char *code; int n; } per[] = {
        { "01", 26 }, { "03", 8 }, { "09", 1 }, { "12", 33 }, { "13", 6 }, { "14", 49 },
        { "25", 14 },
    };
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++) {
        int n = 0;
        for (size_t k = 0; k < g.nmunicipalities; k++)
            n += strcmp(g.municipalities[k].region_code, per[i].code) == 0;
        assert_int_equal(n, per[i].n);
    }
    arena_release(&a);
}

static void test_halland_split(void **state)
{
    (void)state;
    struct arena a;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(geo_load(&g, &a, &err), 0);
    assert_string_equal(geo_municipality(&g, "1380")->healthcare_region, "Södra");
    assert_string_equal(geo_municipality(&g, "1315")->healthcare_region, "Södra");
    assert_string_equal(geo_municipality(&g, "1381")->healthcare_region, "Södra");
    assert_string_equal(geo_municipality(&g, "1384")->healthcare_region, "Västra");
    assert_string_equal(geo_municipality(&g, "1383")->healthcare_region, "Västra");
    assert_string_equal(geo_municipality(&g, "1382")->healthcare_region, "Västra");
    assert_string_equal(geo_municipality(&g, "1280")->healthcare_region, "Södra");
    assert_string_equal(geo_region(&g, "25")->healthcare_region, "Norra");
    assert_non_null(geo_healthcare_region(&g, "Sydöstra"));
    arena_release(&a);
}

static void test_population_totals(void **state)
{
    (void)state;
    struct arena a;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(geo_load(&g, &a, &err), 0);
    /* Totals stated in data/SOURCES.md. */
    assert_int_equal(geo_population_sum(&g, NULL, 0, 0, GEO_AGE_OPEN), 10605545);
    assert_int_equal(geo_population_sum(&g, NULL, 'F', 0, GEO_AGE_OPEN), 5275058);
    assert_int_equal(geo_population_sum(&g, NULL, 'M', 0, GEO_AGE_OPEN), 5330487);
    assert_int_equal(geo_population_sum(&g, "01", 0, 0, GEO_AGE_OPEN), 2486310);
    assert_int_equal(geo_population_sum(&g, "09", 0, 0, GEO_AGE_OPEN), 60793);
    assert_int_equal(geo_population_sum(&g, "25", 0, 0, GEO_AGE_OPEN), 248911);
    /* Age bands partition the total. */
    int64_t bands = geo_population_sum(&g, NULL, 0, 0, 9)
                    + geo_population_sum(&g, NULL, 0, 10, 24)
                    + geo_population_sum(&g, NULL, 0, 25, GEO_AGE_OPEN);
    assert_int_equal(bands, 10605545);
    assert_true(geo_population_sum(&g, NULL, 0, 10, 24) > 1500000);
    arena_release(&a);
}

static void test_esp2013(void **state)
{
    (void)state;
    struct arena a;
    struct geo g;
    struct kn_error err = KN_ERROR_INIT;
    arena_init(&a);
    assert_int_equal(geo_load(&g, &a, &err), 0);
    double sum = 0;
    for (size_t i = 0; i < g.nesp2013; i++)
        sum += g.esp2013[i].weight;
    assert_true(sum == 100000.0);
    assert_string_equal(g.esp2013[2].age_group, "10-14");
    assert_int_equal(g.esp2013[2].age_from, 10);
    assert_int_equal(g.esp2013[2].age_to, 14);
    assert_true(g.esp2013[2].weight == 5500.0);
    assert_int_equal(g.esp2013[g.nesp2013 - 1].age_to, -1);
    int self_harm = 0, undetermined = 0;
    for (size_t i = 0; i < g.nicd10; i++) {
        self_harm += strcmp(g.icd10[i].category, "intentional_self_harm") == 0;
        undetermined += strcmp(g.icd10[i].category, "undetermined_intent") == 0;
    }
    assert_int_equal(self_harm, 25);
    assert_int_equal(undetermined, 25);
    arena_release(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_counts_and_codes),
        cmocka_unit_test(test_halland_split),
        cmocka_unit_test(test_population_totals),
        cmocka_unit_test(test_esp2013),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
