/* tests/unit/registry/test_reg_export.c: src/registry/reg_export.c.
 *
 * The oracle is the input itself: files are imported into a fresh store
 * (as `knod import` does), exported again, and each export must equal its
 * input file row by row once the input is put in the export's form, which
 * is computed here independently of the export code: pnr replaced by
 * pseudo_derive() under the same key (persons also get pnr_format_birth()
 * and the sex code), times through time_parse()/time_format(), empty
 * fields the import fills in given their stored default, and the rows
 * sorted by (source_id, source_system) with strcmp. Region scoping is
 * checked the same way: the expected rows are the input rows whose person
 * lives in the region (by the person's municipality in the input, mapped
 * with the embedded geography), or, for units, whose region_code is it.
 *
 * Inputs: data/examples/ (found through $SRCDIR, which tests/meson.build
 * sets; all in region 03) and a small synthetic data set for all 21
 * regions written with reg_synth_write(). Then the file rules: XLSX is a
 * zip with the sheet, mode 0600, no FILE and no temporary file after a
 * failure, an existing FILE kept unless overwrite, identical exports.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "testutil.h"

#include "base/arena.h"
#include "base/csv.h"
#include "base/date.h"
#include "domain/geo.h"
#include "domain/pnr.h"
#include "domain/pseudo.h"
#include "registry/reg_csv.h"
#include "registry/reg_export.h"
#include "registry/reg_geo.h"
#include "registry/reg_synth.h"

#define SYNTH_PERSONS 1500

static kn_day today(void)
{
    return date_from_ymd(2026, 11, 23);
}

/* ---- a temporary knod store with imported data ------------------------ */

struct fx {
    char dir[64];
    struct store *s;
    struct pseudo_key key;
    struct arena a;
    struct geo g;
};

static void path_in(char *buf, size_t size, const char *dir, const char *name)
{
    int n = snprintf(buf, size, "%s/%s", dir, name);
    assert_true(n > 0 && (size_t)n < size);
}

static void fx_open(struct fx *f)
{
    struct kn_error err = KN_ERROR_INIT;
    snprintf(f->dir, sizeof f->dir, "/tmp/knod-test-regexp-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    char p[256];
    path_in(p, sizeof p, f->dir, "knod.key");
    assert_int_equal(pseudo_key_create(p, &err), 0);
    assert_int_equal(pseudo_key_load(p, &f->key, &err), 0);
    path_in(p, sizeof p, f->dir, "knod.db");
    struct store_options opt = { STORE_CREATE, 0 };
    if (store_open(p, &opt, &f->s, &err) != 0)
        fail_msg("%s", err.msg);
    arena_init(&f->a);
    assert_int_equal(geo_load(&f->g, &f->a, &err), 0);
    if (reg_geo_install(f->s, &f->g, &err) != 0)
        fail_msg("%s", err.msg);
}

static void rm_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char p[512];
        path_in(p, sizeof p, dir, e->d_name);
        struct stat sb;
        if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
            rm_tree(p);
        else
            unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

static void fx_close(struct fx *f)
{
    store_close(f->s);
    pseudo_key_wipe(&f->key);
    arena_release(&f->a);
    rm_tree(f->dir);
}

/* Import every kind's file of src (those present), as `knod import DIR`. */
static void import_dir(struct fx *f, const char *src)
{
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char p[512];
        snprintf(p, sizeof p, "%s/%s.csv", src, reg_kind_name(k));
        if (access(p, F_OK) != 0)
            continue;
        struct kn_error err = KN_ERROR_INIT;
        struct reg_import_options io = { .keep_valid = false, .today = today() };
        io.persons = (enum reg_persons_load)tu_persons_load();
        struct reg_import *im = NULL;
        assert_int_equal(reg_import_begin(f->s, &f->key, &io, &im, &err), 0);
        if (reg_csv_import(im, k, p, NULL, &err) != 0)
            fail_msg("%s: %s", p, err.msg);
        if (reg_import_finish(im, true, p, reg_kind_name(k), "csv", &err) != 0)
            fail_msg("%s: %s", p, err.msg);
    }
}

