/* tests/unit/registry/test_reg_synth.c: src/registry/reg_synth*.c.
 *
 * One data set of 10,000 persons is written to a temporary directory,
 * read back with the CSV reader and checked against the import contract
 * (docs/import-format.md): valid and unique personnummer (pnr_parse is
 * the oracle for the Luhn digit), references to rows written earlier and
 * of the same person, times in the period and in order, measures inside
 * their stays. Then against the shapes reg_synth_gen.c promises: girls
 * 15-19 highest, the sex ratios, the 2021 rise, and regional differences
 * that follow the region parameters (read from the same world). Smaller
 * runs check determinism and the option checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "base/arena.h"
#include "base/csv.h"
#include "base/date.h"
#include "domain/geo.h"
#include "domain/pnr.h"
#include "registry/reg_synth.h"
#include "registry/reg_synth_impl.h"

#define NPERSONS 10000
#define SEED     7

/* ---- reading the files back ------------------------------------------- */

struct table {
    size_t ncols, nrows, cap;
    char **hdr;
    char **cells; /* nrows * ncols */
};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
        return NULL; /* not reached */
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void load(struct arena *a, const char *dir, const char *file, struct table *t)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    size_t len;
    char *data = slurp(path, &len);
    struct csv_reader *r = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (csv_open_mem(&r, data, len, file, NULL, &err) != 0)
        fail_msg("%s", err.msg);
    struct csv_record rec;
    memset(t, 0, sizeof *t);
    int rc;
    while ((rc = csv_next(r, &rec, &err)) == 1) {
        if (t->hdr == NULL) {
            t->ncols = rec.n;
            t->hdr = arena_calloc(a, rec.n, sizeof *t->hdr);
            for (size_t i = 0; i < rec.n; i++)
                t->hdr[i] = arena_strdup(a, rec.f[i].s);
            continue;
        }
        if (rec.n != t->ncols)
            fail_msg("%s:%zu: %zu fields, header has %zu", file, rec.line, rec.n,
                     t->ncols);
        if (t->nrows == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 1024;
            t->cells = realloc(t->cells, t->cap * t->ncols * sizeof *t->cells);
            assert_non_null(t->cells);
        }
        for (size_t i = 0; i < rec.n; i++)
            t->cells[t->nrows * t->ncols + i] =
                arena_strndup(a, rec.f[i].s, rec.f[i].len);
        t->nrows++;
    }
    if (rc < 0)
        fail_msg("%s", err.msg);
    csv_free(r);
    free(data);
}

static int col(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->hdr[i], name) == 0)
            return (int)i;
    fail_msg("no column '%s'", name);
    return -1;
}

static const char *cell(const struct table *t, size_t row, int c)
{
    return t->cells[row * t->ncols + (size_t)c];
}

/* Row indices of t sorted by the column c, for lookups by id. */
struct index {
    const struct table *t;
    int c;
    size_t *rows;
};

static const struct index *sort_ctx;

static int cmp_rows(const void *a, const void *b)
{
    const struct index *ix = sort_ctx;
    return strcmp(cell(ix->t, *(const size_t *)a, ix->c),
                  cell(ix->t, *(const size_t *)b, ix->c));
}

/* Build the index; fails the test if the column has a value twice. */
static void index_build(struct index *ix, const struct table *t, const char *column)
{
    ix->t = t;
    ix->c = col(t, column);
    ix->rows = malloc((t->nrows + 1) * sizeof *ix->rows);
    for (size_t i = 0; i < t->nrows; i++)
        ix->rows[i] = i;
    sort_ctx = ix;
    qsort(ix->rows, t->nrows, sizeof *ix->rows, cmp_rows);
    for (size_t i = 1; i < t->nrows; i++)
        if (strcmp(cell(t, ix->rows[i - 1], ix->c), cell(t, ix->rows[i], ix->c)) == 0)
            fail_msg("'%s' %s appears twice", column, cell(t, ix->rows[i], ix->c));
}

