/* src/web/portal/web_page_about.c: about the data with the accessibility
 * statement (GET /about) and the downloads (GET /downloads). Their text is
 * in the message catalogue; the models carry the numbers the text needs
 * (the disclosure thresholds of knod.ini), the coverage per region and the
 * download links.
 *
 * The coverage: every indicator of the goal area "data quality and
 * coverage" (IND_GOAL_QUALITY) in its latest period, for each region its
 * value (suppressed as everywhere) and its status against the target:
 *
 *   "coverage": { "indicators": [summary + "period"],
 *                 "rows": [{"code", "name", "url",
 *                           "cells": [{"cell", "status", "status_text"}]}] }
 *
 * The page does not wait for results (the route needs none, so the
 * accessibility statement answers at once): it takes the current view if
 * there is one, and without one says that the figures are being computed.
 */
#include <stdio.h>
#include <string.h>

#include "base/config.h"
#include "export/eng_out.h"
#include "web/web_model.h"
#include "web/web_pages.h"
#include "web/web_results.h"

/* One region's cell and status of the indicator at point pt. */
static json_t *coverage_cell(struct web_req *rq, const struct web_point *pt, const char *code)
{
    static const struct eng_cell empty;
    const struct eng_result *r = pt->r;
    long g = web_geo_find(r, rq->view->snap, ENG_GEO_REGION, code);
    bool shown = g >= 0 && eng_geo_shown(r, (size_t)g);
    const char *st = shown ? eng_status(r, pt->p, (size_t)g, 0, 0) : "";
    char sk[32];
    snprintf(sk, sizeof sk, "status_%s", st[0] ? st : "none");
    return json_pack("{s:o, s:s, s:s}", "cell",
                     web_cell(rq, r, shown ? eng_cell(r, pt->p, (size_t)g, 0, 0) : &empty,
                              false),
                     "status", st, "status_text", web_t(rq, sk));
}

static json_t *coverage(struct web_req *rq)
{
    const struct ind_catalogue *cat = rq->app->cat;
    const struct geo *geo = rq->app->geo;
    const struct web_point *last[16];
    json_t *inds = json_array(), *rows = json_array();
    json_t *o = json_pack("{s:o, s:o}", "indicators", inds, "rows", rows);
    size_t n = 0;
    for (size_t i = 0; o && i < cat->n && n < sizeof last / sizeof last[0]; i++) {
        const struct ind_def *d = &cat->defs[i];
        struct web_point *pts;
        size_t np;
        if (ind_find(cat, d->id) != d || d->goal != IND_GOAL_QUALITY ||
            !(d->dims & IND_DIM_REGION) || !(np = web_series(rq->view, d->id, NULL, rq->arena,
                                                             &pts)))
            continue;
        last[n++] = &pts[np - 1];
        json_t *s = web_def_summary(rq, d);
        if (!s || !web_sets(s, "period", pts[np - 1].text) || json_array_append_new(inds, s)) {
            json_decref(o);
            return NULL;
        }
    }
    for (size_t k = 0; o && k < geo->nregions; k++) {
        const struct geo_region *gr = &geo->regions[k];
        json_t *cells = json_array();
        json_t *row = json_pack("{s:s, s:s, s:s, s:o}", "code", gr->code, "name",
                                gr->short_name ? gr->short_name : gr->name, "url",
                                arena_printf(rq->arena, "/regions/%s", gr->code), "cells", cells);
        bool ok = row && json_array_append_new(rows, row) == 0;
        for (size_t i = 0; ok && i < n; i++)
            ok = json_array_append_new(cells, coverage_cell(rq, last[i], gr->code)) == 0;
        if (!ok) {
            json_decref(o);
            return NULL;
        }
    }
    return o;
}

int web_page_about(struct web_req *rq)
{
    const struct config *cfg = rq->app->cfg;
    rq->model = json_pack("{s:i, s:i}", "min_count", cfg->min_count, "min_denominator",
                          cfg->min_denominator);
    if (!rq->model)
        return 500;
    /* the dispatcher releases the view after the answer */
    rq->view = web_results_acquire(rq->app->results);
    if (rq->view && !web_set(rq->model, "coverage", coverage(rq)))
        return 500;
    return 200;
}

int web_page_downloads(struct web_req *rq)
{
    const struct ind_catalogue *cat = rq->app->cat;
    json_t *list = json_array();
    rq->model = json_object();
    if (!list || !rq->model || !web_set(rq->model, "indicators", list))
        return 500;
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (ind_find(cat, d->id) != d)
            continue;
        json_t *o = web_def_summary(rq, d);
        if (!o || json_array_append_new(list, o) != 0 ||
            !web_sets(o, "csv", arena_printf(rq->arena, "/api/v1/results?indicator=%s&format=csv",
                                             d->id)) ||
            !web_sets(o, "xlsx", arena_printf(rq->arena,
                                              "/api/v1/results?indicator=%s&format=xlsx", d->id)) ||
            !web_sets(o, "json", arena_printf(rq->arena, "/api/v1/results?indicator=%s", d->id)) ||
            !web_sets(o, "fhir", arena_printf(rq->arena,
                                              "/api/v1/results?indicator=%s&format=fhir", d->id)) ||
            !web_sets(o, "kolada", arena_printf(rq->arena,
                                                "/api/v1/results?indicator=%s&format=kolada",
                                                d->id)))
            return 500;
    }
    return 200;
}
