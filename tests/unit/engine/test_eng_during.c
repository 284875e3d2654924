/* tests/unit/engine/test_eng_during.c: relations bounded by the anchor,
 * `has KIND during [count >= N]` (docs/indicators.md, "Temporal
 * relations"), as the law's limit on repeated coercive measures of a child
 * in one care period needs it (coe-child-repeated-in-stay); and the
 * language's refusals of `during` where it cannot mean anything.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "eng_fixture.h"

static void measure_of(struct efx *f, int person, int stay, const char *type, kn_time start)
{
    efx_sql(f, "INSERT INTO coercive_measure (person_id, stay_id, measure_type, legal_basis, "
               "start_time, end_time, source_system, source_id) VALUES (%d, %d, '%s', "
               "'LPT', %lld, %lld, 't', 'm%d')",
            person, stay, type, (long long)start, (long long)(start + 600), ++f->src);
}

/* Person 1 (15, F): stay A 2024-03-01 08:00 .. 03-10 08:00 with four
 * measures, the first at the admission's second and the last at the
 * discharge's (both ends count); stay B 2024-05-01 .. 05-10 with three
 * inside and one a second after its discharge (not counted), and one
 * forced medication (not of the types). Person 2 (16, M): a stay still
 * going on since 2024-06-01 with four seclusions: counted up to the data's
 * end. Person 3 (16, F): a stay with three. So `>= 4`: A and person 2's;
 * `>= 3`: also B and person 3's; `no ... during`: none of the four stays
 * lacks a measure, a fifth stay without any does. */
static void test_during(void **state)
{
    struct efx *f = *state;
    efx_unit(f, 1, "01", "bup", "inpatient");
    efx_person(f, 1, 2009, 'F', "0180", NULL);
    efx_person(f, 2, 2008, 'M', "0180", NULL);
    efx_person(f, 3, 2008, 'F', "0180", NULL);
    kn_time a0 = T(2024, 3, 1, 8, 0, 0), a1 = T(2024, 3, 10, 8, 0, 0);
    int a = efx_stay(f, 1, 1, a0, a1);
    measure_of(f, 1, a, "fastspanning", a0);
    measure_of(f, 1, a, "avskiljning", a0 + DAY);
    measure_of(f, 1, a, "fastspanning", a0 + 2 * DAY);
    measure_of(f, 1, a, "fastspanning", a1);
    kn_time b0 = T(2024, 5, 1, 8, 0, 0), b1 = T(2024, 5, 10, 8, 0, 0);
    int b = efx_stay(f, 1, 1, b0, b1);
    for (int k = 1; k <= 3; k++)
        measure_of(f, 1, b, "avskiljning", b0 + k * DAY);
    measure_of(f, 1, b, "tvangsmedicinering", b0 + 4 * DAY);
    int after = efx_stay(f, 1, 1, b1 + 1, b1 + 2 * DAY);
    measure_of(f, 1, after, "fastspanning", b1 + 1); /* belongs to the next stay */
    kn_time c0 = T(2024, 6, 1, 8, 0, 0);
    int c = efx_contact(f, 2, 1, "inpatient", c0, NO_END);
    for (int k = 1; k <= 4; k++)
        measure_of(f, 2, c, "avskiljning", c0 + k * DAY);
    kn_time d0 = T(2024, 7, 1, 8, 0, 0);
    int d = efx_stay(f, 3, 1, d0, d0 + 5 * DAY);
    for (int k = 1; k <= 3; k++)
        measure_of(f, 3, d, "fastspanning", d0 + k * DAY);
    efx_stay(f, 3, 1, T(2024, 8, 1, 0, 0, 0), T(2024, 8, 2, 0, 0, 0)); /* none */
#define DEF(id, cond)                                                                   \
    EFX_HDR(id) "from stay\nwhere age 0-17\n" cond "years 2024-2024\n"                   \
                "breakdown region, sex\nmeasure n count events\nmeasure p count persons\n"
    efx_parse(f, DEF("four", "where has measure(type fastspanning, avskiljning) during "
                             "count >= 4\n")
                 DEF("three", "where has measure(type fastspanning, avskiljning) during "
                              "count >= 3\n")
                 DEF("none", "where no measure during\n")
                 EFX_HDR("share") "from stay\nyears 2024-2024\n"
                 "measure s proportion has measure(type avskiljning) during\n");
#undef DEF
    struct eng_run run;
    efx_run(f, &run);
    NEAR(efx_cell(efx_res(&run, "four", "n"), 0, NAT)->num, 2, 0);
    NEAR(efx_cell(efx_res(&run, "four", "p"), 0, NAT)->num, 2, 0);
    NEAR(efx_cell(efx_res(&run, "four", "n"), 0, 0, SEX_F, 0)->num, 1, 0);
    NEAR(efx_cell(efx_res(&run, "three", "n"), 0, NAT)->num, 4, 0);
    NEAR(efx_cell(efx_res(&run, "three", "p"), 0, NAT)->num, 3, 0);
    NEAR(efx_cell(efx_res(&run, "none", "n"), 0, NAT)->num, 1, 0);
    /* stays with a seclusion during them: A, B, person 2's, of 6 stays */
    const struct eng_cell *s = efx_cell(efx_res(&run, "share", "s"), 0, NAT);
    NEAR(s->num, 3, 0);
    NEAR(s->den, 6, 0);
    eng_run_free(&run);
}

/* `during` needs an anchor with an end, and serves where and proportion. */
static void test_during_refused(void **state)
{
    struct efx *f = *state;
    struct ind_catalogue cat = { 0 };
    struct kn_error err = KN_ERROR_INIT;
    const char *act = EFX_HDR("x") "from act\nwhere has measure during\nmeasure n count events\n";
    assert_int_equal(ind_parse(&cat, "t.ind", act, strlen(act), &f->a, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "'during' needs anchors with an end"));
    const char *med = EFX_HDR("y") "from stay\nmeasure m median days to first measure during\n";
    err = (struct kn_error)KN_ERROR_INIT;
    int rc = ind_parse(&cat, "t.ind", med, strlen(med), &f->a, &err);
    if (rc == 0)
        rc = ind_catalogue_check(&cat, &err);
    assert_int_equal(rc, KN_EINPUT);
    assert_non_null(strstr(err.msg, "'during' is for 'where' and 'proportion'"));
    const char *bad = EFX_HDR("z") "from stay\nwhere has measure during count 4\n"
                                   "measure n count events\n";
    err = (struct kn_error)KN_ERROR_INIT;
    assert_int_equal(ind_parse(&cat, "t.ind", bad, strlen(bad), &f->a, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "t.ind:11:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T_(fn) cmocka_unit_test_setup_teardown(fn, efx_setup, efx_teardown)
        T_(test_during),
        T_(test_during_refused),
#undef T_
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
