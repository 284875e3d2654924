/* src/base/csv_guard.h: keeping spreadsheet formulas out of knod's CSV.
 *
 * A spreadsheet program opening a CSV file runs a cell that begins with
 * '=', '+', '-' or '@' (and, in some, a tab or carriage return) as a
 * formula: "=HYPERLINK(...)" or "+cmd|..." in a unit's name would become
 * a link or a command on the reader's machine. knod's CSV export therefore
 * puts a single quote in front of such a text value (OWASP's rule for CSV
 * injection; spreadsheets show the quote-prefixed cell as the text), and
 * knod's CSV import takes it off again, so that import(export(F)) is F
 * exactly:
 *
 *   export: a value that begins with any number of quotes and then one of
 *           = + - @ TAB CR gets one more quote in front;
 *   import: a value that begins with one or more quotes and then one of
 *           those characters loses its first quote.
 *
 * The two are inverse on every string: a value the export leaves alone
 * never has the shape the import changes. Only text goes through the
 * guard; numbers, dates and times are written by knod itself and never
 * begin with those characters. docs/import-format.md states the rule.
 */
#ifndef KNOD_BASE_CSV_GUARD_H
#define KNOD_BASE_CSV_GUARD_H

#include <stdbool.h>
#include <stddef.h>

/* True if the len bytes at s need the export's quote. */
bool csv_guard_needed(const char *s, size_t len);

/* True if the len bytes at s carry the export's quote (the import then
 * reads them from s + 1, len - 1). */
bool csv_guard_present(const char *s, size_t len);

#endif /* KNOD_BASE_CSV_GUARD_H */
