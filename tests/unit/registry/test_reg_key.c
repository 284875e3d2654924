/* tests/unit/registry/test_reg_key.c: src/registry/reg_key.c
 *
 * The rules: a store accepts only the key whose fingerprint it records; a
 * rotation changes every person's pseudonym p to H(new, p) in one
 * transaction, so that the rotated chain derives the stored pseudonym of
 * every number, and a failed rotation changes nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "registry/reg_key.h"

static struct pnr parse(const char *s)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    if (pnr_parse(s, strlen(s), date_from_ymd(2026, 11, 23), &p, &err) != 0)
        fail_msg("%s: %s", s, err.msg);
    return p;
}

static struct store *new_store(const char *name)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { STORE_CREATE, 0 };
    tu_path(path, sizeof path, name);
    unlink(path);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("%s", err.msg);
    return s;
}

static void exec(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    if (store_exec(s, sql, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
}

/* Insert a person with pseudonym hex (and a source id from id). */
static void add_person(struct store *s, const char *hex, int id)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    char src[16];
    snprintf(src, sizeof src, "p%d", id);
    assert_int_equal(store_prepare(s, "INSERT INTO person (pseudonym, id_kind, birth_year, "
                                      "sex, source_system, source_id) VALUES ($1, "
                                      "'personnummer', 2008, 'F', 'test', $2)", &st, &err), 0);
    store_bind_text(st, 1, hex, strlen(hex));
    store_bind_text(st, 2, src, strlen(src));
    if (store_step(st, &err) != STORE_DONE)
        fail_msg("%s", err.msg);
    store_finalize(st);
}

static void pseudonym_of(struct store *s, const char *source_id, char out[PSEUDO_HEX_LEN + 1])
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "SELECT pseudonym FROM person WHERE source_id = $1",
                                   &st, &err), 0);
    store_bind_text(st, 1, source_id, strlen(source_id));
    assert_int_equal(store_step(st, &err), STORE_ROW);
    snprintf(out, PSEUDO_HEX_LEN + 1, "%s", store_col_text(st, 0, NULL));
    store_finalize(st);
}

static void make_key(const char *name, struct pseudo_key *k)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    tu_path(path, sizeof path, name);
    unlink(path);
    assert_int_equal(pseudo_key_create(path, &err), 0);
    assert_int_equal(pseudo_key_load(path, k, &err), 0);
}

static void test_record_and_check(void **state)
{
    (void)state;
    struct store *s = new_store("a.db");
    struct pseudo_key k, other;
    struct kn_error err = KN_ERROR_INIT;
    struct reg_key_info info;
    bool recorded = false;
    make_key("a.key", &k);
    make_key("other.key", &other);

    assert_int_equal(reg_key_read(s, &info, &err), 0);
    assert_false(info.recorded);
    /* Nothing recorded: not checked, and an import's verify lets it pass. */
    assert_int_equal(reg_key_check(s, &k, "a.key", &err), KN_ENOTFOUND);
    assert_int_equal(reg_key_verify(s, &other, &err), 0);

    assert_int_equal(reg_key_record(s, &k, "init", &recorded, &err), 0);
    assert_true(recorded);
    /* A second record keeps the first key's fingerprint. */
    assert_int_equal(reg_key_record(s, &other, "first_open", &recorded, &err), 0);
    assert_false(recorded);
    assert_int_equal(reg_key_read(s, &info, &err), 0);
    assert_true(info.recorded);
    assert_string_equal(info.recorded_by, "init");
    assert_int_equal(info.layers, 1u);
    char fp[PSEUDO_FP_HEX_LEN + 1];
    pseudo_fingerprint(&k, 1, fp);
    assert_string_equal(info.fingerprint, fp);

    assert_int_equal(reg_key_check(s, &k, "a.key", &err), 0);
    assert_int_equal(reg_key_check(s, &other, "/etc/knod/other.key", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "key file '/etc/knod/other.key' does not match the store"));
    assert_non_null(strstr(err.msg, "key_file"));
    assert_int_equal(reg_key_verify(s, &other, &err), KN_EINPUT);
    assert_int_equal(reg_key_verify(s, &k, &err), 0);
    store_close(s);
    pseudo_key_wipe(&k);
    pseudo_key_wipe(&other);
}

