/* src/hub/hub_sql.h: the hub's helpers for bound SQL, shared by its
 * store files (hub_store.c, hub_review.c, hub_public.c); not for use
 * outside src/hub. */
#ifndef KNOD_HUB_HUB_SQL_H
#define KNOD_HUB_HUB_SQL_H

#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

/* Run sql (one statement, no rows wanted) with the given parameters: fmt
 * has one letter a parameter, 't' (const char *, NULL for NULL), 'i'
 * (int64_t) or 'z' (int64_t, 0 for NULL). 0 or a KN_E* code. */
int hub_exec(struct store *st, const char *sql, struct kn_error *err, const char *fmt, ...);

/* Column i of the current row as a string copied into a: NULL for SQL
 * NULL (store_col_text gives "" there), and NULL when a is out of memory
 * (callers of NOT NULL columns treat that as KN_ENOMEM). */
const char *hub_col(struct store_stmt *s, int i, struct arena *a);

/* The columns of a document's version (hub.h's struct hub_version):
 * "SELECT ... FROM hub_document d JOIN hub_version v ON ... " to which a
 * WHERE clause is added; hub_version_read() reads its current row into
 * *v (strings copied into a). */
struct hub_version;
extern const char hub_version_cols[];
void hub_version_read(struct store_stmt *s, struct hub_version *v, struct arena *a);

/* Step the prepared s (hub_version_cols and a clause, parameters bound) to
 * its end, reading every row into an array in a; finalizes s. 0 with *out
 * and *n, or a negative KN_E* code with err. */
int hub_versions_read(struct store_stmt *s, struct hub_version **out, size_t *n,
                      struct arena *a, struct kn_error *err);

#endif /* KNOD_HUB_HUB_SQL_H */
