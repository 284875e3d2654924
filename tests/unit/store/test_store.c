/* tests/unit/store/test_store.c: src/store (SQLite backend, migrations,
 * backup). */
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

#include "base/embed.h"
#include "base/strbuf.h"
#include "store/store.h"
#include "store/store_impl.h"

static struct store *open_new(const char *name)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { STORE_CREATE, 0 };
    tu_path(path, sizeof path, name);
    int rc = store_open(path, &opt, &s, &err);
    if (rc != 0)
        fail_msg("open %s: %s", path, err.msg);
    return s;
}

static int64_t scalar(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    int64_t v = store_col_int(st, 0);
    store_finalize(st);
    return v;
}

static void test_migrations_from_empty(void **state)
{
    (void)state;
    struct store *s = open_new("m.db");
    struct kn_error err = KN_ERROR_INIT;
    assert_true(store_schema_latest() >= 1);
    assert_int_equal(store_schema_version(s, &err), store_schema_latest());
    assert_int_equal(scalar(s, "SELECT count(*) FROM schema_migration"),
                     store_schema_latest());
    /* The tables of migration 0001 exist, STRICT, with foreign keys on. */
    assert_int_equal(scalar(s, "SELECT count(*) FROM region"), 0);
    assert_int_equal(scalar(s, "PRAGMA foreign_keys"), 1);
    assert_int_equal(scalar(s, "PRAGMA page_size"), 16384); /* set at creation */
    /* A violated constraint is KN_EINPUT (a foreign key here), other
     * failures KN_ESTORE. */
    assert_int_equal(store_exec(s, "INSERT INTO municipality VALUES ('0114','x','01','Norra')",
                                &err), KN_EINPUT);
    assert_int_equal(store_exec(s, "INSERT INTO no_such_table VALUES (1)", &err), KN_ESTORE);
    /* STRICT: text that is not a number cannot go into an INTEGER column. */
    assert_int_equal(store_exec(s, "INSERT INTO standard_population "
                                   "VALUES ('S', '0-4', 'zero', 4, 1.0)", &err), KN_EINPUT);
    assert_int_equal(scalar(s, "SELECT count(*) FROM standard_population"), 0);
    store_close(s);

    /* Reopening applies nothing new. */
    s = open_new("m.db");
    assert_int_equal(scalar(s, "SELECT count(*) FROM schema_migration"),
                     store_schema_latest());
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "PRAGMA journal_mode", &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_string_equal(store_col_text(st, 0, NULL), "wal");
    store_finalize(st);
    store_close(s);

    char path[128];
    struct stat sb;
    tu_path(path, sizeof path, "m.db");
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0); /* health data: owner only */
}

static const char *text_of(struct store *s, const char *sql, char *buf, size_t cap)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    snprintf(buf, cap, "%s", store_col_text(st, 0, NULL));
    store_finalize(st);
    return buf;
}

/* Migration 0006 masks the file names, unit names and step codes a store
 * holds from before knod masked or refused them itself: every digit of a
 * value with ten digits in a row, or six, a separator and four; other
 * values stay as they were (issue 10, items 1 and 3). */
