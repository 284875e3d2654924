/* src/registry/reg_export.c: one kind of stored records out to CSV or XLSX.
 *
 * Each kind has one entry below: its export columns (the import columns
 * with pnr replaced, see reg_export.h) and ONE query that yields them in
 * that order, joined to the person (pseudonym, home region), the unit
 * (code) and the records referred to (their source_id), ordered by the
 * table's unique (source_id, source_system) index. A row is fetched, its
 * integers formatted (times, dates, birth dates, 0/1), and handed to the
 * sink of the format: CSV into a strbuf written out per MiB, or XLSX cells
 * through libxlsxwriter in constant-memory mode.
 *
 * Expected sizes: up to tens of millions of event rows per kind (10 M
 * contacts is the benchmark), a few million persons, a few thousand units.
 * The work per row is one sqlite3_step over the index and two rowid
 * lookups, so the query dominates; the formatting allocates nothing.
 *
 * The file is a base/outfile.h file: ".FILE.XXXXXX" beside FILE (mode
 * 0600), synced, and published with link() (which fails if FILE exists:
 * no race with another writer) or, when overwriting, rename(). CSV text
 * goes through csvw_text(), the spreadsheet guard.
 */
#include "registry/reg_export.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "base/csv_write.h"
#include "base/outfile.h"
#include "base/date.h"
#include "base/strbuf.h"

/* How a column's value comes out of the query. */
enum xfmt {
    X_TEXT,  /* a text column, NULL as empty */
    X_INT,   /* an integer column (0/1 flags) */
    X_TIME,  /* a kn_time column */
    X_DATE,  /* a kn_day column */
    X_BIRTH, /* three columns: birth_year, birth_month, birth_day */
};

struct xcol {
    const char *name;
    enum xfmt fmt;
};

struct xkind {
    const char *kind; /* reg_kind_name() */
    const struct xcol *cols;
    size_t ncols;
    const char *sql; /* $1: the region code or NULL */
};

#define XCOLS_MAX 16
#define ID_XCOLS { "source_system", X_TEXT }, { "source_id", X_TEXT }
#define PSEUDONYM { "pseudonym", X_TEXT }

/* The person-scope condition shared by the event kinds. */
#define IN_REGION(p) " WHERE ($1 IS NULL OR " p ".region_code = $1)"

static const struct xcol unit_x[] = {
    ID_XCOLS, { "code", X_TEXT }, { "name", X_TEXT }, { "region_code", X_TEXT },
    { "unit_type", X_TEXT }, { "setting", X_TEXT },
};
static const struct xcol person_x[] = {
    ID_XCOLS, PSEUDONYM, { "birth_date", X_BIRTH }, { "sex", X_TEXT },
    { "municipality", X_TEXT }, { "death_date", X_DATE }, { "death_by_suicide", X_INT },
};
static const struct xcol contact_x[] = {
    ID_XCOLS, PSEUDONYM, { "unit", X_TEXT }, { "contact_type", X_TEXT },
    { "start", X_TIME }, { "end", X_TIME }, { "legal_basis", X_TEXT },
    { "brief_admission", X_INT }, { "main_diagnosis", X_TEXT },
    { "other_diagnoses", X_TEXT }, { "cause_code", X_TEXT },
};
static const struct xcol act_x[] = {
    ID_XCOLS, PSEUDONYM, { "time", X_TIME }, { "cause_code", X_TEXT },
    { "contact_id", X_TEXT },
};
static const struct xcol measure_x[] = {
    ID_XCOLS, PSEUDONYM, { "stay_id", X_TEXT }, { "measure_type", X_TEXT },
    { "legal_basis", X_TEXT }, { "decided", X_TIME }, { "start", X_TIME },
    { "end", X_TIME }, { "extends_id", X_TEXT },
};
static const struct xcol assessment_x[] = {
    ID_XCOLS, PSEUDONYM, { "time", X_TIME }, { "assessment_type", X_TEXT },
    { "contact_id", X_TEXT },
};
static const struct xcol plan_x[] = {
    ID_XCOLS, PSEUDONYM, { "time", X_TIME }, { "plan_type", X_TEXT },
};
static const struct xcol treatment_x[] = {
    ID_XCOLS, PSEUDONYM, { "treatment_type", X_TEXT }, { "start", X_TIME },
    { "end", X_TIME },
};
static const struct xcol follow_x[] = {
    ID_XCOLS, PSEUDONYM, { "time", X_TIME }, { "mode", X_TEXT }, { "stay_id", X_TEXT },
};
static const struct xcol step_x[] = {
    ID_XCOLS, PSEUDONYM, { "pathway", X_TEXT }, { "step", X_TEXT }, { "time", X_TIME },
};

