/* src/domain/geo.c: parsing the embedded reference files into struct geo.
 *
 * Small, trusted inputs (the largest is 4,242 population rows), parsed once
 * per process with the same CSV reader the importers use, and checked as
 * strictly as any import: header names, code shapes, references between
 * files, and counts (21 regions, 290 municipalities).
 */
#include "domain/geo.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/embed.h"

static const struct geo_healthcare_region hregions[] = {
    { "Norra", "Norra sjukvårdsregionen" },
    { "Mellansverige", "Sjukvårdsregion Mellansverige" },
    { "Stockholm-Gotland", "Sjukvårdsregion Stockholm-Gotland" },
    { "Sydöstra", "Sydöstra sjukvårdsregionen" },
    { "Södra", "Södra sjukvårdsregionen" },
    { "Västra", "Västra sjukvårdsregionen" },
};

/* Halland's southern municipalities (data/SOURCES.md, regions.csv note). */
static const char *const halland_sodra[] = { "1380", "1315", "1381" };

/* One embedded table being read: the reader, its header, and a row. */
struct table {
    const char *file;
    struct csv_reader *r;
    struct csv_record rec;
    int col[8];
    const char *const *names;
    int ncols;
};

static int table_open(struct table *t, const char *file, const char *const *names,
                      int ncols, struct kn_error *err)
{
    const struct embed_file *f = embed_find(file);
    memset(t, 0, sizeof *t);
    t->file = file;
    t->names = names;
    t->ncols = ncols;
    if (f == NULL)
        return kn_fail(err, KN_ENOTFOUND, "'%s' is not built into this knod", file);
    int rc = csv_open_mem(&t->r, (const char *)f->data, f->len, file, NULL, err);
    if (rc != 0)
        return rc;
    rc = csv_next(t->r, &t->rec, err);
    if (rc <= 0)
        return rc < 0 ? rc : kn_fail(err, KN_EINPUT, "%s: empty file", file);
    for (int i = 0; i < ncols; i++) {
        t->col[i] = csv_find(&t->rec, names[i]);
        if (t->col[i] < 0)
            return kn_fail(err, KN_EINPUT, "%s:1: missing column '%s'", file, names[i]);
    }
    return 0;
}

/* Next row: 1, 0 at the end, or an error. */
static int table_next(struct table *t, struct kn_error *err)
{
    int rc = csv_next(t->r, &t->rec, err);
    if (rc == 1 && t->rec.n < (size_t)t->ncols)
        return kn_fail(err, KN_EINPUT, "%s:%zu: %zu fields, expected %d", t->file,
                       t->rec.line, t->rec.n, t->ncols);
    return rc;
}

static const struct csv_field *cell(const struct table *t, int i)
{
    return &t->rec.f[t->col[i]];
}

static int bad(const struct table *t, int i, struct kn_error *err, const char *why)
{
    return kn_fail(err, KN_EINPUT, "%s:%zu: field '%s': %s", t->file, t->rec.line,
                   t->names[i], why);
}

static bool all_digits(const struct csv_field *f, size_t len)
{
    if (f->len != len)
        return false;
    for (size_t i = 0; i < len; i++)
        if (f->s[i] < '0' || f->s[i] > '9')
            return false;
    return true;
}

