/* src/hub/hub_practice.c: local practice in the store (hub_practice.h). */
#include "hub/hub_practice.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "base/text.h"
#include "hub/hub_links.h"
#include "hub/hub_pathway.h"
#include "hub/hub_ref.h"
#include "hub/hub_ref_store.h"
#include "hub/hub_search.h"
#include "hub/hub_sql.h"
#include "network/net_text.h"

const char *const HUB_PRACTICE_LEVELS[] = {"preventive", "early", "severe", NULL};
const char *const HUB_PRACTICE_EVALUATIONS[] = {"not-evaluated", "ongoing", "evaluated",
                                                "published", NULL};

#define PRACTICE_TEXT_MAX 200
#define PRACTICE_LONG_MAX 4000
#define PRACTICE_LINKS_MAX 100

static const struct net_col cols[] = {
    {"id", NET_INT},           {"title", NET_TEXT},        {"region", NET_TEXT},
    {"unit", NET_TEXT},        {"level", NET_TEXT},        {"target_group", NET_TEXT},
    {"contact_role", NET_TEXT}, {"starts", NET_DAY},       {"evaluation", NET_TEXT},
    {"description", NET_TEXT}, {"references", NET_TEXT},   {"indicators", NET_TEXT},
    {"public", NET_INT},       {"steps", NET_TEXT},
};
#define NCOLS (sizeof cols / sizeof *cols)

static int required(const char *field, const char *v, size_t max, bool multiline,
                    struct kn_error *err)
{
    if (!v || !*v)
        return kn_fail(err, KN_EINPUT, "%s is missing", field);
    return hub_ref_text_check(field, v, max, multiline, err);
}

/* Call fn for each comma-separated item of list (spaces around trimmed). */
static int each_item(const char *field, const char *list,
                     int (*fn)(void *ctx, const char *item, struct kn_error *err), void *ctx,
                     struct kn_error *err)
{
    size_t count = 0;
    const char *s;
    size_t k;
    for (const char *p = list; text_list_next(&p, &s, &k);) {
        text_trim(&s, &k);
        if (k == 0 || k > HUB_REF_FIELD_MAX)
            return kn_fail(err, KN_EINPUT, "%s: items separated by commas, none empty",
                           field);
        if (++count > PRACTICE_LINKS_MAX)
            return kn_fail(err, KN_EINPUT, "%s: at most %d", field, PRACTICE_LINKS_MAX);
        char item[HUB_REF_FIELD_MAX + 1];
        memcpy(item, s, k);
        item[k] = '\0';
        int rc = fn(ctx, item, err);
        if (rc)
            return rc;
    }
    return 0;
}

struct link_ctx {
    struct store *st;
    const struct ind_catalogue *cat;
    const struct hub_pathways *ps;
    int64_t practice;
};

static int link_ref(void *vc, const char *item, struct kn_error *err)
{
    struct link_ctx *c = vc;
    int64_t ref;
    if (hub_ref_resolve(c->st, item, &ref, err) != 0)
        return kn_error_prefix(err, "--references: ");
    if (!c->practice)
        return 0;
    return hub_exec(c->st,
                    "INSERT INTO hub_practice_reference (practice_id, reference_id) VALUES "
                    "($1, $2) ON CONFLICT DO NOTHING",
                    err, "ii", c->practice, ref);
}

static int link_indicator(void *vc, const char *item, struct kn_error *err)
{
    struct link_ctx *c = vc;
    if (hub_ref_text_check("--indicators", item, HUB_REF_FIELD_MAX, false, err) != 0)
        return err->code;
    if (c->cat && !ind_find(c->cat, item))
        return kn_fail(err, KN_ENOTFOUND,
                       "--indicators: no indicator '%.60s' in the catalogue", item);
    if (!c->practice)
        return 0;
    return hub_exec(c->st,
                    "INSERT INTO hub_practice_indicator (practice_id, indicator) VALUES "
                    "($1, $2) ON CONFLICT DO NOTHING",
                    err, "it", c->practice, item);
}

