/* src/registry/reg_csv.c: a CSV file into an import session. See reg_csv.h. */
#include "registry/reg_csv.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/csv.h"
#include "base/csv_guard.h"
#include "base/csv_write.h"
#include "base/outfile.h"
#include "base/strbuf.h"
#include "registry/reg_import_impl.h"

/* The reject file: open for the whole import of the file (a base/outfile.h
 * file), emptied when reg_import_attempt() runs the file a second time,
 * and published only when the import succeeded. */
struct rejects {
    struct outfile of;
    FILE *f;
    struct strbuf buf;
    int pnr_field; /* index in the file's own columns, -1 if none */
};

/* A field (not the first of its record) with what looks like a personnummer
 * masked (domain/pnr_shape.h): CSV quoting never changes digits, and the
 * comma before the field keeps a number of the previous one apart. text:
 * written with csvw_text() (the spreadsheet guard), else as it is. */
static void masked_field(struct strbuf *buf, const char *s, size_t len, bool text)
{
    size_t at = buf->len;
    if (text)
        csvw_text(buf, s, len, 0);
    else
        csvw_field(buf, s, len, 0);
    pnr_mask(buf->buf + at, buf->len - at);
}

static int rejects_header(struct rejects *r, const struct csv_record *hdr, int pnr_field)
{
    r->pnr_field = pnr_field;
    sb_reset(&r->buf);
    csvw_field(&r->buf, "_line", 5, 1);
    csvw_field(&r->buf, "_error", 6, 0);
    for (size_t i = 0; i < hdr->n; i++)
        masked_field(&r->buf, hdr->f[i].s, hdr->f[i].len, false);
    return csvw_end(&r->buf);
}

/* Open the reject file at path (first pass) or empty it (second pass). */
static int rejects_open(struct rejects *r, const char *path, bool replace,
                        const struct csv_record *hdr, int pnr_field, struct kn_error *err)
{
    if (r->f == NULL) {
        int rc = outfile_open(&r->of, path, replace ? OUTFILE_REPLACE : 0, err);
        if (rc != 0) {
            kn_error_prefix(err, "reject file: ");
            return rc;
        }
        if ((r->f = outfile_stream(&r->of)) == NULL) {
            outfile_abort(&r->of);
            return kn_fail(err, KN_ENOMEM, "out of memory for the reject file");
        }
    } else if (outfile_rewind(&r->of, err) != 0) {
        return KN_EIO;
    }
    return rejects_header(r, hdr, pnr_field);
}

static int rejects_row(struct rejects *r, const struct csv_record *rec, const char *reason)
{
    csvw_int(&r->buf, (int64_t)rec->line, 1);
    csvw_field(&r->buf, reason, strlen(reason), 0);
    for (size_t i = 0; i < rec->n; i++) {
        /* The number is never written out: its column is left empty, and
         * anything shaped like one in any other (a shifted row moves it,
         * a name may hold one) is masked. */
        if ((int)i == r->pnr_field)
            csvw_field(&r->buf, "", 0, 0);
        else if (rec->f[i].len > 0 && rec->f[i].s[0] == '\'')
            masked_field(&r->buf, rec->f[i].s, rec->f[i].len, false); /* guarded already */
        else /* a formula as read gets the guard, which the import takes off */
            masked_field(&r->buf, rec->f[i].s, rec->f[i].len, true);
    }
    csvw_end(&r->buf);
    if (r->buf.len > (1u << 16)) {
        if (fwrite(r->buf.buf, 1, r->buf.len, r->f) != r->buf.len)
            return KN_EIO;
        sb_reset(&r->buf);
    }
    return 0;
}

/* The end of a pass: what is buffered goes to the file. */
static int rejects_flush(struct rejects *r, const char *path, struct kn_error *err)
{
    if (r->f == NULL)
        return 0;
    if (fwrite(r->buf.buf, 1, r->buf.len, r->f) != r->buf.len)
        return kn_fail(err, KN_EIO, "cannot write reject file '%s'", path);
    sb_reset(&r->buf);
    return 0;
}

/* The end of the import: publish the file if ok, else remove it. */
static int rejects_close(struct rejects *r, bool ok, struct kn_error *err)
{
    int rc = 0;
    if (r->f != NULL) {
        if (ok) {
            rc = outfile_commit(&r->of, err);
            if (rc != 0)
                kn_error_prefix(err, "reject file: ");
        } else {
            outfile_abort(&r->of);
        }
        r->f = NULL;
    }
    sb_release(&r->buf);
    return rc;
}

