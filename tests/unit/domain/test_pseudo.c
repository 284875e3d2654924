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
#include <sodium.h>
#include <stdbool.h>

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
    const char *bodies[] = {
        "", "abc\n", "zz00000000000000000000000000000000000000000000000000000000000000\n",
        "00000000000000000000000000000000000000000000000000000000000000\n",
        "0000000000000000000000000000000000000000000000000000000000000000\n"
        "000000000000000000000000000000000000000000000000000000000000000g\n"};
    /* The line at fault (an empty file's is line 1). */
    const char *lines[] = {"line 1 ", "line 1 ", "line 1 ", "line 1 ", "line 2 "};
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
        assert_non_null(strstr(err.msg, lines[i]));
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

/* External pseudonyms: a fixed vector (Python's hashlib, independently:
 * blake2b(b"knod external pseudonym v1\0" + len(source) as 8 bytes little
 * endian + source + id, key=bytes(32), digest_size=16)); the source system
 * matters, the boundary between source and id too, and no external id
 * gives a personnummer's pseudonym, not even its own twelve digits; a
 * rotation step applies to them as to the others. */
static void test_external(void **state)
{
    (void)state;
    struct pseudo_key k;
    memset(&k, 0, sizeof k);
    unsigned char a[PSEUDO_BYTES], b[PSEUDO_BYTES], c[PSEUDO_BYTES];
    char hex[PSEUDO_HEX_LEN + 1];
    pseudo_derive_external_raw(&k, "REGION-X-EXTRACT", 16, "R-00001", 7, a);
    pseudo_to_hex(a, hex);
    assert_string_equal(hex, "adc257ac5a9144b6c9255621c1ff80b0");
    pseudo_derive_external_raw(&k, "STUDY-Y", 7, "R-00001", 7, b);
    assert_memory_not_equal(a, b, PSEUDO_BYTES);
    pseudo_derive_external_raw(&k, "AB", 2, "C", 1, b);
    pseudo_derive_external_raw(&k, "A", 1, "BC", 2, c);
    assert_memory_not_equal(b, c, PSEUDO_BYTES);
    struct pnr p = parse("19121212-1212");
    pseudo_derive_raw(&k, &p, b);
    pseudo_derive_external_raw(&k, "", 0, p.digits, 12, c);
    assert_memory_not_equal(b, c, PSEUDO_BYTES);
    k.nrot = 1;
    memset(k.rot[0], 7, PSEUDO_KEY_BYTES);
    pseudo_derive_external_raw(&k, "REGION-X-EXTRACT", 16, "R-00001", 7, b);
    assert_memory_not_equal(a, b, PSEUDO_BYTES);
    pseudo_rotate_raw(&k, a);
    assert_memory_equal(a, b, PSEUDO_BYTES);
    pnr_wipe(&p);
}

/* Rotation: a chain K0, K1 derives H(K1, H(K0, digits)), which is exactly
 * one rotation step applied to the pseudonym under K0 alone; so a store
 * rotated in place and an import under the new chain agree. */
