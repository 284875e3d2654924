/* src/cli/cli_rows.h: printing a network list (network/net_rows.h) as a
 * table, JSON or CSV.
 *
 * The three formats every network list offers: a table for the eye
 * (columns padded by display width), JSON (an array of objects, numbers
 * as numbers, NULL as null) and CSV (a header and RFC 4180 rows, text
 * guarded against spreadsheet formulas). A field not given (NULL or an
 * empty text) is "-" in the table, null in JSON and empty in CSV, in
 * every list (net_rows_json). */
#ifndef KNOD_CLI_CLI_ROWS_H
#define KNOD_CLI_CLI_ROWS_H

#include "network/net_rows.h"

enum cli_rows_format { CLI_ROWS_TABLE, CLI_ROWS_JSON, CLI_ROWS_CSV };

/* The formats, for cli_format(): "table", "json", "csv". */
extern const char *const cli_rows_formats[];

/* Print t on stdout in format f. 0, or EXIT_RUNTIME if out of memory. */
int cli_rows_print(const struct net_rows *t, enum cli_rows_format f);

#endif /* KNOD_CLI_CLI_ROWS_H */
