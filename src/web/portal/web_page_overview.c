/* src/web/portal/web_page_overview.c: the overview (GET /overview,
 * /api/v1/overview): regions x indicators, each cell the region's latest
 * headline value coloured by its significance against the nation, with
 * the significance in words too (Fingertips' "tartan rug"). Indicators
 * without a region breakdown are left out. ?level= 95 or 99.8.
 *
 * Below it one indicator's column as a tile map of the 21 regions
 * (?indicator=, default the first headline indicator, sh-young-rate):
 * "map": {"indicator", "title", "period", "choices": [{"id", "title",
 * "selected"}]} and the chart "tiles".
 */
#include <string.h>

#include "web/portal/web_charts.h"
#include "web/portal/web_downloads.h"
#include "web/web_model.h"
#include "web/web_pages.h"

/* The table as a heat map ("tartan rug"), turned as Fingertips draws it:
 * an indicator a row, a region a column (21 columns, where the indicators
 * as columns were too many to read). */
static bool chart_heat(struct web_req *rq, json_t *m)
{
    json_t *cols = json_array(), *rows = json_array(), *cells = json_array();
    const json_t *regions = json_object_get(m, "rows");
    size_t i, r;
    json_t *v, *row;
    json_array_foreach(regions, r, row)
        json_array_append(cols, json_object_get(row, "name"));
    json_array_foreach(json_object_get(m, "indicators"), i, v) {
        json_array_append(rows, json_object_get(v, "title"));
        json_t *line = json_array();
        json_array_foreach(regions, r, row) {
            const json_t *cell = json_array_get(json_object_get(row, "cells"), i);
            const char *text = json_string_value(json_object_get(cell, "value_text"));
            json_array_append_new(line, json_pack("{s:s, s:s}", "sig",
                                                  web_chart_sig(json_string_value(
                                                      json_object_get(cell, "sig"))),
                                                  "text", text && *text ? text : "–"));
        }
        json_array_append_new(cells, line);
    }
    if (json_array_size(cols) == 0 || json_array_size(rows) == 0) {
        json_decref(cols);
        json_decref(rows);
        json_decref(cells);
        return true;
    }
    return web_chart_add(m, "heat", "heat",
                         json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}", "id", "heat", "title",
                                   web_t(rq, "overview_heading"), "desc",
                                   web_t(rq, "chart_heat_desc"), "cols", cols, "rows", rows,
                                   "cells", cells, "legend", web_chart_legend(rq)));
}

/* The chosen column as tiles, and the choices of the form. */
static bool map_add(struct web_req *rq, json_t *m, const char *chosen)
{
    json_t *cols = json_object_get(m, "indicators"), *choices = json_array();
    json_t *tiles = json_array(), *v, *row;
    size_t i, j = 0, k;
    if (!choices || !tiles || json_array_size(cols) == 0) {
        json_decref(choices);
        json_decref(tiles);
        return true;
    }
    json_array_foreach(cols, i, v) {
        const char *id = json_string_value(json_object_get(v, "id"));
        if (strcmp(id, chosen) == 0)
            j = i;
        json_array_append_new(choices, json_pack("{s:s, s:O, s:b}", "id", id, "title",
                                                 json_object_get(v, "title"), "selected",
                                                 strcmp(id, chosen) == 0));
    }
    const json_t *col = json_array_get(cols, j);
    json_array_foreach(json_object_get(m, "rows"), k, row) {
        const json_t *cell = json_array_get(json_object_get(row, "cells"), j);
        const char *text = json_string_value(json_object_get(cell, "value_text"));
        json_array_append_new(
            tiles, json_pack("{s:O, s:O, s:s, s:s}", "code", json_object_get(row, "code"),
                             "label", json_object_get(row, "name"), "text",
                             text && *text ? text : "–", "sig",
                             web_chart_sig(json_string_value(json_object_get(cell, "sig")))));
    }
    const char *title = arena_printf(rq->arena, "%s %s",
                                     json_string_value(json_object_get(col, "title")),
                                     json_string_value(json_object_get(col, "period")));
    return web_set(m, "map",
                   json_pack("{s:O, s:O, s:O, s:o}", "indicator", json_object_get(col, "id"),
                             "title", json_object_get(col, "title"), "period",
                             json_object_get(col, "period"), "choices", choices)) &&
           web_chart_add(m, "tiles", "tiles",
                         json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", "tiles", "title", title,
                                   "desc", web_t(rq, "chart_tiles_desc"), "tiles", tiles,
                                   "legend", web_chart_legend(rq)));
}

