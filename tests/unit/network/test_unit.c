/* tests/unit/network/test_unit.c: units and their resources with history
 * (network/unit.h).
 *
 * The rule: a version is valid from its day up to the day before the next
 * version's; an update carries over what it does not give; reading as of a
 * day gives the version valid that day, and nothing before the first. A
 * unit the registry has keeps the registry's name; one it lacks is added
 * to care_unit once. Checks name their option. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "network/unit.h"
#include "testutil.h"

static kn_day day(const char *s)
{
    kn_day d;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(date_parse(s, strlen(s), &d, &err), 0);
    return d;
}

static struct unit_res res(const char *code, const char *as_of)
{
    struct unit_res r = {.code = code, .as_of = day(as_of)};
    r.age_from = r.age_to = r.staff = r.trained_bemotande = r.trained_dbt =
        r.brief_admission = r.waiting_days = r.placed_access = r.sis_access = UNIT_UNSET;
    return r;
}

/* The waiting days of code as of day d, -2 if not listed, -1 if NULL. */
static int waiting_on(struct store *s, const char *code, const char *d)
{
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    if (unit_list(s, day(d), NULL, NULL, &t, &a, &err) != 0)
        fail_msg("list: %s", err.msg);
    int w = -2;
    for (size_t i = 0; i < t.nrows; i++)
        if (strcmp(net_cell(&t, i, 0), code) == 0)
            w = net_cell(&t, i, 14) ? atoi(net_cell(&t, i, 14)) : -1;
    arena_release(&a);
    return w;
}