static void test_rotation_chain(void **state)
{
    (void)state;
    char path[128], rpath[128], rrpath[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k0, k1, k1b, k2;
    tu_path(path, sizeof path, "r0.key");
    tu_path(rpath, sizeof rpath, "r1.key");
    tu_path(rrpath, sizeof rrpath, "r2.key");
    assert_int_equal(pseudo_key_create(path, &err), 0);
    assert_int_equal(pseudo_key_load(path, &k0, &err), 0);
    assert_int_equal(k0.nrot, 0u);
    assert_int_equal(pseudo_key_rotate(&k0, rpath, &k1, &err), 0);
    assert_int_equal(pseudo_key_rotate(&k0, rpath, &k1b, &err), KN_EEXIST);
    assert_int_equal(k1.nrot, 1u);
    assert_memory_equal(k1.k, k0.k, sizeof k0.k);
    struct stat st;
    assert_int_equal(stat(rpath, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 2 * 65);
    assert_int_equal(pseudo_key_load(rpath, &k1b, &err), 0);
    assert_int_equal(k1b.nrot, 1u);
    assert_memory_equal(k1b.rot[0], k1.rot[0], PSEUDO_KEY_BYTES);

    struct pnr a = parse("19121212-1212"), c = parse("201701012393");
    unsigned char r0[PSEUDO_BYTES], r1[PSEUDO_BYTES], rc0[PSEUDO_BYTES], rc1[PSEUDO_BYTES];
    pseudo_derive_raw(&k0, &a, r0);
    pseudo_derive_raw(&k1b, &a, r1);
    pseudo_derive_raw(&k0, &c, rc0);
    pseudo_derive_raw(&k1b, &c, rc1);
    assert_memory_not_equal(r0, r1, PSEUDO_BYTES);
    pseudo_rotate_raw(&k1b, r0);
    pseudo_rotate_raw(&k1b, rc0);
    assert_memory_equal(r0, r1, PSEUDO_BYTES);
    assert_memory_equal(rc0, rc1, PSEUDO_BYTES);
    assert_memory_not_equal(r1, rc1, PSEUDO_BYTES);

    /* Twice: the chain grows, the older prefix still derives the same. */
    assert_int_equal(pseudo_key_rotate(&k1b, rrpath, &k2, &err), 0);
    assert_int_equal(k2.nrot, 2u);
    unsigned char r2[PSEUDO_BYTES];
    pseudo_derive_raw(&k2, &a, r2);
    pseudo_rotate_raw(&k2, r1);
    assert_memory_equal(r1, r2, PSEUDO_BYTES);

    /* Independent of the code under test: libsodium's generichash by hand. */
    unsigned char h[PSEUDO_BYTES];
    crypto_generichash(h, sizeof h, (const unsigned char *)a.digits, 12, k0.k, sizeof k0.k);
    crypto_generichash(h, sizeof h, h, sizeof h, k2.rot[0], PSEUDO_KEY_BYTES);
    crypto_generichash(h, sizeof h, h, sizeof h, k2.rot[1], PSEUDO_KEY_BYTES);
    assert_memory_equal(h, r2, PSEUDO_BYTES);
    pseudo_key_wipe(&k0);
    pseudo_key_wipe(&k1);
    pseudo_key_wipe(&k1b);
    pseudo_key_wipe(&k2);
}

/* The fingerprint tells keys apart, depends on every key of the chain,
 * shows no key material, and its prefix is the fingerprint before a
 * rotation. */
static void test_fingerprint(void **state)
{
    (void)state;
    struct pseudo_key a, b;
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    b.k[31] = 1;
    char fa[PSEUDO_FP_HEX_LEN + 1], fb[PSEUDO_FP_HEX_LEN + 1], fa2[PSEUDO_FP_HEX_LEN + 1],
         fa1[PSEUDO_FP_HEX_LEN + 1];
    pseudo_fingerprint(&a, 1, fa);
    pseudo_fingerprint(&b, 1, fb);
    assert_int_equal(strlen(fa), PSEUDO_FP_HEX_LEN);
    assert_string_not_equal(fa, fb);
    /* Pinned: blake2b(b"knod pseudonym key fingerprint v1", key=bytes(32),
     * digest_size=32), computed with Python's hashlib. */
    assert_string_equal(fa, "2e5a964b1d8c13d8846eaabf7f431bca3dd3b8f12911b8315bb146af8fb5d6f8");
    a.nrot = 1;
    a.rot[0][0] = 9;
    pseudo_fingerprint(&a, 2, fa2);
    pseudo_fingerprint(&a, 1, fa1);
    assert_string_not_equal(fa2, fa);
    assert_string_equal(fa1, fa);
}

/* A chain file: at most 1 + PSEUDO_ROT_MAX lines, no empty line. */
static void test_chain_files(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct pseudo_key k;
    const char *line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n";
    struct { int lines; bool blank; int want; } cases[] = {
        { 2, false, 0 }, { 1 + PSEUDO_ROT_MAX, false, 0 },
        { 2 + PSEUDO_ROT_MAX, false, KN_EINPUT }, { 2, true, KN_EINPUT },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tu_path(path, sizeof path, "chain.key");
        unlink(path);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        for (int j = 0; j < cases[i].lines; j++) {
            if (cases[i].blank && j == 1)
                fputs("\n", f);
            fputs(line, f);
        }
        fclose(f);
        chmod(path, 0600);
        assert_int_equal(pseudo_key_load(path, &k, &err), cases[i].want);
        if (cases[i].want == 0)
            assert_int_equal(k.nrot, (unsigned)cases[i].lines - 1);
        else
            assert_null(strstr(err.msg, "0123456789"));
        if (cases[i].want != 0) /* the line at fault: the blank one, or too many */
            assert_non_null(strstr(err.msg, cases[i].blank ? "line 2 " : "16 lines"));
    }
    /* A full chain cannot be rotated again. */
    struct pseudo_key full, out;
    memset(&full, 0, sizeof full);
    full.nrot = PSEUDO_ROT_MAX;
    tu_path(path, sizeof path, "never.key");
    assert_int_equal(pseudo_key_rotate(&full, path, &out, &err), KN_EINPUT);
    assert_int_not_equal(access(path, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_load_mode),
        cmocka_unit_test(test_refuses_readable_key),
        cmocka_unit_test(test_bad_key_files),
        cmocka_unit_test(test_stable_and_distinct),
        cmocka_unit_test(test_known_vector),
        cmocka_unit_test(test_rotation_chain),
        cmocka_unit_test(test_external),
        cmocka_unit_test(test_fingerprint),
        cmocka_unit_test(test_chain_files),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
