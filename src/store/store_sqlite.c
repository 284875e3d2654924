/* src/store/store_sqlite.c: the SQLite backend of the store.
 *
 * One connection per struct store. At open: WAL journal (readers never
 * block the writer), synchronous=NORMAL (durable at checkpoint, safe
 * against corruption), foreign keys on, a busy timeout. Transactions start
 * with BEGIN IMMEDIATE so a writer takes its lock before doing any work.
 * Expected load: bulk imports of millions of rows in large transactions,
 * and many small reads from the portal.
 */
#include "store/store_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "base/outfile.h"

struct sq_store {
    struct store base;
    sqlite3 *db;
    char *path;
};

struct sq_stmt {
    struct store_stmt base;
    sqlite3_stmt *st;
    struct sq_store *owner;
};

static const struct store_ops sq_ops;

static int sq_error(sqlite3 *db, struct kn_error *err, const char *what)
{
    int ext = sqlite3_extended_errcode(db);
    int primary = ext & 0xff;
    int code = primary == SQLITE_CONSTRAINT ? KN_EINPUT : KN_ESTORE;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
        return kn_fail(err, KN_ESTORE,
                       "%s: the store is busy (another knod holds the write lock)", what);
    return kn_fail(err, code, "%s: %s", what, sqlite3_errmsg(db));
}

static void sq_close(struct store *s)
{
    struct sq_store *q = (struct sq_store *)s;
    sqlite3_close_v2(q->db);
    free(q->path);
    free(q);
}

static int sq_exec(struct store *s, const char *sql, struct kn_error *err)
{
    struct sq_store *q = (struct sq_store *)s;
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int primary = sqlite3_extended_errcode(q->db) & 0xff;
        int rc = kn_fail(err, primary == SQLITE_CONSTRAINT ? KN_EINPUT : KN_ESTORE,
                         "store: %s", msg ? msg : sqlite3_errmsg(q->db));
        sqlite3_free(msg);
        return rc;
    }
    return 0;
}

static int sq_begin(struct store *s, struct kn_error *err)
{
    return sq_exec(s, "BEGIN IMMEDIATE", err);
}

/* A deferred transaction takes no lock until its first read, and in WAL
 * mode a reader never blocks a writer: it sees the store as of that read. */
static int sq_begin_read(struct store *s, struct kn_error *err)
{
    return sq_exec(s, "BEGIN DEFERRED", err);
}

static int sq_commit(struct store *s, struct kn_error *err)
{
    return sq_exec(s, "COMMIT", err);
}

static void sq_rollback(struct store *s)
{
    struct sq_store *q = (struct sq_store *)s;
    if (!sqlite3_get_autocommit(q->db))
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
}

static int sq_prepare(struct store *s, const char *sql, struct store_stmt **out,
                      struct kn_error *err)
{
    struct sq_store *q = (struct sq_store *)s;
    struct sq_stmt *st = calloc(1, sizeof *st);
    *out = NULL;
    if (st == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory preparing a statement");
    if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st->st, NULL)
        != SQLITE_OK) {
        free(st);
        return sq_error(q->db, err, "store: cannot prepare statement");
    }
    st->base.ops = &sq_ops;
    st->owner = q;
    *out = &st->base;
    return 0;
}

static void sq_finalize(struct store_stmt *s)
{
    struct sq_stmt *st = (struct sq_stmt *)s;
    sqlite3_finalize(st->st);
    free(st);
}

static void sq_reset(struct store_stmt *s)
{
    struct sq_stmt *st = (struct sq_stmt *)s;
    sqlite3_reset(st->st);
    sqlite3_clear_bindings(st->st);
}

static int bind_rc(int rc)
{
    return rc == SQLITE_OK ? 0 : KN_ESTORE;
}

static int sq_bind_text(struct store_stmt *s, int i, const char *v, size_t len)
{
    struct sq_stmt *st = (struct sq_stmt *)s;
    if (len > (size_t)INT32_MAX)
        return KN_ENOMEM;
    /* No copy: the caller keeps v until the step (store.h). */
    return bind_rc(sqlite3_bind_text(st->st, i, v, (int)len, SQLITE_STATIC));
}

