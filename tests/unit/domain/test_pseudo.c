/* tests/unit/domain/test_pseudo.c: src/domain/pseudo.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "domain/pseudo.h"

static struct pnr parse(const char *s)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    int rc = pnr_parse(s, strlen(s), date_from_ymd(2026, 11, 23), &p, &err);
    if (rc != 0)
        fail_msg("%s: %s", s, err.msg);
    return p;
}

static void test_create_load_mode(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k;
    tu_path(path, sizeof path, "a.key");
    assert_int_equal(pseudo_key_create(path, &err), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 65);
    assert_int_equal(pseudo_key_load(path, &k, &err), 0);
    /* Never overwrite an existing key. */
    assert_int_equal(pseudo_key_create(path, &err), KN_EEXIST);
    struct pseudo_key k2;
    assert_int_equal(pseudo_key_load(path, &k2, &err), 0);
    assert_memory_equal(k.k, k2.k, sizeof k.k);
    pseudo_key_wipe(&k);
    pseudo_key_wipe(&k2);
}

static void test_refuses_readable_key(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k;
    tu_path(path, sizeof path, "b.key");
    assert_int_equal(pseudo_key_create(path, &err), 0);
    const mode_t bad[] = { 0640, 0604, 0644, 0660, 0606, 0700 | 0004 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(chmod(path, bad[i]), 0);
        assert_int_equal(pseudo_key_load(path, &k, &err), KN_EPERM);
        assert_non_null(strstr(err.msg, "chmod 600"));
    }
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(pseudo_key_load(path, &k, &err), 0);
    pseudo_key_wipe(&k);
}

static void test_bad_key_files(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k;
    tu_path(path, sizeof path, "missing.key");
    assert_int_equal(pseudo_key_load(path, &k, &err), KN_ENOTFOUND);
    const char *bodies[] = { "", "abc\n", "zz00000000000000000000000000000000000000000000000000000000000000\n",
                             "00000000000000000000000000000000000000000000000000000000000000\n" };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        tu_path(path, sizeof path, "bad.key");
        unlink(path);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(bodies[i], f);
        fclose(f);
        chmod(path, 0600);
        assert_int_equal(pseudo_key_load(path, &k, &err), KN_EINPUT);
        /* The message names the file but never shows key material. */
        assert_non_null(strstr(err.msg, "bad.key"));
        assert_null(strstr(err.msg, "0000000000"));
    }
    tu_path(path, sizeof path, "tu_dir.key");
    mkdir(path, 0700);
    assert_int_not_equal(pseudo_key_load(path, &k, &err), 0);
}

static void test_stable_and_distinct(void **state)
{
    (void)state;
    char path1[128], path2[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k1, k2;
    tu_path(path1, sizeof path1, "k1.key");
    tu_path(path2, sizeof path2, "k2.key");
    assert_int_equal(pseudo_key_create(path1, &err), 0);
    assert_int_equal(pseudo_key_create(path2, &err), 0);
    assert_int_equal(pseudo_key_load(path1, &k1, &err), 0);
    assert_int_equal(pseudo_key_load(path2, &k2, &err), 0);

    struct pnr a = parse("19121212-1212"), b = parse("121212+1212"),
               c = parse("201701012393"), d = parse("20170101-2393");
    char pa[PSEUDO_HEX_LEN + 1], pb[PSEUDO_HEX_LEN + 1], pc[PSEUDO_HEX_LEN + 1],
         pd[PSEUDO_HEX_LEN + 1], pa2[PSEUDO_HEX_LEN + 1];
    pseudo_derive(&k1, &a, pa);
    pseudo_derive(&k1, &b, pb);
    pseudo_derive(&k1, &c, pc);
    pseudo_derive(&k1, &d, pd);
    pseudo_derive(&k2, &a, pa2);
    assert_int_equal(strlen(pa), PSEUDO_HEX_LEN);
    assert_string_equal(pa, pb);      /* same person, two written forms */
    assert_string_equal(pc, pd);
    assert_string_not_equal(pa, pc);  /* different persons */
    assert_string_not_equal(pa, pa2); /* different keys */
    for (size_t i = 0; i < PSEUDO_HEX_LEN; i++)
        assert_non_null(strchr("0123456789abcdef", pa[i]));
    /* The pseudonym shows none of the digits' structure. */
    assert_null(strstr(pa, "1912"));

    /* Stable across a reload of the same key. */
    struct pseudo_key k1b;
    char again[PSEUDO_HEX_LEN + 1];
    assert_int_equal(pseudo_key_load(path1, &k1b, &err), 0);
    pseudo_derive(&k1b, &a, again);
    assert_string_equal(pa, again);
    pseudo_key_wipe(&k1);
    pseudo_key_wipe(&k1b);
    pseudo_key_wipe(&k2);
}

static void test_known_vector(void **state)
{
    (void)state;
    /* An all-zero key gives a fixed pseudonym: pins the algorithm (keyed
     * BLAKE2b-128 of the 12 digits) so a change cannot go unnoticed; the
     * expected value was computed independently with Python's hashlib:
     * blake2b(b"191212121212", key=bytes(32), digest_size=16). */
    struct pseudo_key k;
    memset(&k, 0, sizeof k);
    struct pnr a = parse("19121212-1212");
    char out[PSEUDO_HEX_LEN + 1];
    pseudo_derive(&k, &a, out);
    assert_string_equal(out, "eac1c8106effb6abd31f1766ba61f087");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_load_mode),
        cmocka_unit_test(test_refuses_readable_key),
        cmocka_unit_test(test_bad_key_files),
        cmocka_unit_test(test_stable_and_distinct),
        cmocka_unit_test(test_known_vector),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