#define XKIND(name, cols, sql) { name, cols, sizeof cols / sizeof cols[0], sql }

static const struct xkind xkinds[] = {
    XKIND("units", unit_x,
          "SELECT source_system, source_id, code, name, region_code, unit_type, setting"
          " FROM care_unit WHERE ($1 IS NULL OR region_code = $1)"
          " ORDER BY source_id, source_system"),
    XKIND("persons", person_x,
          "SELECT source_system, source_id, pseudonym, birth_year, birth_month, birth_day,"
          " sex, municipality, death_date, death_by_suicide"
          " FROM person WHERE ($1 IS NULL OR region_code = $1)"
          " ORDER BY source_id, source_system"),
    XKIND("contacts", contact_x,
          "SELECT c.source_system, c.source_id, p.pseudonym, u.code, c.contact_type,"
          " c.start_time, c.end_time, c.legal_basis, c.brief_admission, c.main_diagnosis,"
          " c.other_diagnoses, c.cause_code"
          " FROM contact c JOIN person p ON p.id = c.person_id"
          " JOIN care_unit u ON u.id = c.unit_id" IN_REGION("p")
          " ORDER BY c.source_id, c.source_system"),
    XKIND("self_harm", act_x,
          "SELECT a.source_system, a.source_id, p.pseudonym, a.act_time, a.cause_code,"
          " r.source_id"
          " FROM self_harm_act a JOIN person p ON p.id = a.person_id"
          " LEFT JOIN contact r ON r.id = a.contact_id" IN_REGION("p")
          " ORDER BY a.source_id, a.source_system"),
    XKIND("coercive_measures", measure_x,
          "SELECT m.source_system, m.source_id, p.pseudonym, s.source_id, m.measure_type,"
          " m.legal_basis, m.decision_time, m.start_time, m.end_time, e.source_id"
          " FROM coercive_measure m JOIN person p ON p.id = m.person_id"
          " JOIN contact s ON s.id = m.stay_id"
          " LEFT JOIN coercive_measure e ON e.id = m.extends_id" IN_REGION("p")
          " ORDER BY m.source_id, m.source_system"),
    XKIND("assessments", assessment_x,
          "SELECT a.source_system, a.source_id, p.pseudonym, a.assessment_time,"
          " a.assessment_type, r.source_id"
          " FROM assessment a JOIN person p ON p.id = a.person_id"
          " LEFT JOIN contact r ON r.id = a.contact_id" IN_REGION("p")
          " ORDER BY a.source_id, a.source_system"),
    XKIND("care_plans", plan_x,
          "SELECT k.source_system, k.source_id, p.pseudonym, k.plan_time, k.plan_type"
          " FROM care_plan k JOIN person p ON p.id = k.person_id" IN_REGION("p")
          " ORDER BY k.source_id, k.source_system"),
    XKIND("treatments", treatment_x,
          "SELECT t.source_system, t.source_id, p.pseudonym, t.treatment_type, t.start_time,"
          " t.end_time"
          " FROM treatment t JOIN person p ON p.id = t.person_id" IN_REGION("p")
          " ORDER BY t.source_id, t.source_system"),
    XKIND("follow_ups", follow_x,
          "SELECT f.source_system, f.source_id, p.pseudonym, f.follow_up_time, f.mode,"
          " s.source_id"
          " FROM follow_up f JOIN person p ON p.id = f.person_id"
          " LEFT JOIN contact s ON s.id = f.stay_id" IN_REGION("p")
          " ORDER BY f.source_id, f.source_system"),
    XKIND("pathway_steps", step_x,
          "SELECT w.source_system, w.source_id, p.pseudonym, w.pathway, w.step, w.step_time"
          " FROM pathway_step w JOIN person p ON p.id = w.person_id" IN_REGION("p")
          " ORDER BY w.source_id, w.source_system"),
};

#define NXKINDS (sizeof xkinds / sizeof xkinds[0])

static const struct xkind *xkind_of(const struct reg_kind *k)
{
    const char *name = reg_kind_name(k);
    for (size_t i = 0; i < NXKINDS; i++)
        if (strcmp(xkinds[i].kind, name) == 0)
            return &xkinds[i];
    return NULL;
}

