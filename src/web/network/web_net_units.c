/* src/web/network/web_net_units.c: the inventory of care units and
 * municipal services with their resources, and its history. Public: what a
 * unit offers is public information (no person-level data).
 *
 *   GET /units, /api/v1/units   unit_list as of ?as_of= (default today),
 *       filtered by ?region= (a region code), ?kind= (the unit's type:
 *       bup, adult_psychiatry, ..., nhv, municipal) and ?age= (units whose
 *       age group includes that age); the NHV clinics of the list again
 *       under "nhv", with catchment, offers and access for placed children
 *       and young people. ?format=csv|xlsx downloads the list.
 *   GET /units/{code}, /api/v1/units/{code}   unit_history: every version,
 *       oldest first, with since and until.
 * The pages link the forms of web_net_unit_edit.c where the user may go
 * (web_route_may: the route table decides).
 */
#include <stdlib.h>
#include <string.h>

#include "base/strbuf.h"
#include "domain/geo.h"
#include "network/net_text.h"
#include "network/unit.h"
#include "web/network/web_net.h"
#include "web/web_model.h"
#include "web/web_router.h"
#include "web/web_session.h"

static const char *const kinds[] = {"bup",         "adult_psychiatry", "emergency", "somatic",
                                    "primary_care", "nhv",             "municipal", NULL};

/* Column c of t by name; -1 if none. */
static int col(const struct net_rows *t, const char *name)
{
    for (size_t c = 0; c < t->ncols; c++)
        if (strcmp(t->cols[c].name, name) == 0)
            return (int)c;
    return -1;
}

/* The rows of t whose age group includes age (age < 0: all) into out. */
static int filter_age(const struct net_rows *t, long age, struct net_rows *out,
                      struct arena *a, struct kn_error *err)
{
    int from = col(t, "age_from"), to = col(t, "age_to");
    *out = (struct net_rows){.cols = t->cols, .ncols = t->ncols};
    for (size_t r = 0; r < t->nrows; r++) {
        const char *f = net_cell(t, r, (size_t)from), *e = net_cell(t, r, (size_t)to);
        if (age >= 0 && (!f || !e || atol(f) > age || atol(e) < age))
            continue;
        if (net_rows_add(out, &t->cells[r * t->ncols], a, err) != 0)
            return err->code;
    }
    return 0;
}

/* The words of a unit's code c ("unit_o_" messages: its type, setting or
 * an offer), or c itself when there are none. */
static const char *word(struct web_req *rq, const char *c)
{
    char *k = arena_printf(rq->arena, "unit_o_%s", c);
    for (char *p = k; p && *p; p++)
        *p = *p == '-' ? '_' : *p;
    const char *w = k ? web_t(rq, k) : NULL;
    return w && strcmp(w, k) != 0 ? w : c; /* no such message: its key */
}

/* The words of a comma list of codes, ", " between them. */
static const char *words(struct web_req *rq, const char *list)
{
    struct strbuf sb = STRBUF_INIT;
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *c = arena_strndup(rq->arena, p, n);
        if (sb.len)
            sb_addstr(&sb, ", ");
        sb_addstr(&sb, c ? word(rq, c) : "");
        p += n + (p[n] == ',');
    }
    const char *w = arena_strdup(rq->arena, sb.len ? sb.buf : "");
    sb_release(&sb);
    return w;
}

/* The yes/no columns of the rows of arr as JSON booleans, null where
 * never stated (the CSV keeps 1, 0 and empty, as `knod unit list` prints
 * them); for a page also the words of each one ("brief_admission_text":
 * yes, no or not stated), of the type, setting and offers and the
 * region's name, since a code (bup, family-therapy, 12) is no word. */
static bool yes_no(struct web_req *rq, json_t *arr)
{
    static const char *const keys[] = {"brief_admission", "placed_access", "sis_access"};
    static const char *const coded[] = {"type", "setting", "offers", "nhv_offers"};
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o)
    {
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            json_t *v = json_object_get(o, keys[k]);
            bool known = json_is_integer(v), yes = known && json_integer_value(v) != 0;
            if (known && json_object_set_new(o, keys[k], json_boolean(yes)) != 0)
                return false;
            if (!rq->api && !web_sets(o, arena_printf(rq->arena, "%s_text", keys[k]),
                                      web_t(rq, !known ? "net_not_stated"
                                                : yes  ? "net_yes"
                                                       : "net_no")))
                return false;
        }
        if (rq->api)
            continue;
        for (size_t k = 0; k < sizeof coded / sizeof coded[0]; k++) {
            const char *v = json_string_value(json_object_get(o, coded[k]));
            if (v &&
                !web_sets(o, arena_printf(rq->arena, "%s_text", coded[k]), words(rq, v)))
                return false;
        }
        const char *rc = json_string_value(json_object_get(o, "region"));
        const struct geo_region *g = rc ? geo_region(rq->app->geo, rc) : NULL;
        if (g && !web_sets(o, "region_text", g->name))
            return false;
    }
    return true;
}

