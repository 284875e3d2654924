/* tests/unit/access/test_access.c: src/access: roles and scopes, the
 * password policy, sign-in with its lockout, and the audit chain against
 * tampering. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "access/access_audit.h"
#include "access/access_user.h"
#include "domain/pnr_shape.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "testutil.h"

#define T0 (time_from_day(date_from_ymd(2026, 3, 1)) + 8 * 3600)
#define PW "korrekt-häst-batteri"

static struct store *open_store(const char *name)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("store_open: %s", err.msg);
    /* The reference geography, as knod init installs it, and one unit. */
    struct arena a;
    struct geo g;
    arena_init(&a);
    if (geo_load(&g, &a, &err) != 0 || reg_geo_install(s, &g, &err) != 0 ||
        store_exec(
            s,
            "INSERT INTO care_unit (code, name, region_code, unit_type, setting, "
            "source_system, source_id) VALUES ('NHV-SKANE', 'NHV Skåne', '12', 'nhv', "
            "'outpatient', 't', 'NHV-SKANE')",
            &err) != 0)
        fail_msg("geography: %s", err.msg);
    arena_release(&a);
    return s;
}

static void test_roles_and_scopes(void **state)
{
    (void)state;
    /* role x scope: exactly these are allowed (access_user.h). */
    static const bool ok[5][3] = {
        [ROLE_ADMIN] = {true, false, false},       [ROLE_ANALYST] = {true, false, false},
        [ROLE_COORDINATOR] = {false, true, false}, [ROLE_REGISTRAR] = {false, true, true},
        [ROLE_CLINICIAN] = {false, false, true},
    };
    for (int r = 0; r < 5; r++)
        for (int s = 0; s < 3; s++) {
            struct kn_error err = KN_ERROR_INIT;
            assert_int_equal(access_scope_check(r, s, &err) == 0, ok[r][s]);
        }
    assert_int_equal(access_role_parse("coordinator"), ROLE_COORDINATOR);
    assert_int_equal(access_role_parse("root"), -1);
}

static void test_password_policy(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(access_password_check("anna", PW, &err), 0);
    assert_int_equal(access_password_check("anna", "kort", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "at least 12"));
    assert_int_equal(access_password_check("anna", "aaaaaaaaaaaaaaaa", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "6 different"));
    assert_int_equal(access_password_check("anna.berg", "xyz-anna.berg-123", &err),
                     KN_EINPUT);
    assert_non_null(strstr(err.msg, "user name"));
    assert_null(strstr(err.msg, "xyz")); /* the password is never quoted */
}