/* The export columns are the import columns with pnr replaced (and, for
 * persons, birth_date and sex after it). A kind whose import columns
 * changed without this table is our bug; the unit test checks it too. */
static bool columns_match(const struct reg_kind *k, const struct xkind *xk)
{
    size_t j = 0;
    for (size_t i = 0; i < reg_kind_ncols(k); i++) {
        const char *name = reg_kind_col(k, i);
        if (reg_kind_col_external(k, i))
            continue; /* birth and sex of the external layout: birth_date, sex */
        if (strcmp(name, "pnr") == 0) {
            if (j >= xk->ncols || strcmp(xk->cols[j++].name, "pseudonym") != 0)
                return false;
            if (strcmp(xk->kind, "persons") == 0)
                j += 2; /* birth_date, sex */
            continue;
        }
        if (j >= xk->ncols || strcmp(xk->cols[j++].name, name) != 0)
            return false;
    }
    return j == xk->ncols && xk->ncols <= XCOLS_MAX;
}

size_t reg_export_ncols(const struct reg_kind *k)
{
    const struct xkind *xk = xkind_of(k);
    assert(xk != NULL);
    return xk ? xk->ncols : 0;
}

const char *reg_export_col(const struct reg_kind *k, size_t i)
{
    const struct xkind *xk = xkind_of(k);
    assert(xk != NULL && i < xk->ncols);
    return xk && i < xk->ncols ? xk->cols[i].name : NULL;
}

int reg_export_format_parse(const char *name, enum reg_export_format *out)
{
    if (strcmp(name, "csv") == 0)
        *out = REG_EXPORT_CSV;
    else if (strcmp(name, "xlsx") == 0)
        *out = REG_EXPORT_XLSX;
    else
        return KN_EINPUT;
    return 0;
}

const char *reg_export_format_name(enum reg_export_format f)
{
    return f == REG_EXPORT_XLSX ? "xlsx" : "csv";
}

static const char *const birth_names[] = { "month", "year", "date" };

int reg_export_birth_parse(const char *name, enum reg_export_birth *out)
{
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, birth_names[i]) == 0) {
            *out = (enum reg_export_birth)i;
            return 0;
        }
    }
    return KN_EINPUT;
}

const char *reg_export_birth_name(enum reg_export_birth b)
{
    return (unsigned)b < 3 ? birth_names[b] : "month";
}

/* ---- one row's fields ----------------------------------------------- */

struct field {
    const char *s; /* NUL-terminated */
    size_t len;
};

/* Fill f[0..ncols-1] from the current row of q; formatted values live in
 * buf, text in the statement (valid until the next step). A birth date is
 * cut to what birth allows. */
static void fetch_row(struct store_stmt *q, const struct xkind *xk,
                      enum reg_export_birth birth, char (*buf)[24], struct field *f)
{
    int c = 0;
    for (size_t i = 0; i < xk->ncols; i++) {
        enum xfmt fmt = xk->cols[i].fmt;
        if (fmt == X_TEXT) {
            f[i].s = store_col_text(q, c++, &f[i].len);
            continue;
        }
        f[i].s = buf[i];
        f[i].len = 0;
        buf[i][0] = '\0';
        if (fmt == X_BIRTH) {
            int64_t y = store_col_int(q, c), m = 0, d = 0;
            if (!store_col_is_null(q, c + 1) && birth != REG_EXPORT_BIRTH_YEAR)
                m = store_col_int(q, c + 1);
            if (!store_col_is_null(q, c + 2) && birth == REG_EXPORT_BIRTH_DATE)
                d = store_col_int(q, c + 2);
            c += 3;
            int n;
            if (m == 0)
                n = snprintf(buf[i], 24, "%04lld", (long long)y);
            else if (d == 0)
                n = snprintf(buf[i], 24, "%04lld-%02lld", (long long)y, (long long)m);
            else
                n = snprintf(buf[i], 24, "%04lld-%02lld-%02lld", (long long)y,
                             (long long)m, (long long)d);
            f[i].len = n > 0 ? (size_t)n : 0;
            continue;
        }
        if (store_col_is_null(q, c)) {
            c++;
            continue;
        }
        int64_t v = store_col_int(q, c++);
        if (fmt == X_TIME) {
            time_format(v, buf[i]);
            f[i].len = 19;
        } else if (fmt == X_DATE) {
            date_format((kn_day)v, buf[i]);
            f[i].len = 10;
        } else {
            f[i].len = csvw_format_int(v, buf[i]);
        }
    }
}