static int sq_bind_int(struct store_stmt *s, int i, int64_t v)
{
    return bind_rc(sqlite3_bind_int64(((struct sq_stmt *)s)->st, i, v));
}

static int sq_bind_double(struct store_stmt *s, int i, double v)
{
    return bind_rc(sqlite3_bind_double(((struct sq_stmt *)s)->st, i, v));
}

static int sq_bind_null(struct store_stmt *s, int i)
{
    return bind_rc(sqlite3_bind_null(((struct sq_stmt *)s)->st, i));
}

static int sq_step(struct store_stmt *s, struct kn_error *err)
{
    struct sq_stmt *st = (struct sq_stmt *)s;
    int rc = sqlite3_step(st->st);
    if (rc == SQLITE_ROW)
        return STORE_ROW;
    if (rc == SQLITE_DONE)
        return STORE_DONE;
    return sq_error(st->owner->db, err, "store");
}

static int sq_col_count(struct store_stmt *s)
{
    return sqlite3_column_count(((struct sq_stmt *)s)->st);
}

static bool sq_col_is_null(struct store_stmt *s, int i)
{
    return sqlite3_column_type(((struct sq_stmt *)s)->st, i) == SQLITE_NULL;
}

static int64_t sq_col_int(struct store_stmt *s, int i)
{
    return sqlite3_column_int64(((struct sq_stmt *)s)->st, i);
}

static double sq_col_double(struct store_stmt *s, int i)
{
    return sqlite3_column_double(((struct sq_stmt *)s)->st, i);
}

static const char *sq_col_text(struct store_stmt *s, int i, size_t *len)
{
    struct sq_stmt *st = (struct sq_stmt *)s;
    const unsigned char *t = sqlite3_column_text(st->st, i);
    if (len != NULL)
        *len = (size_t)sqlite3_column_bytes(st->st, i);
    return t ? (const char *)t : "";
}

static int64_t sq_changes(struct store *s)
{
    return sqlite3_changes64(((struct sq_store *)s)->db);
}

static int64_t sq_last_insert_id(struct store *s)
{
    return sqlite3_last_insert_rowid(((struct sq_store *)s)->db);
}

/* Run a check pragma (quick_check, integrity_check) on db: 0 if its first
 * row is "ok", else KN_ESTORE with what names and the first problem. */
static int run_check(sqlite3 *db, const char *pragma, const char *what,
                     struct kn_error *err)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, pragma, -1, &st, NULL) != SQLITE_OK)
        return sq_error(db, err, what);
    int rc = sqlite3_step(st);
    const char *first = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : NULL;
    int result = 0;
    if (rc != SQLITE_ROW) {
        result = sq_error(db, err, what);
    } else if (first == NULL || strcmp(first, "ok") != 0) {
        result = kn_fail(err, KN_ESTORE, "%s: %s", what, first ? first : "no answer");
        for (char *c = err ? err->msg : NULL; c != NULL && *c != '\0'; c++)
            if (*c == '\n')
                *c = ' '; /* SQLite's report runs over lines: one line */
    }
    sqlite3_finalize(st);
    return result;
}

/* Copy q's database into the open connection dst, step by step; a step
 * that finds the store locked (BUSY: another connection's lock, beyond
 * the busy timeout; LOCKED: this connection is in a write) is retried,
 * but only STORE_BACKUP_MAX_BUSY times in a row without progress. */
#define STORE_BACKUP_MAX_BUSY 10

static int copy_pages(struct sq_store *q, sqlite3 *dst, struct kn_error *err)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", q->db, "main");
    if (b == NULL)
        return kn_fail(err, KN_ESTORE, "cannot start the backup: %s", sqlite3_errmsg(dst));
    int rc, busy = 0, left = -1;
    do {
        rc = sqlite3_backup_step(b, 1024);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
            int now = sqlite3_backup_remaining(b);
            busy = now != left ? 1 : busy + 1; /* pages copied since: start again */
            left = now;
            if (busy >= STORE_BACKUP_MAX_BUSY)
                break;
            sqlite3_sleep(20);
        }
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return kn_fail(err, KN_ESTORE,
                       "the store stayed %s through %d tries: %s",
                       rc == SQLITE_LOCKED ? "locked by this connection's own write"
                                           : "locked",
                       STORE_BACKUP_MAX_BUSY,
                       rc == SQLITE_LOCKED ? "finish the write first"
                                           : "another process holds it, or its folder is "
                                             "read-only; try again later");
    if (rc != SQLITE_DONE)
        return kn_fail(err, KN_ESTORE, "the copy failed: %s", sqlite3_errstr(rc));
    return 0;
}