/* Map header fields to kind columns: map[c] = field index or -1. *ext is
 * set when the file names its persons by external pseudonym (a column
 * ext_id in the pnr column's place: docs/import-format.md); a file holds
 * one or the other, never both. */
static int map_header(const struct reg_kind *k, const struct csv_record *hdr,
                      const char *name, int *map, bool *ext, struct kn_error *err)
{
    size_t nc = reg_kind_ncols(k);
    int pc = reg_kind_pnr_col(k);
    *ext = false;
    for (size_t c = 0; c < nc; c++)
        map[c] = -1;
    for (size_t i = 0; i < hdr->n; i++) {
        int c = reg_kind_col_index(k, hdr->f[i].s);
        bool is_ext = pc >= 0 && strcmp(hdr->f[i].s, REG_EXT_COL) == 0;
        if (is_ext)
            c = pc;
        if (c < 0) { /* quoted masked: a file without a header starts with data */
            char col[65];
            return kn_fail(err, KN_EINPUT, "%s:%zu: unknown column '%s' for kind '%s' "
                           "(see docs/import-format.md)", name, hdr->line,
                           pnr_mask_copy(hdr->f[i].s, hdr->f[i].len, col, sizeof col),
                           reg_kind_name(k));
        }
        if (c == pc && map[c] >= 0 && is_ext != *ext)
            return kn_fail(err, KN_EINPUT, "%s:%zu: columns 'pnr' and '%s' both appear: a "
                           "file names its persons either by personnummer or by external "
                           "pseudonym, not both (import them as two files)", name,
                           hdr->line, REG_EXT_COL);
        if (map[c] >= 0)
            return kn_fail(err, KN_EINPUT, "%s:%zu: column '%s' appears twice", name,
                           hdr->line, hdr->f[i].s);
        map[c] = (int)i;
        if (is_ext)
            *ext = true;
    }
    for (size_t c = 0; c < nc; c++) {
        bool external = reg_kind_col_external(k, c);
        if (map[c] < 0 && (reg_kind_col_required(k, c) || (external && *ext)))
            return kn_fail(err, KN_EINPUT, "%s:%zu: required column '%s' is missing%s",
                           name, hdr->line, (int)c == pc && !external ? "pnr' or '"
                           REG_EXT_COL : reg_kind_col(k, c), external
                           ? " (a file with ext_id gives each person's birth month and sex)"
                           : "");
        if (map[c] >= 0 && external && !*ext)
            return kn_fail(err, KN_EINPUT, "%s:%zu: column '%s' belongs to files that name "
                           "persons by '%s'; with 'pnr' the birth date and sex come from "
                           "the personnummer", name, hdr->line, reg_kind_col(k, c),
                           REG_EXT_COL);
    }
    return 0;
}

/* ---- the pipeline ----
 *
 * A producer thread reads the file and runs phase A (field parsing,
 * pseudonyms, person and unit lookups) into a ring of batches; the calling
 * thread runs phase B (references, rules, the INSERT) on them in file
 * order. On two cores this takes the parsing off the thread that talks to
 * SQLite (measured: 256k -> see bench/import). Each batch holds copies of
 * its rows' text, since the reader reuses its buffer. While the session
 * looks its persons up in the store (a small file: reg_persons.c), phase A
 * needs the session's thread: the producer then only reads, and the
 * calling thread runs phase A of each row just before its phase B.
 */

#define BATCH_ROWS 2048
#define NBATCH 4
#define BATCH_TEXT ((size_t)1 << 20)

struct batch_row {
    struct reg_prepared pr;
    size_t line;
    size_t nraw;                    /* fields of the record as read */
    size_t first;                   /* its first entry in the batch's field arrays */
    bool later;                     /* phase A is the consumer's (pipe.alone) */
};

struct batch {
    struct batch_row *rows;
    size_t n;
    char *text;
    size_t text_len, text_cap;
    size_t *off, *len;              /* every field of every row, into text */
    size_t nfields, fields_cap;
    uint64_t bytes_read;
    int end;                        /* 1: last batch (end of file or error) */
    int rc;                         /* a file-level error ends the file */
    struct kn_error err;
    int full;                       /* 1: ready for the consumer */
};

struct pipe {
    struct reg_import *im;
    const struct reg_kind *k;
    struct csv_reader *r;
    int fd;
    const int *map;
    size_t header_fields;
    struct batch b[NBATCH];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;                       /* consumer gave up */
    bool alone;                     /* phase A on the consumer (reg_persons_alone) */
    struct reg_parse_ctx parse;     /* of the thread that runs phase A */
};