static const char *examples_dir(char *buf, size_t size)
{
    const char *src = getenv("SRCDIR");
    if (src == NULL || src[0] == '\0')
        fail_msg("SRCDIR is not set (tests/meson.build sets it)");
    snprintf(buf, size, "%s/data/examples", src);
    return buf;
}

/* ---- tables: a CSV file in memory --------------------------------------- */

struct table {
    size_t ncols, nrows, cap;
    const char **hdr;
    const char **cells; /* nrows * ncols */
};

#define CELL(t, r, c) ((t)->cells[(r) * (t)->ncols + (c)])

static void table_add_row(struct arena *a, struct table *t, const char **row)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        const char **cells = arena_alloc(a, cap * t->ncols * sizeof *cells);
        assert_non_null(cells);
        if (t->nrows)
            memcpy(cells, t->cells, t->nrows * t->ncols * sizeof *cells);
        t->cells = cells;
        t->cap = cap;
    }
    memcpy(&CELL(t, t->nrows, 0), row, t->ncols * sizeof *row);
    t->nrows++;
}

static void load(struct arena *a, const char *path, struct table *t)
{
    memset(t, 0, sizeof *t);
    FILE *fp = fopen(path, "rb");
    if (fp == NULL)
        fail_msg("cannot open %s", path);
    struct csv_reader *r = NULL;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(csv_open_fd(&r, fileno(fp), path, NULL, &err), 0);
    struct csv_record rec;
    int rc;
    const char *row[64];
    while ((rc = csv_next(r, &rec, &err)) == 1) {
        if (t->hdr == NULL) {
            assert_true(rec.n <= 64);
            t->ncols = rec.n;
            t->hdr = arena_alloc(a, rec.n * sizeof *t->hdr);
            for (size_t i = 0; i < rec.n; i++)
                t->hdr[i] = arena_strndup(a, rec.f[i].s, rec.f[i].len);
            continue;
        }
        if (rec.n != t->ncols)
            fail_msg("%s:%zu: %zu fields, header has %zu", path, rec.line, rec.n, t->ncols);
        for (size_t i = 0; i < rec.n; i++)
            row[i] = arena_strndup(a, rec.f[i].s, rec.f[i].len);
        table_add_row(a, t, row);
    }
    if (rc < 0)
        fail_msg("%s", err.msg);
    csv_free(r);
    fclose(fp);
    assert_non_null(t->hdr);
}

static int col_of(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->hdr[i], name) == 0)
            return (int)i;
    return -1;
}

/* ---- the expected export ------------------------------------------------ */

/* The person of a pseudonym and where they live, from the persons input. */
struct home {
    char pseudonym[PSEUDO_HEX_LEN + 1];
    char region[3];
};

struct homes {
    struct home *h;
    size_t n;
};

static int cmp_home(const void *a, const void *b)
{
    return strcmp(((const struct home *)a)->pseudonym, ((const struct home *)b)->pseudonym);
}

static void pseudonym_of(const struct fx *f, const char *pnr_text, char out[PSEUDO_HEX_LEN + 1],
                         struct pnr *p)
{
    struct kn_error err = KN_ERROR_INIT;
    if (pnr_parse(pnr_text, strlen(pnr_text), today(), p, &err) != 0)
        fail_msg("pnr in the input: %s", err.msg);
    pseudo_derive(&f->key, p, out);
}

static void load_homes(struct fx *f, const struct table *persons, struct homes *hs)
{
    int pc = col_of(persons, "pnr"), mc = col_of(persons, "municipality");
    assert_true(pc >= 0 && mc >= 0);
    hs->n = persons->nrows;
    hs->h = arena_calloc(&f->a, hs->n ? hs->n : 1, sizeof *hs->h);
    for (size_t r = 0; r < hs->n; r++) {
        struct pnr p;
        pseudonym_of(f, CELL(persons, r, pc), hs->h[r].pseudonym, &p);
        pnr_wipe(&p);
        const struct geo_municipality *m = geo_municipality(&f->g, CELL(persons, r, mc));
        assert_non_null(m);
        memcpy(hs->h[r].region, m->region_code, 3);
    }
    qsort(hs->h, hs->n, sizeof *hs->h, cmp_home);
}

