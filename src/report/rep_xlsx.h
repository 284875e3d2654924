/* src/report/rep_xlsx.h: a table of typed cells as an XLSX workbook in
 * memory, for downloads (the portal's ?format=xlsx).
 *
 * One sheet: a header row of the column names, then one row per
 * rep_xlsx_row(), each a jansson object read by the column names: a number
 * becomes a number cell, a string a string cell (never a formula, whatever
 * it begins with: a text cell is written as a string), true and false the
 * numbers 1 and 0 (as the CSV has them), null or a missing key an empty
 * cell. The header row is frozen.
 *
 * libxlsxwriter 1.1 writes a workbook only to a named file: the workbook
 * and the library's own temporary files go to a new private folder (mode
 * 0700, mkdtemp) under tmpdir, and rep_xlsx_finish() reads the file back
 * into memory and removes the folder, as does rep_xlsx_free() of an
 * abandoned workbook. Rows stream out as they come (constant-memory mode):
 * the caller need not hold them. A sheet holds at most REP_XLSX_MAX_ROWS
 * data rows; rep_xlsx_row() refuses more with KN_EINPUT.
 *
 * Not thread-safe per workbook; separate workbooks on separate threads
 * are fine.
 */
#ifndef KNOD_REPORT_REP_XLSX_H
#define KNOD_REPORT_REP_XLSX_H

#include <jansson.h>

#include "base/error.h"
#include "base/strbuf.h"

/* Data rows a sheet holds below its header row. */
#define REP_XLSX_MAX_ROWS 1048575u

struct rep_xlsx;

/* A workbook of one sheet named sheet (at most 31 characters, none of
 * []:*?/\) with columns cols[0..] (NULL-terminated, which must outlive the
 * workbook), its files under tmpdir (NULL: $TMPDIR, else /tmp). Returns 0,
 * KN_EIO when the folder or the workbook cannot be made, KN_ENOMEM. */
int rep_xlsx_new(struct rep_xlsx **out, const char *sheet, const char *const *cols,
                 const char *tmpdir, struct kn_error *err);

/* Append one row (see above). Returns 0, KN_EINPUT for a row past
 * REP_XLSX_MAX_ROWS or a text longer than a cell holds (32,767
 * characters), KN_EIO, KN_ENOMEM. */
int rep_xlsx_row(struct rep_xlsx *x, const json_t *row, struct kn_error *err);

/* Close the workbook and append its bytes to out; frees x (also on
 * error). Returns 0, KN_EIO, KN_ENOMEM. */
int rep_xlsx_finish(struct rep_xlsx *x, struct strbuf *out, struct kn_error *err);

/* Abandon the workbook and remove its files; NULL is a no-op. */
void rep_xlsx_free(struct rep_xlsx *x);

#endif /* KNOD_REPORT_REP_XLSX_H */
