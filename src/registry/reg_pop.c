/* src/registry/reg_pop.c: SCB's population CSV into the store (reg_pop.h).
 *
 * A file is small (21 counties x 2 sexes x 101 ages per year; with every
 * municipality about 60,000 records), so it is read whole, decoded to
 * UTF-8 once and parsed with the CSV reader from memory. Nothing is
 * stored until every year of the file is complete.
 */
#include "registry/reg_pop.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/text.h"
#include "base/utf8.h"
#include "domain/pnr_shape.h"

#define AGES              (GEO_AGE_OPEN + 1)
#define MAX_VALUE         100000000LL
#define HEADER_SCAN_LINES 50

/* The file as UTF-8: as it is when it is UTF-8, else converted from
 * Windows-1252 (a superset of Latin-1's printable characters). Line ends
 * are single bytes in both, so lines keep their numbers. */
static int decode(const char *data, size_t len, const char *name, struct arena *a,
                  struct reg_pop_table *t, char **out, size_t *outlen,
                  struct kn_error *err)
{
    size_t bad = 0;
    bool bom = len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0;
    if (bom || utf8_valid(data, len, &bad)) {
        char *copy = arena_alloc(a, len + 1);
        if (!copy)
            return kn_fail(err, KN_ENOMEM, "%s: out of memory", name);
        memcpy(copy, data, len);
        copy[len] = '\0';
        t->encoding = "UTF-8";
        *out = copy;
        *outlen = len;
        return 0;
    }
    iconv_t cd = iconv_open("UTF-8", "WINDOWS-1252");
    if (cd == (iconv_t)-1)
        return kn_fail(err, KN_EIO, "%s: cannot convert from Windows-1252: %s", name,
                       strerror(errno));
    size_t cap = len * 3 + 1;
    char *buf = arena_alloc(a, cap);
    if (!buf) {
        iconv_close(cd);
        return kn_fail(err, KN_ENOMEM, "%s: out of memory", name);
    }
    char *in = (char *)(uintptr_t)data, *o = buf;
    size_t inleft = len, oleft = cap - 1;
    size_t rc = iconv(cd, &in, &inleft, &o, &oleft);
    iconv_close(cd);
    if (rc == (size_t)-1) {
        size_t at = (size_t)(in - data), line = 1;
        for (size_t i = 0; i < at; i++)
            line += data[i] == '\n';
        return kn_fail(
            err, KN_EINPUT,
            "%s:%zu: neither UTF-8 nor Latin-1 (Windows-1252) text (byte 0x%02X)", name,
            line, (unsigned)(unsigned char)data[at]);
    }
    *o = '\0';
    t->encoding = "Windows-1252";
    *out = buf;
    *outlen = (size_t)(o - buf);
    return 0;
}

/* The separator of the header line: the byte after its first field when
 * that is "region" (quoted or not, any case). 0 if no header is found in
 * the first lines. */
static char find_delim(const char *s, size_t len, size_t *header_line)
{
    const char *end = s + len, *p = s;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    for (size_t line = 1; p < end && line <= HEADER_SCAN_LINES; line++) {
        const char *q = p;
        bool quoted = *q == '"';
        q += quoted;
        if ((size_t)(end - q) > 7 && strncasecmp(q, "region", 6) == 0) {
            q += 6;
            if (!quoted || *q++ == '"') {
                if (q < end && (*q == ',' || *q == ';' || *q == '\t')) {
                    *header_line = line;
                    return *q;
                }
            }
        }
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            break;
        p = nl + 1;
    }
    return 0;
}

static bool field_is(const struct csv_field *f, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(f->s, *names) == 0)
            return true;
    return false;
}

static bool starts_with_total(const char *s)
{
    return strncasecmp(s, "total", 5) == 0 || strncasecmp(s, "samtliga", 8) == 0;
}

/* A year column: "2020", or text ending in " 2020". */
static int column_year(const struct csv_field *f)
{
    size_t n = f->len;
    while (n > 0 && f->s[n - 1] == ' ')
        n--;
    if (n < 4 || (n > 4 && f->s[n - 5] != ' '))
        return -1;
    int y = text_digits(f->s + n - 4, 4);
    return y >= 1860 && y <= 2200 ? y : -1;
}

enum { COL_REGION, COL_AGE, COL_SEX };

