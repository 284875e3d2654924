/* tests/unit/access/test_access_emergency.c: src/access/access_scope.c
 * (regions and persons within a scope) and access_emergency.c (emergency
 * access for one session and one person, and its review per region). */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "access/access_emergency.h"
#include "access/access_scope.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "testutil.h"

#define T0 (time_from_day(date_from_ymd(2026, 3, 1)) + 8 * 3600)
#define P12 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" /* lives in 12, care at U12 */
#define P01 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb" /* lives in 01, care at U12 */
#define PNONE "cccccccccccccccccccccccccccccccc" /* lives in 01, no care */
#define PNOREG "dddddddddddddddddddddddddddddddd" /* no home region, care at U12 */

static struct store *open_store(const char *name)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct geo g;
    tu_path(path, sizeof path, name);
    arena_init(&a);
    if (store_open(path, &opt, &s, &err) != 0 || geo_load(&g, &a, &err) != 0 ||
        reg_geo_install(s, &g, &err) != 0 ||
        store_exec(s,
                   "INSERT INTO care_unit (id, code, name, region_code, unit_type, setting, "
                   "source_system, source_id) VALUES (1, 'U12', 'BUP Lund', '12', 'bup', "
                   "'outpatient', 't', 'u12'), (2, 'U01', 'BUP Sthlm', '01', 'bup', "
                   "'outpatient', 't', 'u01');"
                   "INSERT INTO person (id, pseudonym, id_kind, birth_year, sex, region_code, "
                   "source_system, source_id) VALUES "
                   "(1, '" P12 "', 'personnummer', 2008, 'F', '12', 't', 'p1'),"
                   "(2, '" P01 "', 'personnummer', 2008, 'F', '01', 't', 'p2'),"
                   "(3, '" PNONE "', 'personnummer', 2008, 'M', '01', 't', 'p3'),"
                   "(4, '" PNOREG "', 'personnummer', 2008, 'M', NULL, 't', 'p4');"
                   "INSERT INTO contact (person_id, unit_id, contact_type, start_time, "
                   "legal_basis, brief_admission, source_system, source_id) VALUES "
                   "(1, 1, 'outpatient', 0, 'voluntary', 0, 't', 'c1'),"
                   "(2, 1, 'outpatient', 0, 'voluntary', 0, 't', 'c2'),"
                   "(4, 1, 'outpatient', 0, 'voluntary', 0, 't', 'c4')",
                   &err) != 0)
        fail_msg("setup: %s", err.msg);
    arena_release(&a);
    return s;
}

static bool has(struct store *s, const struct access_user *u, const char *p)
{
    bool in = false;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(access_scope_has_person(s, u, p, &in, &err), 0);
    return in;
}

/* A region: the nation has all, a region itself, a unit none. A person:
 * the nation everyone; a region those who live there or have care at one
 * of its units; a unit those with care there. */
static void test_scope(void **state)
{
    (void)state;
    struct store *s = open_store("scope.db");
    struct access_user nation = { .scope = SCOPE_NATION };
    struct access_user r12 = { .scope = SCOPE_REGION, .scope_code = "12" };
    struct access_user r01 = { .scope = SCOPE_REGION, .scope_code = "01" };
    struct access_user u12 = { .scope = SCOPE_UNIT, .scope_code = "U12" };
    struct access_user u01 = { .scope = SCOPE_UNIT, .scope_code = "U01" };
    assert_true(access_scope_has_region(&nation, "01"));
    assert_true(access_scope_has_region(&r12, "12"));
    assert_false(access_scope_has_region(&r12, "01"));
    assert_false(access_scope_has_region(&r12, NULL));
    assert_false(access_scope_has_region(&u12, "12"));

    assert_true(has(s, &nation, PNONE));
    assert_true(has(s, &r12, P12));
    assert_true(has(s, &r12, P01));  /* care at a unit of 12 */
    assert_false(has(s, &r12, PNONE));
    assert_true(has(s, &r01, P01));  /* lives in 01 */
    assert_true(has(s, &r01, PNONE));
    assert_false(has(s, &r01, P12));
    assert_true(has(s, &u12, P12));
    assert_true(has(s, &u12, PNOREG));
    assert_false(has(s, &u12, PNONE));
    assert_false(has(s, &u01, P01)); /* lives in 01 but no care at U01 */
    bool in = true;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(access_scope_has_person(s, &nation, "nobody", &in, &err), KN_ENOTFOUND);
    assert_false(in);
    store_close(s);
}

/* Emergency access: a reason of 10-500 characters without a
 * personnummer; it holds for the session and person it was asked for;
 * it is listed for the person's region (home region, else of the unit)
 * and reviewed once. */
static void test_emergency(void **state)
{
    (void)state;
    struct store *s = open_store("emergency.db");
    struct kn_error err = KN_ERROR_INIT;
    const char *why = "akut omhändertagande på akuten";
    assert_int_equal(access_emergency_grant(s, 7, "cli", PNONE, "kort", T0, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "too short"));
    assert_int_equal(access_emergency_grant(s, 7, "cli", PNONE, "          x", T0, &err),
                     KN_EINPUT);
    assert_int_equal(access_emergency_grant(s, 7, "cli", PNONE,
                                            "patienten 19121212-1212 behöver vård", T0, &err),
                     KN_EINPUT);
    assert_null(strstr(err.msg, "1212"));
    assert_int_equal(access_emergency_grant(s, 7, "cli", "nobody", why, T0, &err),
                     KN_ENOTFOUND);
    assert_int_equal(access_emergency_grant(s, 7, "cli", PNONE, why, T0, &err), 0);
    assert_int_equal(access_emergency_grant(s, 7, "cli", PNOREG, why, T0 + 1, &err), 0);
    bool h = false;
    assert_int_equal(access_emergency_has(s, 7, PNONE, &h, &err), 0);
    assert_true(h);
    assert_int_equal(access_emergency_has(s, 8, PNONE, &h, &err), 0);
    assert_false(h); /* another session */
    assert_int_equal(access_emergency_has(s, 7, P12, &h, &err), 0);
    assert_false(h); /* another person */

    struct arena a = ARENA_INIT;
    struct access_emergency *es;
    size_t n;
    assert_int_equal(access_emergency_list(s, "01", &es, &n, &a, &err), 0);
    assert_int_equal(n, 1);
    assert_string_equal(es[0].pseudonym, PNONE);
    assert_string_equal(es[0].reason, why);
    assert_null(es[0].reviewed_by);
    assert_int_equal(access_emergency_list(s, "12", &es, &n, &a, &err), 0);
    assert_int_equal(n, 1); /* no home region: the region of the unit */
    assert_string_equal(es[0].pseudonym, PNOREG);
    int64_t id = es[0].id;
    assert_int_equal(access_emergency_review(s, id, "01", "coord01", T0 + 5, &err),
                     KN_ENOTFOUND); /* not that region's */
    assert_int_equal(access_emergency_review(s, id, "12", "coord12", T0 + 5, &err), 0);
    assert_int_equal(access_emergency_review(s, id, "12", "coord12", T0 + 6, &err),
                     KN_ENOTFOUND); /* once */
    assert_int_equal(access_emergency_list(s, "12", &es, &n, &a, &err), 0);
    assert_string_equal(es[0].reviewed_by, "coord12");
    assert_int_equal(es[0].reviewed_at, T0 + 5);
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scope),
        cmocka_unit_test(test_emergency),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