/* The row whose column equals key, or -1. */
static long index_find(const struct index *ix, const char *key)
{
    size_t lo = 0, hi = ix->t->nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(cell(ix->t, ix->rows[mid], ix->c), key);
        if (c == 0)
            return (long)ix->rows[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* ---- the data set ---------------------------------------------------- */

enum { UNITS, PERSONS, CONTACTS, SELF_HARM, MEASURES, ASSESSMENTS, PLANS, TREATMENTS,
       FOLLOW_UPS, STEPS, NFILES };

struct person {
    char digits[13];
    kn_day birth;
    bool female;
    bool coordination;
    int form; /* 0 YYYYMMDD-NNNC, 1 YYYYMMDDNNNC, 2 YYMMDD-NNNC */
    char region[3];
    kn_day death; /* INT32_MAX if alive */
    int acts[8];  /* acts per year of the period */
    kn_time first_act[8];
};

struct data {
    char dir[64];
    struct arena a;
    struct geo g;
    struct table t[NFILES];
    struct reg_synth_stats stats;
    struct person *persons; /* sorted by digits */
    size_t npersons;
    struct index contact_ix, unit_ix, measure_ix;
    struct reg_syn_world world; /* the same world, for the region parameters */
};

static kn_day ref_today(void)
{
    return date_from_ymd(2025, 6, 1);
}

static const kn_time period_start = 1577836800; /* 2020-01-01T00:00:00 */
static const kn_time period_end = 1735689599;   /* 2024-12-31T23:59:59 */

static kn_time tm(const char *s)
{
    kn_time t;
    struct kn_error err = KN_ERROR_INIT;
    if (time_parse(s, strlen(s), &t, &err) != 0)
        fail_msg("time '%s': %s", s, err.msg);
    return t;
}

static int cmp_person(const void *a, const void *b)
{
    return strcmp(((const struct person *)a)->digits, ((const struct person *)b)->digits);
}

/* The person of a pnr field; fails the test if it is not in persons.csv. */
static struct person *person_of(struct data *d, const char *pnr)
{
    struct pnr p;
    struct kn_error err = KN_ERROR_INIT;
    if (pnr_parse(pnr, strlen(pnr), ref_today(), &p, &err) != 0)
        fail_msg("pnr: %s", err.msg);
    struct person key;
    memcpy(key.digits, p.digits, sizeof key.digits);
    pnr_wipe(&p);
    struct person *found =
        bsearch(&key, d->persons, d->npersons, sizeof *d->persons, cmp_person);
    if (found == NULL) {
        fail_msg("a pnr of an event is not in persons.csv");
        return &d->persons[0]; /* not reached */
    }
    return found;
}

static const char *const files[NFILES] = {
    "units.csv", "persons.csv", "contacts.csv", "self_harm.csv", "coercive_measures.csv",
    "assessments.csv", "care_plans.csv", "treatments.csv", "follow_ups.csv",
    "pathway_steps.csv",
};

static int write_set(const char *dir, long persons, uint64_t seed, int threads,
                     const struct geo *g, struct reg_synth_stats *st)
{
    struct reg_synth_options o = { persons, 5, 2024, seed, dir, threads };
    struct kn_error err = KN_ERROR_INIT;
    int rc = reg_synth_write(&o, g, st, &err);
    if (rc != 0)
        print_message("reg_synth_write: %s\n", err.msg);
    return rc;
}

static void remove_set(const char *dir)
{
    char path[512];
    for (int k = 0; k < NFILES; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[k]);
        unlink(path);
    }
    rmdir(dir);
}

static int setup(void **state)
{
    struct data *d = calloc(1, sizeof *d);
    assert_non_null(d);
    arena_init(&d->a);
    struct kn_error err = KN_ERROR_INIT;
    if (geo_load(&d->g, &d->a, &err) != 0)
        fail_msg("%s", err.msg);
    snprintf(d->dir, sizeof d->dir, "/tmp/knod-synth-XXXXXX");
    assert_non_null(mkdtemp(d->dir));
    assert_int_equal(write_set(d->dir, NPERSONS, SEED, 2, &d->g, &d->stats), 0);
    for (int k = 0; k < NFILES; k++)
        load(&d->a, d->dir, files[k], &d->t[k]);

    const struct table *pt = &d->t[PERSONS];
    d->npersons = pt->nrows;
    d->persons = calloc(pt->nrows, sizeof *d->persons);
    int cp = col(pt, "pnr"), cm = col(pt, "municipality"), cd = col(pt, "death_date");
    for (size_t i = 0; i < pt->nrows; i++) {
        struct person *p = &d->persons[i];
        const char *s = cell(pt, i, cp);
        struct pnr n;
        if (pnr_parse(s, strlen(s), ref_today(), &n, &err) != 0)
            fail_msg("persons.csv row %zu: %s", i + 1, err.msg);
        memcpy(p->digits, n.digits, sizeof p->digits);
        assert_true(pnr_birth_date(&n, &p->birth));
        p->female = n.sex == PNR_SEX_FEMALE;
        p->coordination = n.kind == PNR_SAMORDNINGSNUMMER;
        p->form = strlen(s) == 12 ? 1 : strlen(s) == 11 ? 2 : 0;
        pnr_wipe(&n);
        const struct geo_municipality *m = geo_municipality(&d->g, cell(pt, i, cm));
        if (m == NULL)
            fail_msg("unknown municipality '%s'", cell(pt, i, cm));
        memcpy(p->region, m->region_code, 3);
        p->death = INT32_MAX;
        if (cell(pt, i, cd)[0] != '\0')
            assert_int_equal(date_parse(cell(pt, i, cd), 10, &p->death, &err), 0);
        for (int y = 0; y < 8; y++)
            p->first_act[y] = INT64_MAX;
    }
    qsort(d->persons, d->npersons, sizeof *d->persons, cmp_person);
    index_build(&d->contact_ix, &d->t[CONTACTS], "source_id");
    index_build(&d->unit_ix, &d->t[UNITS], "code");
    index_build(&d->measure_ix, &d->t[MEASURES], "source_id");

    /* Acts per person and year, for the shape tests. */
    const struct table *st = &d->t[SELF_HARM];
    for (size_t i = 0; i < st->nrows; i++) {
        struct person *p = person_of(d, cell(st, i, col(st, "pnr")));
        kn_time t = tm(cell(st, i, col(st, "time")));
        int y = date_to_ymd(time_to_day(t)).year - 2020;
        assert_true(y >= 0 && y < 5);
        p->acts[y]++;
        if (t < p->first_act[y])
            p->first_act[y] = t;
    }
    struct reg_synth_options o = { NPERSONS, 5, 2024, SEED, d->dir, 1 };
    assert_int_equal(reg_syn_world_make(&d->world, &o, &d->g, &err), 0);
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    struct data *d = *state;
    remove_set(d->dir);
    for (int k = 0; k < NFILES; k++)
        free(d->t[k].cells);
    free(d->contact_ix.rows);
    free(d->unit_ix.rows);
    free(d->measure_ix.rows);
    free(d->persons);
    reg_syn_world_release(&d->world);
    arena_release(&d->a);
    free(d);
    return 0;
}

/* ---- the contract ------------------------------------------------------ */

static void test_files_and_stats(void **state)
{
    struct data *d = *state;
    for (int k = 0; k < NFILES; k++) {
        assert_int_equal(d->t[k].nrows, d->stats.rows[k]);
        assert_true(d->t[k].nrows > 0);
        int sys = col(&d->t[k], "source_system");
        for (size_t i = 0; i < d->t[k].nrows; i++)
            assert_string_equal(cell(&d->t[k], i, sys), "synth");
        struct index ix;
        index_build(&ix, &d->t[k], "source_id"); /* fails on a duplicate */
        free(ix.rows);
    }
    assert_int_equal(d->t[PERSONS].nrows, NPERSONS);
    /* About 10 event rows per person. */
    size_t events = 0;
    for (int k = CONTACTS; k < NFILES; k++)
        events += d->t[k].nrows;
    double per = (double)events / NPERSONS;
    if (per < 8.0 || per > 12.0)
        fail_msg("%.2f event rows per person", per);
}

static void test_persons(void **state)
{
    struct data *d = *state;
    size_t female = 0, coord = 0, form[3] = { 0, 0, 0 };
    for (size_t i = 0; i < d->npersons; i++) {
        const struct person *p = &d->persons[i];
        if (i > 0 && strcmp(d->persons[i - 1].digits, p->digits) == 0)
            fail_msg("a personnummer appears twice");
        /* Legal sex from the next-to-last digit, checked by hand too. */
        int sexdigit = p->digits[10] - '0';
        assert_int_equal(p->female, sexdigit % 2 == 0);
        assert_false(p->digits[8] == '0' && p->digits[9] == '0' && p->digits[10] == '0');
        female += p->female;
        coord += p->coordination;
        form[p->form]++;
        if (p->coordination)
            assert_true(p->digits[6] >= '6');
        struct kn_ymd b = date_to_ymd(p->birth);
        assert_true(b.year >= 2020 - 24 && b.year <= 2024 - 10);
    }
    /* The world's persons in file order: the pnr of row i is theirs, and
     * its sex digit says the sex their events were drawn for. */
    const struct table *pt0 = &d->t[PERSONS];
    assert_int_equal(d->world.npersons, pt0->nrows);
    for (size_t i = 0; i < pt0->nrows; i++) {
        const struct reg_syn_person *w = &d->world.persons[i];
        const char *s = cell(pt0, i, col(pt0, "pnr"));
        const struct person *p = person_of(d, s);
        assert_memory_equal(p->digits, w->digits, 12);
        assert_int_equal(p->female, w->female);
    }
    double fs = (double)female / NPERSONS;
    assert_true(fs > 0.45 && fs < 0.53);
    assert_true(coord > NPERSONS / 200 && coord < NPERSONS / 25);
    assert_true(form[0] > NPERSONS * 6 / 10);
    assert_true(form[1] > NPERSONS / 20 && form[1] < NPERSONS / 4);
    assert_true(form[2] > NPERSONS / 30 && form[2] < NPERSONS / 5);

    /* Every age 10-24 in every year, every region, in proportion to the
     * young population (within 2.5 percentage points). */
    for (int y = 2020; y <= 2024; y++) {
        for (int age = 10; age <= 24; age++) {
            size_t n = 0;
            for (size_t i = 0; i < d->npersons; i++)
                n += date_to_ymd(d->persons[i].birth).year == y - age;
            assert_true(n > 100);
        }
    }
    int64_t young = geo_population_sum(&d->g, NULL, 0, 10, 24);
    for (size_t r = 0; r < d->g.nregions; r++) {
        const char *code = d->g.regions[r].code;
        size_t n = 0;
        for (size_t i = 0; i < d->npersons; i++)
            n += strcmp(d->persons[i].region, code) == 0;
        double share = (double)n / NPERSONS;
        double want = (double)geo_population_sum(&d->g, code, 0, 10, 24) / (double)young;
        if (n == 0 || share < want - 0.025 || share > want + 0.025)
            fail_msg("region %s: %.3f of persons, %.3f of the young", code, share, want);
    }
    /* A few deaths, some by suicide, death_by_suicide only with a date. */
    const struct table *pt = &d->t[PERSONS];
    int cd = col(pt, "death_date"), cs = col(pt, "death_by_suicide");
    size_t deaths = 0, suicides = 0;
    for (size_t i = 0; i < pt->nrows; i++) {
        bool dead = cell(pt, i, cd)[0] != '\0';
        const char *s = cell(pt, i, cs);
        assert_true(dead ? strcmp(s, "0") == 0 || strcmp(s, "1") == 0 : s[0] == '\0');
        deaths += dead;
        suicides += s[0] == '1';
    }
    assert_true(deaths >= 5 && deaths < NPERSONS / 100);
    assert_true(suicides >= 1 && suicides < deaths);
}

/* A time of an event of p: in the period, after birth, before death. */
static void check_time(const struct person *p, kn_time t, const char *what)
{
    if (t < period_start || t > period_end)
        fail_msg("%s outside 2020-2024", what);
    if (t < time_from_day(p->birth))
        fail_msg("%s before birth", what);
    if (p->death != INT32_MAX && t >= time_from_day(p->death))
        fail_msg("%s not before the death date", what);
}

/* The contact with source_id id; it must belong to p. */
static long contact_of(struct data *d, const char *id, const struct person *p)
{
    long r = index_find(&d->contact_ix, id);
    if (r < 0)
        fail_msg("contact '%s' does not exist", id);
    const struct table *ct = &d->t[CONTACTS];
    if (person_of(d, cell(ct, (size_t)r, col(ct, "pnr"))) != p)
        fail_msg("contact '%s' belongs to another person", id);
    return r;
}

static bool is_child_at(const struct person *p, kn_time t)
{
    return date_age(p->birth, time_to_day(t)) < 18;
}

static void test_contacts(void **state)
{
    struct data *d = *state;
    const struct table *ct = &d->t[CONTACTS], *ut = &d->t[UNITS];
    int cp = col(ct, "pnr"), cu = col(ct, "unit"), cty = col(ct, "contact_type"),
        cs = col(ct, "start"), ce = col(ct, "end"), cl = col(ct, "legal_basis"),
        cb = col(ct, "brief_admission"), cc = col(ct, "cause_code"),
        cm = col(ct, "main_diagnosis");
    int ut_type = col(ut, "unit_type"), ut_set = col(ut, "setting"),
        ut_reg = col(ut, "region_code");
    size_t types[3] = { 0, 0, 0 }, lpt = 0, brief = 0, open = 0;
    for (size_t r = 0; r < ut->nrows; r++)
        assert_non_null(geo_region(&d->g, cell(ut, r, ut_reg)));
    for (size_t i = 0; i < ct->nrows; i++) {
        struct person *p = person_of(d, cell(ct, i, cp));
        long u = index_find(&d->unit_ix, cell(ct, i, cu));
        if (u < 0)
            fail_msg("unit '%s' does not exist", cell(ct, i, cu));
        const char *type = cell(ct, i, cty), *utype = cell(ut, (size_t)u, ut_type);
        bool inpatient = strcmp(type, "inpatient") == 0;
        kn_time s = tm(cell(ct, i, cs));
        check_time(p, s, "contact start");
        if (cell(ct, i, ce)[0] != '\0') {
            kn_time e = tm(cell(ct, i, ce));
            check_time(p, e, "contact end");
            assert_true(e >= s);
        } else {
            open++;
        }
        assert_string_equal(cell(ut, (size_t)u, ut_set),
                            inpatient ? "inpatient" : "outpatient");
        if (strcmp(type, "emergency") == 0) {
            types[0]++;
            assert_string_equal(utype, "emergency");
            assert_true(cell(ct, i, cc)[0] != '\0');
            assert_true(cell(ct, i, cm)[0] == 'T' || cell(ct, i, cm)[0] == 'S');
        } else {
            types[inpatient ? 2 : 1]++;
        }
        /* BUP for children, adult psychiatry from 18. */
        if (strcmp(utype, "bup") == 0)
            assert_true(is_child_at(p, s));
        if (strcmp(utype, "adult_psychiatry") == 0)
            assert_false(is_child_at(p, s));
        if (inpatient) {
            const char *l = cell(ct, i, cl);
            assert_true(strcmp(l, "voluntary") == 0 || strcmp(l, "LPT") == 0);
            lpt += strcmp(l, "LPT") == 0;
            if (strcmp(cell(ct, i, cb), "1") == 0) {
                brief++;
                assert_false(is_child_at(p, s));
                assert_string_equal(l, "voluntary");
                if (cell(ct, i, ce)[0] != '\0') {
                    kn_time len = tm(cell(ct, i, ce)) - s;
                    assert_true(len >= 20 * 3600 && len <= 72 * 3600);
                }
            } else {
                assert_string_equal(cell(ct, i, cb), "0");
            }
        } else {
            assert_string_equal(cell(ct, i, cl), "");
            assert_string_equal(cell(ct, i, cb), "");
        }
    }
    assert_true(types[0] > 0 && types[1] > 0 && types[2] > 0);
    assert_true(lpt > types[2] / 25 && lpt < types[2] / 4);
    assert_true(brief > 0 && open > 0);
}

static void test_self_harm_and_assessments(void **state)
{
    struct data *d = *state;
    const struct table *st = &d->t[SELF_HARM], *ct = &d->t[CONTACTS];
    int cp = col(st, "pnr"), ctime = col(st, "time"), cc = col(st, "cause_code"),
        cref = col(st, "contact_id");
    size_t poison = 0, x78 = 0, undetermined = 0, linked = 0;
    for (size_t i = 0; i < st->nrows; i++) {
        struct person *p = person_of(d, cell(st, i, cp));
        kn_time t = tm(cell(st, i, ctime));
        check_time(p, t, "self-harm time");
        const char *c = cell(st, i, cc);
        assert_int_equal(strlen(c), 3);
        int n = atoi(c + 1);
        if (c[0] == 'X')
            assert_true(n >= 60 && n <= 84);
        else if (c[0] == 'Y')
            assert_true(n >= 10 && n <= 34);
        else
            fail_msg("cause code '%s'", c);
        poison += c[0] == 'X' ? n <= 64 : n <= 14;
        x78 += c[0] == 'X' && n == 78;
        undetermined += c[0] == 'Y';
        if (cell(st, i, cref)[0] != '\0') {
            long r = contact_of(d, cell(st, i, cref), p);
            assert_true(tm(cell(ct, (size_t)r, col(ct, "start"))) >= t);
            linked++;
        }
    }
    double n = (double)st->nrows;
    assert_true(poison / n > 0.45 && poison / n < 0.75);
    assert_true(x78 / n > 0.15 && x78 / n < 0.35);
    assert_true(undetermined / n > 0.05 && undetermined / n < 0.15);
    assert_true(linked / n > 0.9);

    const struct table *at = &d->t[ASSESSMENTS];
    int ap = col(at, "pnr"), atime = col(at, "time"), aref = col(at, "contact_id");
    for (size_t i = 0; i < at->nrows; i++) {
        struct person *p = person_of(d, cell(at, i, ap));
        kn_time t = tm(cell(at, i, atime));
        check_time(p, t, "assessment time");
        long r = contact_of(d, cell(at, i, aref), p);
        assert_true(t >= tm(cell(ct, (size_t)r, col(ct, "start"))));
    }
}

static void test_measures(void **state)
{
    struct data *d = *state;
    const struct table *mt = &d->t[MEASURES], *ct = &d->t[CONTACTS];
    int mp = col(mt, "pnr"), ms = col(mt, "stay_id"), mty = col(mt, "measure_type"),
        ml = col(mt, "legal_basis"), md = col(mt, "decided"), mst = col(mt, "start"),
        me = col(mt, "end"), mx = col(mt, "extends_id");
    int cs = col(ct, "start"), ce = col(ct, "end");
    size_t ext = 0, child_belts = 0;
    for (size_t i = 0; i < mt->nrows; i++) {
        struct person *p = person_of(d, cell(mt, i, mp));
        long s = contact_of(d, cell(mt, i, ms), p);
        assert_string_equal(cell(ct, (size_t)s, col(ct, "contact_type")), "inpatient");
        assert_string_equal(cell(ct, (size_t)s, col(ct, "legal_basis")), "LPT");
        assert_string_equal(cell(mt, i, ml), "LPT");
        kn_time start = tm(cell(mt, i, mst)), end = tm(cell(mt, i, me));
        kn_time decided = tm(cell(mt, i, md));
        check_time(p, start, "measure start");
        check_time(p, end, "measure end");
        assert_true(end > start && decided <= start);
        kn_time ss = tm(cell(ct, (size_t)s, cs));
        assert_true(start >= ss && decided >= ss);
        if (cell(ct, (size_t)s, ce)[0] != '\0')
            assert_true(end <= tm(cell(ct, (size_t)s, ce)));
        const char *type = cell(mt, i, mty);
        bool child = is_child_at(p, start);
        /* Children: belt restraint an hour, seclusion two hours a decision. */
        if (child && strcmp(type, "fastspanning") == 0) {
            assert_true(end - start <= 3600);
            child_belts++;
        }
        if (child && strcmp(type, "avskiljning") == 0)
            assert_true(end - start <= 2 * 3600);
        if (!child && strcmp(type, "avskiljning") == 0)
            assert_true(end - start <= 8 * 3600);
        if (cell(mt, i, mx)[0] != '\0') {
            long prev = index_find(&d->measure_ix, cell(mt, i, mx));
            assert_true(prev >= 0 && (size_t)prev < i); /* written earlier */
            assert_string_equal(cell(mt, (size_t)prev, ms), cell(mt, i, ms));
            assert_string_equal(cell(mt, (size_t)prev, mty), type);
            assert_true(tm(cell(mt, (size_t)prev, me)) == start);
            ext++;
        }
    }
    assert_true(ext > 0 && child_belts > 0);
}

static void test_plans_treatments_steps(void **state)
{
    struct data *d = *state;
    const struct table *pt = &d->t[PLANS], *tt = &d->t[TREATMENTS], *wt = &d->t[STEPS];
    size_t sip = 0, dbt = 0;
    for (size_t i = 0; i < pt->nrows; i++) {
        struct person *p = person_of(d, cell(pt, i, col(pt, "pnr")));
        check_time(p, tm(cell(pt, i, col(pt, "time"))), "plan time");
        sip += strcmp(cell(pt, i, col(pt, "plan_type")), "sip") == 0;
    }
    for (size_t i = 0; i < tt->nrows; i++) {
        struct person *p = person_of(d, cell(tt, i, col(tt, "pnr")));
        kn_time s = tm(cell(tt, i, col(tt, "start")));
        check_time(p, s, "treatment start");
        const char *e = cell(tt, i, col(tt, "end"));
        if (e[0] != '\0') {
            check_time(p, tm(e), "treatment end");
            assert_true(tm(e) >= s);
        }
        dbt += strcmp(cell(tt, i, col(tt, "treatment_type")), "dbt") == 0;
    }
    size_t first = 0;
    for (size_t i = 0; i < wt->nrows; i++) {
        struct person *p = person_of(d, cell(wt, i, col(wt, "pnr")));
        kn_time t = tm(cell(wt, i, col(wt, "time")));
        check_time(p, t, "step time");
        const char *pw = cell(wt, i, col(wt, "pathway")),
                   *st = cell(wt, i, col(wt, "step"));
        assert_true(strcmp(pw, "child") == 0 || strcmp(pw, "adult") == 0);
        if (strcmp(st, "1_first_contact") == 0) {
            assert_int_equal(strcmp(pw, "child") == 0, is_child_at(p, t));
            first++;
        }
    }
    assert_true(sip > 0 && dbt > 0 && first > 0);
}

static void test_follow_ups(void **state)
{
    struct data *d = *state;
    const struct table *ft = &d->t[FOLLOW_UPS], *ct = &d->t[CONTACTS];
    for (size_t i = 0; i < ft->nrows; i++) {
        struct person *p = person_of(d, cell(ft, i, col(ft, "pnr")));
        kn_time t = tm(cell(ft, i, col(ft, "time")));
        check_time(p, t, "follow-up time");
        long s = contact_of(d, cell(ft, i, col(ft, "stay_id")), p);
        assert_string_equal(cell(ct, (size_t)s, col(ct, "contact_type")), "inpatient");
        const char *e = cell(ct, (size_t)s, col(ct, "end"));
        assert_true(e[0] != '\0' && t >= tm(e));
    }
}

/* ---- the shapes -------------------------------------------------------- */

static int band_of(int age)
{
    return age < 10 || age > 24 ? -1 : (age - 10) / 5;
}

/* Persons with an act in a year per person-year, by sex and age band. */
static void test_incidence_by_age_and_sex(void **state)
{
    struct data *d = *state;
    double num[2][3] = { { 0 } }, den[2][3] = { { 0 } };
    double year_f[5] = { 0 }, year_fd[5] = { 0 };
    for (size_t i = 0; i < d->npersons; i++) {
        const struct person *p = &d->persons[i];
        int by = date_to_ymd(p->birth).year;
        for (int y = 0; y < 5; y++) {
            int b = band_of(2020 + y - by);
            if (b < 0)
                continue;
            den[p->female][b]++;
            num[p->female][b] += p->acts[y] > 0;
            if (p->female) {
                year_fd[y]++;
                year_f[y] += p->acts[y] > 0;
            }
        }
    }
    double rate[2][3];
    for (int s = 0; s < 2; s++)
        for (int b = 0; b < 3; b++)
            rate[s][b] = num[s][b] / den[s][b];
    /* Girls 15-19 highest of all six cells. */
    for (int s = 0; s < 2; s++)
        for (int b = 0; b < 3; b++)
            if (!(s == 1 && b == 1))
                assert_true(rate[1][1] > rate[s][b] * 1.15);
    double r1519 = rate[1][1] / rate[0][1], r2024 = rate[1][2] / rate[0][2];
    if (r1519 < 2.5 || r1519 > 6.0 || r2024 >= r1519 || rate[1][0] / rate[0][0] < 2.5)
        fail_msg("girls/boys: 10-14 %.2f, 15-19 %.2f, 20-24 %.2f",
                 rate[1][0] / rate[0][0], r1519, r2024);
    /* The rise among girls in 2021. */
    assert_true(year_f[1] / year_fd[1] > 1.12 * (year_f[0] / year_fd[0]));
}

/* Regions with a high parameter against regions with a low one. */
struct split {
    double hi_num, hi_den, lo_num, lo_den;
};

static void split_add(struct split *s, double param, double lo, double hi, double num,
                      double den)
{
    if (param >= hi) {
        s->hi_num += num;
        s->hi_den += den;
    } else if (param <= lo) {
        s->lo_num += num;
        s->lo_den += den;
    }
}

static const struct reg_syn_region *region_params(const struct data *d, const char *code)
{
    for (size_t i = 0; i < d->world.nregions; i++)
        if (strcmp(d->world.regions[i].geo->code, code) == 0)
            return &d->world.regions[i];
    fail_msg("region %s", code);
    return &d->world.regions[0]; /* not reached */
}

static void test_regional_variation(void **state)
{
    struct data *d = *state;
    /* Incidence: persons with an act per person-year aged 10-24; and
     * 12-month repetition after the first act of a year. */
    struct split inc = { 0 }, rep = { 0 };
    double rep_num = 0, rep_den = 0;
    for (size_t i = 0; i < d->npersons; i++) {
        const struct person *p = &d->persons[i];
        const struct reg_syn_region *r = region_params(d, p->region);
        int by = date_to_ymd(p->birth).year;
        for (int y = 0; y < 5; y++) {
            if (band_of(2020 + y - by) < 0)
                continue;
            split_add(&inc, r->inc, 0.9, 1.2, p->acts[y] > 0, 1);
            if (p->acts[y] == 0)
                continue;
            /* Another act within 365 days after the first of the year? */
            kn_time f = p->first_act[y];
            bool again = p->acts[y] > 1;
            for (int z = y + 1; z < 5 && !again; z++)
                again =
                    p->first_act[z] != INT64_MAX && p->first_act[z] - f <= 365 * 86400;
            rep_num += again;
            rep_den++;
            split_add(&rep, r->rep, 0.16, 0.24, again, 1);
        }
    }
    double share = rep_num / rep_den;
    if (share < 0.20 || share > 0.45)
        fail_msg("12-month repetition %.2f", share);
    assert_true(inc.hi_num / inc.hi_den > 1.25 * (inc.lo_num / inc.lo_den));
    assert_true(rep.hi_num / rep.hi_den > rep.lo_num / rep.lo_den + 0.05);

    /* Follow-up within 7 days of a psychiatric discharge. */
    const struct table *ct = &d->t[CONTACTS], *ft = &d->t[FOLLOW_UPS], *ut = &d->t[UNITS];
    size_t n = ct->nrows;
    kn_time *first_fu = malloc(n * sizeof *first_fu);
    for (size_t i = 0; i < n; i++)
        first_fu[i] = INT64_MAX;
    for (size_t i = 0; i < ft->nrows; i++) {
        long s = index_find(&d->contact_ix, cell(ft, i, col(ft, "stay_id")));
        kn_time t = tm(cell(ft, i, col(ft, "time")));
        if (t < first_fu[s])
            first_fu[s] = t;
    }
    struct split fu = { 0 }, as = { 0 }, lead = { 0 };
    for (size_t i = 0; i < n; i++) {
        long u = index_find(&d->unit_ix, cell(ct, i, col(ct, "unit")));
        const char *utype = cell(ut, (size_t)u, col(ut, "unit_type"));
        const struct reg_syn_region *r =
            region_params(d, cell(ut, (size_t)u, col(ut, "region_code")));
        const char *e = cell(ct, i, col(ct, "end"));
        if (strcmp(cell(ct, i, col(ct, "brief_admission")), "0") == 0 &&
            (strcmp(utype, "bup") == 0 || strcmp(utype, "adult_psychiatry") == 0) &&
            e[0] != '\0' && tm(e) < period_end - 8 * 86400)
            split_add(&fu, r->fu7, 0.6, 0.8, first_fu[i] - tm(e) <= 7 * 86400, 1);
        if (strcmp(utype, "emergency") == 0) /* the visits; assessed ones below */
            split_add(&as, r->assess, 0.7, 0.8, 0, 1);
    }
    free(first_fu);
    /* Suicide risk assessments of emergency visits: share and lead time. */
    const struct table *at = &d->t[ASSESSMENTS];
    for (size_t i = 0; i < at->nrows; i++) {
        if (strcmp(cell(at, i, col(at, "assessment_type")), "suicide_risk") != 0)
            continue;
        long c = index_find(&d->contact_ix, cell(at, i, col(at, "contact_id")));
        if (strcmp(cell(ct, (size_t)c, col(ct, "contact_type")), "emergency") != 0)
            continue;
        long u = index_find(&d->unit_ix, cell(ct, (size_t)c, col(ct, "unit")));
        const struct reg_syn_region *r =
            region_params(d, cell(ut, (size_t)u, col(ut, "region_code")));
        split_add(&as, r->assess, 0.7, 0.8, 1, 0);
        double hours = (double)(tm(cell(at, i, col(at, "time"))) -
                                tm(cell(ct, (size_t)c, col(ct, "start")))) / 3600.0;
        split_add(&lead, r->assess_h, 8, 20, hours, 1);
    }
    assert_true(fu.hi_num / fu.hi_den > fu.lo_num / fu.lo_den + 0.1);
    assert_true(as.hi_num / as.hi_den > as.lo_num / as.lo_den + 0.1);
    assert_true(lead.hi_num / lead.hi_den > 1.5 * (lead.lo_num / lead.lo_den));
}

/* ---- determinism and options ------------------------------------------- */

static bool same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = slurp(a, &la), *y = slurp(b, &lb);
    bool same = la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    return same;
}

