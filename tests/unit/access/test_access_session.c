/* tests/unit/access/test_access_session.c: src/access/access_session.c:
 * random ids of which only a hash is stored, the idle and absolute
 * timeouts, sign-out, sign-out everywhere, disabled users, and ids that
 * are not ours. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "access/access_session.h"
#include "access/access_user.h"
#include "domain/geo.h"
#include "registry/reg_geo.h"
#include "testutil.h"

#define T0 (time_from_day(date_from_ymd(2026, 3, 1)) + 8 * 3600)
#define IDLE (30 * 60)
#define MAX (12 * 3600)

static struct store *open_store(const char *name, int64_t *anna, int64_t *bo)
{
    char path[256];
    struct store *s;
    struct store_options opt = {STORE_CREATE, 0};
    struct kn_error err = KN_ERROR_INIT;
    struct arena a;
    struct geo g;
    struct access_user u;
    tu_path(path, sizeof path, name);
    arena_init(&a);
    if (store_open(path, &opt, &s, &err) != 0 || geo_load(&g, &a, &err) != 0 ||
        reg_geo_install(s, &g, &err) != 0 ||
        access_user_add(s, "anna", ROLE_COORDINATOR, SCOPE_REGION, "12", NULL, T0, &err) ||
        access_user_add(s, "bo", ROLE_ANALYST, SCOPE_NATION, NULL, NULL, T0, &err) ||
        access_user_get(s, "anna", &u, &a, &err))
        fail_msg("setup: %s", err.msg);
    *anna = u.id;
    if (access_user_get(s, "bo", &u, &a, &err))
        fail_msg("setup: %s", err.msg);
    *bo = u.id;
    arena_release(&a);
    return s;
}

static int64_t count_sessions(struct store *s)
{
    struct store_stmt *st;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_prepare(s, "SELECT count(*) FROM access_session", &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    int64_t n = store_col_int(st, 0);
    store_finalize(st);
    return n;
}

/* Ids are 43 URL-safe characters, different every time, and the store
 * holds neither the id nor anything it can be read back from: only its
 * hash, which the lookup recomputes. */