/* ---- sinks ------------------------------------------------------------ */

#define CSV_FLUSH ((size_t)1 << 20)

struct sink {
    enum reg_export_format format;
    struct outfile *of; /* the file (its temporary path for XLSX) */
    /* CSV */
    struct strbuf sb;
    uint64_t written;     /* bytes of CSV made */
    /* XLSX */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_row_t row;
};

static int csv_flush(struct sink *k, struct kn_error *err)
{
    if (outfile_write(k->of, k->sb.buf, k->sb.len, err) != 0)
        return KN_EIO;
    sb_reset(&k->sb);
    return 0;
}

static int xlsx_fail(lxw_error e, const char *tmp, struct kn_error *err)
{
    if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
        return kn_fail(err, KN_EINPUT, "a text is longer than an XLSX cell holds (32,767 "
                       "characters); export as CSV instead");
    if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
        return kn_fail(err, KN_ENOMEM, "out of memory writing XLSX");
    return kn_fail(err, KN_EIO, "cannot write '%s': %s", tmp, lxw_strerror(e));
}

/* Write one row: the header (data false: every cell text) or a data
 * row. CSV text values that a spreadsheet would run as a formula get the
 * guard's quote (base/csv_guard.h); numbers, dates and times never need
 * it. XLSX cells are typed: the 0/1 flags numbers, everything else text
 * (dates and times as ISO text), and never a formula, since a text cell
 * is written as a string whatever it begins with. */
static int sink_row(struct sink *k, const struct xkind *xk, const struct field *f, bool data,
                    struct kn_error *err)
{
    size_t n = xk->ncols;
    if (k->format == REG_EXPORT_CSV) {
        size_t before = k->sb.len;
        for (size_t i = 0; i < n; i++) {
            int r = data && xk->cols[i].fmt == X_TEXT
                        ? csvw_text(&k->sb, f[i].s, f[i].len, i == 0)
                        : csvw_field(&k->sb, f[i].s, f[i].len, i == 0);
            if (r != 0)
                return kn_fail(err, KN_ENOMEM, "out of memory writing CSV");
        }
        if (csvw_end(&k->sb) != 0)
            return kn_fail(err, KN_ENOMEM, "out of memory writing CSV");
        k->written += k->sb.len - before;
        return k->sb.len >= CSV_FLUSH ? csv_flush(k, err) : 0;
    }
    for (size_t i = 0; i < n; i++) {
        if (f[i].len == 0)
            continue; /* an empty cell */
        lxw_error e;
        if (data && xk->cols[i].fmt == X_INT)
            e = worksheet_write_number(k->ws, k->row, (lxw_col_t)i, strtod(f[i].s, NULL),
                                       NULL);
        else
            e = worksheet_write_string(k->ws, k->row, (lxw_col_t)i, f[i].s, NULL);
        if (e != LXW_NO_ERROR)
            return xlsx_fail(e, outfile_temp(k->of), err);
    }
    k->row++;
    return 0;
}

/* Open the sink on the opened file of. */
static int sink_open(struct sink *k, enum reg_export_format format, struct outfile *of,
                     const char *sheet, struct kn_error *err)
{
    memset(k, 0, sizeof *k);
    k->format = format;
    k->of = of;
    sb_init(&k->sb);
    if (format == REG_EXPORT_CSV)
        return sb_grow(&k->sb, CSV_FLUSH + 4096) == 0
                   ? 0 : kn_fail(err, KN_ENOMEM, "out of memory for the CSV buffer");
    /* libxlsxwriter opens the file by name when the workbook is closed
     * (fopen "wb" keeps the 0600 of the mkstemp file) and keeps the sheet
     * in a temporary file in tmpdir meanwhile. No ZIP64: a full sheet of
     * inline strings stays far below 4 GB, and a bigger one fails cleanly
     * at close rather than giving a file older readers refuse. */
    lxw_workbook_options o = { .constant_memory = LXW_TRUE, .tmpdir = of->dir.buf,
                               .use_zip64 = LXW_FALSE };
    k->wb = workbook_new_opt(outfile_temp(of), &o);
    if (k->wb == NULL)
        return kn_fail(err, KN_EIO, "cannot start an XLSX workbook at '%s'",
                       outfile_temp(of));
    k->ws = workbook_add_worksheet(k->wb, sheet);
    if (k->ws == NULL)
        return kn_fail(err, KN_EIO, "cannot add the sheet '%s'", sheet);
    worksheet_freeze_panes(k->ws, 1, 0);
    return 0;
}