static int link_step(void *vc, const char *item, struct kn_error *err)
{
    struct link_ctx *c = vc;
    const char *pathway, *step;
    if (!c->ps)
        return kn_fail(err, KN_EINPUT, "--steps: no pathways to check them against");
    if (hub_step_parse(c->ps, "--steps", item, strlen(item), &pathway, &step, err) != 0)
        return err->code;
    if (!c->practice)
        return 0;
    return hub_exec(c->st,
                    "INSERT INTO hub_practice_step (practice_id, pathway, step) VALUES "
                    "($1, $2, $3) ON CONFLICT DO NOTHING",
                    err, "itt", c->practice, pathway, step);
}

int hub_practice_add(struct store *st, const struct hub_practice *p,
                     const struct ind_catalogue *cat, const struct hub_pathways *ps,
                     kn_time now, int64_t *id, struct kn_error *err)
{
    if (required("--title", p->title, PRACTICE_TEXT_MAX, false, err) != 0 ||
        net_enum_check("--level", p->level, HUB_PRACTICE_LEVELS, err) != 0 ||
        required("--unit", p->unit, PRACTICE_TEXT_MAX, false, err) != 0 ||
        required("--target-group", p->target_group, PRACTICE_TEXT_MAX, false, err) != 0 ||
        required("--contact-role", p->contact_role, PRACTICE_TEXT_MAX, false, err) != 0 ||
        net_enum_check("--evaluation", p->evaluation, HUB_PRACTICE_EVALUATIONS, err) != 0 ||
        hub_ref_text_check("--description", p->description, PRACTICE_LONG_MAX, true, err))
        return err->code;
    if (net_region_check(st, "--region", p->region, err) != 0)
        return err->code;
    struct link_ctx c = {st, cat, ps, 0};
    /* Every link is checked before anything is written. */
    if (each_item("--references", p->references, link_ref, &c, err) != 0 ||
        each_item("--indicators", p->indicators, link_indicator, &c, err) != 0 ||
        each_item("--steps", p->steps, link_step, &c, err) != 0)
        return err->code;
    if (store_begin(st, err) != 0)
        return err->code;
    int rc = hub_exec(st,
                      "INSERT INTO hub_practice (title, region_code, unit, level, "
                      "target_group, contact_role, starts, evaluation, description, "
                      "public, created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                      "$11)",
                      err, "ttttttittii", p->title, p->region, p->unit, p->level,
                      p->target_group, p->contact_role, (int64_t)p->starts, p->evaluation,
                      p->description ? p->description : "", (int64_t)p->is_public,
                      (int64_t)now);
    if (rc == 0) {
        c.practice = store_last_insert_id(st);
        rc = each_item("--references", p->references, link_ref, &c, err);
    }
    if (rc == 0)
        rc = each_item("--indicators", p->indicators, link_indicator, &c, err);
    if (rc == 0)
        rc = each_item("--steps", p->steps, link_step, &c, err);
    if (rc == 0)
        rc = store_commit(st, err);
    if (rc != 0) {
        store_rollback(st);
        return rc;
    }
    *id = c.practice;
    return 0;
}

/* Fill the references, indicators and steps cells of rows [from, t->nrows). */
static int fill_links(struct store *st, struct net_rows *t, size_t from, struct arena *a,
                      struct kn_error *err)
{
    static const char *const sql[] = {
        "SELECT reference_id FROM hub_practice_reference WHERE practice_id = $1 "
        "ORDER BY reference_id",
        "SELECT indicator FROM hub_practice_indicator WHERE practice_id = $1 "
        "ORDER BY indicator",
        "SELECT pathway || '/' || step FROM hub_practice_step WHERE practice_id = $1 "
        "ORDER BY pathway, step"};
    static const size_t cell[] = {10, 11, 13};
    for (size_t r = from; r < t->nrows; r++) {
        for (int k = 0; k < 3; k++) {
            struct store_stmt *s;
            if (store_prepare(st, sql[k], &s, err) != 0)
                return err->code;
            store_bind_int(s, 1, strtoll(net_cell(t, r, 0), NULL, 10));
            struct strbuf b = STRBUF_INIT;
            int rc;
            while ((rc = store_step(s, err)) == STORE_ROW) {
                size_t len;
                const char *v = store_col_text(s, 0, &len);
                if (sb_addf(&b, "%s%.*s", b.len ? "," : "", (int)len, v) != 0) {
                    rc = kn_fail(err, KN_ENOMEM, "out of memory");
                    break;
                }
            }
            store_finalize(s);
            t->cells[r * t->ncols + cell[k]] = arena_strndup(a, b.buf, b.len);
            sb_release(&b);
            if (rc < 0)
                return rc;
        }
    }
    return 0;
}