static void test_history(void **state)
{
    (void)state;
    struct store *s = tu_store("units.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct unit_res r = res("bup-x", "2025-01-01");
    r.name = "BUP X";
    r.region = "03";
    r.type = "bup";
    r.setting = "outpatient";
    r.age_from = 6;
    r.age_to = 17;
    r.staff = 20;
    r.trained_dbt = 5;
    r.waiting_days = 30;
    r.offers = "dbt";
    assert_int_equal(unit_add(s, &r, &err), 0);
    struct unit_res u = res("bup-x", "2025-04-01");
    u.waiting_days = 60;
    assert_int_equal(unit_update(s, &u, &err), 0);
    u = res("bup-x", "2025-09-15");
    u.waiting_days = 14;
    u.trained_dbt = 12;
    assert_int_equal(unit_update(s, &u, &err), 0);
    assert_int_equal(waiting_on(s, "bup-x", "2024-12-31"), -2);
    assert_int_equal(waiting_on(s, "bup-x", "2025-01-01"), 30);
    assert_int_equal(waiting_on(s, "bup-x", "2025-03-31"), 30);
    assert_int_equal(waiting_on(s, "bup-x", "2025-04-01"), 60);
    assert_int_equal(waiting_on(s, "bup-x", "2025-09-14"), 60);
    assert_int_equal(waiting_on(s, "bup-x", "2025-09-15"), 14);
    assert_int_equal(waiting_on(s, "bup-x", "2030-01-01"), 14);
    /* the history keeps every version; the last carries over the offers */
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    assert_int_equal(unit_history(s, "bup-x", &t, &a, &err), 0);
    assert_int_equal(t.nrows, 3);
    assert_string_equal(net_cell(&t, 0, 6), "2025-04-01"); /* until */
    assert_null(net_cell(&t, 2, 6));
    assert_string_equal(net_cell(&t, 2, 13), "dbt");
    assert_string_equal(net_cell(&t, 2, 11), "12");
    assert_string_equal(net_cell(&t, 2, 9), "20");
    arena_release(&a);
    /* an update on or before the current version's day is refused */
    u = res("bup-x", "2025-09-15");
    u.waiting_days = 1;
    assert_int_equal(unit_update(s, &u, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--as-of: must be after the current version's day "
                                 "(2025-09-15)");
    /* a merged version is checked as a whole: more trained than staff */
    u = res("bup-x", "2025-10-01");
    u.trained_dbt = 21;
    assert_int_equal(unit_update(s, &u, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--trained-dbt: more than --staff (20)");
    assert_int_equal(waiting_on(s, "bup-x", "2025-10-02"), 14); /* nothing changed */
    store_close(s);
}

static void test_checks(void **state)
{
    (void)state;
    struct store *s = tu_store("checks.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct unit_res r = res("soc-1", "2025-01-01");
    r.age_from = 12;
    r.age_to = 20;
    assert_int_equal(unit_add(s, &r, &err), KN_EINPUT);
    assert_string_equal(err.msg,
                        "unit 'soc-1' is not in the registry: --name is missing");
    r.name = "Socialtjänsten";
    r.region = "03";
    r.type = "municipal";
    r.setting = "outpatient";
    r.catchment = "03";
    assert_int_equal(unit_add(s, &r, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--catchment: for an NHV clinic (type nhv) only");
    r.catchment = NULL;
    r.offers = "dbt,yoga";
    assert_int_equal(unit_add(s, &r, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--offers: 'yoga' is not one of dbt, mbt"));
    r.offers = NULL;
    r.note = "ring 0701234567 eller 19121212-1212";
    assert_int_equal(unit_add(s, &r, &err), KN_EINPUT);
    assert_null(strstr(err.msg, "1212"));
    r.note = NULL;
    assert_int_equal(unit_add(s, &r, &err), 0);
    /* now in the registry: its name is the registry's, and a second add is refused */
    assert_int_equal(unit_add(s, &r, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "--name: unit 'soc-1' is in the registry already"));
    r.name = r.region = r.type = r.setting = NULL;
    assert_int_equal(unit_add(s, &r, &err), KN_EEXIST);
    struct unit_res n = res("nhv-1", "2025-01-01");
    n.name = "NHV";
    n.region = "12";
    n.type = "nhv";
    n.setting = "outpatient";
    n.age_from = 13;
    n.age_to = 25;
    n.catchment = "12,99";
    assert_int_equal(unit_add(s, &n, &err), KN_EINPUT);
    assert_string_equal(err.msg, "--catchment: '99' is not a region code (see knod geo)");
    n.catchment = "12,07";
    n.placed_access = 1;
    assert_int_equal(unit_add(s, &n, &err), 0);
    struct unit_res u = res("nope", "2025-01-01");
    assert_int_equal(unit_update(s, &u, &err), KN_ENOTFOUND);
    store_close(s);
}

/* The text of the command line and the form, read once (unit_res_parse),
 * and the field an error names (unit_field_of). */
static void test_parse(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    const char *v[UNIT_F_N] = {0};
    struct unit_res r = {.code = "x"};
    assert_int_equal(unit_res_parse(v, 42, &r, &err), 0);
    assert_int_equal(r.as_of, 42);
    assert_int_equal(r.age_from, UNIT_UNSET);
    assert_int_equal(r.staff, UNIT_UNSET);
    assert_int_equal(r.brief_admission, UNIT_UNSET);
    assert_null(r.offers);
    assert_string_equal(r.code, "x");
    v[UNIT_F_AGES] = "13-17";
    v[UNIT_F_STAFF] = "12";
    v[UNIT_F_BRIEF_ADMISSION] = "yes";
    v[UNIT_F_SIS_ACCESS] = "no";
    v[UNIT_F_AS_OF] = "2025-03-01";
    v[UNIT_F_OFFERS] = "dbt,cbt";
    assert_int_equal(unit_res_parse(v, 42, &r, &err), 0);
    assert_int_equal(r.age_from, 13);
    assert_int_equal(r.age_to, 17);
    assert_int_equal(r.staff, 12);
    assert_int_equal(r.brief_admission, 1);
    assert_int_equal(r.sis_access, 0);
    assert_int_equal(r.as_of, day("2025-03-01"));
    assert_string_equal(r.offers, "dbt,cbt");
    static const struct {
        int field;
        const char *value, *msg;
    } bad[] = {
        {UNIT_F_AGES, "13", "--ages: FROM-TO, like 13-17"},
        {UNIT_F_AGES, "-3-17", "--ages: FROM-TO, like 13-17"},
        {UNIT_F_STAFF, "many", "--staff: "},
        {UNIT_F_TRAINED_DBT, "-1", "--trained-dbt: "},
        {UNIT_F_BRIEF_ADMISSION, "ja", "--brief-admission: yes or no"},
        {UNIT_F_AS_OF, "2025-02-30", "--as-of: "},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *w[UNIT_F_N] = {0};
        w[bad[i].field] = bad[i].value;
        assert_int_equal(unit_res_parse(w, 42, &r, &err), KN_EINPUT);
        assert_memory_equal(err.msg, bad[i].msg, strlen(bad[i].msg));
        assert_int_equal(unit_field_of(err.msg), bad[i].field);
    }
    assert_int_equal(unit_field_of("unit 'soc-1' is not in the registry: --name is missing"),
                     UNIT_F_NAME);
    assert_int_equal(unit_field_of("--trained-bemotande: more than --staff (4)"),
                     UNIT_F_TRAINED_BEMOTANDE);
    assert_int_equal(unit_field_of("--as-of: must be after the current version's day"),
                     UNIT_F_AS_OF);
    assert_int_equal(unit_field_of("update changes resources only"), -1);
    assert_int_equal(unit_field_of("--nope: x"), -1);
    assert_int_equal(unit_field_of(NULL), -1);
    for (int f = 0; f < UNIT_F_N; f++)
        assert_non_null(UNIT_FIELDS[f]);
    assert_null(UNIT_FIELDS[UNIT_F_N]);
}

/* A yes/no resource never given is unknown (NULL), as a count never given
 * is; a stated "no" is 0; an update that does not give it carries it over,
 * unknown or not. Columns 12, 17, 18: brief_admission, placed_access,
 * sis_access. */
static void test_unknown_flags(void **state)
{
    (void)state;
    struct store *s = tu_store("flags.db", true);
    struct kn_error err = KN_ERROR_INIT;
    struct unit_res r = res("nhv-x", "2025-01-01");
    r.name = "NHV X";
    r.region = "03";
    r.type = "nhv";
    r.setting = "outpatient";
    r.age_from = 0;
    r.age_to = 17;
    assert_int_equal(unit_add(s, &r, &err), 0);
    r = res("bup-y", "2025-01-01");
    r.name = "BUP Y";
    r.region = "03";
    r.type = "bup";
    r.setting = "outpatient";
    r.age_from = 6;
    r.age_to = 17;
    r.brief_admission = 0;
    assert_int_equal(unit_add(s, &r, &err), 0);
    struct unit_res u = res("nhv-x", "2025-02-01");
    u.sis_access = 1;
    assert_int_equal(unit_update(s, &u, &err), 0);
    struct arena a;
    arena_init(&a);
    struct net_rows t = {0};
    assert_int_equal(unit_history(s, "nhv-x", &t, &a, &err), 0);
    assert_int_equal(t.nrows, 2);
    for (size_t i = 0; i < 2; i++) {
        assert_null(net_cell(&t, i, 12)); /* never given: unknown, not "0" */
        assert_null(net_cell(&t, i, 17));
        assert_null(net_cell(&t, i, 9)); /* as staff never given */
    }
    assert_null(net_cell(&t, 0, 18));
    assert_string_equal(net_cell(&t, 1, 18), "1");
    t = (struct net_rows){0};
    assert_int_equal(unit_history(s, "bup-y", &t, &a, &err), 0);
    assert_string_equal(net_cell(&t, 0, 12), "0"); /* a stated no */
    assert_null(net_cell(&t, 0, 17));
    arena_release(&a);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_history),
        cmocka_unit_test(test_checks),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_unknown_flags),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