static int sq_backup(struct store *s, const char *path, struct kn_error *err)
{
    struct sq_store *q = (struct sq_store *)s;
    /* The source first: a damaged store is not copied as if it were a
     * backup (quick_check: the b-trees and records, not the indexes). */
    int rc = run_check(q->db, "PRAGMA quick_check", "the store is damaged", err);
    if (rc != 0)
        return kn_error_prefix(err, "nothing was backed up: ");
    /* A 0600 temporary file beside path, never through a link, moved to
     * path (which must not exist) only once it is checked. */
    struct outfile of = OUTFILE_INIT;
    if ((rc = outfile_open(&of, path, 0, err)) != 0) {
        kn_error_prefix(err, "backup file: ");
        return rc;
    }
    sqlite3 *dst = NULL;
    if (sqlite3_open_v2(outfile_temp(&of), &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = kn_fail(err, KN_EIO, "cannot create backup file '%s': %s", path,
                     dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    /* No journal file beside the copy: the copy is thrown away whole if
     * anything fails. */
    sqlite3_exec(dst, "PRAGMA journal_mode=MEMORY", NULL, NULL, NULL);
    if ((rc = copy_pages(q, dst, err)) != 0)
        goto out;
    /* The copy: every page, record and index entry, read back. */
    if ((rc = run_check(dst, "PRAGMA integrity_check", "the copy is damaged", err)) != 0)
        goto out;
    if (sqlite3_close(dst) != SQLITE_OK) {
        rc = kn_fail(err, KN_EIO, "cannot close backup file '%s': %s", path,
                     sqlite3_errmsg(dst));
        goto out;
    }
    dst = NULL;
    if ((rc = outfile_commit(&of, err)) != 0)
        kn_error_prefix(err, "backup file: ");
out:
    if (dst != NULL)
        sqlite3_close_v2(dst);
    outfile_abort(&of); /* a no-op after the commit */
    if (rc != 0)
        kn_error_prefix(err, "nothing was backed up: ");
    return rc;
}

static const char *sq_path(const struct store *s)
{
    return ((const struct sq_store *)s)->path;
}

/* Drop the first frames frames of the WAL from the page cache: they are in
 * the database now and no new reader reads them, and freeing a large WAL's
 * pages all at once when it is removed cost 0.3 s at the end of a 10 M row
 * import (bench/import). Only clean pages go; a frame read again comes from
 * the disk. Best effort. */
static void drop_checkpointed(struct sq_store *q, int frames)
{
    sqlite3_stmt *st = NULL;
    int64_t page = 0;
    if (sqlite3_prepare_v2(q->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK
        && sqlite3_step(st) == SQLITE_ROW)
        page = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    size_t n = strlen(q->path);
    char *wal = malloc(n + 5);
    if (page <= 0 || wal == NULL) {
        free(wal);
        return;
    }
    memcpy(wal, q->path, n);
    memcpy(wal + n, "-wal", 5);
    int fd = open(wal, O_RDONLY | O_CLOEXEC);
    free(wal);
    if (fd < 0)
        return;
    /* A 32-byte header, then frames of a 24-byte header and a page. */
    off_t len = (off_t)32 + (off_t)frames * (24 + (off_t)page);
    posix_fadvise(fd, 0, len, POSIX_FADV_DONTNEED);
    close(fd);
}

static int sq_checkpoint(struct store *s, struct kn_error *err)
{
    struct sq_store *q = (struct sq_store *)s;
    int log = 0, done = 0;
    int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        return kn_fail(err, KN_ESTORE, "checkpoint of '%s' failed: %s", q->path,
                       sqlite3_errmsg(q->db));
    if (rc == SQLITE_OK && done > 0)
        drop_checkpointed(q, done);
    return 0;
}

/* 1000 pages is SQLite's default. */
static int sq_autocheckpoint(struct store *s, bool on, struct kn_error *err)
{
    struct sq_store *q = (struct sq_store *)s;
    if (sqlite3_wal_autocheckpoint(q->db, on ? 1000 : 0) != SQLITE_OK)
        return kn_fail(err, KN_ESTORE, "cannot set checkpointing: %s", sqlite3_errmsg(q->db));
    return 0;
}

static const struct store_ops sq_ops = {
    .name = "sqlite",
    .close = sq_close,
    .exec = sq_exec,
    .begin = sq_begin,
    .begin_read = sq_begin_read,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .col_count = sq_col_count,
    .col_is_null = sq_col_is_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .changes = sq_changes,
    .last_insert_id = sq_last_insert_id,
    .backup = sq_backup,
    .path = sq_path,
    .checkpoint = sq_checkpoint,
    .autocheckpoint = sq_autocheckpoint,
};

/* Once per process, before SQLite initialises: no memory statistics,
 * which would take a global mutex on every allocation. */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* path + suffix exists (and, with nonempty, is not empty). */
static bool side_file(const char *path, const char *suffix, bool nonempty)
{
    char p[PATH_MAX];
    struct stat st;
    int n = snprintf(p, sizeof p, "%s%s", path, suffix);
    return n > 0 && (size_t)n < sizeof p && stat(p, &st) == 0 && (!nonempty || st.st_size > 0);
}

static bool wal_has_data(const char *path)
{
    return side_file(path, "-wal", true);
}

/* The folder of path into dir. */
static void folder_of(const char *path, char *dir, size_t cap)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, cap, ".");
    else if (slash == path)
        snprintf(dir, cap, "/");
    else
        snprintf(dir, cap, "%.*s", (int)(slash - path), path);
}

enum store_plan store_sqlite_plan(bool dir_writable, bool wal_data, bool shm_exists,
                                  bool readonly)
{
    if (dir_writable)
        return STORE_PLAN_NORMAL;
    if (!readonly)
        return STORE_PLAN_NO_WRITE;
    if (!wal_data && !shm_exists)
        return STORE_PLAN_IMMUTABLE;
    /* SQLite reads a WAL store read-only when both files are there. */
    return wal_data && shm_exists ? STORE_PLAN_NORMAL : STORE_PLAN_NO_READ;
}

/* "file:" URI of path with immutable=1, percent-encoding all but
 * unreserved characters and '/'. -1 if it does not fit. */
static int immutable_uri(const char *path, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    const char *pre = "file:", *post = "?immutable=1";
    if (strlen(pre) >= cap)
        return -1;
    memcpy(out, pre, strlen(pre));
    n = strlen(pre);
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        if (n + 4 >= cap)
            return -1;
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')
            || strchr("-._~/", *p) != NULL) {
            out[n++] = (char)*p;
        } else {
            out[n++] = '%';
            out[n++] = hex[*p >> 4];
            out[n++] = hex[*p & 15];
        }
    }
    if (n + strlen(post) + 1 > cap)
        return -1;
    memcpy(out + n, post, strlen(post) + 1);
    return 0;
}

