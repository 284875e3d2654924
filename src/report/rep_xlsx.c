/* src/report/rep_xlsx.c: a table as an XLSX workbook in memory
 * (rep_xlsx.h), through libxlsxwriter in constant-memory mode. Sized for
 * downloads of results: up to some hundred thousand rows of two dozen
 * cells, about 80,000 rows/s. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "report/rep_xlsx.h"

struct rep_xlsx {
    char dir[4096];  /* the private folder */
    char path[4200]; /* the workbook in it */
    const char *const *cols;
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
};

/* Remove the folder and whatever is left in it (the library unlinks its
 * own temporary files as it makes them; this is for a failure halfway). */
static void remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4400];
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

void rep_xlsx_free(struct rep_xlsx *x)
{
    if (!x)
        return;
    if (x->wb)
        workbook_close(x->wb); /* frees it; the file goes with the folder */
    if (x->dir[0])
        remove_dir(x->dir);
    free(x);
}

static int lxw_fail(lxw_error e, struct kn_error *err)
{
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        return kn_fail(err, KN_EINPUT,
                       "a text is longer than an XLSX cell holds (32,767 "
                       "characters)");
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return kn_fail(err, KN_ENOMEM, "out of memory writing XLSX");
    return kn_fail(err, KN_EIO, "cannot write the XLSX workbook: %s", lxw_strerror(e));
}

int rep_xlsx_new(struct rep_xlsx **out, const char *sheet, const char *const *cols,
                 const char *tmpdir, struct kn_error *err)
{
    *out = NULL;
    struct rep_xlsx *x = calloc(1, sizeof *x);
    if (!x)
        return kn_fail(err, KN_ENOMEM, "out of memory for an XLSX workbook");
    if (!tmpdir)
        tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir)
        tmpdir = "/tmp";
    int n = snprintf(x->dir, sizeof x->dir, "%s/knod-xlsx-XXXXXX", tmpdir);
    if (n < 0 || (size_t)n >= sizeof x->dir || !mkdtemp(x->dir)) {
        int e = errno;
        x->dir[0] = '\0';
        rep_xlsx_free(x);
        return kn_fail(err, KN_EIO, "cannot make a temporary folder in '%s': %s", tmpdir,
                       strerror(e));
    }
    snprintf(x->path, sizeof x->path, "%s/book.xlsx", x->dir);
    x->cols = cols;
    lxw_workbook_options o = {
        .constant_memory = LXW_TRUE, .tmpdir = x->dir, .use_zip64 = LXW_FALSE};
    x->wb = workbook_new_opt(x->path, &o);
    x->ws = x->wb ? workbook_add_worksheet(x->wb, sheet) : NULL;
    if (!x->ws) {
        rep_xlsx_free(x);
        return kn_fail(err, KN_EIO, "cannot start an XLSX workbook with the sheet '%s'",
                       sheet);
    }
    worksheet_freeze_panes(x->ws, 1, 0);
    for (lxw_col_t c = 0; cols[c]; c++) {
        lxw_error e = worksheet_write_string(x->ws, 0, c, cols[c], NULL);
        if (e != LXW_NO_ERROR) {
            rep_xlsx_free(x);
            return lxw_fail(e, err);
        }
    }
    x->row = 1;
    *out = x;
    return 0;
}

int rep_xlsx_row(struct rep_xlsx *x, const json_t *row, struct kn_error *err)
{
    if (x->row > REP_XLSX_MAX_ROWS)
        return kn_fail(err, KN_EINPUT, "more than %u rows: an XLSX sheet holds no more",
                       REP_XLSX_MAX_ROWS);
    for (lxw_col_t c = 0; x->cols[c]; c++) {
        const json_t *v = json_object_get(row, x->cols[c]);
        lxw_error e = LXW_NO_ERROR;
        if (json_is_string(v))
            e = worksheet_write_string(x->ws, x->row, c, json_string_value(v), NULL);
        else if (json_is_number(v))
            e = worksheet_write_number(x->ws, x->row, c, json_number_value(v), NULL);
        else if (json_is_boolean(v))
            e = worksheet_write_number(x->ws, x->row, c, json_is_true(v) ? 1 : 0, NULL);
        if (e != LXW_NO_ERROR)
            return lxw_fail(e, err);
    }
    x->row++;
    return 0;
}

int rep_xlsx_finish(struct rep_xlsx *x, struct strbuf *out, struct kn_error *err)
{
    lxw_error e = workbook_close(x->wb);
    x->wb = NULL;
    int rc = 0;
    if (e != LXW_NO_ERROR) {
        rc = lxw_fail(e, err);
        goto out;
    }
    FILE *f = fopen(x->path, "rb");
    if (!f) {
        rc = kn_fail(err, KN_EIO, "cannot read the XLSX workbook back: %s",
                     strerror(errno));
        goto out;
    }
    char buf[65536];
    size_t got;
    while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0)
        if (sb_add(out, buf, got) != 0)
            rc = kn_fail(err, KN_ENOMEM, "out of memory for the XLSX workbook");
    if (rc == 0 && ferror(f))
        rc = kn_fail(err, KN_EIO, "cannot read the XLSX workbook back");
    fclose(f);
out:
    rep_xlsx_free(x);
    return rc;
}