/* Copy a record into the batch: 1 done, 0 if it does not fit (start a new
 * batch), KN_ENOMEM. A record longer than the batch's text gets a bigger
 * buffer, but only in an empty batch, so no pointer into text moves. */
static int copy_record(struct batch *b, struct batch_row *row, const struct csv_record *rec)
{
    size_t need = 0;
    for (size_t i = 0; i < rec->n; i++)
        need += rec->f[i].len + 1;
    if (b->text_len + need > b->text_cap) {
        if (b->n > 0)
            return 0;
        char *t = realloc(b->text, need);
        if (t == NULL)
            return KN_ENOMEM;
        b->text = t;
        b->text_cap = need;
    }
    if (b->nfields + rec->n > b->fields_cap) {
        size_t cap = b->fields_cap * 2;
        while (cap < b->nfields + rec->n)
            cap *= 2;
        size_t *off = realloc(b->off, cap * sizeof *off);
        if (off == NULL)
            return KN_ENOMEM;
        b->off = off;
        size_t *len = realloc(b->len, cap * sizeof *len);
        if (len == NULL)
            return KN_ENOMEM;
        b->len = len;
        b->fields_cap = cap;
    }
    row->nraw = rec->n;
    row->first = b->nfields;
    for (size_t i = 0; i < rec->n; i++) {
        memcpy(b->text + b->text_len, rec->f[i].s, rec->f[i].len + 1);
        b->off[b->nfields] = b->text_len;
        b->len[b->nfields] = rec->f[i].len;
        b->nfields++;
        b->text_len += rec->f[i].len + 1;
    }
    return 1;
}

/* Phase A of a row of the batch, with the header's fields as the kind's
 * columns. */
static void parse_row(struct pipe *p, const struct batch *b, struct batch_row *row)
{
    const char *fields[REG_MAX_COLS];
    size_t lens[REG_MAX_COLS];
    for (size_t c = 0; c < reg_kind_ncols(p->k); c++) {
        if (p->map[c] < 0) {
            fields[c] = NULL;
            lens[c] = 0;
        } else {
            fields[c] = b->text + b->off[row->first + (size_t)p->map[c]];
            lens[c] = b->len[row->first + (size_t)p->map[c]];
            if (csv_guard_present(fields[c], lens[c])) {
                fields[c]++; /* the spreadsheet guard of knod's export */
                lens[c]--;
            }
        }
    }
    row->later = false;
    reg_import_parse(p->im, p->k, fields, lens, &row->pr, &p->parse);
}

static void *producer(void *arg)
{
    struct pipe *p = arg;
    struct csv_record rec;
    int have = 0; /* a record read but not yet placed */
    for (size_t bi = 0;; bi = (bi + 1) % NBATCH) {
        struct batch *b = &p->b[bi];
        pthread_mutex_lock(&p->mu);
        while (b->full && !p->stop)
            pthread_cond_wait(&p->cv, &p->mu);
        int stop = p->stop;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            return NULL;
        b->n = 0;
        b->text_len = 0;
        b->nfields = 0;
        b->end = 0;
        b->rc = 0;
        while (b->n < BATCH_ROWS) {
            if (!have) {
                int rc = csv_next(p->r, &rec, &b->err);
                if (rc <= 0) {
                    b->end = 1;
                    b->rc = rc;
                    break;
                }
                have = 1;
            }
            struct batch_row *row = &b->rows[b->n];
            int copied = copy_record(b, row, &rec);
            if (copied < 0) {
                b->end = 1;
                b->rc = kn_fail(&b->err, KN_ENOMEM, "out of memory for a record of %zu "
                                "fields", rec.n);
                break;
            }
            if (copied == 0)
                break; /* batch text full: the record goes into the next batch */
            have = 0;
            row->line = rec.line;
            row->later = false;
            if (rec.n != p->header_fields) {
                row->pr.rc = kn_fail(&row->pr.err, KN_EINPUT,
                                     "the row has %zu fields; the header has %zu", rec.n,
                                     p->header_fields);
                memset(&row->pr.pnr, 0, sizeof row->pr.pnr);
            } else {
                row->later = p->alone;
                if (!p->alone)
                    parse_row(p, b, row);
            }
            b->n++;
        }
        b->bytes_read = (uint64_t)lseek(p->fd, 0, SEEK_CUR);
        pthread_mutex_lock(&p->mu);
        b->full = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
        if (b->end)
            return NULL;
    }
}