static const char *region_of(const struct homes *hs, const char *pseudonym)
{
    struct home key;
    snprintf(key.pseudonym, sizeof key.pseudonym, "%s", pseudonym);
    const struct home *h = bsearch(&key, hs->h, hs->n, sizeof *hs->h, cmp_home);
    if (h == NULL)
        fail_msg("no person in the input with pseudonym %s", pseudonym);
    return h->region;
}

static bool is_time_col(const char *name)
{
    return strcmp(name, "start") == 0 || strcmp(name, "end") == 0 ||
           strcmp(name, "time") == 0 || strcmp(name, "decided") == 0;
}

/* The export's header for kind k, from the import columns. */
static size_t expected_header(const struct reg_kind *k, const char **hdr)
{
    size_t n = 0;
    for (size_t i = 0; i < reg_kind_ncols(k); i++) {
        const char *c = reg_kind_col(k, i);
        if (reg_kind_col_external(k, i))
            continue;
        if (strcmp(c, "pnr") != 0) {
            hdr[n++] = c;
            continue;
        }
        hdr[n++] = "pseudonym";
        if (strcmp(reg_kind_name(k), "persons") == 0) {
            hdr[n++] = "birth_date";
            hdr[n++] = "sex";
        }
    }
    return n;
}

/* Rows (arrays of cells) by source_id, then source_system. */
static int cmp_rows(const void *a, const void *b)
{
    const char *const *x = *(const char *const *const *)a;
    const char *const *y = *(const char *const *const *)b;
    int c = strcmp(x[1], y[1]);
    return c ? c : strcmp(x[0], y[0]);
}

/* The input table `in` of kind k as the export (of region, or all) must
 * write it. */
static void expected(struct fx *f, const struct reg_kind *k, const struct table *in,
                     const struct homes *hs, const char *region,
                     enum reg_export_birth birth, struct table *out)
{
    const char *hdr[64];
    memset(out, 0, sizeof *out);
    out->ncols = expected_header(k, hdr);
    out->hdr = arena_memdup(&f->a, hdr, out->ncols * sizeof *hdr);
    bool persons = strcmp(reg_kind_name(k), "persons") == 0;
    bool contacts = strcmp(reg_kind_name(k), "contacts") == 0;
    int pc = col_of(in, "pnr");
    assert_int_equal(col_of(in, "source_system"), 0);
    assert_int_equal(col_of(in, "source_id"), 1);

    const char ***rows = arena_alloc(&f->a, (in->nrows + 1) * sizeof *rows);
    size_t nrows = 0;
    for (size_t r = 0; r < in->nrows; r++) {
        const char **row = arena_alloc(&f->a, out->ncols * sizeof *row);
        char *pseudonym = arena_alloc(&f->a, PSEUDO_HEX_LEN + 1);
        struct pnr p;
        memset(&p, 0, sizeof p);
        if (pc >= 0)
            pseudonym_of(f, CELL(in, r, pc), pseudonym, &p);
        const char *death_date = "";
        for (size_t c = 0; c < out->ncols; c++) {
            const char *name = out->hdr[c];
            if (strcmp(name, "pseudonym") == 0) {
                row[c] = pseudonym;
                continue;
            }
            if (strcmp(name, "birth_date") == 0) {
                char *b = arena_alloc(&f->a, 11);
                pnr_format_birth(&p, b);
                /* "YYYY-MM-DD" cut to the level asked for */
                if (birth == REG_EXPORT_BIRTH_MONTH && strlen(b) > 7)
                    b[7] = '\0';
                else if (birth == REG_EXPORT_BIRTH_YEAR)
                    b[4] = '\0';
                row[c] = b;
                continue;
            }
            if (strcmp(name, "sex") == 0) {
                row[c] = pnr_sex_code(p.sex);
                continue;
            }
            int ic = col_of(in, name);
            if (ic < 0)
                fail_msg("input of %s lacks column %s", reg_kind_name(k), name);
            const char *v = CELL(in, r, ic);
            struct kn_error err = KN_ERROR_INIT;
            if (is_time_col(name) && v[0] != '\0') {
                kn_time t;
                assert_int_equal(time_parse(v, strlen(v), &t, &err), 0);
                char *b = arena_alloc(&f->a, 20);
                time_format(t, b);
                v = b;
            } else if (strcmp(name, "death_date") == 0 && v[0] != '\0') {
                kn_day d;
                assert_int_equal(date_parse(v, strlen(v), &d, &err), 0);
                char *b = arena_alloc(&f->a, 11);
                date_format(d, b);
                v = death_date = b;
            } else if (contacts && strcmp(name, "legal_basis") == 0 && v[0] == '\0') {
                v = "voluntary";
            } else if (contacts && strcmp(name, "brief_admission") == 0 && v[0] == '\0') {
                v = "0";
            } else if (persons && strcmp(name, "death_by_suicide") == 0 && v[0] == '\0' &&
                       death_date[0] != '\0') {
                v = "0";
            }
            row[c] = v;
        }
        pnr_wipe(&p);
        bool keep = true;
        if (region != NULL) {
            int rc = col_of(in, "region_code");
            const char *where = pc >= 0 ? region_of(hs, pseudonym)
                                        : CELL(in, r, (size_t)rc);
            keep = strcmp(where, region) == 0;
        }
        if (keep)
            rows[nrows++] = row;
    }
    qsort(rows, nrows, sizeof *rows, cmp_rows);
    for (size_t r = 0; r < nrows; r++)
        table_add_row(&f->a, out, rows[r]);
}

