/* src/network/net_rows.h: a query's rows as a small table of texts.
 *
 * The network's list commands (nodes, groups, members, units, trainings,
 * surveys, activities) each show a few dozen to a few thousand rows as a
 * table, JSON or CSV. Each module states its columns once (a name and
 * whether the value is a number) and runs its SELECT through
 * net_rows_query(); the CLI prints any struct net_rows in the format asked
 * for (cli_rows_print), so every list has the same three formats.
 *
 * Everything in a struct net_rows lives in the arena given to the query.
 */
#ifndef KNOD_NETWORK_NET_ROWS_H
#define KNOD_NETWORK_NET_ROWS_H

#include <jansson.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/error.h"
#include "store/store.h"

/* How a column is read: text, a whole number, a real, a day (an INTEGER
 * kn_day in the store, base/date.h) shown as YYYY-MM-DD text, or a yes/no
 * (an INTEGER 1 or 0, kept as "1" or "0": true or false in JSON). */
enum net_kind { NET_TEXT, NET_INT, NET_REAL, NET_DAY, NET_BOOL };

struct net_col {
    const char *name; /* the JSON key and CSV header */
    enum net_kind kind;
};

struct net_rows {
    const struct net_col *cols;
    size_t ncols, nrows, cap;
    const char **cells; /* nrows * ncols, row by row; NULL for SQL NULL */
};

/* Run sql (a SELECT of ncols columns in the order of cols) with the text
 * parameters params[0..nparams) bound as $1.. (NULL binds NULL), and
 * append its rows to *out (zeroed by the caller, or from an earlier call
 * with the same cols). Numbers are kept as their decimal text. */
int net_rows_query(struct store *st, const char *sql, const char *const *params,
                   size_t nparams, const struct net_col *cols, size_t ncols,
                   struct net_rows *out, struct arena *a, struct kn_error *err);

/* Append one row of ncols texts (copied into a) to out. */
int net_rows_add(struct net_rows *out, const char *const *cells, struct arena *a,
                 struct kn_error *err);

/* The rows as a new JSON array of objects, one key per column in column
 * order: NET_INT and NET_REAL cells as numbers, NET_BOOL ones as true or
 * false, others as strings, SQL NULL as null. NULL when out of memory.
 *
 * One rule for an optional field not given, in every list and format: an
 * empty text and SQL NULL are both "not given", null in JSON (here), an
 * empty field in CSV and "-" in the CLI's table (cli/cli_rows.h). */
json_t *net_rows_json(const struct net_rows *t);

/* The cell of row r, column c. */
static inline const char *net_cell(const struct net_rows *t, size_t r, size_t c)
{
    return t->cells[r * t->ncols + c];
}

#endif /* KNOD_NETWORK_NET_ROWS_H */