static void test_rotate(void **state)
{
    (void)state;
    struct store *s = new_store("r.db");
    struct pseudo_key k, k1;
    struct kn_error err = KN_ERROR_INIT;
    bool recorded = false;
    char path[128];
    make_key("r.key", &k);
    assert_int_equal(reg_key_record(s, &k, "init", &recorded, &err), 0);

    const char *numbers[] = { "19121212-1212", "201701012393", "20070505-5556" };
    char before[3][PSEUDO_HEX_LEN + 1];
    for (int i = 0; i < 3; i++) {
        struct pnr p = parse(numbers[i]);
        pseudo_derive(&k, &p, before[i]);
        add_person(s, before[i], i);
    }
    tu_path(path, sizeof path, "r1.key");
    unlink(path);
    assert_int_equal(pseudo_key_rotate(&k, path, &k1, &err), 0);
    int64_t n = 0;
    if (reg_key_rotate(s, &k1, &n, &err) != 0)
        fail_msg("%s", err.msg);
    assert_int_equal(n, 3);
    /* Each stored pseudonym is now what the rotated chain derives. */
    for (int i = 0; i < 3; i++) {
        char src[16], now[PSEUDO_HEX_LEN + 1], want[PSEUDO_HEX_LEN + 1];
        struct pnr p = parse(numbers[i]);
        snprintf(src, sizeof src, "p%d", i);
        pseudonym_of(s, src, now);
        pseudo_derive(&k1, &p, want);
        assert_string_equal(now, want);
        assert_string_not_equal(now, before[i]);
    }
    struct reg_key_info info;
    assert_int_equal(reg_key_read(s, &info, &err), 0);
    assert_int_equal(info.layers, 2u);
    assert_int_equal(info.rotations, 1);
    assert_string_equal(info.recorded_by, "rotate");
    assert_int_equal(reg_key_check(s, &k1, "r1.key", &err), 0);
    /* The key from before the rotation is refused, saying why. */
    assert_int_equal(reg_key_check(s, &k, "r.key", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "has been rotated"));
    /* The rotated key on a copy from before: also refused, saying why. */
    struct store *old = new_store("old.db");
    assert_int_equal(reg_key_record(old, &k, "init", &recorded, &err), 0);
    assert_int_equal(reg_key_check(old, &k1, "r1.key", &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "rotated 1 time(s) since this store was written"));
    store_close(old);
    /* Rotating with a chain whose prefix is not the store's key: refused. */
    assert_int_equal(reg_key_rotate(s, &k1, &n, &err), KN_EINPUT);
    store_close(s);
    pseudo_key_wipe(&k);
    pseudo_key_wipe(&k1);
}

/* More persons than one batch, the last one malformed: the rotation fails
 * after it has changed the first batch, and the store is as it was. */
static void test_failed_rotation_changes_nothing(void **state)
{
    (void)state;
    struct store *s = new_store("f.db");
    struct pseudo_key k, k1;
    struct kn_error err = KN_ERROR_INIT;
    bool recorded = false;
    char path[128];
    make_key("f.key", &k);
    assert_int_equal(reg_key_record(s, &k, "init", &recorded, &err), 0);
    exec(s, "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 4999) "
            "INSERT INTO person (pseudonym, id_kind, birth_year, sex, source_system, source_id) "
            "SELECT CASE WHEN i = 4999 THEN 'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz' "
            "ELSE printf('%032x', i) END, 'personnummer', 2008, 'F', 'test', 'p' || i FROM n");
    char first[PSEUDO_HEX_LEN + 1];
    pseudonym_of(s, "p0", first);
    tu_path(path, sizeof path, "f1.key");
    unlink(path);
    assert_int_equal(pseudo_key_rotate(&k, path, &k1, &err), 0);
    int64_t n = 0;
    assert_int_equal(reg_key_rotate(s, &k1, &n, &err), KN_ESTORE);
    assert_non_null(strstr(err.msg, "malformed pseudonym"));
    char after[PSEUDO_HEX_LEN + 1];
    pseudonym_of(s, "p0", after);
    assert_string_equal(after, first);
    struct reg_key_info info;
    assert_int_equal(reg_key_read(s, &info, &err), 0);
    assert_int_equal(info.layers, 1u);
    assert_int_equal(info.rotations, 0);
    assert_int_equal(reg_key_check(s, &k, "f.key", &err), 0);
    store_close(s);
    pseudo_key_wipe(&k);
    pseudo_key_wipe(&k1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_and_check),
        cmocka_unit_test(test_rotate),
        cmocka_unit_test(test_failed_rotation_changes_nothing),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