/* The file at path holds exactly the table want. */
static void assert_file_is(struct fx *f, const char *path, const struct table *want)
{
    struct table got;
    load(&f->a, path, &got);
    assert_int_equal(got.ncols, want->ncols);
    for (size_t c = 0; c < want->ncols; c++)
        assert_string_equal(got.hdr[c], want->hdr[c]);
    if (got.nrows != want->nrows)
        fail_msg("%s: %zu rows, expected %zu", path, got.nrows, want->nrows);
    for (size_t r = 0; r < want->nrows; r++)
        for (size_t c = 0; c < want->ncols; c++)
            if (strcmp(CELL(&got, r, c), CELL(want, r, c)) != 0)
                fail_msg("%s: row %zu (%s), column %s: '%s', expected '%s'", path, r + 1,
                         CELL(want, r, 1), want->hdr[c], CELL(&got, r, c), CELL(want, r, c));
}

static void assert_mode_0600(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    if ((sb.st_mode & 07777) != 0600)
        fail_msg("%s has mode %o, expected 600", path, (unsigned)(sb.st_mode & 07777));
}

/* No ".NAME.XXXXXX" temporary file is left in dir. */
static void assert_no_temp(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
            strcmp(e->d_name, "..") != 0)
            fail_msg("temporary file left behind: %s/%s", dir, e->d_name);
    closedir(d);
}

static void export_ok(struct fx *f, const struct reg_kind *k, const char *region,
                      enum reg_export_birth birth, enum reg_export_format fmt,
                      const char *path, uint64_t want_rows)
{
    struct kn_error err = KN_ERROR_INIT;
    struct reg_export_options o = { region, fmt, true, 0, birth };
    struct reg_export_stats st = { 99, 99 };
    if (reg_export(f->s, k, &o, path, &st, &err) != 0)
        fail_msg("export of %s: %s", reg_kind_name(k), err.msg);
    assert_int_equal(st.rows, want_rows);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(st.bytes, (uint64_t)sb.st_size);
    assert_mode_0600(path);
}

/* Export every kind (of region, or all) from f's store and compare each
 * with the input files of src. */
static void round_trip(struct fx *f, const char *src, const char *region,
                       enum reg_export_birth birth, const char *out_dir)
{
    char p[512];
    struct table persons;
    snprintf(p, sizeof p, "%s/persons.csv", src);
    load(&f->a, p, &persons);
    struct homes hs;
    load_homes(f, &persons, &hs);
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        struct table in, want;
        snprintf(p, sizeof p, "%s/%s.csv", src, reg_kind_name(k));
        load(&f->a, p, &in);
        expected(f, k, &in, &hs, region, birth, &want);
        snprintf(p, sizeof p, "%s/%s-%s.csv", out_dir, reg_kind_name(k),
                 region ? region : "all");
        export_ok(f, k, region, birth, REG_EXPORT_CSV, p, want.nrows);
        assert_file_is(f, p, &want);
    }
    assert_no_temp(out_dir);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