static void test_migration_0006_masks_personnummer(void **state)
{
    (void)state;
    struct store *s = open_new("m4.db");
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_exec(s,
        "INSERT INTO import_run (started_at, file_name, kind, format, rows_read,"
        " rows_stored, rows_rejected) VALUES"
        " ('t', 'persons_20070505-5556.csv', 'persons', 'csv', 1, 1, 0),"
        " ('t', '/in/200706066669.json', 'fhir', 'fhir', 1, 1, 0),"
        " ('t', 'p 070505+5556 2023.csv', 'persons', 'csv', 1, 1, 0),"
        " ('t', 'contacts_2023-01.csv', 'contacts', 'csv', 1, 1, 0),"
        " ('t', 'units.csv', 'units', 'csv', 1, 1, 0)", &err), 0);
    assert_int_equal(store_exec(s, "PRAGMA foreign_keys=OFF", &err), 0);
    assert_int_equal(store_exec(s,
        "INSERT INTO care_unit (code, name, region_code, unit_type, setting, source_system,"
        " source_id) VALUES"
        " ('U1', 'Patient 20070808-8885 room', '03', 'bup', 'inpatient', 't', 'u1'),"
        " ('U2', 'Avdelning 3, 2024-01-15', '03', 'bup', 'inpatient', 't', 'u2');"
        "INSERT INTO pathway_step (person_id, pathway, step, step_time, source_system,"
        " source_id) VALUES (1, 'adult', 's0705055556', 0, 't', 'k1'),"
        " (1, 'adult', 'A1', 0, 't', 'k2')", &err), 0);
    const struct embed_file *m = embed_find("migrations/0006_mask_personnummer.sql");
    assert_non_null(m);
    assert_int_equal(store_exec(s, (const char *)m->data, &err), 0);
    char buf[512];
    assert_string_equal(text_of(s, "SELECT group_concat(file_name, '|') FROM"
                                   " (SELECT file_name FROM import_run ORDER BY id)",
                                buf, sizeof buf),
                        "persons_XXXXXXXX-XXXX.csv|/in/XXXXXXXXXXXX.json|"
                        "p XXXXXX+XXXX XXXX.csv|contacts_2023-01.csv|units.csv");
    assert_string_equal(text_of(s, "SELECT group_concat(name, '|') FROM"
                                   " (SELECT name FROM care_unit ORDER BY id)", buf, sizeof buf),
                        "Patient XXXXXXXX-XXXX room|Avdelning 3, 2024-01-15");
    assert_string_equal(text_of(s, "SELECT group_concat(step, '|') FROM"
                                   " (SELECT step FROM pathway_step ORDER BY id)", buf, sizeof buf),
                        "sXXXXXXXXXX|A1");
    store_close(s);
}

static void test_refuses_newer_store(void **state)
{
    (void)state;
    struct store *s = open_new("new.db");
    struct kn_error err = KN_ERROR_INIT;
    char sql[128];
    snprintf(sql, sizeof sql,
             "INSERT INTO schema_migration VALUES (%d, 'future', 'now')",
             store_schema_latest() + 1);
    assert_int_equal(store_exec(s, sql, &err), 0);
    store_close(s);

    char path[128];
    tu_path(path, sizeof path, "new.db");
    struct store_options opt = { 0, 0 };
    assert_int_equal(store_open(path, &opt, &s, &err), KN_EVERSION);
    assert_null(s);
    assert_non_null(strstr(err.msg, "newer"));
    opt.flags = STORE_READONLY;
    assert_int_equal(store_open(path, &opt, &s, &err), KN_EVERSION);
}

static void test_missing_and_not_a_store(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    tu_path(path, sizeof path, "nope.db");
    assert_int_equal(store_open(path, NULL, &s, &err), KN_ENOTFOUND);
    tu_path(path, sizeof path, "junk.db");
    FILE *f = fopen(path, "w");
    fputs("this is not a database, just some text that is long enough to be a header",
          f);
    fclose(f);
    assert_int_equal(store_open(path, NULL, &s, &err), KN_ESTORE);
    assert_null(s);
}

/* A 0-byte knod.db used to be taken as a new database and migrated into a
 * store without reference data; an SQLite database of something else was
 * migrated too. Both are refused and left as they were. */
static void test_empty_or_foreign_file_is_not_a_store(void **state)
{
    (void)state;
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct stat st;
    tu_path(path, sizeof path, "empty.db");
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    const unsigned flags[] = { 0, STORE_READONLY, STORE_CREATE };
    for (size_t i = 0; i < 3; i++) {
        struct store_options opt = { flags[i], 0 };
        assert_int_equal(store_open(path, &opt, &s, &err), KN_EINPUT);
        assert_null(s);
        assert_non_null(strstr(err.msg, "empty file, not a knod store"));
        assert_non_null(strstr(err.msg, "empty.db"));
        assert_int_equal(stat(path, &st), 0);
        assert_int_equal(st.st_size, 0);
    }

    /* Another program's SQLite database. */
    tu_path(path, sizeof path, "other.db");
    struct store_options create = { STORE_CREATE, 0 };
    assert_int_equal(store_open(path, &create, &s, &err), 0);
    assert_int_equal(store_exec(s, "DROP TABLE schema_migration", &err), 0);
    store_close(s);
    assert_int_equal(store_open(path, NULL, &s, &err), KN_EINPUT);
    assert_null(s);
    assert_non_null(strstr(err.msg, "not a knod store"));
}

