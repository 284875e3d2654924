/* src/web/portal/web_fine.c: an indicator's municipalities or units within one
 * region (web_fine.h). A region has up to 49 municipalities (Västra
 * Götaland) and some dozens of units: one pass over the fine places. */
#include <string.h>

#include "web/portal/web_charts.h"
#include "web/portal/web_fine.h"

bool web_fine_has(const struct ind_def *d)
{
    return (d->dims & (IND_DIM_MUNICIPALITY | IND_DIM_UNIT)) != 0;
}

json_t *web_fine(struct web_req *rq, const struct web_point *pt, const char *region,
                 bool l998)
{
    const struct eng_result *r = pt->r;
    const struct snap *s = rq->view->snap;
    const struct geo *geo = rq->app->geo;
    const struct geo_region *gr = geo_region(geo, region);
    const struct eng_cell *nation = eng_cell(r, pt->p, 0, 0, 0);
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_t *rows = json_array();
    bool ok =
        gr && web_set(o, "rows", rows) && web_sets(o, "period", pt->text) &&
        web_sets(o, "geo_level", r->def->geo_unit ? "unit" : "municipality") &&
        web_sets(o, "level_text",
                 web_t(rq, r->def->geo_unit ? "fine_units" : "fine_municipalities")) &&
        web_sets(o, "col_text",
                 web_t(rq, r->def->geo_unit ? "col_unit" : "col_municipality")) &&
        web_set(o, "region",
                json_pack("{s:s, s:s}", "code", gr->code, "name",
                          gr->short_name ? gr->short_name : gr->name));
    size_t first = 1 + r->nhc + r->nregion;
    for (size_t g = first; ok && g < r->ngeo; g++) {
        if (!eng_geo_shown(r, g))
            continue;
        int ri = r->fine_region[g - first];
        if (ri < 0 || (size_t)ri >= geo->nregions ||
            strcmp(geo->regions[ri].code, gr->code) != 0)
            continue;
        const struct eng_cell *c = eng_cell(r, pt->p, g, 0, 0);
        const char *sig = web_sig(r, c, nation, l998);
        json_t *row = json_object();
        ok = row && web_sets(row, "code", eng_geo_code(r, s, g)) &&
             web_sets(row, "name", eng_geo_name(r, s, g)) &&
             web_set(row, "cell", web_cell(rq, r, c, l998)) &&
             web_sets(row, "sig", sig) &&
             web_sets(row, "sig_text", web_sig_text(rq, sig)) &&
             json_array_append_new(rows, row) == 0;
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

bool web_fine_chart(struct web_req *rq, json_t *page, const char *name,
                    const struct web_point *pt, const json_t *fine, const char *title,
                    const char *unit)
{
    json_t *bars = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(fine, "rows"), i, row)
    {
        const json_t *c = json_object_get(row, "cell");
        const char *text = json_string_value(json_object_get(c, "value_text"));
        json_t *b = json_pack(
            "{s:O, s:O, s:O, s:O, s:s, s:s}", "label", json_object_get(row, "name"),
            "value", json_object_get(c, "value"), "lo", json_object_get(c, "lo"), "hi",
            json_object_get(c, "hi"), "sig",
            web_chart_sig(json_string_value(json_object_get(row, "sig"))), "text",
            text && *text ? text : "–");
        if (!b || json_array_append_new(bars, b) != 0) {
            json_decref(bars);
            return false;
        }
    }
    if (json_array_size(bars) == 0) {
        json_decref(bars);
        return bars != NULL;
    }
    json_t *bar = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id", name, "title",
                            title, "desc", web_t(rq, "chart_fine_desc"), "unit",
                            unit ? unit : "", "bars", bars, "legend",
                            web_chart_legend(rq), "decimal_comma", rq->lang == WEB_SV);
    const struct eng_result *r = pt->r;
    const struct eng_cell *nation = eng_cell(r, pt->p, 0, 0, 0);
    json_t *nv = web_cell(rq, r, nation, false);
    if (bar && nv && web_comparable(r) && json_is_number(json_object_get(nv, "value")))
        json_object_set_new(bar, "reference",
                            json_pack("{s:s, s:O}", "label", web_t(rq, "col_nation"),
                                      "value", json_object_get(nv, "value")));
    json_decref(nv);
    return web_chart_add(page, name, "bar", bar);
}