/* A row of a batch into the reject report with reason. */
static int batch_reject(struct rejects *rej, const struct batch *b, const struct batch_row *row,
                        const char *reason)
{
    struct csv_field *f = calloc(row->nraw ? row->nraw : 1, sizeof *f);
    if (f == NULL)
        return KN_ENOMEM;
    struct csv_record raw = { f, row->nraw, row->line, 0 };
    for (size_t j = 0; j < row->nraw; j++) {
        f[j].s = b->text + b->off[row->first + j];
        f[j].len = b->len[row->first + j];
        f[j].line = row->line;
    }
    int rc = rejects_row(rej, &raw, reason);
    free(f);
    return rc;
}

struct csv_job {
    struct reg_import *im;
    const struct reg_kind *k;
    const char *path;
    const struct reg_csv_options *opt;
    struct rejects *rej; /* open across both passes */
};

/* The file through the session once (reg_import_attempt() may ask twice). */
static int csv_pass(void *ctx, struct kn_error *err)
{
    const struct csv_job *job = ctx;
    struct reg_import *im = job->im;
    const struct reg_kind *k = job->k;
    const char *path = job->path;
    const struct reg_csv_options *opt = job->opt;
    struct rejects *rej = job->rej;
    /* The file's name as messages give it: a personnummer in it masked. */
    char name[256];
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    pnr_mask_copy(base, strlen(base), name, sizeof name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return kn_fail(err, errno == ENOENT ? KN_ENOTFOUND : KN_EIO, "cannot open '%s': %s",
                       path, strerror(errno));
    struct stat st;
    uint64_t total = fstat(fd, &st) == 0 ? (uint64_t)st.st_size : 0;
    posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);

    struct csv_reader *r = NULL;
    struct csv_record rec;
    int map[REG_MAX_COLS];
    bool ext = false;
    int rc = csv_open_fd(&r, fd, name, NULL, err);
    if (rc == 0) {
        rc = csv_next(r, &rec, err);
        if (rc == 0)
            rc = kn_fail(err, KN_EINPUT, "%s: the file is empty; expected a header row", name);
        else if (rc == 1)
            rc = map_header(k, &rec, name, map, &ext, err);
    }
    im->ext_ids = ext;
    /* A file large next to the store's persons loads them all first. */
    if (rc == 0)
        rc = reg_persons_expect_file(im, k, total, err);
    if (rc == 0 && opt->rejects_path != NULL) {
        int pc = reg_kind_pnr_col(k);
        /* an external pseudonym is the source's own: kept, for finding the row */
        rc = rejects_open(rej, opt->rejects_path, opt->rejects_replace, &rec,
                          pc >= 0 && !ext ? map[pc] : -1, err);
    }
    struct pipe p;
    memset(&p, 0, sizeof p);
    p.im = im;
    p.k = k;
    p.r = r;
    p.fd = fd;
    p.map = map;
    p.header_fields = rc == 0 ? rec.n : 0;
    p.alone = reg_persons_alone(im, k);
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    for (size_t i = 0; rc == 0 && i < NBATCH; i++) {
        p.b[i].rows = calloc(BATCH_ROWS, sizeof *p.b[i].rows);
        p.b[i].text = malloc(BATCH_TEXT);
        p.b[i].text_cap = BATCH_TEXT;
        p.b[i].fields_cap = BATCH_ROWS * 16;
        p.b[i].off = malloc(p.b[i].fields_cap * sizeof *p.b[i].off);
        p.b[i].len = malloc(p.b[i].fields_cap * sizeof *p.b[i].len);
        if (p.b[i].rows == NULL || p.b[i].text == NULL || p.b[i].off == NULL
            || p.b[i].len == NULL)
            rc = kn_fail(err, KN_ENOMEM, "out of memory for import batches");
    }
    pthread_t thread;
    bool started = false;
    if (rc == 0) {
        if (pthread_create(&thread, NULL, producer, &p) != 0)
            rc = kn_fail(err, KN_ENOMEM, "cannot start the import thread");
        else
            started = true;
    }
    uint64_t rows = 0;
    for (size_t bi = 0; rc == 0; bi = (bi + 1) % NBATCH) {
        struct batch *b = &p.b[bi];
        pthread_mutex_lock(&p.mu);
        while (!b->full)
            pthread_cond_wait(&p.cv, &p.mu);
        pthread_mutex_unlock(&p.mu);
        if (bi == 0 && rows == 0 && b->n > 0 && b->text_len > 0 && total > 0) {
            /* Size the session's maps once from the first rows' length. */
            double per_row = (double)b->text_len / (double)b->n;
            reg_import_expect_rows(im, k, (size_t)((double)total / per_row * 1.1));
        }
        size_t hot = reg_prepared_hot(reg_kind_ncols(k));
        for (size_t i = 0; i < b->n && rc == 0; i++) {
            struct batch_row *row = &b->rows[i];
            if (i + 4 < b->n) { /* the producer's core wrote it (measured) */
                const char *ahead = (const char *)&b->rows[i + 4].pr;
                for (size_t off = 0; off < hot; off += 64)
                    __builtin_prefetch(ahead + off);
            }
            struct kn_error row_err;
            kn_error_init(&row_err);
            im->cur_line = row->line;
            if (row->later)
                parse_row(&p, b, row);
            int r2 = reg_import_store(im, k, &row->pr, &row_err);
            if (r2 == KN_EINPUT) {
                char where[300];
                snprintf(where, sizeof where, "%s:%zu", name, row->line);
                if (opt->on_reject != NULL && reg_import_tell(im, where, row_err.msg))
                    opt->on_reject(opt->ctx, where, row_err.msg);
                if (rej->f != NULL && batch_reject(rej, b, row, row_err.msg) != 0)
                    rc = kn_fail(err, KN_EIO, "cannot write reject file '%s'",
                                 opt->rejects_path);
            } else if (r2 == 0 && reg_import_row_warning(im, 0) != NULL) {
                /* Stored, with implausible values: told like a rejection, and
                 * listed in the report as "warning: ..." */
                char where[300], why[2 * KN_ERROR_MAX + 32] = "warning (row stored): ";
                snprintf(where, sizeof where, "%s:%zu", name, row->line);
                const char *w;
                for (size_t j = 0; (w = reg_import_row_warning(im, j)) != NULL; j++) {
                    if (opt->on_warning != NULL && reg_import_tell(im, where, w))
                        opt->on_warning(opt->ctx, where, w);
                    size_t at = strlen(why);
                    snprintf(why + at, sizeof why - at, "%s%s", j > 0 ? "; " : "", w);
                }
                if (rej->f != NULL && batch_reject(rej, b, row, why) != 0)
                    rc = kn_fail(err, KN_EIO, "cannot write reject file '%s'",
                                 opt->rejects_path);
            } else if (r2 != 0) {
                rc = kn_fail(err, r2, "%s:%zu: %s", name, row->line, row_err.msg);
            }
            rows++;
        }
        if (rc == 0 && b->end && b->rc < 0) {
            *err = b->err; /* a CSV syntax or read error ends the file */
            rc = b->rc;
        }
        bool end = b->end;
        pthread_mutex_lock(&p.mu);
        b->full = 0;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        if (opt->on_progress != NULL && rc == 0)
            opt->on_progress(opt->ctx, rows, end ? total : b->bytes_read, total, end);
        if (end)
            break;
    }
    if (started) {
        pthread_mutex_lock(&p.mu);
        p.stop = 1;
        pthread_cond_broadcast(&p.cv);
        pthread_mutex_unlock(&p.mu);
        pthread_join(thread, NULL);
    }
    for (size_t i = 0; i < NBATCH; i++) {
        /* Rows the consumer never reached may still hold a parsed number. */
        for (size_t j = 0; p.b[i].rows != NULL && j < BATCH_ROWS; j++)
            pnr_wipe(&p.b[i].rows[j].pr.pnr);
        free(p.b[i].rows);
        free(p.b[i].text);
        free(p.b[i].off);
        free(p.b[i].len);
    }
    reg_parse_ctx_wipe(&p.parse);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    if (rc == 0)
        rc = rejects_flush(rej, opt->rejects_path, err);
    csv_free(r);
    close(fd);
    im->ext_ids = false;
    return rc;
}

int reg_csv_import(struct reg_import *im, const struct reg_kind *k, const char *path,
                   const struct reg_csv_options *opt, struct kn_error *err)
{
    static const struct reg_csv_options none = { 0 };
    struct rejects rej = { OUTFILE_INIT, NULL, STRBUF_INIT, -1 };
    struct csv_job job = { im, k, path, opt != NULL ? opt : &none, &rej };
    int rc = reg_import_attempt(im, csv_pass, &job, err);
    int rc2 = rejects_close(&rej, rc == 0, rc == 0 ? err : NULL);
    if (rc == 0)
        rc = rc2;
    if (rc != 0 && err != NULL) /* the path, or a value quoted on the way */
        pnr_mask(err->msg, strlen(err->msg));
    return rc;
}