struct parse {
    const char *name;
    const struct geo *g;
    struct reg_pop_table *t;
    int col[3]; /* field index of region, age, sex */
    int *ycol;  /* field index of each year (in t->years order) */
    size_t nfields;
    uint32_t *line_of; /* [year][region][sex][age]: the line, 0 unseen */
    int64_t *value;    /* the same shape */
};

static size_t slot(const struct parse *ps, size_t y, size_t r, int sex, int age)
{
    return ((y * ps->g->nregions + r) * 2 + (size_t)sex) * AGES + (size_t)age;
}

static int header(struct parse *ps, const struct csv_record *rec, struct arena *a,
                  struct kn_error *err)
{
    static const char *const region[] = {"region", NULL};
    static const char *const age[] = {"ålder", "Ålder", "ÅLDER", "age", NULL};
    static const char *const sex[] = {"kön", "Kön", "KÖN", "sex", NULL};
    ps->col[0] = ps->col[1] = ps->col[2] = -1;
    ps->nfields = rec->n;
    ps->ycol = arena_alloc(a, rec->n * sizeof *ps->ycol);
    ps->t->years = arena_alloc(a, rec->n * sizeof *ps->t->years);
    if (!ps->ycol || !ps->t->years)
        return kn_fail(err, KN_ENOMEM, "%s: out of memory", ps->name);
    for (size_t k = 0; k < rec->n; k++) {
        const struct csv_field *f = &rec->f[k];
        char q[TEXT_QUOTE_MAX + 4];
        int which = field_is(f, region) ? COL_REGION
                    : field_is(f, age)  ? COL_AGE
                    : field_is(f, sex)  ? COL_SEX
                                        : -1;
        if (which >= 0) {
            if (ps->col[which] >= 0)
                return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: column '%s' appears twice",
                               ps->name, f->line, k + 1, text_quote(f->s, f->len, q));
            ps->col[which] = (int)k;
            continue;
        }
        int y = column_year(f);
        if (y < 0)
            return kn_fail(err, KN_EINPUT,
                           "%s:%zu:%zu: column '%s' is neither region, ålder, kön nor a "
                           "year",
                           ps->name, f->line, k + 1, text_quote(f->s, f->len, q));
        size_t at = ps->t->nyears;
        for (size_t i = 0; i < at; i++)
            if (ps->t->years[i] == y)
                return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: year %d appears twice",
                               ps->name, f->line, k + 1, y);
        /* keep the years ascending, with their columns */
        while (at > 0 && ps->t->years[at - 1] > y) {
            ps->t->years[at] = ps->t->years[at - 1];
            ps->ycol[at] = ps->ycol[at - 1];
            at--;
        }
        ps->t->years[at] = y;
        ps->ycol[at] = (int)k;
        ps->t->nyears++;
    }
    static const char *const names[] = {"region", "ålder", "kön"};
    for (int c = 0; c < 3; c++)
        if (ps->col[c] < 0)
            return kn_fail(err, KN_EINPUT, "%s:%zu: the header has no column '%s'",
                           ps->name, rec->line, names[c]);
    if (ps->t->nyears == 0)
        return kn_fail(err, KN_EINPUT, "%s:%zu: the header has no year column", ps->name,
                       rec->line);
    size_t cells = ps->t->nyears * ps->g->nregions * 2 * AGES;
    ps->line_of = arena_calloc(a, cells, sizeof *ps->line_of);
    ps->value = arena_calloc(a, cells, sizeof *ps->value);
    if (!ps->line_of || !ps->value)
        return kn_fail(err, KN_ENOMEM, "%s: out of memory", ps->name);
    return 0;
}

/* The county index of a region field, -1 to skip the record (the nation,
 * a municipality), or an error. */
static int region_of(struct parse *ps, const struct csv_field *f, size_t fno, int *out,
                     struct kn_error *err)
{
    size_t d = 0;
    while (d < f->len && f->s[d] >= '0' && f->s[d] <= '9')
        d++;
    char q[TEXT_QUOTE_MAX + 4];
    if ((d != 2 && d != 4) || (d < f->len && f->s[d] != ' '))
        return kn_fail(err, KN_EINPUT,
                       "%s:%zu:%zu: region '%s' does not start with a county code (2 "
                       "digits) or a municipality code (4)",
                       ps->name, f->line, fno, text_quote(f->s, f->len, q));
    if (d == 4) {
        ps->t->skipped_municipal++;
        *out = -1;
        return 0;
    }
    if (f->s[0] == '0' && f->s[1] == '0') {
        ps->t->skipped_nation++;
        *out = -1;
        return 0;
    }
    char code[3] = {f->s[0], f->s[1], 0};
    const struct geo_region *r = geo_region(ps->g, code);
    if (!r)
        return kn_fail(err, KN_EINPUT, "%s:%zu:%zu: unknown county code '%s'", ps->name,
                       f->line, fno, code);
    *out = (int)(r - ps->g->regions);
    return 0;
}

