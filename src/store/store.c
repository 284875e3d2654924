/* src/store/store.c: the public store functions, forwarding to the
 * backend's ops table. See store.h for the contract. */
#include "store/store_impl.h"

#include <stddef.h>

/* A read-only open of a store older than this knod brings its schema up to
 * date first when it can be written (the migrations are what any writing
 * command would apply), so that a reading command meets the tables it
 * reads. When it cannot (a read-only folder or file, a busy writer), the
 * store is read as it is; its status still shows. */
static int upgrade(const char *path, const struct store_options *ro)
{
    struct store_options rw = { 0, ro->busy_timeout_ms };
    struct kn_error ignored = KN_ERROR_INIT;
    struct store *w = NULL;
    if (store_sqlite_open(path, &rw, &w, &ignored) != 0)
        return -1;
    int rc = store_migrate(w, &ignored);
    store_close(w);
    return rc;
}

int store_open(const char *path, const struct store_options *opt,
               struct store **out, struct kn_error *err)
{
    struct store *s = NULL;
    *out = NULL;
    int rc = store_sqlite_open(path, opt, &s, err);
    if (rc != 0)
        return rc;
    if (opt == NULL || !(opt->flags & STORE_READONLY)) {
        rc = store_migrate(s, err);
    } else {
        int v = store_schema_version(s, err);
        if (v < 0)
            rc = v;
        else if (v > store_schema_latest())
            rc = kn_fail(err, KN_EVERSION,
                         "store '%s' has schema version %d, newer than this knod "
                         "knows (%d); use a newer knod", path, v, store_schema_latest());
        else if (v < store_schema_latest() && upgrade(path, opt) == 0) {
            /* Reopen read-only on the schema the upgrade made. */
            store_close(s);
            s = NULL;
            rc = store_sqlite_open(path, opt, &s, err);
            if (rc != 0)
                return rc;
        }
    }
    if (rc != 0) {
        store_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (s != NULL)
        s->ops->close(s);
}

const char *store_backend(const struct store *s)
{
    return s->ops->name;
}

int store_exec(struct store *s, const char *sql, struct kn_error *err)
{
    return s->ops->exec(s, sql, err);
}

int store_begin(struct store *s, struct kn_error *err)
{
    return s->ops->begin(s, err);
}

int store_begin_read(struct store *s, struct kn_error *err)
{
    return s->ops->begin_read(s, err);
}

int store_commit(struct store *s, struct kn_error *err)
{
    return s->ops->commit(s, err);
}

void store_rollback(struct store *s)
{
    s->ops->rollback(s);
}

int store_prepare(struct store *s, const char *sql, struct store_stmt **out,
                  struct kn_error *err)
{
    return s->ops->prepare(s, sql, out, err);
}

void store_finalize(struct store_stmt *st)
{
    if (st != NULL)
        st->ops->finalize(st);
}

void store_reset(struct store_stmt *st)
{
    st->ops->reset(st);
}

int store_bind_text(struct store_stmt *st, int i, const char *v, size_t len)
{
    return st->ops->bind_text(st, i, v, len);
}

int store_bind_int(struct store_stmt *st, int i, int64_t v)
{
    return st->ops->bind_int(st, i, v);
}

int store_bind_double(struct store_stmt *st, int i, double v)
{
    return st->ops->bind_double(st, i, v);
}

int store_bind_null(struct store_stmt *st, int i)
{
    return st->ops->bind_null(st, i);
}

int store_step(struct store_stmt *st, struct kn_error *err)
{
    return st->ops->step(st, err);
}

int store_col_count(struct store_stmt *st)
{
    return st->ops->col_count(st);
}

bool store_col_is_null(struct store_stmt *st, int i)
{
    return st->ops->col_is_null(st, i);
}

int64_t store_col_int(struct store_stmt *st, int i)
{
    return st->ops->col_int(st, i);
}

double store_col_double(struct store_stmt *st, int i)
{
    return st->ops->col_double(st, i);
}

const char *store_col_text(struct store_stmt *st, int i, size_t *len)
{
    return st->ops->col_text(st, i, len);
}

int64_t store_changes(struct store *s)
{
    return s->ops->changes(s);
}

int64_t store_last_insert_id(struct store *s)
{
    return s->ops->last_insert_id(s);
}

int store_backup(struct store *s, const char *path, struct kn_error *err)
{
    return s->ops->backup(s, path, err);
}

const char *store_path(const struct store *s)
{
    return s->ops->path(s);
}

int store_checkpoint(struct store *s, struct kn_error *err)
{
    return s->ops->checkpoint(s, err);
}

int store_autocheckpoint(struct store *s, bool on, struct kn_error *err)
{
    return s->ops->autocheckpoint(s, on, err);
}
