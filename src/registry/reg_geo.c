/* src/registry/reg_geo.c: reference tables in and out of the store.
 *
 * About 5,000 rows in all, written once at init with prepared statements
 * inside one transaction (well under a second).
 */
#include "registry/reg_geo.h"

#include <string.h>

static int insert_all(struct store *s, const struct geo *g, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc;

#define PREP(sql) \
    do { \
        store_finalize(st); \
        st = NULL; \
        if ((rc = store_prepare(s, sql, &st, err)) != 0) \
            return rc; \
    } while (0)
#define RUN() \
    do { \
        rc = store_step(st, err); \
        store_reset(st); \
        if (rc < 0) \
            goto out; \
    } while (0)
#define TXT(i, v) store_bind_text(st, i, v, strlen(v))

    PREP("INSERT INTO healthcare_region (code, name) VALUES ($1, $2)");
    for (size_t i = 0; i < g->nhregions; i++) {
        TXT(1, g->hregions[i].code);
        TXT(2, g->hregions[i].name);
        RUN();
    }
    PREP("INSERT INTO region (code, name, short_name, county_name, healthcare_region) "
         "VALUES ($1, $2, $3, $4, $5)");
    for (size_t i = 0; i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        TXT(1, r->code);
        TXT(2, r->name);
        TXT(3, r->short_name);
        TXT(4, r->county_name);
        TXT(5, r->healthcare_region);
        RUN();
    }
    PREP("INSERT INTO municipality (code, name, region_code, healthcare_region) "
         "VALUES ($1, $2, $3, $4)");
    for (size_t i = 0; i < g->nmunicipalities; i++) {
        const struct geo_municipality *m = &g->municipalities[i];
        TXT(1, m->code);
        TXT(2, m->name);
        TXT(3, m->region_code);
        TXT(4, m->healthcare_region);
        RUN();
    }
    PREP("INSERT INTO population (year, region_code, sex, age, population) "
         "VALUES ($1, $2, $3, $4, $5)");
    for (size_t i = 0; i < g->npopulation; i++) {
        const struct geo_population *p = &g->population[i];
        char sex[2] = { p->sex, 0 };
        store_bind_int(st, 1, p->year);
        TXT(2, p->region_code);
        TXT(3, sex);
        store_bind_int(st, 4, p->age);
        store_bind_int(st, 5, p->population);
        RUN();
    }
    PREP("INSERT INTO standard_population (standard, age_group, age_from, age_to, weight) "
         "VALUES ('ESP2013', $1, $2, $3, $4)");
    for (size_t i = 0; i < g->nesp2013; i++) {
        const struct geo_std_band *b = &g->esp2013[i];
        TXT(1, b->age_group);
        store_bind_int(st, 2, b->age_from);
        if (b->age_to < 0)
            store_bind_null(st, 3);
        else
            store_bind_int(st, 3, b->age_to);
        store_bind_double(st, 4, b->weight);
        RUN();
    }
    PREP("INSERT INTO icd10_code (code, title_sv, title_en, category, note) "
         "VALUES ($1, $2, $3, $4, $5)");
    for (size_t i = 0; i < g->nicd10; i++) {
        const struct geo_icd10 *c = &g->icd10[i];
        TXT(1, c->code);
        if (c->title_sv[0] == '\0')
            store_bind_null(st, 2);
        else
            TXT(2, c->title_sv);
        TXT(3, c->title_en);
        TXT(4, c->category);
        TXT(5, c->note);
        RUN();
    }
    rc = 0;
out:
    store_finalize(st);
    return rc;
#undef PREP
#undef RUN
#undef TXT
}

int reg_geo_install(struct store *s, const struct geo *g, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_begin(s, err);
    if (rc != 0)
        return rc;
    rc = store_prepare(s, "SELECT count(*) FROM region", &st, err);
    if (rc == 0 && (rc = store_step(st, err)) == STORE_ROW) {
        rc = store_col_int(st, 0) > 0
                 ? kn_fail(err, KN_EEXIST, "the store already holds reference geography")
                 : 0;
    }
    store_finalize(st);
    if (rc == 0)
        rc = insert_all(s, g, err);
    if (rc == 0)
        return store_commit(s, err);
    store_rollback(s);
    return rc;
}

