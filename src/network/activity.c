/* src/network/activity.c: development activities and their funding
 * (activity.h). */
#include "network/activity.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "lang/ind.h"
#include "network/fund.h"
#include "network/net_text.h"
#include "network/node.h"

const char *const ACTIVITY_STATUSES[] = {"planned", "ongoing", "done", "stopped", NULL};
const char *const ACTIVITY_SOURCES[] = {"national-grant", "region", "municipality",
                                        "other", NULL};

/* Each comma-separated id of v is a code (a-z, 0-9, '-', '_', '.'). */
static int ids_check(const char *field, const char *v, struct kn_error *err)
{
    if (!v || !*v)
        return 0;
    if (net_text_check(field, v, NET_LONG_MAX, false, false, err) != 0)
        return err->code;
    bool fresh = true;
    for (const char *p = v; *p; p++) {
        bool ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                  (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' ||
                  (*p == ',' && !fresh);
        if (!ok || (*p == ',' && p[1] == '\0'))
            return kn_fail(err, KN_EINPUT,
                           "%s: ids separated by commas (letters, digits, '-', '_', '.')",
                           field);
        fresh = *p == ',';
    }
    return 0;
}

static void bind_or_null(struct store_stmt *s, int i, const char *v)
{
    if (v && *v)
        store_bind_text(s, i, v, strlen(v));
    else
        store_bind_null(s, i);
}

int activity_links_check(struct store *st, const struct ind_catalogue *cat,
                         const char *indicators, const char *documents,
                         struct kn_error *err)
{
    if (ids_check("--indicators", indicators, err) != 0 ||
        ids_check("--documents", documents, err) != 0)
        return err->code;
    for (int k = 0; k < 2; k++) {
        const char *p;
        size_t len;
        for (const char *at = k == 0 ? indicators : documents;
             text_list_next(&at, &p, &len);) {
            char id[128];
            bool known = false;
            if (len < sizeof id) {
                memcpy(id, p, len);
                id[len] = '\0';
                if (k == 0) {
                    known = !cat || ind_find(cat, id) != NULL;
                } else {
                    struct store_stmt *s;
                    if (store_prepare(st, "SELECT 1 FROM hub_document WHERE slug = $1",
                                      &s, err) != 0)
                        return err->code;
                    store_bind_text(s, 1, id, len);
                    int rc = store_step(s, err);
                    store_finalize(s);
                    if (rc < 0)
                        return rc;
                    known = rc == STORE_ROW;
                }
            }
            if (!known)
                return kn_fail(err, KN_EINPUT,
                               k == 0
                                   ? "--indicators: no indicator '%.*s' (knod indicators "
                                     "list lists them)"
                                   : "--documents: no document '%.*s' (knod docs list "
                                     "lists them)",
                               (int)(len > 60 ? 60 : len), p);
        }
    }
    return 0;
}

/* The checks of an activity's own fields (not its region and node). */
static int check(struct store *st, const struct activity *t,
                 const struct ind_catalogue *cat, struct kn_error *err)
{
    if (net_text_check("--title", t->title, NET_TEXT_MAX, true, false, err) != 0 ||
        net_text_check("--goal", t->goal, NET_LONG_MAX, true, true, err) != 0 ||
        net_enum_check("--status", t->status, ACTIVITY_STATUSES, err) != 0 ||
        net_text_check("--responsible", t->responsible, NET_TEXT_MAX, true, false, err) !=
            0 ||
        activity_links_check(st, cat, t->indicators, t->documents, err) != 0)
        return err->code;
    if (t->ends != ACTIVITY_OPEN && t->ends < t->starts)
        return kn_fail(err, KN_EINPUT, "--end: before --start");
    return 0;
}

static void bind_days_links(struct store_stmt *s, const struct activity *t, int first)
{
    store_bind_int(s, first, t->starts);
    if (t->ends == ACTIVITY_OPEN)
        store_bind_null(s, first + 1);
    else
        store_bind_int(s, first + 1, t->ends);
    store_bind_text(s, first + 2, t->indicators ? t->indicators : "",
                    t->indicators ? strlen(t->indicators) : 0);
    store_bind_text(s, first + 3, t->documents ? t->documents : "",
                    t->documents ? strlen(t->documents) : 0);
}

int activity_add(struct store *st, const struct activity *t,
                 const struct ind_catalogue *cat, int64_t *id, struct kn_error *err)
{
    int64_t node = 0;
    if (check(st, t, cat, err) != 0)
        return err->code;
    if (t->region && net_region_check(st, "--region", t->region, err) != 0)
        return err->code;
    if (t->node && node_id(st, t->node, &node, err) != 0)
        return kn_error_prefix(err, "--node: ");
    struct store_stmt *s;
    if (store_prepare(
            st,
            "INSERT INTO net_activity (region_code, node_id, title, goal, status, "
            "responsible, starts, ends, indicators, documents) VALUES ($1, $2, $3, "
            "$4, $5, $6, $7, $8, $9, $10)",
            &s, err) != 0)
        return err->code;
    bind_or_null(s, 1, t->region);
    if (t->node)
        store_bind_int(s, 2, node);
    else
        store_bind_null(s, 2);
    store_bind_text(s, 3, t->title, strlen(t->title));
    store_bind_text(s, 4, t->goal, strlen(t->goal));
    store_bind_text(s, 5, t->status, strlen(t->status));
    store_bind_text(s, 6, t->responsible, strlen(t->responsible));
    bind_days_links(s, t, 7);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc < 0)
        return rc;
    *id = store_last_insert_id(st);
    return 0;
}