/* "17 år", "17 years", "17", "100+ år": the age, GEO_AGE_OPEN for 100+;
 * -1 for a total; -2 if not understood. */
static int age_of(const struct csv_field *f)
{
    if (starts_with_total(f->s))
        return -1;
    size_t d = 0;
    while (d < f->len && d < 4 && f->s[d] >= '0' && f->s[d] <= '9')
        d++;
    if (d == 0 || d > 3)
        return -2;
    int age = text_digits(f->s, d);
    const char *rest = f->s + d;
    if (*rest == '+') {
        if (age != GEO_AGE_OPEN)
            return -2;
        rest++;
    } else if (age >= GEO_AGE_OPEN) {
        return -2;
    }
    if (*rest && strcmp(rest, " år") != 0 && strcmp(rest, " years") != 0 &&
        strcmp(rest, " year") != 0)
        return -2;
    return age;
}

/* 0 women, 1 men, -1 a total, -2 not understood. */
static int sex_of(const struct csv_field *f)
{
    static const char *const men[] = {"män", "Män", "men", NULL};
    static const char *const women[] = {"kvinnor", "women", NULL};
    if (field_is(f, women))
        return 0;
    if (field_is(f, men))
        return 1;
    return starts_with_total(f->s) ? -1 : -2;
}

static int value_of(const struct parse *ps, const struct csv_field *f, size_t fno,
                    int year, int64_t *out, struct kn_error *err)
{
    char q[TEXT_QUOTE_MAX + 4];
    if (strcmp(f->s, "..") == 0)
        return kn_fail(err, KN_EINPUT,
                       "%s:%zu:%zu: %d: '..' (no figure): every year needs every figure",
                       ps->name, f->line, fno, year);
    int64_t v = 0;
    size_t k = 0;
    for (; k < f->len && f->s[k] >= '0' && f->s[k] <= '9' && v <= MAX_VALUE; k++)
        v = v * 10 + (f->s[k] - '0');
    if (f->len == 0 || k < f->len || v > MAX_VALUE)
        return kn_fail(err, KN_EINPUT,
                       "%s:%zu:%zu: %d: '%s' is not a whole number from 0 to 100000000",
                       ps->name, f->line, fno, year, text_quote(f->s, f->len, q));
    *out = v;
    return 0;
}

static int data_record(struct parse *ps, const struct csv_record *rec,
                       struct kn_error *err)
{
    char q[TEXT_QUOTE_MAX + 4];
    if (rec->n != ps->nfields)
        return kn_fail(err, KN_EINPUT, "%s:%zu: %zu fields, the header has %zu", ps->name,
                       rec->line, rec->n, ps->nfields);
    ps->t->data_lines++;
    int r = -1;
    size_t rf = (size_t)ps->col[COL_REGION];
    int rc = region_of(ps, &rec->f[rf], rf + 1, &r, err);
    if (rc != 0 || r < 0)
        return rc;
    const struct csv_field *fa = &rec->f[ps->col[COL_AGE]],
                           *fs = &rec->f[ps->col[COL_SEX]];
    int age = age_of(fa), sex = sex_of(fs);
    if (age == -2)
        return kn_fail(err, KN_EINPUT,
                       "%s:%zu:%d: ålder '%s' is not an age like '17 år' or '100+ år'",
                       ps->name, fa->line, ps->col[COL_AGE] + 1,
                       text_quote(fa->s, fa->len, q));
    if (sex == -2)
        return kn_fail(err, KN_EINPUT, "%s:%zu:%d: kön '%s' is not 'män' or 'kvinnor'",
                       ps->name, fs->line, ps->col[COL_SEX] + 1,
                       text_quote(fs->s, fs->len, q));
    if (age == -1 || sex == -1) {
        ps->t->skipped_total++;
        return 0;
    }
    for (size_t y = 0; y < ps->t->nyears; y++) {
        size_t i = slot(ps, y, (size_t)r, sex, age), fno = (size_t)ps->ycol[y];
        if (ps->line_of[i])
            return kn_fail(
                err, KN_EINPUT,
                "%s:%zu: county %s, kön %s, ålder %d%s again (first on line %u)",
                ps->name, rec->line, ps->g->regions[r].code, sex ? "män" : "kvinnor", age,
                age == GEO_AGE_OPEN ? "+" : "", ps->line_of[i]);
        rc = value_of(ps, &rec->f[fno], fno + 1, ps->t->years[y], &ps->value[i], err);
        if (rc != 0)
            return rc;
        ps->line_of[i] = (uint32_t)rec->line;
    }
    return 0;
}