#define SELECT                                                                        \
    "SELECT id, title, region_code, unit, level, target_group, contact_role, starts, " \
    "evaluation, description, NULL, NULL, public, NULL FROM hub_practice "

int hub_practice_list(struct store *st, const char *region, const char *level,
                      bool public_only, struct net_rows *out, struct arena *a,
                      struct kn_error *err)
{
    const char *p[] = {region, level, public_only ? "1" : "0"};
    size_t from = out->nrows;
    if (net_rows_query(st,
                       SELECT "WHERE ($1 IS NULL OR region_code = $1) AND ($2 IS NULL OR "
                              "level = $2) AND ($3 = '0' OR public = 1) ORDER BY "
                              "region_code, level, starts, id",
                       p, 3, cols, NCOLS, out, a, err) != 0)
        return err->code;
    return fill_links(st, out, from, a, err);
}

/* The query's stems, each with a space before it, in one buffer. */
static int query_stem(void *ctx, const char *at, size_t len, const char *lower,
                      size_t lower_len, const char *stem, size_t stem_len)
{
    (void)at, (void)len, (void)lower, (void)lower_len;
    struct strbuf *q = ctx;
    return sb_addch(q, ' ') ? KN_ENOMEM : sb_add(q, stem, stem_len) ? KN_ENOMEM : 0;
}

int hub_practice_match(struct net_rows *rows, const char *query, struct kn_error *err)
{
    static const size_t text_cols[] = {1, 3, 5, 9}; /* title, unit, target_group, description */
    struct strbuf q, text, stems;
    sb_init(&q);
    sb_init(&text);
    sb_init(&stems);
    int rc = query ? hub_stem_words(query, "sv", query_stem, &q) : 0;
    size_t kept = 0;
    for (size_t r = 0; rc == 0 && r < rows->nrows; r++) {
        const char **row = &rows->cells[r * rows->ncols];
        bool all = true;
        if (q.len > 0) {
            sb_reset(&text);
            sb_reset(&stems);
            for (size_t c = 0; rc == 0 && c < sizeof text_cols / sizeof *text_cols; c++)
                if (row[text_cols[c]] && (sb_addstr(&text, row[text_cols[c]]) != 0 ||
                                          sb_addch(&text, '\n') != 0))
                    rc = KN_ENOMEM;
            if (rc == 0 && (hub_stems(text.len ? text.buf : "", "sv", &stems) != 0 ||
                            sb_addch(&stems, '\0') != 0))
                rc = KN_ENOMEM;
            /* every stem of the query: " stem" separated in q */
            for (const char *w = q.buf; rc == 0 && all && w < q.buf + q.len;) {
                const char *e = memchr(w + 1, ' ', (size_t)(q.buf + q.len - w - 1));
                size_t wl = (size_t)((e ? e : q.buf + q.len) - (w + 1));
                char word[256];
                snprintf(word, sizeof word, "%.*s", (int)(wl < 255 ? wl : 255), w + 1);
                all = strstr(stems.buf, word) != NULL;
                w = e ? e : q.buf + q.len;
            }
        }
        if (rc == 0 && all) {
            if (kept != r)
                memmove(&rows->cells[kept * rows->ncols], row, rows->ncols * sizeof *row);
            kept++;
        }
    }
    sb_release(&q);
    sb_release(&text);
    sb_release(&stems);
    if (rc != 0)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    rows->nrows = kept;
    return 0;
}

int hub_practice_get(struct store *st, int64_t id, bool public_only, struct net_rows *out,
                     struct arena *a, struct kn_error *err)
{
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%" PRId64, id);
    const char *p[] = {idtext, public_only ? "1" : "0"};
    size_t from = out->nrows;
    if (net_rows_query(st,
                       SELECT "WHERE id = CAST($1 AS INTEGER) AND ($2 = '0' OR public = 1)",
                       p, 2, cols, NCOLS, out, a, err) != 0)
        return err->code;
    if (out->nrows == from)
        return kn_fail(err, KN_ENOTFOUND, "no practice %" PRId64, id);
    return fill_links(st, out, from, a, err);
}
