/* src/base/csv_write.h: writing RFC 4180 CSV.
 *
 * A field is quoted when it holds the delimiter, a quote, CR or LF, or
 * begins or ends with a space; quotes inside are doubled. Lines end with
 * LF. Output goes into a strbuf the caller flushes, so a writer of millions
 * of rows makes no call per field.
 */
#ifndef KNOD_BASE_CSV_WRITE_H
#define KNOD_BASE_CSV_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "base/strbuf.h"

/* Append one field, preceded by a comma unless first. 0 or KN_ENOMEM. */
int csvw_field(struct strbuf *out, const char *s, size_t len, int first);

/* Append a text field with the spreadsheet guard (base/csv_guard.h): a
 * value a spreadsheet would run as a formula gets a single quote in
 * front. For text a user may open in a spreadsheet: exports, reject
 * files. 0 or KN_ENOMEM. */
int csvw_text(struct strbuf *out, const char *s, size_t len, int first);

/* Decimal digits of v and a NUL into buf; returns the length. */
size_t csvw_format_int(int64_t v, char buf[24]);

/* Append a whole integer field. */
int csvw_int(struct strbuf *out, int64_t v, int first);

/* End the record with LF. */
int csvw_end(struct strbuf *out);

#endif /* KNOD_BASE_CSV_WRITE_H */
