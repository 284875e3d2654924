/* src/web/web_page_region.c: the regions (GET /regions, /api/v1/regions),
 * one region's profile (GET /regions/{code}, /api/v1/regions/{code}) and
 * the municipalities (GET /api/v1/municipalities).
 *
 * A profile has every indicator broken down by region, its headline
 * measure in its latest period: the region's value, the nation's, the
 * lowest and highest of the regions' shown values, and the significance
 * against the nation at 95 % or 99.8 % (?level=).
 */
#include <math.h>
#include <string.h>

#include "stats/sup.h"
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

/* Lowest and highest shown value of the regions in period p. */
static bool region_range(const struct eng_result *r, int p, double *lo, double *hi)
{
    bool any = false;
    for (size_t g = 0; g < r->ngeo; g++) {
        if (eng_geo_level(r, g) != ENG_GEO_REGION || !eng_geo_shown(r, g))
            continue;
        const struct eng_cell *c = eng_cell(r, p, g, 0, 0);
        if (!(c->flags & ENG_HAS_VALUE) || sup_hidden(c) || !isfinite(c->value))
            continue;
        if (!any || c->value < *lo)
            *lo = c->value;
        if (!any || c->value > *hi)
            *hi = c->value;
        any = true;
    }
    return any;
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
        !web_set(rq->model, "level998", json_boolean(l998)))
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
        double lo = 0, hi = 0;
        char lt[64] = "", ht[64] = "";
        if (region_range(r, pt->p, &lo, &hi)) {
            web_fmt(rq, lo, web_decimals(r), lt, sizeof lt);
            web_fmt(rq, hi, web_decimals(r), ht, sizeof ht);
        }
        json_t *row = json_object();
        if (!row || json_array_append_new(rows, row) != 0 ||
            !web_set(row, "indicator", web_def_summary(rq, d)) ||
            !web_sets(row, "period", pt->text) ||
            !web_set(row, "cell", web_cell(rq, r, c, l998)) ||
            !web_set(row, "nation", web_cell(rq, r, nat, l998)) ||
            !web_set(row, "min", lt[0] ? json_real(lo) : json_null()) ||
            !web_set(row, "max", ht[0] ? json_real(hi) : json_null()) ||
            !web_sets(row, "min_text", lt) || !web_sets(row, "max_text", ht) ||
            !web_sets(row, "sig", sig) || !web_sets(row, "sig_text", web_sig_text(rq, sig)))
            return 500;
    }
    return 200;
}
