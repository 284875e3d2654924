/* tests/unit/registry/test_reg_geo.c: src/registry/reg_geo.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "registry/reg_geo.h"

static void test_install_and_read_back(void **state)
{
    (void)state;
    char path[] = "/tmp/knod-test-reggeo-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    unlink(path);

    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { STORE_CREATE, 0 };
    assert_int_equal(store_open(path, &opt, &s, &err), 0);
    struct arena a;
    arena_init(&a);
    struct geo g;
    assert_int_equal(geo_load(&g, &a, &err), 0);
    if (reg_geo_install(s, &g, &err) != 0)
        fail_msg("%s", err.msg);
    /* A second install is refused and changes nothing. */
    assert_int_equal(reg_geo_install(s, &g, &err), KN_EEXIST);

    struct reg_region_row *rows = NULL;
    size_t n = 0;
    assert_int_equal(reg_geo_regions(s, &a, &rows, &n, &err), 0);
    assert_int_equal(n, 21);
    int64_t total = 0, young = 0;
    int munis = 0;
    for (size_t i = 0; i < n; i++) {
        total += rows[i].population;
        young += rows[i].population_10_24;
        munis += rows[i].municipalities;
        /* Store and embedded data agree, region by region. */
        assert_int_equal(rows[i].population,
                         geo_population_sum(&g, rows[i].code, 0, 0, GEO_AGE_OPEN));
        assert_int_equal(rows[i].population_10_24,
                         geo_population_sum(&g, rows[i].code, 0, 10, 24));
    }
    assert_int_equal(total, 10605545);
    assert_int_equal(young, geo_population_sum(&g, NULL, 0, 10, 24));
    assert_int_equal(munis, 290);
    assert_string_equal(rows[0].code, "01");
    assert_string_equal(rows[20].code, "25");

    struct reg_municipality_row *m = NULL;
    assert_int_equal(reg_geo_municipalities(s, "13", &a, &m, &n, &err), 0);
    assert_int_equal(n, 6);
    int sodra = 0;
    for (size_t i = 0; i < n; i++)
        sodra += strcmp(m[i].healthcare_region, "Södra") == 0;
    assert_int_equal(sodra, 3);
    assert_int_equal(reg_geo_municipalities(s, NULL, &a, &m, &n, &err), 0);
    assert_int_equal(n, 290);
    assert_int_equal(reg_geo_municipalities(s, "99", &a, &m, &n, &err), KN_ENOTFOUND);
    assert_int_equal(reg_geo_municipalities(s, "13' OR '1'='1", &a, &m, &n, &err),
                     KN_ENOTFOUND);

    arena_release(&a);
    store_close(s);
    unlink(path);
    char side[64];
    snprintf(side, sizeof side, "%s-wal", path);
    unlink(side);
    snprintf(side, sizeof side, "%s-shm", path);
    unlink(side);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_and_read_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
