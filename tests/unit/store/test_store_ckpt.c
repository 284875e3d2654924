/* tests/unit/store/test_store_ckpt.c: checkpoints on a thread of their own
 * (src/store/store_ckpt.c, and store_checkpoint / store_autocheckpoint of
 * the SQLite backend).
 *
 * The oracle for "copied from the write-ahead log into the database file"
 * is the database file alone: a byte copy of it (without its -wal file)
 * is opened as a store of its own and its rows counted. Rows that are
 * still only in the log are not in that copy. The writer's own automatic
 * checkpoints are read back with PRAGMA wal_autocheckpoint; the thread's
 * work is seen as the database file growing after a kick, before
 * store_ckpt_stop().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "testutil.h"

#include "store/store.h"
#include "store/store_ckpt.h"

#define ROWS 10000 /* a transaction: about 1.3 MB of pages */
/* A transaction larger than SQLite's automatic checkpoint (1000 pages of
 * 16 KiB): about 1400 pages. */
#define BIG 200000

static struct store *open_at(const char *name, unsigned flags, int busy_ms)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { flags, busy_ms };
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("open %s: %s", path, err.msg);
    return s;
}

static int64_t scalar(struct store *s, const char *sql)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    if (store_prepare(s, sql, &st, &err) != 0)
        fail_msg("%s: %s", sql, err.msg);
    if (store_step(st, &err) != STORE_ROW)
        fail_msg("%s: no row (%s)", sql, err.msg);
    int64_t v = store_col_int(st, 0);
    store_finalize(st);
    return v;
}

/* A new store with the scratch table t. */
static struct store *new_writer(const char *name, int busy_ms)
{
    struct store *s = open_at(name, STORE_CREATE, busy_ms);
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_exec(s, "CREATE TABLE t (x INTEGER, y TEXT) STRICT", &err), 0);
    return s;
}

/* One transaction of n rows, x = first .. first + n - 1. */
static void insert_txn(struct store *s, int64_t first, int64_t n)
{
    struct kn_error err = KN_ERROR_INIT;
    struct store_stmt *st = NULL;
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_prepare(s, "INSERT INTO t VALUES ($1, $2)", &st, &err), 0);
    char y[128];
    for (int64_t i = 0; i < n; i++) {
        int len = snprintf(y, sizeof y, "row %lld ", (long long)(first + i));
        memset(y + len, 'a' + (int)(i % 26), 100 - (size_t)len);
        y[100] = '\0';
        store_bind_int(st, 1, first + i);
        store_bind_text(st, 2, y, 100);
        assert_int_equal(store_step(st, &err), STORE_DONE);
        store_reset(st);
    }
    store_finalize(st);
    assert_int_equal(store_commit(s, &err), 0);
}

/* Sum of x over 0 .. n - 1. */
static int64_t sum_to(int64_t n)
{
    return n * (n - 1) / 2;
}

static int64_t file_size(const char *name)
{
    char path[128];
    struct stat sb;
    tu_path(path, sizeof path, name);
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Rows of t in a byte copy of the database file name alone (its log not
 * copied), or -1 if the copy has no table t. */
static int64_t rows_in_db_file(const char *name)
{
    char src[128], dst[160], cname[64];
    snprintf(cname, sizeof cname, "copy-of-%s", name);
    tu_path(src, sizeof src, name);
    tu_path(dst, sizeof dst, cname);
    FILE *in = fopen(src, "rb");
    FILE *out = fopen(dst, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);

    struct kn_error err = KN_ERROR_INIT;
    struct store *c = NULL;
    int64_t rows = -1;
    if (store_open(dst, NULL, &c, &err) == 0) {
        struct store_stmt *st = NULL;
        if (store_prepare(c, "SELECT count(*) FROM t", &st, &err) == 0
            && store_step(st, &err) == STORE_ROW)
            rows = store_col_int(st, 0);
        store_finalize(st);
        store_close(c);
    }
    char cmd[640];
    snprintf(cmd, sizeof cmd, "rm -f '%s' '%s-wal' '%s-shm'", dst, dst, dst);
    assert_int_equal(system(cmd), 0);
    return rows;
}

/* ---- tests ---- */

/* NULL is accepted; stop without a kick still copies the log. */
static void test_null_and_stop_without_kicks(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    store_ckpt_kick(NULL);
    assert_int_equal(store_ckpt_stop(NULL, &err), 0);
    assert_int_equal(store_ckpt_stop(NULL, NULL), 0);

    struct store *w = new_writer("nokick.db", 0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);
    struct store_ckpt *c = NULL;
    assert_int_equal(store_ckpt_start(w, &c, &err), 0);
    assert_non_null(c);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 0);
    /* Not kicked: only stop's own checkpoint can copy these. */
    insert_txn(w, 0, ROWS);
    assert_int_equal(rows_in_db_file("nokick.db"), -1);
    assert_int_equal(store_ckpt_stop(c, &err), 0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);
    assert_int_equal(rows_in_db_file("nokick.db"), ROWS);

    /* Start and stop at once, nothing written in between. */
    assert_int_equal(store_ckpt_start(w, &c, &err), 0);
    assert_int_equal(store_ckpt_stop(c, &err), 0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);
    store_close(w);
}

/* Several large transactions, kicked after each commit, one more after
 * the last kick: the thread copies while the writer goes on, stop copies
 * the rest, and the data is in the database file once all is closed. */