/* ---- tests -------------------------------------------------------------- */

/* The export columns are the import columns with pnr replaced. */
static void test_columns(void **state)
{
    (void)state;
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        const char *hdr[64];
        size_t n = expected_header(k, hdr);
        assert_int_equal(reg_export_ncols(k), n);
        for (size_t c = 0; c < n; c++)
            assert_string_equal(reg_export_col(k, c), hdr[c]);
    }
    const struct reg_kind *persons = reg_kind_find("persons");
    assert_string_equal(reg_export_col(persons, 2), "pseudonym");
    assert_string_equal(reg_export_col(persons, 3), "birth_date");
    assert_string_equal(reg_export_col(persons, 4), "sex");
    enum reg_export_format fmt;
    assert_int_equal(reg_export_format_parse("xlsx", &fmt), 0);
    assert_int_equal(fmt, REG_EXPORT_XLSX);
    assert_int_equal(reg_export_format_parse("csv", &fmt), 0);
    assert_int_equal(fmt, REG_EXPORT_CSV);
    assert_int_equal(reg_export_format_parse("CSV", &fmt), KN_EINPUT);
    assert_string_equal(reg_export_format_name(REG_EXPORT_XLSX), "xlsx");
}

/* data/examples round trip, and never a personnummer in the output. */
static void test_examples(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    char src[512], out[256], p[1024];
    examples_dir(src, sizeof src);
    import_dir(&f, src);
    path_in(out, sizeof out, f.dir, "out");
    assert_int_equal(mkdir(out, 0700), 0);
    round_trip(&f, src, NULL, REG_EXPORT_BIRTH_YEAR, out);
    round_trip(&f, src, NULL, REG_EXPORT_BIRTH_DATE, out);
    /* Every example lives in region 03: the same rows again. */
    round_trip(&f, src, "03", REG_EXPORT_BIRTH_MONTH, out);
    round_trip(&f, src, NULL, REG_EXPORT_BIRTH_MONTH, out); /* the -all files below */

    /* No personnummer, in any form, in any export. */
    struct table persons;
    snprintf(p, sizeof p, "%s/persons.csv", src);
    load(&f.a, p, &persons);
    int pc = col_of(&persons, "pnr");
    for (size_t i = 0; i < reg_kind_count(); i++) {
        snprintf(p, sizeof p, "%s/%s-all.csv", out, reg_kind_name(reg_kind_at(i)));
        size_t len;
        char *text = slurp(p, &len);
        for (size_t r = 0; r < persons.nrows; r++) {
            struct pnr pn;
            struct kn_error err = KN_ERROR_INIT;
            const char *v = CELL(&persons, r, pc);
            assert_int_equal(pnr_parse(v, strlen(v), today(), &pn, &err), 0);
            assert_null(strstr(text, pn.digits));      /* YYYYMMDDNNNC */
            assert_null(strstr(text, pn.digits + 2));  /* YYMMDDNNNC */
            assert_null(strstr(text, v));               /* as written */
            pnr_wipe(&pn);
        }
        free(text);
    }
    fx_close(&f);
}

/* Persons' birth dates leave out the day unless asked for (issue 10, item
 * 4): with the key, a pseudonym, the full date and the sex give the
 * personnummer back. Options left zero mean year and month. */