/* Every year complete; then the rows in order. */
static int finish(struct parse *ps, struct arena *a, struct kn_error *err)
{
    struct reg_pop_table *t = ps->t;
    const struct geo *g = ps->g;
    size_t cells = t->nyears * g->nregions * 2 * AGES, seen = 0;
    for (size_t i = 0; i < cells; i++)
        seen += ps->line_of[i] != 0;
    if (seen == 0 && t->skipped_municipal > 0)
        return kn_fail(err, KN_EINPUT,
                       "%s: no county rows, only municipalities: export the counties "
                       "(region 01 .. 25) by single year of age and sex",
                       ps->name);
    for (size_t y = 0; y < t->nyears; y++)
        for (size_t r = 0; r < g->nregions; r++)
            for (int sx = 0; sx < 2; sx++)
                for (int age = 0; age < AGES; age++)
                    if (!ps->line_of[slot(ps, y, r, sx, age)])
                        return kn_fail(
                            err, KN_EINPUT,
                            "%s: %d has no figure for county %s, kön %s, ålder "
                            "%d%s (every county, sex and age 0 .. 100+ is "
                            "needed)",
                            ps->name, t->years[y], g->regions[r].code,
                            sx ? "män" : "kvinnor", age, age == GEO_AGE_OPEN ? "+" : "");
    t->rows = arena_alloc(a, cells * sizeof *t->rows);
    if (!t->rows)
        return kn_fail(err, KN_ENOMEM, "%s: out of memory", ps->name);
    for (size_t y = 0; y < t->nyears; y++)
        for (size_t r = 0; r < g->nregions; r++)
            for (int sx = 0; sx < 2; sx++)
                for (int age = 0; age < AGES; age++) {
                    struct geo_population *p = &t->rows[t->nrows++];
                    p->year = t->years[y];
                    memcpy(p->region_code, g->regions[r].code, 3);
                    p->sex = sx ? 'M' : 'F';
                    p->age = age;
                    p->population = ps->value[slot(ps, y, r, sx, age)];
                }
    return 0;
}

int reg_pop_parse(const char *data, size_t len, const char *name, const struct geo *g,
                  struct arena *a, struct reg_pop_table *out, struct kn_error *err)
{
    memset(out, 0, sizeof *out);
    if (len > REG_POP_MAX_BYTES)
        return kn_fail(err, KN_EINPUT, "%s: larger than %zu MiB", name,
                       REG_POP_MAX_BYTES >> 20);
    char *text = NULL;
    size_t n = 0;
    int rc = decode(data, len, name, a, out, &text, &n, err);
    if (rc != 0)
        return rc;
    size_t header_line = 0;
    out->delim = find_delim(text, n, &header_line);
    if (!out->delim)
        return kn_fail(
            err, KN_EINPUT,
            "%s: no header line \"region\",\"ålder\",\"kön\",YEAR... (separated "
            "by ',' or ';') in the first %d lines",
            name, HEADER_SCAN_LINES);
    struct csv_options o = {
        .delim = out->delim, .max_fields = 3 + REG_POP_MAX_YEARS, .max_field = 4096};
    struct csv_reader *rd;
    rc = csv_open_mem(&rd, text, n, name, &o, err);
    if (rc != 0)
        return rc;
    struct parse ps = {.name = name, .g = g, .t = out};
    struct csv_record rec;
    bool in_data = false;
    size_t note_line = 0; /* a record of one field after the header */
    while (rc == 0 && (rc = csv_next(rd, &rec, err)) == 1) {
        rc = 0;
        if (!in_data) {
            if (rec.line == header_line) {
                rc = header(&ps, &rec, a, err);
                in_data = true;
            } else if (rec.n != 1) {
                rc = kn_fail(
                    err, KN_EINPUT,
                    "%s:%zu: a line before the header (line %zu) that is not a title",
                    name, rec.line, header_line);
            }
        } else if (rec.n == 1) {
            if (!note_line)
                note_line = rec.line;
        } else if (note_line) {
            rc = kn_fail(err, KN_EINPUT, "%s:%zu: a line of one field among the data",
                         name, note_line);
        } else {
            rc = data_record(&ps, &rec, err);
        }
    }
    csv_free(rd);
    if (rc < 0)
        return rc;
    if (!in_data) /* the header line was inside a quoted field */
        return kn_fail(err, KN_EINPUT, "%s:%zu: the header line is not a record", name,
                       header_line);
    return finish(&ps, a, err);
}

