/* tests/unit/engine/test_eng_places.c: places in the indicator engine
 * (src/engine/eng*.c) against docs/indicators.md: home region conditions,
 * persons by care unit (`geo unit`), and how municipalities, regions and
 * healthcare regions (Halland split by municipality) roll up into the
 * nation. The method is in eng_fixture.h.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

/* ---- home regions and care units ---- */

/* sex and home region conditions; a person without a municipality counts
 * by the region code, one without either matches no region. */
static void test_sex_region_filters(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2004, 'F', "1380", NULL);
    efx_person(f, 2, 2004, 'M', "1384", NULL);
    efx_person(f, 3, 2004, 'F', NULL, "13");
    efx_person(f, 4, 2004, 'F', "0180", NULL);
    efx_person(f, 5, 2004, 'M', NULL, NULL);
    for (int p = 1; p <= 5; p++)
        efx_act(f, p, T(2022, 2, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("f") "from act\nyears 2022-2022\nwhere sex F\nmeasure n count events\n"
              EFX_HDR("r13") "from act\nyears 2022-2022\nwhere region 13\n"
                 "measure n count events\n"
              EFX_HDR("r13-01") "from act\nyears 2022-2022\nwhere region 13, 01\n"
                 "measure n count events\n"
              EFX_HDR("m13") "from act\nyears 2022-2022\nwhere sex M\nwhere region 13\n"
                 "measure n count events\n"
              EFX_HDR("fm") "from act\nyears 2022-2022\nwhere sex F, M\n"
                 "measure n count events\n");
    struct eng_run run;
    efx_run(f, &run);
    CNT(efx_res(&run, "f", "n"), 0, NAT, 3);
    CNT(efx_res(&run, "f", "n"), 0, 0, SEX_M, 0, 0);
    CNT(efx_res(&run, "r13", "n"), 0, NAT, 3);
    CNT(efx_res(&run, "r13-01", "n"), 0, NAT, 4);
    CNT(efx_res(&run, "m13", "n"), 0, NAT, 1);
    CNT(efx_res(&run, "fm", "n"), 0, NAT, 5);
    eng_run_free(&run);
}

/* Distinct persons by care unit: a person at units of two regions counts
 * once in the nation and once in each region. */
static void test_persons_geo_unit(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "emergency", "outpatient");
    efx_unit(f, 2, "01", "emergency", "outpatient");
    efx_unit(f, 3, "14", "emergency", "outpatient");
    efx_person(f, 1, 2004, 'F', "0180", NULL);
    efx_person(f, 2, 2004, 'M', "1380", NULL);
    efx_contact(f, 1, 1, "emergency", T(2022, 2, 1, 0, 0, 0), T(2022, 2, 1, 5, 0, 0));
    efx_contact(f, 1, 2, "emergency", T(2022, 3, 1, 0, 0, 0), T(2022, 3, 1, 5, 0, 0));
    efx_contact(f, 1, 3, "emergency", T(2022, 4, 1, 0, 0, 0), T(2022, 4, 1, 5, 0, 0));
    efx_contact(f, 2, 1, "emergency", T(2022, 5, 1, 0, 0, 0), T(2022, 5, 1, 5, 0, 0));
    efx_contact(f, 2, 1, "emergency", T(2022, 6, 1, 0, 0, 0), T(2022, 6, 1, 5, 0, 0));
    efx_parse(f, EFX_HDR("u") "from emergency\ngeo unit\nbreakdown region, unit, sex\n"
                 "years 2022-2022\nmeasure p count persons\nmeasure e count events\n"
              EFX_HDR("h") "from emergency\nyears 2022-2022\nmeasure p count persons\n"
                 "measure e count events\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *p = efx_res(&run, "u", "p"), *e = efx_res(&run, "u", "e");
    size_t r01 = efx_reg(f, "01"), r14 = efx_reg(f, "14"), r13 = efx_reg(f, "13");
    size_t sg = efx_hc(f, "Stockholm-Gotland"), va = efx_hc(f, "Västra");
    size_t u1 = efx_unit_geo(f, "U1"), u2 = efx_unit_geo(f, "U2"), u3 = efx_unit_geo(f, "U3");
    CNT(p, 0, NAT, 2);
    CNT(e, 0, NAT, 5);
    CNT(p, 0, 0, SEX_F, 0, 1);
    CNT(e, 0, 0, SEX_F, 0, 3);
    CNT(p, 0, 0, SEX_M, 0, 1);
    CNT(p, 0, r01, SEX_ALL, 0, 2);
    CNT(e, 0, r01, SEX_ALL, 0, 4);
    CNT(p, 0, r14, SEX_ALL, 0, 1);
    CNT(e, 0, r14, SEX_ALL, 0, 1);
    CNT(p, 0, r13, SEX_ALL, 0, 0); /* B's home region: not by unit */
    CNT(p, 0, sg, SEX_ALL, 0, 2);
    CNT(p, 0, va, SEX_ALL, 0, 1);
    CNT(p, 0, r01, SEX_F, 0, 1);
    CNT(p, 0, u1, SEX_ALL, 0, 2);
    CNT(e, 0, u1, SEX_ALL, 0, 3);
    CNT(p, 0, u2, SEX_ALL, 0, 1);
    CNT(p, 0, u3, SEX_ALL, 0, 1);
    assert_string_equal(eng_geo_code(p, f->snap, u3), "U3");
    const struct eng_result *hp = efx_res(&run, "h", "p");
    CNT(hp, 0, NAT, 2);
    CNT(hp, 0, r01, SEX_ALL, 0, 1);
    CNT(hp, 0, r13, SEX_ALL, 0, 1);
    CNT(hp, 0, r14, SEX_ALL, 0, 0);
    eng_run_free(&run);
}