static int to_int(const struct csv_field *f, int64_t lo, int64_t hi, int64_t *out)
{
    char *end = NULL;
    if (f->len == 0 || f->len > 18)
        return -1;
    long long v = strtoll(f->s, &end, 10);
    if (end != f->s + f->len || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* Grow-by-doubling array in the arena (old copies are simply left). */
static void *grow(struct arena *a, void *arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 64;
    void *p = arena_calloc(a, ncap, size);
    if (p != NULL && n > 0)
        memcpy(p, arr, n * size);
    *cap = ncap;
    return p;
}

static char *dup(struct arena *a, const struct csv_field *f)
{
    return arena_strndup(a, f->s, f->len);
}

static int load_regions(struct geo *g, struct arena *a, struct kn_error *err)
{
    static const char *const names[] = { "code", "name", "short_name", "county_name",
                                         "healthcare_region" };
    struct table t;
    struct geo_region *arr = NULL;
    size_t n = 0, cap = 0;
    int rc = table_open(&t, "data/regions.csv", names, 5, err);
    while (rc == 0 && (rc = table_next(&t, err)) == 1) {
        rc = 0;
        if ((arr = grow(a, arr, &cap, n, sizeof *arr)) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct geo_region *r = &arr[n];
        if (!all_digits(cell(&t, 0), 2)) {
            rc = bad(&t, 0, err, "expected a two-digit county code");
            break;
        }
        memcpy(r->code, cell(&t, 0)->s, 3);
        r->name = dup(a, cell(&t, 1));
        r->short_name = dup(a, cell(&t, 2));
        r->county_name = dup(a, cell(&t, 3));
        const struct geo_healthcare_region *h = NULL;
        for (size_t i = 0; i < sizeof hregions / sizeof hregions[0]; i++)
            if (strcmp(hregions[i].code, cell(&t, 4)->s) == 0)
                h = &hregions[i];
        if (h == NULL) {
            rc = bad(&t, 4, err, "not one of the six healthcare regions");
            break;
        }
        r->healthcare_region = h->code;
        if (r->name == NULL || r->short_name == NULL || r->county_name == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        g->regions = arr;
        g->nregions = ++n;
    }
    csv_free(t.r);
    if (rc < 0)
        return rc;
    if (g->nregions != 21)
        return kn_fail(err, KN_EINPUT, "data/regions.csv: %zu regions, expected 21",
                       g->nregions);
    return 0;
}

static int load_municipalities(struct geo *g, struct arena *a, struct kn_error *err)
{
    static const char *const names[] = { "code", "name", "region_code" };
    struct table t;
    struct geo_municipality *arr = NULL;
    size_t n = 0, cap = 0;
    int rc = table_open(&t, "data/municipalities.csv", names, 3, err);
    while (rc == 0 && (rc = table_next(&t, err)) == 1) {
        rc = 0;
        if ((arr = grow(a, arr, &cap, n, sizeof *arr)) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct geo_municipality *m = &arr[n];
        if (!all_digits(cell(&t, 0), 4)) {
            rc = bad(&t, 0, err, "expected a four-digit municipality code");
            break;
        }
        const struct geo_region *r = geo_region(g, cell(&t, 2)->s);
        if (r == NULL) {
            rc = bad(&t, 2, err, "not a region code in regions.csv");
            break;
        }
        if (memcmp(cell(&t, 0)->s, r->code, 2) != 0) {
            rc = bad(&t, 0, err, "does not begin with its region code");
            break;
        }
        if (geo_municipality(g, cell(&t, 0)->s) != NULL) {
            rc = bad(&t, 0, err, "listed twice");
            break;
        }
        memcpy(m->code, cell(&t, 0)->s, 5);
        memcpy(m->region_code, r->code, 3);
        m->healthcare_region = r->healthcare_region;
        for (size_t i = 0; i < sizeof halland_sodra / sizeof halland_sodra[0]; i++)
            if (strcmp(m->code, halland_sodra[i]) == 0)
                m->healthcare_region = "Södra";
        if ((m->name = dup(a, cell(&t, 1))) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        g->municipalities = arr;
        g->nmunicipalities = ++n;
    }
    csv_free(t.r);
    if (rc < 0)
        return rc;
    if (g->nmunicipalities != 290)
        return kn_fail(err, KN_EINPUT,
                       "data/municipalities.csv: %zu municipalities, expected 290",
                       g->nmunicipalities);
    return 0;
}

static int load_population(struct geo *g, struct arena *a, struct kn_error *err)
{
    static const char *const names[] = { "year", "region_code", "sex", "age",
                                         "population" };
    struct table t;
    struct geo_population *arr = NULL;
    size_t n = 0, cap = 0;
    int rc = table_open(&t, "data/population.csv", names, 5, err);
    while (rc == 0 && (rc = table_next(&t, err)) == 1) {
        rc = 0;
        if ((arr = grow(a, arr, &cap, n, sizeof *arr)) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct geo_population *p = &arr[n];
        int64_t v;
        if (to_int(cell(&t, 0), 1900, 2200, &v) != 0) {
            rc = bad(&t, 0, err, "expected a year");
            break;
        }
        p->year = (int)v;
        const struct geo_region *r = geo_region(g, cell(&t, 1)->s);
        if (r == NULL) {
            rc = bad(&t, 1, err, "not a region code in regions.csv");
            break;
        }
        memcpy(p->region_code, r->code, 3);
        if (cell(&t, 2)->len != 1 || (cell(&t, 2)->s[0] != 'F' && cell(&t, 2)->s[0] != 'M')) {
            rc = bad(&t, 2, err, "expected F or M");
            break;
        }
        p->sex = cell(&t, 2)->s[0];
        if (strcmp(cell(&t, 3)->s, "100+") == 0) {
            p->age = GEO_AGE_OPEN;
        } else if (to_int(cell(&t, 3), 0, 99, &v) == 0) {
            p->age = (int)v;
        } else {
            rc = bad(&t, 3, err, "expected an age 0..99 or 100+");
            break;
        }
        if (to_int(cell(&t, 4), 0, 100000000, &p->population) != 0) {
            rc = bad(&t, 4, err, "expected a count of persons");
            break;
        }
        g->population = arr;
        g->npopulation = ++n;
    }
    csv_free(t.r);
    return rc < 0 ? rc : 0;
}

static int load_esp(struct geo *g, struct arena *a, struct kn_error *err)
{
    static const char *const names[] = { "age_group", "age_from", "age_to", "weight" };
    struct table t;
    struct geo_std_band *arr = NULL;
    size_t n = 0, cap = 0;
    double total = 0;
    int rc = table_open(&t, "data/esp2013.csv", names, 4, err);
    while (rc == 0 && (rc = table_next(&t, err)) == 1) {
        rc = 0;
        if ((arr = grow(a, arr, &cap, n, sizeof *arr)) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct geo_std_band *b = &arr[n];
        int64_t from, to = -1, w;
        if (to_int(cell(&t, 1), 0, 150, &from) != 0) {
            rc = bad(&t, 1, err, "expected an age");
            break;
        }
        if (cell(&t, 2)->len > 0 && (to_int(cell(&t, 2), from, 150, &to) != 0)) {
            rc = bad(&t, 2, err, "expected an age not below age_from, or empty");
            break;
        }
        if (n > 0 && (arr[n - 1].age_to < 0 || from != arr[n - 1].age_to + 1)) {
            rc = bad(&t, 1, err, "bands must follow each other without gaps");
            break;
        }
        if (to_int(cell(&t, 3), 1, 100000, &w) != 0) {
            rc = bad(&t, 3, err, "expected a positive whole weight");
            break;
        }
        b->age_group = dup(a, cell(&t, 0));
        b->age_from = (int)from;
        b->age_to = (int)to;
        b->weight = (double)w;
        total += b->weight;
        g->esp2013 = arr;
        g->nesp2013 = ++n;
    }
    csv_free(t.r);
    if (rc < 0)
        return rc;
    if (total != 100000.0 || n == 0 || arr[n - 1].age_to != -1 || arr[0].age_from != 0)
        return kn_fail(err, KN_EINPUT, "data/esp2013.csv: bands must cover age 0 to an "
                                       "open top band and weigh 100000 in all");
    return 0;
}

static int load_icd10(struct geo *g, struct arena *a, struct kn_error *err)
{
    static const char *const names[] = { "code", "title_sv", "title_en", "category",
                                         "note" };
    struct table t;
    struct geo_icd10 *arr = NULL;
    size_t n = 0, cap = 0;
    int rc = table_open(&t, "data/icd10-self-harm.csv", names, 5, err);
    while (rc == 0 && (rc = table_next(&t, err)) == 1) {
        rc = 0;
        if ((arr = grow(a, arr, &cap, n, sizeof *arr)) == NULL) {
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
            break;
        }
        struct geo_icd10 *c = &arr[n];
        if (cell(&t, 0)->len < 3 || cell(&t, 2)->len == 0 || cell(&t, 3)->len == 0) {
            rc = bad(&t, cell(&t, 0)->len < 3 ? 0 : cell(&t, 2)->len == 0 ? 2 : 3, err,
                     "required");
            break;
        }
        c->code = dup(a, cell(&t, 0));
        c->title_sv = dup(a, cell(&t, 1));
        c->title_en = dup(a, cell(&t, 2));
        c->category = dup(a, cell(&t, 3));
        c->note = dup(a, cell(&t, 4));
        g->icd10 = arr;
        g->nicd10 = ++n;
    }
    csv_free(t.r);
    return rc < 0 ? rc : 0;
}

int geo_load(struct geo *g, struct arena *a, struct kn_error *err)
{
    memset(g, 0, sizeof *g);
    g->hregions = hregions;
    g->nhregions = sizeof hregions / sizeof hregions[0];
    int rc = load_regions(g, a, err);
    if (rc == 0)
        rc = load_municipalities(g, a, err);
    if (rc == 0)
        rc = load_population(g, a, err);
    if (rc == 0)
        rc = load_esp(g, a, err);
    if (rc == 0)
        rc = load_icd10(g, a, err);
    return rc;
}

const struct geo_region *geo_region(const struct geo *g, const char *code)
{
    for (size_t i = 0; i < g->nregions; i++)
        if (strcmp(g->regions[i].code, code) == 0)
            return &g->regions[i];
    return NULL;
}

const struct geo_municipality *geo_municipality(const struct geo *g, const char *code)
{
    for (size_t i = 0; i < g->nmunicipalities; i++)
        if (strcmp(g->municipalities[i].code, code) == 0)
            return &g->municipalities[i];
    return NULL;
}

const struct geo_healthcare_region *geo_healthcare_region(const struct geo *g,
                                                          const char *code)
{
    for (size_t i = 0; i < g->nhregions; i++)
        if (strcmp(g->hregions[i].code, code) == 0)
            return &g->hregions[i];
    return NULL;
}

int64_t geo_population_sum(const struct geo *g, const char *region_code, char sex,
                           int age_from, int age_to)
{
    int latest = 0;
    for (size_t i = 0; i < g->npopulation; i++)
        if (g->population[i].year > latest)
            latest = g->population[i].year;
    int64_t sum = 0;
    for (size_t i = 0; i < g->npopulation; i++) {
        const struct geo_population *p = &g->population[i];
        if (p->year != latest || p->age < age_from || p->age > age_to)
            continue;
        if (sex != 0 && p->sex != sex)
            continue;
        if (region_code != NULL && strcmp(p->region_code, region_code) != 0)
            continue;
        sum += p->population;
    }
    return sum;
}
