/* tests/unit/snapshot/test_snap_cache.c: snapshots are rebuilt when the store
 * changes, and an old one stays valid while a reader holds it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/arena.h"
#include "registry/reg_geo.h"
#include "lang/ind.h"
#include "snapshot/snap_cache.h"
#include "testutil.h"

static void exec(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    if (store_exec(s, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
}

static void test_rebuild_and_hold(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    char p[256];
    tu_path(p, sizeof p, "cache.db");
    struct store_options opt = { STORE_CREATE, 0 };
    struct store *s = NULL;
    if (store_open(p, &opt, &s, &err) != 0)
        fail_msg("%s", err.msg);
    struct arena a;
    arena_init(&a);
    struct geo g;
    assert_int_equal(geo_load(&g, &a, &err), 0);
    assert_int_equal(reg_geo_install(s, &g, &err), 0);
    exec(s, "INSERT INTO care_unit VALUES (1, 'U1', 'Unit', '01', 'bup', 'outpatient', 't', 'u1')");
    exec(s, "INSERT INTO person VALUES (1, '0123456789abcdef0123456789abcdef', "
            "'personnummer', 2008, 1, 1, 'F', '0114', '01', NULL, NULL, 't', 'p1')");
    exec(s, "INSERT INTO self_harm_act VALUES (1, 1, 1700000000, 'X60', 'intentional', "
            "'poisoning', NULL, 't', 'a1')");
    exec(s, "INSERT INTO import_run VALUES (1, '2026-01-01', 'f', 'self_harm', 'csv', 1, 1, 0)");

    struct snap_cache *c = NULL;
    assert_int_equal(snap_cache_new(&c, &g, &err), 0);
    const struct snap *s1 = NULL, *s2 = NULL, *s3 = NULL;
    bool rebuilt = false;
    assert_int_equal(snap_cache_get(c, s, &s1, &rebuilt, &err), 0);
    assert_true(rebuilt);
    assert_int_equal(s1->nevents, 1);
    assert_int_equal(snap_cache_get(c, s, &s2, &rebuilt, &err), 0);
    assert_false(rebuilt);
    assert_ptr_equal(s1, s2);
    snap_cache_release(c, s2);

    /* an import lands: the next reader gets a new snapshot */
    exec(s, "INSERT INTO self_harm_act VALUES (2, 1, 1710000000, 'X70', 'intentional', "
            "'hanging', NULL, 't', 'a2')");
    exec(s, "INSERT INTO import_run VALUES (2, '2026-01-02', 'f', 'self_harm', 'csv', 1, 1, 0)");
    assert_int_equal(snap_cache_get(c, s, &s3, &rebuilt, &err), 0);
    assert_true(rebuilt);
    assert_ptr_not_equal(s1, s3);
    assert_int_equal(s3->nevents, 2);
    /* built on two connections (as the portal does): the same events */
    struct store_options ro = { STORE_READONLY, 0 };
    struct store *s_ro = NULL;
    if (store_open(p, &ro, &s_ro, &err) != 0)
        fail_msg("%s", err.msg);
    exec(s, "INSERT INTO import_run VALUES (3, '2026-01-03', 'f', 'self_harm', 'csv', 0, 0, 0)");
    const struct snap *s4 = NULL;
    assert_int_equal(snap_cache_get2(c, s, s_ro, &s4, &rebuilt, &err), 0);
    assert_true(rebuilt);
    assert_int_equal(s4->nevents, 2);
    assert_int_equal(s4->npersons, 1);
    assert_memory_equal(s4->t, s3->t, 2 * sizeof *s4->t);
    assert_memory_equal(s4->kind, s3->kind, 2);
    snap_cache_release(c, s4);
    store_close(s_ro);
    /* the old one is still whole for its holder (ASan would catch a free) */
    assert_int_equal(s1->nevents, 1);
    assert_int_equal(s1->kind[0], IND_EV_ACT);
    snap_cache_release(c, s1);
    snap_cache_release(c, s3);
    snap_cache_free(c);
    store_close(s);
    arena_release(&a);
    unlink(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rebuild_and_hold),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
