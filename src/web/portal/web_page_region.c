/* src/web/portal/web_page_region.c: the regions (GET /regions, /api/v1/regions),
 * one region's profile (GET /regions/{code}, /api/v1/regions/{code}) and
 * the municipalities (GET /api/v1/municipalities).
 *
 * A profile has every indicator broken down by region, its headline
 * measure in its latest period: the region's value, the nation's, the
 * lowest and highest of the regions' shown values, and the significance
 * against the nation at 95 % or 99.8 % (?level=). Below it the region's
 * municipalities or units for each indicator that has them (web_fine.h),
 * and the downloads of the region's results (web_downloads.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "disclosure/sup.h"
#include "web/portal/web_charts.h"
#include "web/portal/web_downloads.h"
#include "web/portal/web_fine.h"
#include "web/web_model.h"
#include "web/web_pages.h"

static const char *region_name(const struct geo_region *r)
{
    return r->short_name ? r->short_name : r->name;
}

int web_page_regions(struct web_req *rq)
{
    const struct geo *g = rq->app->geo;
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "regions", list))
        return 500;
    for (size_t i = 0; i < g->nregions; i++) {
        const struct geo_region *r = &g->regions[i];
        const struct geo_healthcare_region *hc = geo_healthcare_region(g, r->healthcare_region);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "code", r->code, "name", region_name(r),
                              "healthcare_region", hc ? hc->name : "", "url",
                              arena_printf(rq->arena, "/regions/%s", r->code));
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return 200;
}

int web_api_municipalities(struct web_req *rq)
{
    const struct geo *g = rq->app->geo;
    const char *region = web_query(rq, "region");
    if (region && !geo_region(g, region))
        return web_bad_param(rq, "region", "region takes a region code, 01 to 25");
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "municipalities", list))
        return 500;
    for (size_t i = 0; i < g->nmunicipalities; i++) {
        const struct geo_municipality *m = &g->municipalities[i];
        if (region && strcmp(region, m->region_code) != 0)
            continue;
        json_t *o = json_pack("{s:s, s:s, s:s}", "code", m->code, "name", m->name, "region",
                              m->region_code);
        if (!o || json_array_append_new(list, o) != 0)
            return 500;
    }
    return 200;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The shown values of the regions in period p, sorted: lowest, quartiles
 * (nearest rank), highest. False when no region's value is shown. */
static bool region_range(const struct eng_result *r, int p, double q[4])
{
    double v[64];
    size_t n = 0;
    for (size_t g = 0; g < r->ngeo && n < 64; g++) {
        if (eng_geo_level(r, g) != ENG_GEO_REGION || !eng_geo_shown(r, g))
            continue;
        const struct eng_cell *c = eng_cell(r, p, g, 0, 0);
        if ((c->flags & ENG_HAS_VALUE) && !sup_hidden(c) && isfinite(c->value))
            v[n++] = c->value;
    }
    if (n == 0)
        return false;
    qsort(v, n, sizeof v[0], cmp_double);
    q[0] = v[0];
    q[1] = v[(n - 1) / 4];
    q[2] = v[(3 * (n - 1)) / 4];
    q[3] = v[n - 1];
    return true;
}

/* The profile as a spine chart: one row per indicator with a range. */
static bool chart_spine(struct web_req *rq, json_t *m)
{
    json_t *rows = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(m, "rows"), i, row) {
        json_t *q = json_object_get(row, "quartiles");
        if (!json_is_array(q))
            continue;
        const json_t *ind = json_object_get(row, "indicator");
        json_array_append_new(rows, json_pack(
            "{s:O, s:O, s:O, s:O, s:O, s:O, s:O, s:b, s:s}", "label",
            json_object_get(ind, "title"), "value",
            json_object_get(json_object_get(row, "cell"), "value"), "nation",
            json_object_get(json_object_get(row, "nation"), "value"), "min",
            json_array_get(q, 0), "q1", json_array_get(q, 1), "q3", json_array_get(q, 2), "max",
            json_array_get(q, 3), "higher_is_better",
            strcmp(json_string_value(json_object_get(ind, "direction")), "higher") == 0, "sig",
            web_chart_sig(json_string_value(json_object_get(row, "sig")))));
    }
    if (json_array_size(rows) == 0) {
        json_decref(rows);
        return true;
    }
    const char *title = arena_printf(rq->arena, "%s: %s", web_t(rq, "region_profile"),
                                     json_string_value(json_object_get(m, "heading")));
    return web_chart_add(m, "spine", "spine",
                         json_pack("{s:s, s:s, s:s, s:o, s:o, s:b}", "id", "spine", "title",
                                   title, "desc", web_t(rq, "chart_spine_desc"), "rows", rows,
                                   "legend", web_chart_legend(rq), "decimal_comma",
                                   rq->lang == WEB_SV));
}

