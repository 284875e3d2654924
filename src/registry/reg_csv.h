/* src/registry/reg_csv.h: importing one CSV file of one record kind.
 *
 * Reads the file with the streaming CSV reader, maps its header onto the
 * kind's columns (an unknown, missing required or repeated column rejects
 * the file before any row is read), and feeds every row to an import
 * session (reg_import.h). Every rejected row is passed to on_reject with
 * its location "FILE:LINE" and the reason; with a reject file, the row
 * itself is written there with its line and reason, the personnummer field
 * left empty. A row stored with warnings (implausible values, reg_import.h)
 * is passed to on_warning once per warning, and written to the reject file
 * as well, its reason starting "warning: ".
 */
#ifndef KNOD_REGISTRY_REG_CSV_H
#define KNOD_REGISTRY_REG_CSV_H

#include <stdint.h>

#include "registry/reg_import.h"

struct reg_csv_options {
    const char *rejects_path; /* write rejected rows here (NULL: don't) */
    /* Called for each rejected row; where is "FILE:LINE". */
    void (*on_reject)(void *ctx, const char *where, const char *reason);
    /* Called every few thousand rows and at the end. */
    void (*on_progress)(void *ctx, uint64_t rows, uint64_t bytes_read, uint64_t bytes_total,
                        int done);
    void *ctx;
    /* rejects_path may name an existing regular file, which is replaced;
     * else an existing file is refused (KN_EEXIST). Never a folder, link
     * or device (KN_EINPUT): see base/outfile.h. The reject file is
     * written beside it under a temporary name and appears only when the
     * import of the file succeeded. */
    bool rejects_replace;
    /* Called for each warning about a stored row; where is "FILE:LINE".
     * NULL: not told (they are counted in the session's stats). */
    void (*on_warning)(void *ctx, const char *where, const char *reason);
};

/* Import the CSV file at path as rows of kind into im. Returns 0 when every
 * row went through reg_import_row() (some may have been rejected: see the
 * session's stats), KN_EINPUT for a file-level fault (header, CSV syntax)
 * with err naming the line, or KN_EIO / KN_ESTORE. */
int reg_csv_import(struct reg_import *im, const struct reg_kind *kind, const char *path,
                   const struct reg_csv_options *opt, struct kn_error *err);

#endif /* KNOD_REGISTRY_REG_CSV_H */