static void test_birth_levels(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    char src[512], p[1024];
    examples_dir(src, sizeof src);
    import_dir(&f, src);
    const struct reg_kind *persons = reg_kind_find("persons");
    struct kn_error err = KN_ERROR_INIT;
    static const struct { const char *name; const char *p1; } levels[] = {
        { NULL, ",2008-02,M," }, { "month", ",2008-02,M," }, { "year", ",2008,M," },
        { "date", ",2008-02-12,M," },
    };
    for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        struct reg_export_options o = { .overwrite = true };
        if (levels[i].name != NULL) {
            assert_int_equal(reg_export_birth_parse(levels[i].name, &o.birth), 0);
            assert_string_equal(reg_export_birth_name(o.birth), levels[i].name);
        }
        path_in(p, sizeof p, f.dir, "p.csv");
        assert_int_equal(reg_export(f.s, persons, &o, p, NULL, &err), 0);
        size_t len;
        char *text = slurp(p, &len);
        /* p1 of data/examples/persons.csv: 20080212-2390 */
        const char *row = strstr(text, "\nexample,p1,");
        assert_non_null(row);
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)strcspn(row + 1, "\n"), row + 1);
        if (strstr(line, levels[i].p1) == NULL)
            fail_msg("birth %s: p1's row is %s", levels[i].name ? levels[i].name : "(default)",
                     line);
        if (levels[i].name == NULL || strcmp(levels[i].name, "date") != 0)
            assert_null(strstr(text, "2008-02-12"));
        free(text);
    }
    enum reg_export_birth b;
    assert_int_equal(reg_export_birth_parse("day", &b), KN_EINPUT);
    assert_int_equal(reg_export_birth_parse("Date", &b), KN_EINPUT);
    fx_close(&f);
}

/* A region without data gives a header-only file; an unknown region no
 * file at all. */
static void test_region_edges(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    char src[512], p[1024];
    examples_dir(src, sizeof src);
    import_dir(&f, src);
    const struct reg_kind *contacts = reg_kind_find("contacts");
    path_in(p, sizeof p, f.dir, "c01.csv");
    export_ok(&f, contacts, "01", REG_EXPORT_BIRTH_MONTH, REG_EXPORT_CSV, p, 0);
    size_t len;
    char *text = slurp(p, &len);
    assert_string_equal(text, "source_system,source_id,pseudonym,unit,contact_type,start,"
                              "end,legal_basis,brief_admission,main_diagnosis,"
                              "other_diagnoses,cause_code\n");
    free(text);

    struct kn_error err = KN_ERROR_INIT;
    path_in(p, sizeof p, f.dir, "c99.csv");
    struct reg_export_options o = { "99", REG_EXPORT_CSV, false, 0, REG_EXPORT_BIRTH_MONTH };
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_ENOTFOUND);
    assert_non_null(strstr(err.msg, "'99'"));
    assert_int_equal(access(p, F_OK), -1);
    o.region = "03' OR '1'='1";
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_ENOTFOUND);
    assert_int_equal(access(p, F_OK), -1);
    assert_no_temp(f.dir);
    fx_close(&f);
}

/* A synthetic country: the round trip for all regions, and per region
 * exactly the rows of persons living there. */
static void test_synth_regions(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    char src[256], out[256];
    path_in(src, sizeof src, f.dir, "synth");
    path_in(out, sizeof out, f.dir, "out");
    assert_int_equal(mkdir(out, 0700), 0);
    struct reg_synth_options so = { SYNTH_PERSONS, 2, 2025, 11, src, 1 };
    struct kn_error err = KN_ERROR_INIT;
    struct reg_synth_stats ss;
    if (reg_synth_write(&so, &f.g, &ss, &err) != 0)
        fail_msg("%s", err.msg);
    import_dir(&f, src);
    round_trip(&f, src, NULL, REG_EXPORT_BIRTH_MONTH, out);
    round_trip(&f, src, "03", REG_EXPORT_BIRTH_DATE, out);
    round_trip(&f, src, "13", REG_EXPORT_BIRTH_YEAR, out);
    round_trip(&f, src, "25", REG_EXPORT_BIRTH_MONTH, out);

    /* The regions' exports partition the whole, kind by kind. */
    for (size_t i = 0; i < reg_kind_count(); i++) {
        const struct reg_kind *k = reg_kind_at(i);
        char name[64];
        snprintf(name, sizeof name, "%s.csv", reg_kind_name(k));
        assert_string_equal(reg_synth_file_name((enum reg_synth_kind)i), name);
        uint64_t sum = 0;
        char p[512];
        for (size_t r = 0; r < f.g.nregions; r++) {
            struct reg_export_options o = { f.g.regions[r].code, REG_EXPORT_CSV, true, 0,
                                            REG_EXPORT_BIRTH_MONTH };
            struct reg_export_stats st;
            path_in(p, sizeof p, out, "part.csv");
            if (reg_export(f.s, k, &o, p, &st, &err) != 0)
                fail_msg("%s", err.msg);
            sum += st.rows;
        }
        assert_int_equal(sum, ss.rows[i]);
    }
    fx_close(&f);
}