/* The region's municipalities or units, one section per indicator that
 * has them (headline measure, latest period); the first is drawn as the
 * chart "fine" (a template names each chart it draws). */
static bool fine_sections(struct web_req *rq, json_t *m, const struct geo_region *gr, bool l998)
{
    const struct ind_catalogue *cat = rq->app->cat;
    json_t *list = json_array();
    if (!web_set(m, "fine", list))
        return false;
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (ind_find(cat, d->id) != d || !web_fine_has(d))
            continue;
        struct web_point *pts;
        size_t n = web_series(rq->view, d->id, NULL, rq->arena, &pts);
        if (!n)
            continue;
        json_t *fine = web_fine(rq, &pts[n - 1], gr->code, l998);
        bool first = json_array_size(list) == 0;
        const char *unit = web_unit(rq, &d->measures[d->target_measure]);
        if (!fine || json_array_append_new(list, fine) != 0 ||
            !web_set(fine, "indicator", web_def_summary(rq, d)) ||
            !web_sets(fine, "unit", unit) || !web_set(fine, "chart", json_boolean(first)))
            return false;
        const char *title = arena_printf(rq->arena, "%s %s, %s", web_title(rq, d),
                                         pts[n - 1].text, region_name(gr));
        if (first && !web_fine_chart(rq, m, "fine", &pts[n - 1], fine, title, unit))
            return false;
    }
    return true;
}

int web_page_region(struct web_req *rq)
{
    const struct geo_region *gr = geo_region(rq->app->geo, web_param(rq, "code"));
    if (!gr)
        return web_not_found(rq, web_t(rq, "err_no_region"));
    int status;
    bool l998 = web_level(rq, &status);
    if (status)
        return status;
    const struct ind_catalogue *cat = rq->app->cat;
    json_t *rows = json_array();
    rq->model = json_object();
    if (!rows || !rq->model || !web_set(rq->model, "rows", rows) ||
        !web_set(rq->model, "region", json_pack("{s:s, s:s}", "code", gr->code, "name",
                                                region_name(gr))) ||
        !web_sets(rq->model, "heading", region_name(gr)) ||
        !web_sets(rq->model, "level", l998 ? "99.8" : "95") ||
        !web_set(rq->model, "level998", json_boolean(l998)) ||
        !web_set(rq->model, "downloads",
                 web_downloads(rq, arena_printf(rq->arena, "level=region&code=%s", gr->code),
                               "")))
        return 500;
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (ind_find(cat, d->id) != d || !(d->dims & IND_DIM_REGION))
            continue;
        struct web_point *pts;
        size_t n = web_series(rq->view, d->id, NULL, rq->arena, &pts);
        if (!n)
            continue;
        const struct web_point *pt = &pts[n - 1];
        const struct eng_result *r = pt->r;
        long g = web_geo_find(r, rq->view->snap, ENG_GEO_REGION, gr->code);
        if (g < 0)
            continue;
        const struct eng_cell *c = eng_cell(r, pt->p, (size_t)g, 0, 0);
        const struct eng_cell *nat = eng_cell(r, pt->p, 0, 0, 0);
        const char *sig = web_sig(r, c, nat, l998);
        double q[4] = { 0, 0, 0, 0 };
        char lt[64] = "", ht[64] = "";
        bool ranged = region_range(r, pt->p, q);
        if (ranged) {
            web_fmt(rq, q[0], web_decimals(r), lt, sizeof lt);
            web_fmt(rq, q[3], web_decimals(r), ht, sizeof ht);
        }
        double lo = q[0], hi = q[3];
        json_t *row = json_object();
        if (!row || json_array_append_new(rows, row) != 0 ||
            !web_set(row, "indicator", web_def_summary(rq, d)) ||
            !web_sets(row, "period", pt->text) ||
            !web_set(row, "cell", web_cell(rq, r, c, l998)) ||
            !web_set(row, "nation", web_cell(rq, r, nat, l998)) ||
            !web_set(row, "min", lt[0] ? json_real(lo) : json_null()) ||
            !web_set(row, "max", ht[0] ? json_real(hi) : json_null()) ||
            !web_sets(row, "min_text", lt) || !web_sets(row, "max_text", ht) ||
            !web_sets(row, "sig", sig) || !web_sets(row, "sig_text", web_sig_text(rq, sig)) ||
            (ranged && !web_set(row, "quartiles", json_pack("[f, f, f, f]", q[0], q[1], q[2],
                                                             q[3]))))
            return 500;
    }
    return chart_spine(rq, rq->model) && fine_sections(rq, rq->model, gr, l998) ? 200 : 500;
}