/* Finish the rows: flush the buffer or close the workbook (the caller
 * commits the file). With ok false only release (the caller aborts). */
static int sink_close(struct sink *k, bool ok, struct kn_error *err)
{
    int rc = 0;
    if (k->format == REG_EXPORT_CSV) {
        if (ok)
            rc = csv_flush(k, err);
    } else if (k->wb != NULL) {
        lxw_error e = workbook_close(k->wb); /* frees it, also on error */
        k->wb = NULL;
        if (ok && e != LXW_NO_ERROR)
            rc = xlsx_fail(e, outfile_temp(k->of), err);
    }
    sb_release(&k->sb);
    return rc;
}

static int check_region(struct store *s, const char *region, struct kn_error *err)
{
    struct store_stmt *q = NULL;
    int rc = store_prepare(s, "SELECT count(*) FROM region WHERE code = $1", &q, err);
    if (rc != 0)
        return rc;
    store_bind_text(q, 1, region, strlen(region));
    rc = store_step(q, err);
    bool known = rc == STORE_ROW && store_col_int(q, 0) > 0;
    store_finalize(q);
    if (rc < 0)
        return rc;
    if (!known)
        return kn_fail(err, KN_ENOTFOUND, "no region has the code '%.16s'", region);
    return 0;
}

/* Rows the query of xk will give, for a limit known before any is written
 * (XLSX). The SQL around the kind's constant query is constant too. */