static void test_determinism(void **state)
{
    struct data *d = *state;
    char a[64] = "/tmp/knod-synth-a-XXXXXX", b[64] = "/tmp/knod-synth-b-XXXXXX",
         c[64] = "/tmp/knod-synth-c-XXXXXX";
    assert_non_null(mkdtemp(a));
    assert_non_null(mkdtemp(b));
    assert_non_null(mkdtemp(c));
    /* More chunks than threads, so the chunk order matters. */
    assert_int_equal(write_set(a, 9000, 3, 1, &d->g, NULL), 0);
    assert_int_equal(write_set(b, 9000, 3, 3, &d->g, NULL), 0);
    assert_int_equal(write_set(c, 9000, 4, 2, &d->g, NULL), 0);
    char pa[512], pb[512], pc[512];
    int differ = 0;
    for (int k = 0; k < NFILES; k++) {
        snprintf(pa, sizeof pa, "%s/%s", a, files[k]);
        snprintf(pb, sizeof pb, "%s/%s", b, files[k]);
        snprintf(pc, sizeof pc, "%s/%s", c, files[k]);
        if (!same_file(pa, pb))
            fail_msg("%s differs between two runs with the same seed", files[k]);
        differ += !same_file(pa, pc);
    }
    assert_int_equal(differ, NFILES - 1); /* all but units.csv */
    remove_set(a);
    remove_set(b);
    remove_set(c);
}