int reg_pop_store(struct store *s, const struct reg_pop_table *t, const char *file_name,
                  struct kn_error *err)
{
    struct store_stmt *del = NULL, *ins = NULL, *run = NULL;
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = store_prepare(s, "DELETE FROM population WHERE year = $1", &del, err);
    if (rc == 0)
        rc = store_prepare(
            s,
            "INSERT INTO population (year, region_code, sex, age, population) "
            "VALUES ($1, $2, $3, $4, $5)",
            &ins, err);
    for (size_t y = 0; rc == 0 && y < t->nyears; y++) {
        store_bind_int(del, 1, t->years[y]);
        rc = store_step(del, err);
        store_reset(del);
        rc = rc < 0 ? rc : 0;
    }
    for (size_t i = 0; rc == 0 && i < t->nrows; i++) {
        const struct geo_population *p = &t->rows[i];
        char sex[2] = {p->sex, 0};
        store_bind_int(ins, 1, p->year);
        store_bind_text(ins, 2, p->region_code, strlen(p->region_code));
        store_bind_text(ins, 3, sex, 1);
        store_bind_int(ins, 4, p->age);
        store_bind_int(ins, 5, p->population);
        rc = store_step(ins, err);
        store_reset(ins);
        rc = rc < 0 ? rc : 0;
    }
    if (rc == 0)
        rc = store_prepare(
            s,
            "INSERT INTO import_run (started_at, file_name, kind, format, "
            "rows_read, rows_stored, rows_rejected) "
            "VALUES (CURRENT_TIMESTAMP, $1, 'population', 'scb-csv', $2, $3, 0)",
            &run, err);
    if (rc == 0) {
        char shown[1024];
        snprintf(shown, sizeof shown, "%s", file_name);
        pnr_mask(shown, strlen(shown)); /* a personnummer in a file name is not stored */
        store_bind_text(run, 1, shown, strlen(shown));
        store_bind_int(run, 2, (int64_t)t->data_lines);
        store_bind_int(run, 3, (int64_t)t->nrows);
        rc = store_step(run, err);
        rc = rc < 0 ? rc : 0;
    }
    store_finalize(del);
    store_finalize(ins);
    store_finalize(run);
    if (rc == 0)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

int reg_pop_years(struct store *s, struct arena *a, struct reg_pop_year **out, size_t *n,
                  struct kn_error *err)
{
    struct store_stmt *q = NULL;
    *out = NULL;
    *n = 0;
    int rc = store_prepare(s,
                           "SELECT year, count(*), sum(population) FROM population "
                           "GROUP BY year ORDER BY year",
                           &q, err);
    size_t cap = 0;
    while (rc == 0 && (rc = store_step(q, err)) == STORE_ROW) {
        rc = 0;
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : 16;
            struct reg_pop_year *grown = arena_alloc(a, ncap * sizeof *grown);
            if (!grown) {
                rc = kn_fail(err, KN_ENOMEM, "out of memory");
                break;
            }
            if (*n)
                memcpy(grown, *out, *n * sizeof *grown);
            *out = grown;
            cap = ncap;
        }
        (*out)[(*n)++] = (struct reg_pop_year){(int)store_col_int(q, 0),
                                               store_col_int(q, 1), store_col_int(q, 2)};
    }
    store_finalize(q);
    return rc == STORE_DONE ? 0 : rc;
}