static const char *col_or_null(struct store_stmt *s, int i, struct arena *a)
{
    size_t len = 0;
    const char *v = store_col_is_null(s, i) ? NULL : store_col_text(s, i, &len);
    return v && len ? arena_strndup(a, v, len) : NULL;
}

int activity_get(struct store *st, int64_t id, struct activity *out, struct arena *a,
                 struct kn_error *err)
{
    struct store_stmt *s;
    if (store_prepare(st,
                      "SELECT a.region_code, n.code, a.title, a.goal, a.status, "
                      "a.responsible, a.starts, a.ends, a.indicators, a.documents FROM "
                      "net_activity a LEFT JOIN net_node n ON n.id = a.node_id WHERE "
                      "a.id = $1",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        out->region = col_or_null(s, 0, a);
        out->node = col_or_null(s, 1, a);
        out->title = col_or_null(s, 2, a);
        out->goal = col_or_null(s, 3, a);
        out->status = col_or_null(s, 4, a);
        out->responsible = col_or_null(s, 5, a);
        out->starts = (kn_day)store_col_int(s, 6);
        out->ends = store_col_is_null(s, 7) ? ACTIVITY_OPEN : (kn_day)store_col_int(s, 7);
        out->indicators = col_or_null(s, 8, a);
        out->documents = col_or_null(s, 9, a);
        rc = out->title && out->goal && out->status && out->responsible
                 ? 0
                 : kn_fail(err, KN_ENOMEM, "out of memory");
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no activity %" PRId64, id);
    }
    store_finalize(s);
    return rc;
}

int activity_update(struct store *st, int64_t id, const struct activity *t,
                    const struct ind_catalogue *cat, struct kn_error *err)
{
    char region[16];
    if (activity_owner_region(st, id, region, err) != 0 || check(st, t, cat, err) != 0)
        return err->code;
    struct store_stmt *s;
    if (store_prepare(st,
                      "UPDATE net_activity SET title = $1, goal = $2, status = $3, "
                      "responsible = $4, starts = $5, ends = $6, indicators = $7, "
                      "documents = $8 WHERE id = $9",
                      &s, err) != 0)
        return err->code;
    store_bind_text(s, 1, t->title, strlen(t->title));
    store_bind_text(s, 2, t->goal, strlen(t->goal));
    store_bind_text(s, 3, t->status, strlen(t->status));
    store_bind_text(s, 4, t->responsible, strlen(t->responsible));
    bind_days_links(s, t, 5);
    store_bind_int(s, 9, id);
    int rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int activity_owner_region(struct store *st, int64_t id, char buf[16],
                          struct kn_error *err)
{
    struct store_stmt *s;
    buf[0] = '\0';
    if (store_prepare(
            st,
            "SELECT coalesce(a.region_code, n.host_region, '') FROM net_activity "
            "a LEFT JOIN net_node n ON n.id = a.node_id WHERE a.id = $1",
            &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    if (rc == STORE_ROW) {
        const char *v = store_col_text(s, 0, NULL);
        snprintf(buf, 16, "%s", v ? v : "");
        rc = 0;
    } else if (rc == STORE_DONE) {
        rc = kn_fail(err, KN_ENOTFOUND, "no activity %" PRId64, id);
    }
    store_finalize(s);
    return rc;
}

int activity_fund(struct store *st, int64_t id, const char *source, int year,
                  int64_t allocated, int64_t spent, struct kn_error *err)
{
    if (net_enum_check("--source", source, ACTIVITY_SOURCES, err) != 0)
        return err->code;
    if (year < 1900 || year > 2199)
        return kn_fail(err, KN_EINPUT, "--year: 1900 to 2199");
    if (allocated < 0 || allocated > FUND_GRANT_MAX)
        return kn_fail(err, KN_EINPUT, "--allocated: whole kronor, 0 to 10^15");
    if (spent < 0 || spent > FUND_GRANT_MAX)
        return kn_fail(err, KN_EINPUT, "--spent: whole kronor, 0 to 10^15");
    struct store_stmt *s;
    if (store_prepare(st, "SELECT 1 FROM net_activity WHERE id = $1", &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    int rc = store_step(s, err);
    store_finalize(s);
    if (rc == STORE_DONE)
        return kn_fail(err, KN_ENOTFOUND, "no activity %" PRId64, id);
    if (rc < 0)
        return rc;
    if (store_prepare(st,
                      "INSERT INTO net_activity_funding (activity_id, source, year, "
                      "allocated, spent) VALUES ($1, $2, $3, $4, $5) ON CONFLICT "
                      "(activity_id, source, year) DO UPDATE SET allocated = "
                      "excluded.allocated, spent = excluded.spent",
                      &s, err) != 0)
        return err->code;
    store_bind_int(s, 1, id);
    store_bind_text(s, 2, source, strlen(source));
    store_bind_int(s, 3, year);
    store_bind_int(s, 4, allocated);
    store_bind_int(s, 5, spent);
    rc = store_step(s, err);
    store_finalize(s);
    return rc < 0 ? rc : 0;
}

int activity_fund_list(struct store *st, int64_t id, struct net_rows *out,
                       struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {{"source", NET_TEXT},
                                          {"year", NET_INT},
                                          {"allocated", NET_INT},
                                          {"spent", NET_INT}};
    char v[24];
    snprintf(v, sizeof v, "%" PRId64, id);
    const char *p[] = {v};
    return net_rows_query(
        st,
        "SELECT source, year, allocated, spent FROM net_activity_funding "
        "WHERE activity_id = $1 ORDER BY year, source",
        p, 1, cols, 4, out, a, err);
}

int activity_list(struct store *st, const char *region, struct net_rows *out,
                  struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"id", NET_INT},           {"region", NET_TEXT},    {"node", NET_TEXT},
        {"title", NET_TEXT},       {"goal", NET_TEXT},      {"status", NET_TEXT},
        {"responsible", NET_TEXT}, {"starts", NET_DAY},     {"ends", NET_DAY},
        {"indicators", NET_TEXT},  {"documents", NET_TEXT}, {"allocated", NET_INT},
        {"spent", NET_INT},
    };
    const char *p[] = {region};
    return net_rows_query(
        st,
        "SELECT a.id, a.region_code, n.code, a.title, a.goal, a.status, a.responsible, "
        "a.starts, a.ends, a.indicators, a.documents, (SELECT coalesce(sum(allocated), "
        "0) "
        "FROM net_activity_funding WHERE activity_id = a.id), (SELECT "
        "coalesce(sum(spent), 0) "
        "FROM net_activity_funding WHERE activity_id = a.id) FROM net_activity a LEFT "
        "JOIN "
        "net_node n ON n.id = a.node_id WHERE $1 IS NULL OR a.region_code = $1 ORDER BY "
        "a.region_code IS NOT NULL, a.region_code, a.starts, a.id",
        p, 1, cols, 13, out, a, err);
}

int activity_population(struct store *st, int year, struct net_rows *out, struct arena *a,
                        struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"code", NET_TEXT}, {"population", NET_INT}, {"name", NET_TEXT}};
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {y};
    return net_rows_query(st,
                          "SELECT r.code, (SELECT coalesce(sum(population), 0) FROM "
                          "population WHERE year = $1 AND region_code = r.code), r.name "
                          "FROM region r ORDER BY r.code",
                          p, 1, cols, 3, out, a, err);
}

struct region_sum {
    char code[9];
    int64_t pop, allocated, spent, grant_allocated, grant_spent, part;
};

int activity_funding(struct store *st, int year, int64_t grant, struct net_rows *out,
                     struct arena *a, struct kn_error *err)
{
    static const struct net_col cols[] = {
        {"region", NET_TEXT},      {"allocated", NET_INT},
        {"spent", NET_INT},        {"grant_allocated", NET_INT},
        {"grant_spent", NET_INT},  {"population_part", NET_INT},
        {"unspent_part", NET_INT},
    };
    static const struct net_col scols[] = {{"region", NET_TEXT},
                                           {"a", NET_INT},
                                           {"s", NET_INT},
                                           {"ga", NET_INT},
                                           {"gs", NET_INT}};
    if (year < 1900 || year > 2199)
        return kn_fail(err, KN_EINPUT, "--year: 1900 to 2199");
    if (grant > FUND_GRANT_MAX)
        return kn_fail(err, KN_EINPUT, "--grant: whole kronor, 0 to 10^15");
    char y[8];
    snprintf(y, sizeof y, "%d", year);
    const char *p[] = {y};
    struct net_rows pop = {0}, sums = {0};
    if (activity_population(st, year, &pop, a, err) != 0 ||
        net_rows_query(
            st,
            "SELECT coalesce(a.region_code, 'national'), sum(f.allocated), "
            "sum(f.spent), sum(CASE WHEN f.source = 'national-grant' THEN "
            "f.allocated ELSE 0 END), sum(CASE WHEN f.source = 'national-grant' "
            "THEN f.spent ELSE 0 END) FROM net_activity a JOIN "
            "net_activity_funding f ON f.activity_id = a.id WHERE f.year = $1 "
            "GROUP BY a.region_code",
            p, 1, scols, 5, &sums, a, err) != 0)
        return err->code;
    size_t n = pop.nrows;
    struct region_sum *r = arena_calloc(a, n + 2, sizeof *r);
    struct fund_part *parts = arena_calloc(a, n + 1, sizeof *parts);
    if (!r || !parts)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    int64_t popsum = 0;
    for (size_t i = 0; i < n; i++) {
        snprintf(r[i].code, sizeof r[i].code, "%s", net_cell(&pop, i, 0));
        sscanf(net_cell(&pop, i, 1), "%" SCNd64, &r[i].pop);
        parts[i].weight = r[i].pop;
        popsum += r[i].pop;
    }
    snprintf(r[n].code, sizeof r[n].code, "national");
    for (size_t k = 0; k < sums.nrows; k++) {
        size_t i;
        for (i = 0; i < n && strcmp(r[i].code, net_cell(&sums, k, 0)) != 0; i++)
            ;
        int64_t *f[] = {&r[i].allocated, &r[i].spent, &r[i].grant_allocated,
                        &r[i].grant_spent};
        for (size_t c = 0; c < 4; c++)
            sscanf(net_cell(&sums, k, c + 1), "%" SCNd64, f[c]);
    }
    if (grant >= 0) {
        if (popsum == 0)
            return kn_fail(err, KN_EINPUT,
                           "--year: the store has no population for %d (knod geo)", year);
        int64_t total;
        if (fund_allocate(parts, n, grant, &total, err) != 0)
            return err->code;
        for (size_t i = 0; i < n; i++)
            r[i].part = parts[i].amount;
    }
    out->cols = cols;
    out->ncols = 7;
    struct region_sum tot = {.code = "total"};
    bool national = r[n].allocated || r[n].spent;
    for (size_t i = 0; i <= n + 1; i++) {
        struct region_sum *x = i < n ? &r[i] : i == n ? &r[n] : &tot;
        if (i == n && !national)
            continue;
        if (i <= n) {
            tot.allocated += x->allocated;
            tot.spent += x->spent;
            tot.grant_allocated += x->grant_allocated;
            tot.grant_spent += x->grant_spent;
            tot.part += x->part;
        }
        char v[6][24];
        int64_t vals[] = {x->allocated,   x->spent, x->grant_allocated,
                          x->grant_spent, x->part,  x->part - x->grant_spent};
        for (size_t c = 0; c < 6; c++)
            snprintf(v[c], sizeof v[c], "%" PRId64, vals[c]);
        bool part = grant >= 0 && i != n;
        const char *row[] = {
            x->code, v[0], v[1], v[2], v[3], part ? v[4] : NULL, part ? v[5] : NULL};
        if (net_rows_add(out, row, a, err) != 0)
            return err->code;
    }
    return 0;
}