static void test_kicks_copy_in_background(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    struct store *w = new_writer("bg.db", 0);
    struct store_ckpt *c = NULL;
    assert_int_equal(store_ckpt_start(w, &c, &err), 0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 0);

    /* Larger than an automatic checkpoint: the writer's commit would copy
     * it into the file itself if its checkpoints were on. */
    int64_t before = file_size("bg.db");
    insert_txn(w, 0, BIG);
    assert_int_equal(file_size("bg.db"), before);
    store_ckpt_kick(c);
    /* The thread copies it into the file (~22 MB). */
    double until = now_s() + 30;
    while (file_size("bg.db") < before + (8 << 20) && now_s() < until)
        usleep(10000);
    assert_true(file_size("bg.db") >= before + (8 << 20));

    for (int i = 0; i < 3; i++) {
        insert_txn(w, BIG + i * ROWS, ROWS);
        store_ckpt_kick(c);
    }
    /* Kicks may come faster than checkpoints: several in a row. */
    store_ckpt_kick(c);
    store_ckpt_kick(c);
    insert_txn(w, BIG + 3 * ROWS, ROWS); /* committed after the last kick */
    const int64_t total = BIG + 4 * ROWS;
    assert_int_equal(store_ckpt_stop(c, &err), 0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);

    /* Everything is in the database file itself, the last transaction
     * too. */
    assert_int_equal(rows_in_db_file("bg.db"), total);
    /* A new connection sees every row; the log holds nothing that is not
     * also in the file (busy, log frames, frames checkpointed). */
    struct store *n = open_at("bg.db", 0, 0);
    assert_int_equal(scalar(n, "SELECT count(*) FROM t"), total);
    assert_int_equal(scalar(n, "SELECT sum(x) FROM t"), sum_to(total));
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(n, "PRAGMA wal_checkpoint(PASSIVE)", &st, &err), 0);
    assert_int_equal(store_step(st, &err), STORE_ROW);
    assert_int_equal(store_col_int(st, 0), 0);
    assert_int_equal(store_col_int(st, 2), store_col_int(st, 1));
    store_finalize(st);

    /* Closed: the log is gone (or empty), the rows are in the file. */
    store_close(n);
    store_close(w);
    assert_true(file_size("bg.db-wal") <= 0);
    w = open_at("bg.db", 0, 0);
    assert_int_equal(scalar(w, "SELECT count(*) FROM t"), total);
    assert_int_equal(scalar(w, "SELECT sum(x) FROM t"), sum_to(total));
    store_close(w);
}

/* A reader holding a read transaction on a third connection: nothing
 * fails or waits for it, and it keeps seeing its snapshot until it ends. */
static void test_reader_keeps_its_snapshot(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    /* A long busy timeout: a checkpoint that waited for the reader would
     * show as a slow stop. */
    struct store *w = new_writer("rd.db", 20000);
    insert_txn(w, 0, ROWS);
    struct store_ckpt *c = NULL;
    assert_int_equal(store_ckpt_start(w, &c, &err), 0);

    struct store *r = open_at("rd.db", 0, 0);
    assert_int_equal(store_begin_read(r, &err), 0);
    assert_int_equal(scalar(r, "SELECT count(*) FROM t"), ROWS);
    for (int i = 1; i < 4; i++) {
        insert_txn(w, i * ROWS, ROWS);
        store_ckpt_kick(c);
        assert_int_equal(scalar(r, "SELECT count(*) FROM t"), ROWS);
    }
    double t0 = now_s();
    assert_int_equal(store_ckpt_stop(c, &err), 0);
    assert_true(now_s() - t0 < 10.0);
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);
    assert_int_equal(scalar(r, "SELECT count(*) FROM t"), ROWS);
    assert_int_equal(scalar(r, "SELECT sum(x) FROM t"), sum_to(ROWS));
    store_rollback(r); /* ends the read transaction */
    assert_int_equal(scalar(r, "SELECT count(*) FROM t"), 4 * ROWS);

    struct store *n = open_at("rd.db", 0, 0);
    assert_int_equal(scalar(n, "SELECT sum(x) FROM t"), sum_to(4 * ROWS));
    store_close(n);
    store_close(r);
    store_close(w);
    assert_true(file_size("rd.db-wal") <= 0);
    assert_int_equal(rows_in_db_file("rd.db"), 4 * ROWS);
}

/* A start that fails leaves the writer checkpointing itself. */
static void test_start_failure_leaves_writer_as_it_was(void **state)
{
    (void)state;
    struct kn_error err = KN_ERROR_INIT;
    struct store *w = new_writer("gone.db", 0);
    char path[128], moved[160];
    tu_path(path, sizeof path, "gone.db");
    snprintf(moved, sizeof moved, "%s.moved", path);
    /* The thread's connection cannot be opened: the path names no file. */
    assert_int_equal(rename(path, moved), 0);
    struct store_ckpt *c = (struct store_ckpt *)&err; /* anything not NULL */
    int rc = store_ckpt_start(w, &c, &err);
    assert_int_equal(rename(moved, path), 0);
    assert_int_equal(rc, KN_ENOTFOUND);
    assert_null(c);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(scalar(w, "PRAGMA wal_autocheckpoint"), 1000);
    insert_txn(w, 0, ROWS);
    assert_int_equal(scalar(w, "SELECT count(*) FROM t"), ROWS);
    store_close(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_null_and_stop_without_kicks),
        cmocka_unit_test(test_kicks_copy_in_background),
        cmocka_unit_test(test_reader_keeps_its_snapshot),
        cmocka_unit_test(test_start_failure_leaves_writer_as_it_was),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