/* The file rules: 0600, refusing an existing FILE, overwrite, no FILE and
 * no temporary file after a failure, identical exports, XLSX. */
static void test_files(void **state)
{
    (void)state;
    struct fx f;
    fx_open(&f);
    char src[512], p[1024], q[1024];
    examples_dir(src, sizeof src);
    import_dir(&f, src);
    const struct reg_kind *contacts = reg_kind_find("contacts");
    struct kn_error err = KN_ERROR_INIT;

    /* An existing file is kept unless overwrite; overwrite gives 0600 even
     * over a file of another mode. */
    path_in(p, sizeof p, f.dir, "c.csv");
    FILE *fp = fopen(p, "w");
    fputs("keep me\n", fp);
    fclose(fp);
    chmod(p, 0644);
    struct reg_export_options o = { NULL, REG_EXPORT_CSV, false, 0, REG_EXPORT_BIRTH_MONTH };
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_EEXIST);
    assert_non_null(strstr(err.msg, "already exists"));
    size_t len;
    char *text = slurp(p, &len);
    assert_string_equal(text, "keep me\n");
    free(text);
    o.overwrite = true;
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), 0);
    assert_mode_0600(p);
    char *first = slurp(p, &len);
    assert_true(len > 100);
    /* Two exports of the same store are byte-identical. */
    path_in(q, sizeof q, f.dir, "c2.csv");
    o.overwrite = false;
    assert_int_equal(reg_export(f.s, contacts, &o, q, NULL, &err), 0);
    size_t len2;
    char *second = slurp(q, &len2);
    assert_int_equal(len, len2);
    assert_memory_equal(first, second, len);
    free(first);
    free(second);

    /* A failure half way (more rows than allowed) leaves no file. */
    path_in(p, sizeof p, f.dir, "limited.csv");
    o.max_rows = 2;
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "more than 2 contacts"));
    assert_int_equal(access(p, F_OK), -1);
    o.max_rows = 5; /* exactly the number of contacts */
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), 0);
    o.format = REG_EXPORT_XLSX;
    o.max_rows = 4;
    path_in(p, sizeof p, f.dir, "limited.xlsx");
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_EINPUT);
    assert_int_equal(access(p, F_OK), -1);
    o.max_rows = 0;

    /* A folder, a missing folder. */
    o.format = REG_EXPORT_CSV;
    assert_int_equal(reg_export(f.s, contacts, &o, f.dir, NULL, &err), KN_EINPUT);
    path_in(p, sizeof p, f.dir, "no/such/c.csv");
    assert_int_equal(reg_export(f.s, contacts, &o, p, NULL, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "no/such"));
    assert_no_temp(f.dir);

    /* XLSX: a zip holding the sheet, mode 0600, every row. */
    path_in(p, sizeof p, f.dir, "c.xlsx");
    o.format = REG_EXPORT_XLSX;
    struct reg_export_stats st;
    assert_int_equal(reg_export(f.s, contacts, &o, p, &st, &err), 0);
    assert_int_equal(st.rows, 5);
    assert_mode_0600(p);
    text = slurp(p, &len);
    assert_true(len > 1000);
    assert_int_equal(st.bytes, len);
    assert_memory_equal(text, "PK\x03\x04", 4);
    const char *sheet = "xl/worksheets/sheet1.xml";
    bool found = false;
    for (size_t i = 0; i + strlen(sheet) <= len && !found; i++)
        found = memcmp(text + i, sheet, strlen(sheet)) == 0;
    assert_true(found);
    free(text);
    assert_int_equal(reg_export(f.s, contacts, &o, p, &st, &err), KN_EEXIST);
    assert_no_temp(f.dir);
    fx_close(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_examples),
        cmocka_unit_test(test_birth_levels),
        cmocka_unit_test(test_region_edges),
        cmocka_unit_test(test_synth_regions),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