int web_net_units(struct web_req *rq)
{
    const char *region = web_query(rq, "region"), *kind = web_query(rq, "kind"),
               *age_s = web_query(rq, "age");
    struct store *st = web_store(rq);
    struct net_rows all = {0}, t = {0};
    struct kn_error err = KN_ERROR_INIT;
    long age = -1;
    kn_day on;
    int status = 500;
    if (!web_net_day(rq, "as_of", time_to_day(rq->now), &on, &status))
        return status;
    if (region && !*region)
        region = NULL;
    if (kind && !*kind)
        kind = NULL;
    if (kind && net_enum_check("kind", kind, kinds, &err) != 0)
        return web_bad_param(rq, "kind", web_t(rq, "net_err_kind"));
    if (age_s && *age_s && net_int_parse("age", age_s, 0, 130, &age, &err) != 0)
        return web_bad_param(rq, "age", web_t(rq, "net_err_age"));
    if (!st)
        return 500;
    if (region && net_region_check(st, "region", region, &err) != 0)
        return web_bad_param(rq, "region", web_t(rq, "net_err_region"));
    int rc = unit_list(st, on, region, kind, &all, rq->arena, &err);
    if (rc == 0)
        rc = filter_age(&all, age, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "as_of");
    if ((rc = web_net_export(rq, &t, "units")) != 0)
        return rc;
    char day[11];
    date_format(on, day);
    if (!web_net_model(rq, "units", &t))
        return 500;
    json_t *units = json_object_get(rq->model, "units"), *nhv = json_array(), *o;
    size_t i;
    if (!yes_no(rq, units) || !web_set(rq->model, "nhv", nhv))
        return 500;
    json_array_foreach(units, i, o)
    {
        if (strcmp(json_string_value(json_object_get(o, "type")), "nhv") == 0 &&
            json_array_append(nhv, o) != 0)
            return 500;
    }
    json_t *kl = json_array();
    if (!web_set(rq->model, "kinds", kl))
        return 500;
    for (size_t k = 0; kinds[k]; k++) {
        json_t *x = json_pack("{s:s, s:b}", "kind", kinds[k], "selected",
                              kind && strcmp(kind, kinds[k]) == 0);
        if (x && !rq->api && !web_sets(x, "text", word(rq, kinds[k]))) {
            json_decref(x);
            x = NULL;
        }
        if (!x || json_array_append_new(kl, x) != 0)
            return 500;
    }
    if (!rq->api && !web_set(rq->model, "can_add",
                             json_boolean(web_route_may(rq, "GET", "/units/new"))))
        return 500;
    if (!web_sets(rq->model, "as_of", day) || !web_sets(rq->model, "region", region) ||
        !web_sets(rq->model, "kind", kind) ||
        !web_sets(rq->model, "age", age >= 0 ? age_s : NULL) ||
        !web_sets(rq->model, "query",
                  arena_printf(rq->arena, "as_of=%s&region=%s&kind=%s&age=%s", day,
                               region ? region : "", kind ? kind : "",
                               age >= 0 ? age_s : "")))
        return 500;
    return 200;
}

int web_net_unit(struct web_req *rq)
{
    const char *code = web_param(rq, "code");
    struct store *st = web_store(rq);
    struct net_rows t = {0};
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = unit_history(st, code, &t, rq->arena, &err);
    if (rc != 0)
        return web_net_fail(rq, rc, &err, "code");
    if ((rc = web_net_export(rq, &t, "unit-history")) != 0)
        return rc;
    if (!web_net_model(rq, "versions", &t))
        return 500;
    json_t *v = json_object_get(rq->model, "versions");
    if (!yes_no(rq, v))
        return 500;
    json_t *cur = json_array_get(v, json_array_size(v) - 1);
    if (!web_sets(rq->model, "code", code) || !web_set(rq->model, "current", json_incref(cur)))
        return 500;
    if (rq->api)
        return 200;
    /* the page: a link to the change form where the user may go, and
     * after a change (web_net_unit_edit.c) its day */
    const char *saved = web_query(rq, "saved");
    kn_day d;
    struct kn_error derr = KN_ERROR_INIT;
    if (saved && date_parse(saved, strlen(saved), &d, &derr) == 0 &&
        !web_sets(rq->model, "saved", saved))
        return 500;
    bool may = web_route_may(rq, "GET", arena_printf(rq->arena, "/units/%s/change", code));
    return web_set(rq->model, "can_change", json_boolean(may)) ? 200 : 500;
}