static void test_options(void **state)
{
    struct data *d = *state;
    struct kn_error err = KN_ERROR_INIT;
    char dir[64] = "/tmp/knod-synth-o-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct reg_synth_options o = { 0, 5, 2024, 1, dir, 1 };
    assert_int_equal(reg_synth_write(&o, &d->g, NULL, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "'persons'"));
    o.persons = REG_SYNTH_MAX_PERSONS + 1;
    assert_int_equal(reg_synth_write(&o, &d->g, NULL, &err), KN_EINPUT);
    o.persons = 10;
    o.years = 0;
    assert_int_equal(reg_synth_write(&o, &d->g, NULL, &err), KN_EINPUT);
    o.years = 5;
    o.end_year = REG_SYNTH_MIN_YEAR - 1;
    assert_int_equal(reg_synth_write(&o, &d->g, NULL, &err), KN_EINPUT);
    assert_non_null(strstr(err.msg, "'end-year'"));
    o.end_year = 2024;
    /* A plain file where the directory should be. */
    char file[128];
    snprintf(file, sizeof file, "%s/plain", dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    o.out_dir = file;
    assert_int_equal(reg_synth_write(&o, &d->g, NULL, &err), KN_EIO);
    assert_non_null(strstr(err.msg, "not a directory"));
    unlink(file);
    /* A missing directory is made; one person and one year work. */
    char sub[128];
    snprintf(sub, sizeof sub, "%s/new", dir);
    o.out_dir = sub;
    o.persons = 1;
    o.years = 1;
    struct reg_synth_stats st;
    assert_int_equal(reg_synth_write(&o, &d->g, &st, &err), 0);
    assert_int_equal(st.rows[REG_SYNTH_PERSONS], 1);
    assert_true(st.rows[REG_SYNTH_CONTACTS] >= 1);
    remove_set(sub);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_stats),
        cmocka_unit_test(test_persons),
        cmocka_unit_test(test_contacts),
        cmocka_unit_test(test_self_harm_and_assessments),
        cmocka_unit_test(test_measures),
        cmocka_unit_test(test_plans_treatments_steps),
        cmocka_unit_test(test_follow_ups),
        cmocka_unit_test(test_incidence_by_age_and_sex),
        cmocka_unit_test(test_regional_variation),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_options),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