static void test_bind_step_types(void **state)
{
    (void)state;
    struct store *s = open_new("t.db");
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(store_exec(s, "CREATE TABLE t (a TEXT, b INTEGER, c REAL) STRICT",
                                &err), 0);
    assert_int_equal(store_prepare(s, "INSERT INTO t VALUES ($1, $2, $3)", &st, &err), 0);
    const char *evil = "x'); DROP TABLE t; --";
    assert_int_equal(store_bind_text(st, 1, evil, strlen(evil)), 0);
    assert_int_equal(store_bind_int(st, 2, INT64_C(9007199254740993)), 0);
    assert_int_equal(store_bind_double(st, 3, 0.1), 0);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    assert_int_equal(store_changes(s), 1);
    store_reset(st);
    assert_int_equal(store_bind_text(st, 1, "åäö\0x", 6), 0);
    assert_int_equal(store_bind_null(st, 2), 0);
    assert_int_equal(store_bind_null(st, 3), 0);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    store_finalize(st);

    assert_int_equal(store_prepare(s, "SELECT a, b, c FROM t ORDER BY rowid", &st, &err), 0);
    assert_int_equal(store_col_count(st), 3);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_string_equal(store_col_text(st, 0, NULL), evil);
    assert_int_equal(store_col_int(st, 1), INT64_C(9007199254740993));
    assert_true(store_col_double(st, 2) == 0.1);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    size_t len = 0;
    const char *t = store_col_text(st, 0, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(t, "åäö\0x", 6);
    assert_true(store_col_is_null(st, 1));
    assert_int_equal(store_step(st, &err), STORE_DONE);
    store_finalize(st);

    /* A constraint violation is reported as invalid input. */
    assert_int_equal(store_exec(s, "CREATE TABLE u (k TEXT PRIMARY KEY) STRICT", &err), 0);
    assert_int_equal(store_prepare(s, "INSERT INTO u VALUES ($1)", &st, &err), 0);
    store_bind_text(st, 1, "k", 1);
    assert_int_equal(store_step(st, &err), STORE_DONE);
    store_reset(st);
    store_bind_text(st, 1, "k", 1);
    assert_int_equal(store_step(st, &err), KN_EINPUT);
    store_finalize(st);
    store_close(s);
}

static void test_transaction_rollback(void **state)
{
    (void)state;
    struct store *s = open_new("tx.db");
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_exec(s, "CREATE TABLE t (a INTEGER) STRICT", &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, "INSERT INTO t VALUES (1), (2)", &err), 0);
    store_rollback(s);
    assert_int_equal(scalar(s, "SELECT count(*) FROM t"), 0);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, "INSERT INTO t VALUES (3)", &err), 0);
    assert_int_equal(store_commit(s, &err), 0);
    assert_int_equal(scalar(s, "SELECT sum(a) FROM t"), 3);
    store_rollback(s); /* no transaction open: harmless */
    store_close(s);
}

/* Every row of every table, as text, in a stable order. */
static void dump(struct store *s, struct strbuf *out)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *tables = NULL;
    assert_int_equal(store_prepare(s, "SELECT name, sql FROM sqlite_schema "
                                      "WHERE type = 'table' ORDER BY name",
                                   &tables, &err), 0);
    while (store_step(tables, &err) == STORE_ROW) {
        const char *name = store_col_text(tables, 0, NULL);
        sb_addf(out, "table %s: %s\n", name, store_col_text(tables, 1, NULL));
        char sql[256];
        snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1, 2", name);
        struct store_stmt *rows = NULL;
        assert_int_equal(store_prepare(s, sql, &rows, &err), 0);
        while (store_step(rows, &err) == STORE_ROW) {
            for (int i = 0; i < store_col_count(rows); i++)
                sb_addf(out, "%s|", store_col_text(rows, i, NULL));
            sb_addch(out, '\n');
        }
        store_finalize(rows);
    }
    store_finalize(tables);
}