static int count_rows(struct store *s, const struct xkind *xk, const char *region,
                      uint64_t *n, struct kn_error *err)
{
    struct strbuf sql = STRBUF_INIT;
    struct store_stmt *q = NULL;
    if (sb_addf(&sql, "SELECT count(*) FROM (%s) AS x", xk->sql) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = store_prepare(s, sql.buf, &q, err);
    sb_release(&sql);
    if (rc != 0)
        return rc;
    if (region != NULL)
        store_bind_text(q, 1, region, strlen(region));
    else
        store_bind_null(q, 1);
    rc = store_step(q, err);
    if (rc == STORE_ROW)
        *n = (uint64_t)store_col_int(q, 0);
    store_finalize(q);
    return rc < 0 ? rc : 0;
}

static int too_many(const struct reg_kind *k, enum reg_export_format format, uint64_t limit,
                    struct kn_error *err)
{
    if (format == REG_EXPORT_XLSX && limit == REG_EXPORT_XLSX_MAX_ROWS)
        return kn_fail(err, KN_EINPUT, "more %s than an XLSX sheet holds (1,048,576 rows "
                       "with its header); export as CSV instead", reg_kind_name(k));
    return kn_fail(err, KN_EINPUT, "more than %llu %s, the limit set",
                   (unsigned long long)limit, reg_kind_name(k));
}

int reg_export(struct store *s, const struct reg_kind *k, const struct reg_export_options *opt,
               const char *path, struct reg_export_stats *st, struct kn_error *err)
{
    assert(s != NULL && k != NULL && opt != NULL && path != NULL);
    const struct xkind *xk = xkind_of(k);
    if (xk == NULL || !columns_match(k, xk)) {
        assert(!"the export table is out of step with the import kinds");
        return kn_fail(err, KN_EINPUT, "kind '%s' cannot be exported", reg_kind_name(k));
    }
    unsigned oflags = OUTFILE_STDOUT | (opt->overwrite ? OUTFILE_REPLACE : 0);
    bool to_stdout = strcmp(path, "-") == 0;
    if (to_stdout && opt->format == REG_EXPORT_XLSX)
        return kn_fail(err, KN_EINPUT, "XLSX cannot go to standard output; name a file");

    uint64_t limit = opt->max_rows ? opt->max_rows : UINT64_MAX;
    if (opt->format == REG_EXPORT_XLSX && limit > REG_EXPORT_XLSX_MAX_ROWS)
        limit = REG_EXPORT_XLSX_MAX_ROWS;

    int rc;
    if (opt->region != NULL && (rc = check_region(s, opt->region, err)) != 0)
        return rc;
    if ((rc = outfile_check(path, oflags, err)) != 0)
        return rc;
    if (opt->format == REG_EXPORT_XLSX) {
        /* Refuse before minutes of XLSX writing, not after. */
        uint64_t n = 0;
        if ((rc = count_rows(s, xk, opt->region, &n, err)) != 0)
            return rc;
        if (n > limit)
            return too_many(k, opt->format, limit, err);
    }

    struct store_stmt *q = NULL;
    rc = store_prepare(s, xk->sql, &q, err);
    if (rc != 0)
        return rc;
    if (opt->region != NULL)
        store_bind_text(q, 1, opt->region, strlen(opt->region));
    else
        store_bind_null(q, 1);

    struct outfile of = OUTFILE_INIT;
    struct sink sink;
    bool sink_live = false;
    uint64_t rows = 0, bytes = 0;
    if ((rc = outfile_open(&of, path, oflags, err)) != 0)
        goto out;
    rc = sink_open(&sink, opt->format, &of, reg_kind_name(k), err);
    sink_live = true;
    if (rc != 0)
        goto out;

    struct field f[XCOLS_MAX];
    char buf[XCOLS_MAX][24];
    for (size_t i = 0; i < xk->ncols; i++) {
        f[i].s = xk->cols[i].name;
        f[i].len = strlen(f[i].s);
    }
    if ((rc = sink_row(&sink, xk, f, false, err)) != 0)
        goto out;
    while ((rc = store_step(q, err)) == STORE_ROW) {
        if (rows == limit) { /* rows may have come since count_rows() */
            rc = too_many(k, opt->format, limit, err);
            goto out;
        }
        fetch_row(q, xk, opt->birth, buf, f);
        if ((rc = sink_row(&sink, xk, f, true, err)) != 0)
            goto out;
        rows++;
    }
    if (rc < 0)
        goto out;
    sink_live = false;
    if ((rc = sink_close(&sink, true, err)) != 0)
        goto out;
    if (!to_stdout) {
        struct stat sbuf;
        if (fstat(of.fd, &sbuf) != 0) {
            rc = kn_fail(err, KN_EIO, "cannot read back '%s': %s", outfile_temp(&of),
                         strerror(errno));
            goto out;
        }
        bytes = (uint64_t)sbuf.st_size;
    } else {
        bytes = sink.written;
    }
    if ((rc = outfile_commit(&of, err)) != 0)
        goto out;
    if (st != NULL) {
        st->rows = rows;
        st->bytes = bytes;
    }
    rc = 0;

out:
    if (sink_live)
        sink_close(&sink, false, NULL);
    store_finalize(q);
    outfile_abort(&of); /* no-op after a commit */
    return rc;
}

/* ---- one record ---------------------------------------------------------- */

int reg_export_record(struct store *s, const struct reg_kind *k, const char *system,
                      const char *id, json_t **out, struct kn_error *err)
{
    const struct xkind *xk = xkind_of(k);
    struct strbuf sql = STRBUF_INIT;
    struct store_stmt *q = NULL;
    *out = NULL;
    if (xk == NULL)
        return kn_fail(err, KN_ENOTFOUND, "no kind '%s'", reg_kind_name(k));
    /* the kind's query of the whole export, narrowed to one source key */
    if (sb_addf(&sql, "SELECT * FROM (%s) WHERE source_system = $2 AND source_id = $3",
                xk->sql) != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int rc = store_prepare(s, sql.buf, &q, err);
    sb_release(&sql);
    if (rc != 0)
        return rc;
    store_bind_null(q, 1);
    store_bind_text(q, 2, system, strlen(system));
    store_bind_text(q, 3, id, strlen(id));
    rc = store_step(q, err);
    if (rc == STORE_ROW) {
        char buf[XCOLS_MAX][24];
        struct field f[XCOLS_MAX];
        json_t *o = json_object();
        fetch_row(q, xk, REG_EXPORT_BIRTH_MONTH, buf, f);
        for (size_t i = 0; o && i < xk->ncols; i++) {
            if (json_object_set_new(o, xk->cols[i].name,
                                    json_stringn(f[i].s ? f[i].s : "", f[i].len)) != 0) {
                json_decref(o);
                o = NULL;
            }
        }
        *out = o;
        rc = o ? 0 : kn_fail(err, KN_ENOMEM, "out of memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no such record");
    }
    store_finalize(q);
    return rc;
}
