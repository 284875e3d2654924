/* src/store/migrate.c: numbered schema migrations, embedded in the binary.
 *
 * Migrations are the files migrations/NNNN_name.sql (src/store/migrations,
 * embedded by tools/embed.c). Their numbers run 1, 2, 3, ... without gaps;
 * table schema_migration records each one applied. At open, every missing
 * migration runs inside one transaction: either the store reaches the
 * newest schema or it stays exactly as it was. A store whose newest
 * recorded migration is beyond this program's is refused, since an older
 * knod must not write into a schema it does not understand.
 *
 * A migration may rebuild a table that others refer to (SQLite's way to
 * change a CHECK: create the new table, copy, drop the old, rename), so
 * foreign keys are not enforced while migrations run, as SQLite's ALTER
 * TABLE procedure asks; PRAGMA foreign_key_check then checks the whole
 * store before the commit, and enforcement is on again afterwards.
 */
#include "store/store_impl.h"

#include <stdio.h>
#include <string.h>

#include "base/embed.h"

#define MIGRATION_PREFIX "migrations/"

/* The number of an embedded migration name, or -1 if it is not one. */
static int migration_number(const char *name)
{
    size_t plen = strlen(MIGRATION_PREFIX);
    if (strncmp(name, MIGRATION_PREFIX, plen) != 0)
        return -1;
    const char *p = name + plen;
    int n = 0;
    for (int i = 0; i < 4; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        n = n * 10 + (p[i] - '0');
    }
    return p[4] == '_' ? n : -1;
}

int store_schema_latest(void)
{
    int latest = 0;
    for (unsigned i = 0; i < embed_count; i++) {
        int n = migration_number(embed_files[i].name);
        if (n > latest)
            latest = n;
    }
    return latest;
}

int store_schema_version(struct store *s, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    struct kn_error ignore = KN_ERROR_INIT;
    /* No table yet means nothing was applied. */
    if (store_prepare(s, "SELECT max(version) FROM schema_migration", &st, &ignore) != 0)
        return 0;
    int rc = store_step(st, err);
    int v = 0;
    if (rc == STORE_ROW)
        v = (int)store_col_int(st, 0);
    else if (rc < 0)
        v = rc;
    store_finalize(st);
    return v;
}

static int record(struct store *s, int n, const char *name, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
        "INSERT INTO schema_migration (version, name, applied_at) "
        "VALUES ($1, $2, CURRENT_TIMESTAMP)", &st, err);
    if (rc != 0)
        return rc;
    store_bind_int(st, 1, n);
    store_bind_text(st, 2, name, strlen(name));
    rc = store_step(st, err);
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

/* KN_ESTORE if any row refers to a row that is not there. */
static int foreign_key_check(struct store *s, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s, "PRAGMA foreign_key_check", &st, err);
    if (rc != 0)
        return rc;
    rc = store_step(st, err);
    if (rc == STORE_ROW)
        rc = kn_fail(err, KN_ESTORE, "a row of table '%s' refers to a missing row of '%s'",
                     store_col_text(st, 0, NULL), store_col_text(st, 2, NULL));
    store_finalize(st);
    return rc < 0 ? rc : 0;
}

static int migrate(struct store *s, struct kn_error *err);

int store_migrate(struct store *s, struct kn_error *err)
{
    int rc = store_exec(s, "PRAGMA foreign_keys=OFF", err);
    if (rc != 0)
        return rc;
    rc = migrate(s, err);
    struct kn_error e2;
    kn_error_init(&e2);
    int rc2 = store_exec(s, "PRAGMA foreign_keys=ON", &e2);
    if (rc == 0 && rc2 != 0) {
        *err = e2;
        rc = rc2;
    }
    return rc;
}

static int migrate(struct store *s, struct kn_error *err)
{
    int latest = store_schema_latest();
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = store_exec(s,
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY,"
        " name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL)", err);
    if (rc != 0)
        goto fail;
    int current = store_schema_version(s, err);
    if (current < 0) {
        rc = current;
        goto fail;
    }
    if (current > latest) {
        rc = kn_fail(err, KN_EVERSION,
                     "the store has schema version %d, newer than this knod knows "
                     "(%d); use a newer knod", current, latest);
        goto fail;
    }
    for (int n = current + 1; n <= latest; n++) {
        const struct embed_file *f = NULL;
        for (unsigned i = 0; i < embed_count; i++)
            if (migration_number(embed_files[i].name) == n)
                f = &embed_files[i];
        if (f == NULL) {
            rc = kn_fail(err, KN_ESTORE, "migration %04d is missing from this build", n);
            goto fail;
        }
        rc = store_exec(s, (const char *)f->data, err);
        if (rc == 0)
            rc = record(s, n, f->name + strlen(MIGRATION_PREFIX), err);
        if (rc != 0) {
            kn_error_prefix(err, "migration %04d: ", n);
            goto fail;
        }
    }
    if (current < latest && (rc = foreign_key_check(s, err)) != 0)
        goto fail;
    return store_commit(s, err);
fail:
    store_rollback(s);
    return rc;
}
