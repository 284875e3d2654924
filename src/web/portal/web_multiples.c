/* src/web/portal/web_multiples.c: every region's trend of an indicator page
 * as small multiples (web_multiples.h). */
#include <string.h>

#include "web/portal/web_charts.h"
#include "web/portal/web_multiples.h"

/* One region's cells over the periods; its significance in the chosen one. */
static json_t *region_row(struct web_req *rq, const struct web_point *pts, size_t n,
                          size_t chosen, const char *code, const char *name, bool l998)
{
    static const struct eng_cell empty;
    const struct snap *s = rq->view->snap;
    json_t *cells = json_array(), *row = json_object();
    bool ok = cells && row && web_sets(row, "code", code) && web_sets(row, "name", name) &&
              web_sets(row, "url", arena_printf(rq->arena, "/regions/%s", code)) &&
              web_set(row, "cells", cells);
    if (!cells || !row) {
        json_decref(cells);
        json_decref(row);
        return NULL;
    }
    for (size_t i = 0; ok && i < n; i++) {
        const struct eng_result *r = pts[i].r;
        long g = web_geo_find(r, s, ENG_GEO_REGION, code);
        const struct eng_cell *c = g >= 0 ? eng_cell(r, pts[i].p, (size_t)g, 0, 0) : &empty;
        ok = json_array_append_new(cells, web_cell(rq, r, c, l998)) == 0;
        if (ok && i == chosen) {
            const char *sig = g >= 0 ? web_sig(r, c, eng_cell(r, pts[i].p, 0, 0, 0), l998)
                                     : "suppressed";
            ok = web_sets(row, "sig", sig) && web_sets(row, "sig_text", web_sig_text(rq, sig));
        }
    }
    if (!ok) {
        json_decref(row);
        return NULL;
    }
    return row;
}

/* The chart: a panel per row, the nation behind each where comparable. */
static bool chart(struct web_req *rq, json_t *page, const json_t *rt, size_t chosen,
                  bool comparable)
{
    json_t *x = json_deep_copy(json_object_get(rt, "periods"));
    json_t *panels = json_array(), *nation = json_array();
    size_t i, k;
    json_t *row, *t;
    json_array_foreach(json_object_get(rt, "rows"), k, row) {
        json_t *values = json_array();
        json_t *c;
        json_array_foreach(json_object_get(row, "cells"), i, c)
            json_array_append_new(values, json_deep_copy(json_object_get(c, "value")));
        const json_t *cc = json_array_get(json_object_get(row, "cells"), chosen);
        const char *text = json_string_value(json_object_get(cc, "value_text"));
        json_array_append_new(panels, json_pack("{s:O, s:o, s:s, s:s}", "label",
                                                json_object_get(row, "name"), "values", values,
                                                "text", text ? text : "", "sig",
                                                web_chart_sig(json_string_value(
                                                    json_object_get(row, "sig")))));
    }
    json_array_foreach(json_object_get(page, "trend"), i, t)
        json_array_append_new(nation, json_deep_copy(json_object_get(
                                          json_object_get(t, "nation"), "value")));
    const char *title = arena_printf(rq->arena, "%s: %s",
                                     json_string_value(json_object_get(page, "heading")),
                                     web_t(rq, "multiples_heading"));
    json_t *m = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:b}", "id", "multiples", "title",
                          title, "desc",
                          web_t(rq, comparable ? "chart_multiples_desc"
                                               : "chart_multiples_count_desc"),
                          "series_label", web_t(rq, "multiples_series"), "x", x, "panels",
                          panels, "legend", web_chart_legend(rq), "decimal_comma",
                          rq->lang == WEB_SV);
    if (m && comparable)
        json_object_set_new(m, "reference", json_pack("{s:s, s:o}", "label",
                                                      web_t(rq, "col_nation"), "values",
                                                      nation));
    else
        json_decref(nation);
    return web_chart_add(page, "multiples", "multiples", m);
}

bool web_multiples_add(struct web_req *rq, json_t *page, const struct web_point *pts, size_t n,
                       size_t chosen, bool l998)
{
    const struct eng_result *r = pts[chosen].r;
    if (n < 2 || !(r->def->dims & IND_DIM_REGION))
        return true;
    const struct snap *s = rq->view->snap;
    json_t *rt = json_object(), *periods = json_array(), *rows = json_array();
    bool ok = rt && web_set(rt, "periods", periods) && web_set(rt, "rows", rows) &&
              web_set(page, "regions_trend", rt);
    if (!ok) {
        json_decref(periods);
        json_decref(rows);
        return false;
    }
    for (size_t i = 0; ok && i < n; i++)
        ok = json_array_append_new(periods, json_string(pts[i].text)) == 0;
    for (size_t g = 0; ok && g < r->ngeo; g++) {
        if (eng_geo_level(r, g) != ENG_GEO_REGION || !eng_geo_shown(r, g))
            continue;
        ok = json_array_append_new(rows, region_row(rq, pts, n, chosen, eng_geo_code(r, s, g),
                                                    eng_geo_name(r, s, g), l998)) == 0;
    }
    return ok && (json_array_size(rows) == 0 || chart(rq, page, rt, chosen, web_comparable(r)));
}