static const char *col_dup(struct store_stmt *st, int i, struct arena *a)
{
    size_t len = 0;
    const char *t = store_col_text(st, i, &len);
    return arena_strndup(a, t, len);
}

int reg_geo_regions(struct store *s, struct arena *a, struct reg_region_row **rows,
                    size_t *n, struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc = store_prepare(s,
        "SELECT r.code, r.name, r.short_name, r.county_name, r.healthcare_region,"
        " (SELECT coalesce(sum(p.population), 0) FROM population p"
        "   WHERE p.region_code = r.code"
        "     AND p.year = (SELECT max(year) FROM population)),"
        " (SELECT coalesce(sum(p.population), 0) FROM population p"
        "   WHERE p.region_code = r.code AND p.age BETWEEN 10 AND 24"
        "     AND p.year = (SELECT max(year) FROM population)),"
        " (SELECT count(*) FROM municipality m WHERE m.region_code = r.code)"
        " FROM region r ORDER BY r.code", &st, err);
    if (rc != 0)
        return rc;
    size_t cap = 32, count = 0;
    struct reg_region_row *out = arena_calloc(a, cap, sizeof *out);
    while (out != NULL && (rc = store_step(st, err)) == STORE_ROW) {
        if (count == cap) {
            struct reg_region_row *bigger = arena_calloc(a, cap * 2, sizeof *out);
            if (bigger == NULL) {
                out = NULL;
                break;
            }
            memcpy(bigger, out, cap * sizeof *out);
            out = bigger;
            cap *= 2;
        }
        struct reg_region_row *r = &out[count++];
        r->code = col_dup(st, 0, a);
        r->name = col_dup(st, 1, a);
        r->short_name = col_dup(st, 2, a);
        r->county_name = col_dup(st, 3, a);
        r->healthcare_region = col_dup(st, 4, a);
        r->population = store_col_int(st, 5);
        r->population_10_24 = store_col_int(st, 6);
        r->municipalities = (int)store_col_int(st, 7);
    }
    store_finalize(st);
    if (out == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory listing regions");
    if (rc < 0)
        return rc;
    *rows = out;
    *n = count;
    return 0;
}

int reg_geo_municipalities(struct store *s, const char *region_code, struct arena *a,
                           struct reg_municipality_row **rows, size_t *n,
                           struct kn_error *err)
{
    struct store_stmt *st = NULL;
    int rc;
    if (region_code != NULL) {
        rc = store_prepare(s, "SELECT count(*) FROM region WHERE code = $1", &st, err);
        if (rc != 0)
            return rc;
        store_bind_text(st, 1, region_code, strlen(region_code));
        rc = store_step(st, err);
        bool known = rc == STORE_ROW && store_col_int(st, 0) > 0;
        store_finalize(st);
        if (rc < 0)
            return rc;
        if (!known)
            return kn_fail(err, KN_ENOTFOUND, "no region has the code '%s'", region_code);
    }
    rc = store_prepare(s,
        "SELECT code, name, region_code, healthcare_region FROM municipality"
        " WHERE $1 IS NULL OR region_code = $1 ORDER BY code", &st, err);
    if (rc != 0)
        return rc;
    if (region_code != NULL)
        store_bind_text(st, 1, region_code, strlen(region_code));
    else
        store_bind_null(st, 1);
    size_t cap = 512, count = 0;
    struct reg_municipality_row *out = arena_calloc(a, cap, sizeof *out);
    while (out != NULL && (rc = store_step(st, err)) == STORE_ROW) {
        if (count == cap) {
            rc = kn_fail(err, KN_EINPUT, "more than %zu municipalities", cap);
            break;
        }
        struct reg_municipality_row *m = &out[count++];
        m->code = col_dup(st, 0, a);
        m->name = col_dup(st, 1, a);
        m->region_code = col_dup(st, 2, a);
        m->healthcare_region = col_dup(st, 3, a);
    }
    store_finalize(st);
    if (out == NULL)
        return kn_fail(err, KN_ENOMEM, "out of memory listing municipalities");
    if (rc < 0)
        return rc;
    *rows = out;
    *n = count;
    return 0;
}