int web_page_overview(struct web_req *rq)
{
    int status;
    bool l998 = web_level(rq, &status);
    if (status)
        return status;
    const struct ind_catalogue *cat = rq->app->cat;
    const struct geo *geo = rq->app->geo;
    const char *chosen = web_query(rq, "indicator");
    if (chosen) {
        const struct ind_def *d = ind_find(cat, chosen);
        if (!d || !(d->dims & IND_DIM_REGION))
            return web_bad_param(rq, "indicator", "no such indicator with regions (see "
                                                  "/api/v1/indicators)");
    } else {
        chosen = "sh-young-rate";
    }
    json_t *cols = json_array(), *rows = json_array();
    rq->model = json_object();
    if (!cols || !rows || !rq->model || !web_set(rq->model, "indicators", cols) ||
        !web_set(rq->model, "rows", rows) ||
        !web_sets(rq->model, "level", l998 ? "99.8" : "95") ||
        !web_set(rq->model, "level998", json_boolean(l998)) ||
        !web_set(rq->model, "downloads", web_downloads(rq, "level=region", "")))
        return 500;
    /* the columns: one point (latest period) per indicator */
    size_t ncols = 0;
    const struct web_point **last = arena_calloc(rq->arena, cat->n + 1, sizeof *last);
    if (!last)
        return 500;
    for (size_t i = 0; i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (ind_find(cat, d->id) != d || !(d->dims & IND_DIM_REGION))
            continue;
        struct web_point *pts;
        size_t n = web_series(rq->view, d->id, NULL, rq->arena, &pts);
        if (!n)
            continue;
        last[ncols++] = &pts[n - 1];
        json_t *c = web_def_summary(rq, d);
        if (!c || json_array_append_new(cols, c) != 0 || !web_sets(c, "period", pts[n - 1].text))
            return 500;
    }
    for (size_t k = 0; k < geo->nregions; k++) {
        const struct geo_region *gr = &geo->regions[k];
        json_t *cells = json_array(), *row = json_object();
        if (!cells || !row || json_array_append_new(rows, row) != 0 ||
            !web_sets(row, "code", gr->code) ||
            !web_sets(row, "name", gr->short_name ? gr->short_name : gr->name) ||
            !web_sets(row, "url", arena_printf(rq->arena, "/regions/%s", gr->code)) ||
            !web_set(row, "cells", cells))
            return 500;
        for (size_t i = 0; i < ncols; i++) {
            const struct eng_result *r = last[i]->r;
            long g = web_geo_find(r, rq->view->snap, ENG_GEO_REGION, gr->code);
            json_t *cell;
            if (g < 0) {
                cell = json_pack("{s:s, s:s, s:s}", "sig", "none", "sig_text",
                                 web_sig_text(rq, "none"), "value_text", "");
            } else {
                const struct eng_cell *c = eng_cell(r, last[i]->p, (size_t)g, 0, 0);
                const char *sig = web_sig(r, c, eng_cell(r, last[i]->p, 0, 0, 0), l998);
                cell = web_cell(rq, r, c, l998);
                if (cell && (!web_sets(cell, "sig", sig) ||
                             !web_sets(cell, "sig_text", web_sig_text(rq, sig)))) {
                    json_decref(cell);
                    cell = NULL;
                }
            }
            if (!cell || json_array_append_new(cells, cell) != 0)
                return 500;
        }
    }
    return chart_heat(rq, rq->model) && map_add(rq, rq->model, chosen) ? 200 : 500;
}
