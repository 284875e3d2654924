/* tests/unit/store/test_store_backup.c: store_backup() on a store that
 * stays locked, on a damaged store, and the files it leaves. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <dirent.h>
#include <fcntl.h>
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

static struct store *open_at(const char *name, int busy_ms)
{
    char path[128];
    struct kn_error err = KN_ERROR_INIT;
    struct store *s = NULL;
    struct store_options opt = { STORE_CREATE, busy_ms };
    tu_path(path, sizeof path, name);
    if (store_open(path, &opt, &s, &err) != 0)
        fail_msg("open %s: %s", path, err.msg);
    return s;
}

/* A table t(a, b) with an index on a and n rows. */
static void fill(struct store *s, int n)
{
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(store_exec(s, "CREATE TABLE t (a INTEGER, b TEXT);"
                                   "CREATE INDEX t_a ON t(a)", &err), 0);
    assert_int_equal(store_begin(s, &err), 0);
    struct store_stmt *st = NULL;
    assert_int_equal(store_prepare(s, "INSERT INTO t VALUES ($1, $2)", &st, &err), 0);
    for (int i = 0; i < n; i++) {
        char b[48];
        snprintf(b, sizeof b, "row %d of the table, some text", i);
        store_bind_int(st, 1, i);
        store_bind_text(st, 2, b, strlen(b));
        assert_int_equal(store_step(st, &err), STORE_DONE);
        store_reset(st);
    }
    store_finalize(st);
    assert_int_equal(store_commit(s, &err), 0);
}

/* Names in tu_dir that begin with prefix (the backup and its temporary
 * files, which begin with ".NAME."). */
static int files_like(const char *name)
{
    char hidden[80];
    snprintf(hidden, sizeof hidden, ".%s", name);
    DIR *d = opendir(tu_dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (strncmp(e->d_name, name, strlen(name)) == 0
            || strncmp(e->d_name, hidden, strlen(hidden)) == 0)
            n++;
    closedir(d);
    return n;
}

/* A store that stays locked for the whole backup (here: this connection
 * holds a write transaction, so every step answers SQLITE_LOCKED) is given
 * up after a bounded number of tries, with a clear error and no file.
 * The old loop retried BUSY/LOCKED for ever at 100 % CPU. */
static void test_locked_store_is_given_up(void **state)
{
    (void)state;
    struct store *s = open_at("locked.db", 50);
    struct kn_error err = KN_ERROR_INIT;
    fill(s, 100);
    assert_int_equal(store_begin(s, &err), 0);
    assert_int_equal(store_exec(s, "INSERT INTO t VALUES (-1, 'in a write')", &err), 0);
    char path[128];
    tu_path(path, sizeof path, "locked-copy.db");
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = store_backup(s, path, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_int_equal(rc, KN_ESTORE);
    assert_non_null(strstr(err.msg, "nothing was backed up"));
    assert_non_null(strstr(err.msg, "tries"));
    assert_true(t1.tv_sec - t0.tv_sec < 30);
    assert_int_equal(files_like("locked-copy.db"), 0);
    store_rollback(s);
    /* and once the write is over, the backup goes through */
    assert_int_equal(store_backup(s, path, &err), 0);
    assert_int_equal(files_like("locked-copy.db"), 1);
    store_close(s);
}

/* The copy is 0600 from its first byte, whatever the umask, and it is
 * the only file the backup leaves. */
static void test_copy_is_private(void **state)
{
    (void)state;
    struct store *s = open_at("private.db", 0);
    struct kn_error err = KN_ERROR_INIT;
    fill(s, 1000);
    char path[128];
    tu_path(path, sizeof path, "private-copy.db");
    mode_t old = umask(0);
    int rc = store_backup(s, path, &err);
    umask(old);
    assert_int_equal(rc, 0);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(files_like("private-copy.db"), 1); /* no -journal, -wal, temp */
    /* the target is never replaced, nor a link followed */
    assert_int_equal(store_backup(s, path, &err), KN_EEXIST);
    char link[128];
    tu_path(link, sizeof link, "private-link.db");
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(store_backup(s, link, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "symbolic link"));
    store_close(s);
}

/* Overwrite page `page` (1-based) of the database file at path. */
static void smash_page(const char *path, int64_t page, int64_t page_size)
{
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    char junk[512];
    memset(junk, 0x5a, sizeof junk);
    for (int64_t off = 0; off < page_size; off += (int64_t)sizeof junk)
        assert_int_equal(pwrite(fd, junk, sizeof junk, (off_t)((page - 1) * page_size + off)),
                         (ssize_t)sizeof junk);
    close(fd);
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

/* A store with a damaged table page is refused before anything is
 * copied (the old backup copied it and said "backed up"). */
static void test_damaged_store_is_refused(void **state)
{
    (void)state;
    struct store *s = open_at("damaged.db", 0);
    struct kn_error err = KN_ERROR_INIT;
    fill(s, 5000);
    assert_int_equal(store_exec(s, "PRAGMA wal_checkpoint(TRUNCATE)", &err), 0);
    int64_t page = scalar(s, "SELECT rootpage FROM sqlite_schema WHERE name = 't'");
    int64_t size = scalar(s, "PRAGMA page_size");
    store_close(s);
    char db[128];
    tu_path(db, sizeof db, "damaged.db");
    smash_page(db, page, size);
    s = open_at("damaged.db", 0);
    char path[128];
    tu_path(path, sizeof path, "damaged-copy.db");
    assert_int_equal(store_backup(s, path, &err), KN_ESTORE);
    assert_non_null(strstr(err.msg, "the store is damaged"));
    assert_int_equal(files_like("damaged-copy.db"), 0);
    store_close(s);
}

/* Damage that quick_check does not look for (an index that does not
 * match its table) is found in the copy by integrity_check: the backup
 * fails and leaves nothing. */
static void test_damaged_copy_is_refused(void **state)
{
    (void)state;
    struct store *s = open_at("index.db", 0);
    struct kn_error err = KN_ERROR_INIT;
    fill(s, 2000);
    /* The index t_a now claims to index b: its entries no longer match. */
    assert_int_equal(store_exec(s, "PRAGMA writable_schema=ON;"
                                   "UPDATE sqlite_schema SET sql = 'CREATE INDEX t_a ON t(b)'"
                                   " WHERE name = 't_a';"
                                   "PRAGMA writable_schema=OFF", &err), 0);
    store_close(s);
    s = open_at("index.db", 0);
    char path[128];
    tu_path(path, sizeof path, "index-copy.db");
    assert_int_equal(store_backup(s, path, &err), KN_ESTORE);
    assert_non_null(strstr(err.msg, "the copy is damaged"));
    assert_int_equal(files_like("index-copy.db"), 0);
    store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_locked_store_is_given_up),
        cmocka_unit_test(test_copy_is_private),
        cmocka_unit_test(test_damaged_store_is_refused),
        cmocka_unit_test(test_damaged_copy_is_refused),
    };
    return cmocka_run_group_tests(tests, tu_tmpdir_setup, tu_tmpdir_teardown);
}