static void test_backup_is_identical(void **state)
{
    (void)state;
    struct store *s = open_new("src.db");
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_exec(s, "CREATE TABLE big (i INTEGER, t TEXT) STRICT", &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "INSERT INTO big VALUES ($1, $2)", &st, &err), 0);
    for (int i = 0; i < 20000; i++) {
        char t[32];
        snprintf(t, sizeof t, "row %d åäö", i);
        store_bind_int(st, 1, i);
        store_bind_text(st, 2, t, strlen(t));
        assert_int_equal(store_step(st, &err), STORE_DONE);
        store_reset(st);
    }
    store_finalize(st);
    assert_int_equal(store_commit(s, &err), 0);

    char bpath[128];
    tu_path(bpath, sizeof bpath, "backup.db");
    assert_int_equal(store_backup(s, bpath, &err), 0);
    assert_int_equal(store_backup(s, bpath, &err), KN_EEXIST);
    struct stat sb;
    assert_int_equal(stat(bpath, &sb), 0);
    assert_int_equal(sb.st_mode & 077, 0);

    struct store *b = NULL;
    assert_int_equal(store_open(bpath, NULL, &b, &err), 0);
    struct strbuf d1 = STRBUF_INIT, d2 = STRBUF_INIT;
    dump(s, &d1);
    dump(b, &d2);
    assert_true(d1.len > 20000 * 10);
    assert_int_equal(d1.len, d2.len);
    assert_memory_equal(d1.buf, d2.buf, d1.len);
    assert_int_equal(store_schema_version(b, &err), store_schema_latest());
    sb_release(&d1);
    sb_release(&d2);
    store_close(b);
    store_close(s);
}

/* A read-only folder (a read-only mount, or permissions) cannot take the
 * -wal and -shm files: a reader opens the store immutable, a writer is
 * told the folder is read-only, and a -wal with data that cannot be
 * read is not ignored. The decision is tested here with "not writable"
 * injected, since the tests may run as root, for whom no folder is
 * read-only; cli_readonly.sh runs the binary as an unprivileged user. */
static void test_read_only_folder_plan(void **state)
{
    (void)state;
    for (int wal = 0; wal < 2; wal++)
        for (int shm = 0; shm < 2; shm++)
            for (int ro = 0; ro < 2; ro++)
                assert_int_equal(store_sqlite_plan(true, wal, shm, ro), STORE_PLAN_NORMAL);
    assert_int_equal(store_sqlite_plan(false, false, false, true), STORE_PLAN_IMMUTABLE);
    assert_int_equal(store_sqlite_plan(false, false, false, false), STORE_PLAN_NO_WRITE);
    assert_int_equal(store_sqlite_plan(false, true, true, false), STORE_PLAN_NO_WRITE);
    assert_int_equal(store_sqlite_plan(false, true, true, true), STORE_PLAN_NORMAL);
    assert_int_equal(store_sqlite_plan(false, true, false, true), STORE_PLAN_NO_READ);
    assert_int_equal(store_sqlite_plan(false, false, true, true), STORE_PLAN_NO_READ);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_migrations_from_empty),
        cmocka_unit_test(test_refuses_newer_store),
        cmocka_unit_test(test_migration_0006_masks_personnummer),
        cmocka_unit_test(test_missing_and_not_a_store),
        cmocka_unit_test(test_empty_or_foreign_file_is_not_a_store),
        cmocka_unit_test(test_read_only_folder_plan),
        cmocka_unit_test(test_bind_step_types),
        cmocka_unit_test(test_transaction_rollback),
        cmocka_unit_test(test_backup_is_identical),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
