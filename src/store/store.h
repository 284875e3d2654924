/* src/store/store.h: the store, knod's only door to persistent data.
 *
 * One small interface over a relational backend. Today the backend is
 * SQLite (store_sqlite.c): WAL mode, foreign keys on, STRICT tables, a busy
 * timeout. PostgreSQL is to follow behind the same functions, so SQL
 * written against a store stays portable: no SQLite-only functions in
 * queries, parameters as $1, $2, ... in order of first use (both backends
 * read them), and values only ever bound, never pasted into SQL text.
 *
 * Life cycle: store_open() applies the embedded migrations (see migrate.c)
 * in one transaction and refuses a store whose schema is newer than this
 * program (KN_EVERSION). store_close() finalises and closes; it accepts
 * NULL.
 *
 * Statements: store_prepare() ... store_bind_*() ... store_step() until it
 * returns STORE_DONE ... store_reset() to run again ... store_finalize().
 * Text from store_col_text() is valid until the next step, reset or
 * finalize of that statement.
 *
 * A struct store is used by one thread at a time; open one per thread.
 */
#ifndef KNOD_STORE_STORE_H
#define KNOD_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

struct store;
struct store_stmt;

enum store_flags {
    STORE_CREATE = 1 << 0,   /* create the file if missing */
    STORE_READONLY = 1 << 1, /* open read-only; a store older than this knod is
                                brought up to date first if it can be written */
};

struct store_options {
    unsigned flags;
    int busy_timeout_ms; /* how long to wait for a lock; 0 = 5000 */
};

enum { STORE_DONE = 0, STORE_ROW = 1 };

/* Open (and with STORE_CREATE create) the store at path and bring its
 * schema up to date. KN_ENOTFOUND if it does not exist and STORE_CREATE is
 * not set; KN_EINPUT if an existing file is not a knod store (empty, or a
 * database without knod's schema: never migrated into one); KN_EPERM if
 * its folder cannot be written and the open would write (a read-only
 * open then reads the file as immutable, see store_impl.h); KN_EVERSION if
 * it is newer than this program; KN_ESTORE on any database error. *out is
 * NULL on failure. */
int store_open(const char *path, const struct store_options *opt,
               struct store **out, struct kn_error *err);
void store_close(struct store *s);

/* "sqlite" (later "postgresql"). */
const char *store_backend(const struct store *s);

/* Run SQL without parameters, possibly several statements (migrations,
 * fixed DDL). Never pass text that holds user data. A violated constraint
 * (e.g. CREATE UNIQUE INDEX over repeated keys) is KN_EINPUT, any other
 * failure KN_ESTORE. */
int store_exec(struct store *s, const char *sql, struct kn_error *err);

/* Transactions. store_begin() takes the write lock at once, so a writer
 * never fails half way for want of it. Rollback is safe to call when no
 * transaction is open. */
int store_begin(struct store *s, struct kn_error *err);
/* A read transaction: every read sees the store as of its first read, and
 * it does not hold writers up. End it with store_rollback(). */
int store_begin_read(struct store *s, struct kn_error *err);
int store_commit(struct store *s, struct kn_error *err);
void store_rollback(struct store *s);

int store_prepare(struct store *s, const char *sql, struct store_stmt **out,
                  struct kn_error *err);
void store_finalize(struct store_stmt *st);
void store_reset(struct store_stmt *st);

/* Parameters are numbered from 1. Return 0 or KN_ESTORE. Text is not
 * copied: v must stay unchanged until the statement has been stepped (or
 * reset), which is how every caller binds and steps. */
int store_bind_text(struct store_stmt *st, int i, const char *v, size_t len);
int store_bind_int(struct store_stmt *st, int i, int64_t v);
int store_bind_double(struct store_stmt *st, int i, double v);
int store_bind_null(struct store_stmt *st, int i);

/* STORE_ROW, STORE_DONE, or a negative code with err filled (a constraint
 * violation is KN_EINPUT, anything else KN_ESTORE). */
int store_step(struct store_stmt *st, struct kn_error *err);

/* Columns are numbered from 0. */
int store_col_count(struct store_stmt *st);
bool store_col_is_null(struct store_stmt *st, int i);
int64_t store_col_int(struct store_stmt *st, int i);
double store_col_double(struct store_stmt *st, int i);
/* Column i as text, never NULL: SQL NULL gives "" (and *len 0), as does an
 * empty string; tell them apart with store_col_is_null(). */
const char *store_col_text(struct store_stmt *st, int i, size_t *len);

/* Rows changed by the last INSERT, UPDATE or DELETE. */
int64_t store_changes(struct store *s);

/* The id (rowid) given to the row of the last successful plain INSERT. */
int64_t store_last_insert_id(struct store *s);

/* Schema version of the open store, and the newest this program knows. */
int store_schema_version(struct store *s, struct kn_error *err);
int store_schema_latest(void);

/* Copy the whole store, consistently, to a new file at path while it
 * stays in use. The store is checked first (SQLite: quick_check) and the
 * copy after (integrity_check); either damaged is KN_ESTORE. The copy is
 * made in a 0600 temporary file beside path (base/outfile.h) and moved to
 * path only when checked, so an interrupted or failed backup leaves no
 * file at path and never blocks the next one. path must not exist
 * (KN_EEXIST) and never is a link, device or folder (KN_EINPUT). A store
 * that stays locked through STORE_BACKUP_MAX_BUSY tries in a row (each
 * after the busy timeout) is KN_ESTORE, not an endless wait. */
int store_backup(struct store *s, const char *path, struct kn_error *err);

/* The path s was opened with: to open another connection to the same
 * store, for another thread. */
const char *store_path(const struct store *s);

/* Checkpoints. A commit is written to the write-ahead log first; a
 * checkpoint copies committed transactions from the log into the database
 * file (SQLite: WAL mode). store_checkpoint() copies as much as readers
 * allow without waiting for any lock (passive). By default a commit runs
 * one itself once the log has grown; store_autocheckpoint(s, false) stops
 * that on s, for a writer of large transactions that lets another
 * connection checkpoint meanwhile (store_ckpt.h). */
int store_checkpoint(struct store *s, struct kn_error *err);
int store_autocheckpoint(struct store *s, bool on, struct kn_error *err);

#endif /* KNOD_STORE_STORE_H */