static bool has_table(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    bool found = false;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                           -1, &st, NULL) == SQLITE_OK
        && sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC) == SQLITE_OK)
        found = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return found;
}

int store_sqlite_open(const char *path, const struct store_options *opt,
                      struct store **out, struct kn_error *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, configure_sqlite);

    unsigned flags = opt ? opt->flags : 0;
    int timeout = opt && opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    struct stat stbuf;
    *out = NULL;

    bool exists = stat(path, &stbuf) == 0;
    if (!exists && !(flags & STORE_CREATE))
        return kn_fail(err, KN_ENOTFOUND, "store '%s' does not exist", path);

    /* An empty file is not a store: SQLite would take it as a new database
     * and the migrations would make a store without reference data. (In WAL
     * mode a new store's content may still sit in the -wal file.) */
    if (exists && S_ISREG(stbuf.st_mode) && stbuf.st_size == 0 && !wal_has_data(path))
        return kn_fail(err, KN_EINPUT, "'%s' is an empty file, not a knod store; remove it "
                       "and create the store with 'knod init', or point to another one",
                       path);

    /* A folder knod cannot write (a read-only mount or permissions): SQLite
     * would fail with "unable to open database file". */
    enum store_plan plan = STORE_PLAN_NORMAL;
    char dir[PATH_MAX];
    if (exists) {
        folder_of(path, dir, sizeof dir);
        plan = store_sqlite_plan(access(dir, W_OK) == 0, wal_has_data(path),
                                 side_file(path, "-shm", false), flags & STORE_READONLY);
    }
    if (plan == STORE_PLAN_NO_WRITE)
        return kn_fail(err, KN_EPERM,
                       "the folder '%s' of store '%s' is read-only: this command writes the "
                       "store, and SQLite keeps its -wal and -shm files beside it; make the "
                       "folder writable (status, export and indicators run only read, and "
                       "work without)", dir, path);
    if (plan == STORE_PLAN_NO_READ)
        return kn_fail(err, KN_EPERM,
                       "the folder '%s' of store '%s' is read-only and the store's '-wal' "
                       "file holds changes not yet in the store (or its '-shm' file is "
                       "missing); open the store once where its folder is writable", dir, path);

    struct sq_store *q = calloc(1, sizeof *q);
    if (q == NULL || (q->path = strdup(path)) == NULL) {
        free(q);
        return kn_fail(err, KN_ENOMEM, "out of memory opening the store");
    }
    q->base.ops = &sq_ops;
    int oflags = SQLITE_OPEN_NOMUTEX
                 | ((flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    mode_t old = umask(077); /* a new store is readable by its owner only */
    int rc;
    if (plan == STORE_PLAN_IMMUTABLE) {
        char uri[3 * PATH_MAX + 32];
        if (immutable_uri(path, uri, sizeof uri) != 0) {
            umask(old);
            sq_close(&q->base);
            return kn_fail(err, KN_EINPUT, "store name '%s' is too long", path);
        }
        rc = sqlite3_open_v2(uri, &q->db, oflags | SQLITE_OPEN_URI, NULL);
    } else {
        rc = sqlite3_open_v2(path, &q->db, oflags, NULL);
    }
    umask(old);
    if (rc != SQLITE_OK) {
        rc = kn_fail(err, KN_ESTORE, "cannot open store '%s': %s", path,
                     q->db ? sqlite3_errmsg(q->db) : "out of memory");
        sq_close(&q->base);
        return rc;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, timeout);
    /* A new store gets 16 KiB pages: a bulk import of 10 M rows ran about
     * 10 % faster than with 4 KiB (bench/import); page size is fixed once the
     * first page is written, so an existing store keeps its own. */
    if (!exists && !(flags & STORE_READONLY))
        sqlite3_exec(q->db, "PRAGMA page_size=16384", NULL, NULL, NULL);
    const char *setup = (flags & STORE_READONLY)
                            ? "PRAGMA foreign_keys=ON;"
                            : "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
                              "PRAGMA foreign_keys=ON;"
                              /* 256 MiB of page cache: a bulk import keeps
                               * its indexes in memory instead of re-reading
                               * pages from the WAL. */
                              "PRAGMA cache_size=-262144;";
    rc = sq_exec(&q->base, setup, err);
    if (rc == 0) {
        /* Reading the schema fails here if the file is not a database. */
        rc = sq_exec(&q->base, "SELECT count(*) FROM sqlite_schema", err);
        if (rc != 0)
            kn_error_prefix(err, "'%s' is not a knod store: ", path);
    }
    /* A database that existed must already be a knod store: migrations
     * only ever start from nothing in a file knod created. */
    if (rc == 0 && exists && !has_table(q->db, "schema_migration"))
        rc = kn_fail(err, KN_EINPUT, "'%s' is an SQLite database but not a knod store "
                     "(it has no table schema_migration); point to a knod store or "
                     "create one with 'knod init'", path);
    if (rc != 0) {
        sq_close(&q->base);
        return rc;
    }
    *out = &q->base;
    return 0;
}