static void test_ids(void **state)
{
    (void)state;
    int64_t anna, bo;
    struct store *s = open_store("ids.db", &anna, &bo);
    struct kn_error err = KN_ERROR_INIT;
    struct session_id a, b;
    assert_int_equal(access_session_create(s, anna, "password", T0, &a, &err), 0);
    assert_int_equal(access_session_create(s, anna, "password", T0, &b, &err), 0);
    assert_int_equal(strlen(a.s), SESSION_ID_CHARS);
    assert_string_not_equal(a.s, b.s);
    for (const char *p = a.s; *p; p++)
        assert_true((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_');
    struct store_stmt *st;
    assert_int_equal(store_prepare(s, "SELECT token_hash, csrf FROM access_session", &st,
                                   &err), 0);
    while (store_step(st, &err) == STORE_ROW) {
        const char *h = store_col_text(st, 0, NULL);
        assert_int_equal(strlen(h), 64);
        assert_null(strstr(h, a.s));
        assert_null(strstr(h, b.s));
        assert_int_equal(strlen(store_col_text(st, 1, NULL)), SESSION_CSRF_CHARS);
    }
    store_finalize(st);

    struct arena ar;
    struct access_session ses;
    arena_init(&ar);
    assert_int_equal(access_session_get(s, a.s, T0 + 1, IDLE, MAX, &ses, &ar, &err), 0);
    assert_string_equal(ses.user.name, "anna");
    assert_int_equal(ses.user.role, ROLE_COORDINATOR);
    assert_string_equal(ses.user.scope_code, "12");
    assert_string_equal(ses.via, "password");
    assert_null(ses.purpose);
    char csrf_a[SESSION_CSRF_CHARS + 1];
    snprintf(csrf_a, sizeof csrf_a, "%s", ses.csrf);
    assert_int_equal(access_session_get(s, b.s, T0 + 1, IDLE, MAX, &ses, &ar, &err), 0);
    assert_string_not_equal(ses.csrf, csrf_a); /* each session its own token */

    /* Not ours: wrong length, not base64, a changed character. */
    assert_int_equal(access_session_get(s, "abc", T0, IDLE, MAX, &ses, &ar, &err),
                     KN_EINPUT);
    char bad[SESSION_ID_CHARS + 1];
    memset(bad, '*', SESSION_ID_CHARS);
    bad[SESSION_ID_CHARS] = '\0';
    assert_int_equal(access_session_get(s, bad, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_EINPUT);
    snprintf(bad, sizeof bad, "%s", a.s);
    bad[0] = bad[0] == 'A' ? 'B' : 'A';
    assert_int_equal(access_session_get(s, bad, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_null(strstr(err.msg, bad)); /* never quoted */
    arena_release(&ar);
    store_close(s);
}

/* Idle: used within IDLE it lives on (each use moves the clock on);
 * IDLE after the last use it is gone, and deleted. Absolute: however
 * busy, MAX after it began it is gone. */
static void test_timeouts(void **state)
{
    (void)state;
    int64_t anna, bo;
    struct store *s = open_store("timeouts.db", &anna, &bo);
    struct kn_error err = KN_ERROR_INIT;
    struct arena ar;
    struct access_session ses;
    struct session_id id;
    arena_init(&ar);
    assert_int_equal(access_session_create(s, anna, "password", T0, &id, &err), 0);
    kn_time t = T0;
    for (int i = 0; i < 3; i++) {
        t += IDLE - 1;
        assert_int_equal(access_session_get(s, id.s, t, IDLE, MAX, &ses, &ar, &err), 0);
        assert_int_equal(ses.last_seen, t);
    }
    assert_int_equal(access_session_get(s, id.s, t + IDLE, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_int_equal(count_sessions(s), 0);
    /* ... and it stays gone, even asked at an earlier time. */
    assert_int_equal(access_session_get(s, id.s, t, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);

    assert_int_equal(access_session_create(s, anna, "oidc", T0, &id, &err), 0);
    for (t = T0 + 600; t < T0 + MAX; t += 600)
        assert_int_equal(access_session_get(s, id.s, t, IDLE, MAX, &ses, &ar, &err), 0);
    assert_int_equal(access_session_get(s, id.s, T0 + MAX, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_non_null(strstr(err.msg, "expired"));

    /* The sweep removes what has expired and keeps the rest. */
    struct session_id old, fresh;
    int64_t n = 0;
    assert_int_equal(access_session_create(s, anna, "password", T0, &old, &err), 0);
    assert_int_equal(access_session_create(s, bo, "password", T0 + IDLE, &fresh, &err), 0);
    assert_int_equal(access_session_sweep(s, T0 + IDLE + 10, IDLE, MAX, &n, &err), 0);
    assert_int_equal(n, 1);
    assert_int_equal(access_session_get(s, fresh.s, T0 + IDLE + 10, IDLE, MAX, &ses, &ar,
                                        &err), 0);
    assert_string_equal(ses.user.name, "bo");
    arena_release(&ar);
    store_close(s);
}

/* Sign-out ends one session; sign-out everywhere every session of that
 * user and no other user's; a disabled user's sessions are not found; a
 * role change shows at the next lookup; the purpose is kept. */
static void test_end(void **state)
{
    (void)state;
    int64_t anna, bo;
    struct store *s = open_store("end.db", &anna, &bo);
    struct kn_error err = KN_ERROR_INIT;
    struct arena ar;
    struct access_session ses;
    struct session_id a1, a2, a3, b1;
    arena_init(&ar);
    assert_int_equal(access_session_create(s, anna, "password", T0, &a1, &err), 0);
    assert_int_equal(access_session_create(s, anna, "password", T0, &a2, &err), 0);
    assert_int_equal(access_session_create(s, anna, "oidc", T0, &a3, &err), 0);
    assert_int_equal(access_session_create(s, bo, "password", T0, &b1, &err), 0);

    assert_int_equal(access_session_end(s, a1.s, &err), 0);
    assert_int_equal(access_session_get(s, a1.s, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_int_equal(access_session_end(s, a1.s, &err), 0); /* twice: no error */
    assert_int_equal(access_session_get(s, a2.s, T0, IDLE, MAX, &ses, &ar, &err), 0);

    assert_int_equal(access_session_set_purpose(s, ses.id, "care of the patient", &err), 0);
    assert_int_equal(access_session_get(s, a2.s, T0, IDLE, MAX, &ses, &ar, &err), 0);
    assert_string_equal(ses.purpose, "care of the patient");

    assert_int_equal(access_user_set_role(s, "anna", ROLE_ANALYST, SCOPE_NATION, NULL,
                                          &err), 0);
    assert_int_equal(access_session_get(s, a2.s, T0, IDLE, MAX, &ses, &ar, &err), 0);
    assert_int_equal(ses.user.role, ROLE_ANALYST);

    int64_t n = 0;
    assert_int_equal(access_session_end_user(s, anna, &n, &err), 0);
    assert_int_equal(n, 2);
    assert_int_equal(access_session_get(s, a2.s, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_int_equal(access_session_get(s, a3.s, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_int_equal(access_session_get(s, b1.s, T0, IDLE, MAX, &ses, &ar, &err), 0);
    assert_int_equal(access_session_set_purpose(s, 9999, "x", &err), KN_ENOTFOUND);

    assert_int_equal(access_user_set_disabled(s, "bo", true, &err), 0);
    assert_int_equal(access_session_get(s, b1.s, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND);
    assert_int_equal(access_user_set_disabled(s, "bo", false, &err), 0);
    assert_int_equal(access_session_get(s, b1.s, T0, IDLE, MAX, &ses, &ar, &err),
                     KN_ENOTFOUND); /* enabled again, the old session stays ended */
    arena_release(&ar);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_timeouts),
        cmocka_unit_test(test_end),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
