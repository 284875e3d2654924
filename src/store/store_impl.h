/* src/store/store_impl.h: what a store backend provides (internal).
 *
 * store.c forwards every public call through the backend's ops table;
 * migrate.c uses the same public calls, so migrations are backend-neutral
 * apart from the SQL files themselves.
 */
#ifndef KNOD_STORE_STORE_IMPL_H
#define KNOD_STORE_STORE_IMPL_H

#include "store/store.h"

struct store_ops {
    const char *name;
    void (*close)(struct store *s);
    int (*exec)(struct store *s, const char *sql, struct kn_error *err);
    int (*begin)(struct store *s, struct kn_error *err);
    int (*begin_read)(struct store *s, struct kn_error *err);
    int (*commit)(struct store *s, struct kn_error *err);
    void (*rollback)(struct store *s);
    int (*prepare)(struct store *s, const char *sql, struct store_stmt **out,
                   struct kn_error *err);
    void (*finalize)(struct store_stmt *st);
    void (*reset)(struct store_stmt *st);
    int (*bind_text)(struct store_stmt *st, int i, const char *v, size_t len);
    int (*bind_int)(struct store_stmt *st, int i, int64_t v);
    int (*bind_double)(struct store_stmt *st, int i, double v);
    int (*bind_null)(struct store_stmt *st, int i);
    int (*step)(struct store_stmt *st, struct kn_error *err);
    int (*col_count)(struct store_stmt *st);
    bool (*col_is_null)(struct store_stmt *st, int i);
    int64_t (*col_int)(struct store_stmt *st, int i);
    double (*col_double)(struct store_stmt *st, int i);
    const char *(*col_text)(struct store_stmt *st, int i, size_t *len);
    int64_t (*changes)(struct store *s);
    int64_t (*last_insert_id)(struct store *s);
    int (*backup)(struct store *s, const char *path, struct kn_error *err);
    const char *(*path)(const struct store *s);
    int (*checkpoint)(struct store *s, struct kn_error *err);
    int (*autocheckpoint)(struct store *s, bool on, struct kn_error *err);
};

/* Every backend's store and statement begin with these. */
struct store {
    const struct store_ops *ops;
};

struct store_stmt {
    const struct store_ops *ops;
};

/* How the SQLite backend opens an existing store, decided from whether
 * its folder can be written, whether the -wal (with data) and -shm files
 * exist, and whether the command only reads. A folder that cannot be
 * written cannot take the -wal and -shm files WAL mode needs: a reader
 * then opens the file as immutable (safe: no writer can exist without
 * them), unless a -wal holds data that is not in the file yet. */
enum store_plan {
    STORE_PLAN_NORMAL,     /* open as usual */
    STORE_PLAN_IMMUTABLE,  /* read-only folder: open the file immutable */
    STORE_PLAN_NO_WRITE,   /* read-only folder, and the command writes */
    STORE_PLAN_NO_READ,    /* read-only folder with a -wal that cannot be read */
};
enum store_plan store_sqlite_plan(bool dir_writable, bool wal_has_data, bool shm_exists,
                                  bool readonly);

/* SQLite backend: open or create the file; no migrations applied. */
int store_sqlite_open(const char *path, const struct store_options *opt,
                      struct store **out, struct kn_error *err);

/* Bring the schema up to date in one transaction (migrate.c). */
int store_migrate(struct store *s, struct kn_error *err);

#endif /* KNOD_STORE_STORE_IMPL_H */