/* ---- roll-up ---- */

/* Regions roll up into the nation; the healthcare region of a Halland
 * person follows the municipality (1380 Halmstad Södra, 1384 Kungsbacka
 * Västra); a person without a home region counts in the nation only. */
static void test_rollup(void **state)
{
    struct efx *f = *state;
    efx_person(f, 1, 2004, 'F', "1380", NULL);
    efx_person(f, 2, 2004, 'M', "1384", NULL);
    efx_person(f, 3, 2004, 'F', "0180", NULL);
    efx_person(f, 4, 2004, 'M', "2580", NULL);
    efx_person(f, 5, 2004, 'F', NULL, "13");
    efx_person(f, 6, 2004, 'M', NULL, NULL);
    for (int p = 1; p <= 6; p++)
        efx_act(f, p, T(2022, 3, 1, 0, 0, 0));
    efx_act(f, 3, T(2022, 4, 1, 0, 0, 0));
    efx_parse(f, EFX_HDR("g") "from act\nyears 2022-2022\nbreakdown region, municipality, sex\n"
                 "measure n count events\nmeasure p count persons\n");
    struct eng_run run;
    efx_run(f, &run);
    const struct eng_result *n = efx_res(&run, "g", "n");
    CNT(n, 0, NAT, 7);
    CNT(n, 0, 0, SEX_F, 0, 4);
    CNT(n, 0, 0, SEX_M, 0, 3);
    CNT(n, 0, efx_reg(f, "13"), SEX_ALL, 0, 3);
    CNT(n, 0, efx_reg(f, "01"), SEX_ALL, 0, 2);
    CNT(n, 0, efx_reg(f, "25"), SEX_ALL, 0, 1);
    CNT(n, 0, efx_hc(f, "Södra"), SEX_ALL, 0, 1);
    CNT(n, 0, efx_hc(f, "Norra"), SEX_ALL, 0, 1);
    CNT(n, 0, efx_hc(f, "Stockholm-Gotland"), SEX_ALL, 0, 2);
    /* Kungsbacka, and the Halland person without a municipality (who
     * follows the region's row in regions.csv: Västra) */
    CNT(n, 0, efx_hc(f, "Västra"), SEX_ALL, 0, 2);
    CNT(n, 0, efx_muni(f, "1380"), SEX_ALL, 0, 1);
    CNT(n, 0, efx_muni(f, "1384"), SEX_ALL, 0, 1);
    CNT(n, 0, efx_muni(f, "0180"), SEX_ALL, 0, 2);
    CNT(n, 0, efx_muni(f, "1380"), SEX_F, 0, 1);
    assert_string_equal(eng_geo_code(n, f->snap, efx_muni(f, "1380")), "1380");
    assert_true(eng_geo_shown(n, efx_muni(f, "1380")));
    /* regions add up to the nation less the person without one; so do the
     * healthcare regions; F + M = both */
    for (int s = 0; s < 3; s++) {
        double regs = 0, hcs = 0;
        for (size_t g = 1; g < n->ngeo; g++) {
            if (eng_geo_level(n, g) == ENG_GEO_REGION)
                regs += efx_num(n, 0, g, s, 0);
            if (eng_geo_level(n, g) == ENG_GEO_HC)
                hcs += efx_num(n, 0, g, s, 0);
        }
        double unknown = s == SEX_F ? 0 : 1;
        NEAR(regs, efx_num(n, 0, 0, s, 0) - unknown, 0);
        NEAR(hcs, efx_num(n, 0, 0, s, 0) - unknown, 0);
    }
    for (size_t g = 0; g < n->ngeo; g++)
        if (eng_geo_shown(n, g))
            NEAR(efx_num(n, 0, g, SEX_ALL, 0),
                 efx_num(n, 0, g, SEX_F, 0) + efx_num(n, 0, g, SEX_M, 0), 0);
    CNT(efx_res(&run, "g", "p"), 0, NAT, 6);
    eng_run_free(&run);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_sex_region_filters),
        T_(test_persons_geo_unit),
        T_(test_rollup),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