static void test_users_and_signin(void **state)
{
    (void)state;
    struct store *s = open_store("users.db");
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct access_user u;
    arena_init(&a);
    assert_int_equal(
        access_user_add(s, "anna", ROLE_COORDINATOR, SCOPE_REGION, "12", PW, T0, &err),
        0);
    assert_int_equal(
        access_user_add(s, "anna", ROLE_ANALYST, SCOPE_NATION, NULL, PW, T0, &err),
        KN_EEXIST);
    assert_int_equal(
        access_user_add(s, "bo", ROLE_COORDINATOR, SCOPE_REGION, "02", PW, T0, &err),
        KN_EINPUT); /* 02 is no region */
    assert_int_equal(
        access_user_add(s, "bo", ROLE_CLINICIAN, SCOPE_UNIT, "NOPE", NULL, T0, &err),
        KN_EINPUT); /* no such unit */
    assert_int_equal(
        access_user_add(s, "Bo Berg", ROLE_ANALYST, SCOPE_NATION, NULL, NULL, T0, &err),
        KN_EINPUT);
    assert_int_equal(
        access_user_add(s, "sso", ROLE_ANALYST, SCOPE_NATION, NULL, NULL, T0, &err), 0);
    assert_int_equal(access_user_add(s, "nhv.lund", ROLE_CLINICIAN, SCOPE_UNIT,
                                     "NHV-SKANE", NULL, T0, &err),
                     0);

    /* The stored password is argon2id, never the password. */
    struct store_stmt *st;
    assert_int_equal(store_prepare(s,
                                   "SELECT password FROM access_user WHERE name = 'anna'",
                                   &st, &err),
                     0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_non_null(strstr(store_col_text(st, 0, NULL), "$argon2id$"));
    assert_null(strstr(store_col_text(st, 0, NULL), "batteri"));
    store_finalize(st);

    assert_int_equal(access_signin(s, "anna", PW, T0, &u, &a, &err), 0);
    assert_int_equal(u.role, ROLE_COORDINATOR);
    assert_string_equal(u.scope_code, "12");
    /* Unknown user and wrong password: the same answer. */
    assert_int_equal(access_signin(s, "nobody", PW, T0, &u, &a, &err), KN_EPERM);
    char unknown[KN_ERROR_MAX];
    snprintf(unknown, sizeof unknown, "%s", err.msg);
    assert_int_equal(access_signin(s, "anna", "fel-lösenord-1", T0, &u, &a, &err),
                     KN_EPERM);
    assert_string_equal(err.msg, unknown);
    /* A user of the identity provider has no password to guess. */
    assert_int_equal(access_signin(s, "sso", "", T0, &u, &a, &err), KN_EPERM);

    /* Lockout: failures 1-4 cost nothing but the count; the 5th locks for
     * 60 s; during the lock even the right password is refused; then it
     * works again and the count is reset. */
    for (int i = 2; i <= 5; i++)
        assert_int_equal(access_signin(s, "anna", "fel-lösenord-1", T0 + i, &u, &a, &err),
                         KN_EPERM);
    assert_int_equal(u.failures, 5);
    assert_int_equal(u.locked_until, T0 + 5 + ACCESS_LOCK_FIRST);
    assert_int_equal(access_signin(s, "anna", PW, T0 + 30, &u, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "locked for"));
    assert_int_equal(access_signin(s, "anna", PW, T0 + 66, &u, &a, &err), 0);
    assert_int_equal(u.failures, 0);
    /* Each further failure doubles the lock, never past the maximum: a
     * lock always ends, so nobody can be shut out for good. */
    kn_time t = T0 + 100;
    for (int i = 1; i <= 6; i++) {
        access_user_get(s, "anna", &u, &a, &err);
        if (u.locked_until > t)
            t = u.locked_until;
        assert_int_equal(access_signin(s, "anna", "fel-lösenord-1", t, &u, &a, &err),
                         KN_EPERM);
        assert_true(u.locked_until - t <= ACCESS_LOCK_MAX);
    }
    assert_int_equal(u.locked_until - t, 120); /* the 6th in a row: 60 s doubled */
    /* However many failures came before, the lock stays at the maximum. */
    assert_int_equal(store_exec(s,
                                "UPDATE access_user SET failures = 60, locked_until = 0 "
                                "WHERE name = 'anna'",
                                &err),
                     0);
    t += 1000;
    assert_int_equal(access_signin(s, "anna", "fel-lösenord-1", t, &u, &a, &err),
                     KN_EPERM);
    assert_int_equal(u.locked_until - t, ACCESS_LOCK_MAX);
    assert_int_equal(access_signin(s, "anna", PW, t + ACCESS_LOCK_MAX, &u, &a, &err), 0);

    assert_int_equal(access_user_set_disabled(s, "anna", true, &err), 0);
    assert_int_equal(access_signin(s, "anna", PW, t + 2000, &u, &a, &err), KN_EPERM);
    assert_non_null(strstr(err.msg, "disabled"));
    assert_int_equal(access_user_set_disabled(s, "nobody", true, &err), KN_ENOTFOUND);
    assert_int_equal(
        access_user_set_role(s, "anna", ROLE_ADMIN, SCOPE_REGION, "12", &err), KN_EINPUT);
    arena_release(&a);
    store_close(s);
}

/* A store with n audit entries; returns it open. */
static struct store *audited(const char *name, const struct audit_key *k, int n)
{
    struct store *s = open_store(name);
    struct kn_error err = KN_ERROR_INIT;
    for (int i = 1; i <= n; i++) {
        char subject[40];
        snprintf(subject, sizeof subject, "%032x", i);
        assert_int_equal(access_audit_add(s, k, T0 + i, "anna", "view-person", subject,
                                          "care of the patient", "", &err),
                         0);
    }
    return s;
}

static int verify(struct store *s, const struct audit_key *k, int64_t *bad)
{
    int64_t count;
    char head[AUDIT_HASH_HEX + 1];
    struct kn_error err = KN_ERROR_INIT;
    return access_audit_verify(s, k, &count, head, bad, &err);
}

static void test_audit_chain(void **state)
{
    (void)state;
    struct pseudo_key pk = {.k = {1, 2, 3}, .nrot = 0};
    struct audit_key k, other;
    struct kn_error err = KN_ERROR_INIT;
    int64_t bad, count;
    char head[AUDIT_HASH_HEX + 1];
    access_audit_key(&pk, &k);
    pk.k[0] = 9;
    access_audit_key(&pk, &other);

    struct store *s = audited("audit.db", &k, 5);
    assert_int_equal(access_audit_verify(s, &k, &count, head, &bad, &err), 0);
    assert_int_equal(count, 5);
    /* Another key cannot verify it (nor forge one that verifies). */
    assert_int_equal(verify(s, &other, &bad), KN_EINPUT);
    assert_int_equal(bad, 1);
    /* The store refuses changes and removals. */
    assert_int_equal(
        store_exec(s, "UPDATE access_audit SET actor = 'x' WHERE id = 3", &err),
        KN_EINPUT);
    assert_int_equal(store_exec(s, "DELETE FROM access_audit WHERE id = 3", &err),
                     KN_EINPUT);
    /* No personnummer in the log. */
    assert_int_equal(
        access_audit_add(s, &k, T0, "anna", "view-person", "20070808-8885", "", "", &err),
        KN_EINPUT);
    /* A pseudonym whose hex holds a digit run shaped like a personnummer
     * (a samordningsnummer's: 120669-9052) is still a pseudonym: its views
     * are logged; the same digits anywhere else are refused. */
    const char *hexpnr = "b52aba3defd70fdbb6bbca1206699052";
    assert_true(pnr_find_shaped(hexpnr, strlen(hexpnr), NULL, NULL));
    assert_int_equal(
        access_audit_add(s, &k, T0, "anna", "view-person", hexpnr, "care", "", &err), 0);
    assert_int_equal(access_audit_add(s, &k, T0, "anna", "view-person", "x1206699052", "",
                                      "", &err),
                     KN_EINPUT);
    assert_int_equal(access_audit_add(s, &k, T0, "anna", "view-person", hexpnr, "", hexpnr,
                                      &err),
                     KN_EINPUT);

    /* Behind knod's back (the triggers dropped, as in a copy of the file):
     * a changed, a removed and a reordered entry are each found, at the
     * first entry they break. */
    static const char *const tamper[] = {
        "UPDATE access_audit SET purpose = 'curiosity' WHERE id = 3",
        "DELETE FROM access_audit WHERE id = 3",
        "UPDATE access_audit SET subject = CASE id WHEN 3 THEN (SELECT subject FROM "
        "access_audit WHERE id = 4) ELSE (SELECT subject FROM access_audit WHERE id = 3) "
        "END "
        "WHERE id IN (3, 4)",
        "INSERT INTO access_audit VALUES (6, 0, 'x', 'x', 'x', '', '', "
        "'0000000000000000000000000000000000000000000000000000000000000000')",
    };
    static const int64_t first_bad[] = {3, 3, 3, 6};
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "tamper%d.db", i);
        struct store *t = audited(name, &k, 5);
        assert_int_equal(store_exec(t,
                                    "DROP TRIGGER access_audit_no_update; DROP TRIGGER "
                                    "access_audit_no_delete",
                                    &err),
                         0);
        assert_int_equal(store_exec(t, tamper[i], &err), 0);
        assert_int_equal(verify(t, &k, &bad), KN_EINPUT);
        assert_int_equal(bad, first_bad[i]);
        store_close(t);
    }
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_and_scopes),
        cmocka_unit_test(test_password_policy),
        cmocka_unit_test(test_users_and_signin),
        cmocka_unit_test(test_audit_chain),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
