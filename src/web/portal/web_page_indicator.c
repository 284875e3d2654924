/* src/web/portal/web_page_indicator.c: one indicator (GET /indicators/{id},
 * /api/v1/indicators/{id}).
 *
 * The definition in plain language with its versions and series breaks,
 * owner and target; the trend of the nation and a chosen region
 * (?region=); every region of one period (?period=, default the latest)
 * against the nation at 95 % or 99.8 % (?level=), also as a funnel plot
 * (web_funnel.h); every region's trend as small multiples (web_multiples.h);
 * the municipalities or units of the chosen region where
 * the definition has them (web_fine.h); the breakdowns by sex
 * and age band where the definition has them; links to the downloads.
 * ?measure= picks another measure than the headline one; the page's
 * chooser lists the definition's measures in words (web_measure.h) when
 * there is more than one.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "export/eng_out.h"
#include "web/portal/web_charts.h"
#include "web/portal/web_fine.h"
#include "web/portal/web_funnel.h"
#include "web/portal/web_measure.h"
#include "web/portal/web_multiples.h"
#include "web/web_model.h"
#include "web/web_pages.h"

static json_t *versions(struct web_req *rq, const struct ind_def *newest)
{
    json_t *list = json_array();
    const struct ind_catalogue *cat = rq->app->cat;
    for (size_t i = 0; list && i < cat->n; i++) {
        const struct ind_def *d = &cat->defs[i];
        if (strcmp(d->id, newest->id) != 0)
            continue;
        char from[11] = "", to[11] = "";
        if (d->valid_from != INT32_MIN)
            date_format(d->valid_from, from);
        if (d->valid_to != INT32_MAX)
            date_format(d->valid_to, to);
        json_t *v = json_pack("{s:i, s:s, s:s, s:s, s:s}", "version", d->version, "valid_from",
                              from, "valid_to", to, "title", web_title(rq, d), "fingerprint",
                              d->fingerprint);
        if (!v || json_array_append_new(list, v) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *measures(struct web_req *rq, const struct ind_def *d, const char *chosen)
{
    json_t *list = json_array();
    for (size_t i = 0; list && i < d->nmeasures; i++) {
        json_t *m = json_pack("{s:s, s:s, s:s, s:b}", "name", d->measures[i].name,
                              "label", web_measure_label(rq, d, &d->measures[i]), "unit",
                              web_unit(rq, &d->measures[i]), "selected",
                              strcmp(d->measures[i].name, chosen) == 0);
        if (!m || json_array_append_new(list, m) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

/* The trend: every period, the nation and (if chosen) the region. */
static json_t *trend(struct web_req *rq, const struct web_point *pts, size_t n,
                     const char *region, bool l998)
{
    json_t *rows = json_array();
    for (size_t i = 0; rows && i < n; i++) {
        const struct eng_result *r = pts[i].r;
        json_t *row = json_object();
        bool ok = row && web_sets(row, "period", pts[i].text) &&
                  web_set(row, "series_break",
                          json_boolean(eng_series_break(&rq->view->run, r, pts[i].p))) &&
                  web_set(row, "nation", web_cell(rq, r, eng_cell(r, pts[i].p, 0, 0, 0), l998));
        long g = region ? web_geo_find(r, rq->view->snap, ENG_GEO_REGION, region) : -1;
        if (ok && g >= 0)
            ok = web_set(row, "region",
                         web_cell(rq, r, eng_cell(r, pts[i].p, (size_t)g, 0, 0), l998));
        if (!ok || json_array_append_new(rows, row) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

/* Every region of one period against the nation. */
static json_t *compare(struct web_req *rq, const struct web_point *pt, bool l998)
{
    const struct eng_result *r = pt->r;
    const struct snap *s = rq->view->snap;
    const struct eng_cell *nation = eng_cell(r, pt->p, 0, 0, 0);
    json_t *rows = json_array(), *o = json_object();
    bool ok = rows && o && web_sets(o, "period", pt->text) &&
              web_set(o, "nation", web_cell(rq, r, nation, l998)) && web_set(o, "rows", rows);
    if (!(r->def->dims & IND_DIM_REGION))
        ok = ok && web_set(o, "by_region", json_false());
    for (size_t g = 0; ok && (r->def->dims & IND_DIM_REGION) && g < r->ngeo; g++) {
        if (eng_geo_level(r, g) != ENG_GEO_REGION || !eng_geo_shown(r, g))
            continue;
        const struct eng_cell *c = eng_cell(r, pt->p, g, 0, 0);
        const char *sig = web_sig(r, c, nation, l998);
        const char *st = eng_status(r, pt->p, g, 0, 0);
        char sk[32];
        snprintf(sk, sizeof sk, "status_%s", st[0] ? st : "none");
        const char *code = eng_geo_code(r, s, g);
        json_t *row = json_object();
        ok = row && web_sets(row, "code", code) && web_sets(row, "name", eng_geo_name(r, s, g)) &&
             web_sets(row, "url", arena_printf(rq->arena, "/regions/%s", code)) &&
             web_set(row, "cell", web_cell(rq, r, c, l998)) && web_sets(row, "sig", sig) &&
             web_sets(row, "sig_text", web_sig_text(rq, sig)) && web_sets(row, "status", st) &&
             web_sets(row, "status_text", web_t(rq, sk)) && json_array_append_new(rows, row) == 0;
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The nation by sex (F, M) or by age band, in one period. */
static json_t *breakdown(struct web_req *rq, const struct web_point *pt, bool by_band,
                         bool l998)
{
    const struct eng_result *r = pt->r;
    const struct eng_cell *all = eng_cell(r, pt->p, 0, 0, 0);
    json_t *rows = json_array();
    size_t n = by_band ? r->nband : 3;
    for (size_t k = 1; rows && k < n; k++) {
        const struct eng_cell *c = by_band ? eng_cell(r, pt->p, 0, 0, k)
                                           : eng_cell(r, pt->p, 0, (int)k, 0);
        char label[32];
        if (by_band)
            snprintf(label, sizeof label, "%d–%d", r->def->bands[k - 1].lo,
                     r->def->bands[k - 1].hi);
        else
            snprintf(label, sizeof label, "%s", web_t(rq, k == 1 ? "sex_f" : "sex_m"));
        const char *sig = web_sig(r, c, all, l998);
        json_t *row = json_pack("{s:s, s:o, s:s, s:s}", "label", label, "cell",
                                web_cell(rq, r, c, l998), "sig", sig, "sig_text",
                                web_sig_text(rq, sig));
        if (!row || json_array_append_new(rows, row) != 0) {
            json_decref(rows);
            return NULL;
        }
    }
    return rows;
}

static json_t *region_choices(struct web_req *rq, const char *chosen)
{
    json_t *list = json_array();
    const struct geo *g = rq->app->geo;
    for (size_t i = 0; list && i < g->nregions; i++) {
        json_t *o = json_pack("{s:s, s:s, s:b}", "code", g->regions[i].code, "name",
                              g->regions[i].short_name ? g->regions[i].short_name
                                                       : g->regions[i].name,
                              "selected", chosen && strcmp(chosen, g->regions[i].code) == 0);
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static json_t *downloads(struct web_req *rq, const char *id, const char *measure)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s}", "csv",
                     arena_printf(rq->arena, "/api/v1/results?indicator=%s&measure=%s&format=csv",
                                  id, measure),
                     "xlsx",
                     arena_printf(rq->arena, "/api/v1/results?indicator=%s&measure=%s&format=xlsx",
                                  id, measure),
                     "json",
                     arena_printf(rq->arena, "/api/v1/results?indicator=%s&measure=%s", id,
                                  measure),
                     "fhir", arena_printf(rq->arena, "/api/v1/results?indicator=%s&format=fhir", id),
                     "kolada",
                     arena_printf(rq->arena, "/api/v1/results?indicator=%s&format=kolada", id));
}

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The trend as a line chart: the nation and the region, with intervals. */
static bool chart_trend(struct web_req *rq, json_t *m)
{
    json_t *x = json_array(), *series = json_array();
    const char *who[] = { "nation", "region" };
    const json_t *region = json_object_get(m, "region");
    for (size_t s = 0; s < (region ? 2u : 1u); s++) {
        json_t *v = json_array(), *lo = json_array(), *hi = json_array();
        size_t i;
        json_t *row;
        json_array_foreach(json_object_get(m, "trend"), i, row) {
            json_t *c = json_object_get(row, who[s]);
            if (s == 0)
                json_array_append(x, json_object_get(row, "period"));
            json_array_append_new(v, json_deep_copy(c ? json_object_get(c, "value") : json_null()));
            json_array_append_new(lo, json_deep_copy(c ? json_object_get(c, "lo") : json_null()));
            json_array_append_new(hi, json_deep_copy(c ? json_object_get(c, "hi") : json_null()));
        }
        const char *name = s == 0 ? web_t(rq, "col_nation")
                                  : json_string_value(json_object_get(region, "name"));
        json_array_append_new(series, json_pack("{s:s, s:o, s:o, s:o}", "name", name, "values", v,
                                                "lo", lo, "hi", hi));
    }
    const char *title = json_string_value(json_object_get(m, "heading"));
    return web_chart_add(m, "trend", "line",
                         json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "id", "trend", "title", title,
                                   "desc", web_t(rq, "chart_trend_desc"), "x", x, "series",
                                   series, "y_label", jstr(m, "unit")));
}

/* The regions of the comparison as bars with intervals, and as tiles. A
 * count or a sum has no national line: a region's count is always below
 * the nation's, and a line there would squash the regions' bars; the
 * description says so. */
static bool chart_compare(struct web_req *rq, json_t *m, const struct web_point *pt)
{
    json_t *cmp = json_object_get(m, "compare");
    json_t *bars = json_array(), *tiles = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(cmp, "rows"), i, row) {
        json_t *c = json_object_get(row, "cell");
        const char *sig = web_chart_sig(json_string_value(json_object_get(row, "sig")));
        const char *text = json_string_value(json_object_get(c, "value_text"));
        if (!text || !*text)
            text = "–";
        json_array_append_new(bars, json_pack("{s:O, s:O, s:O, s:O, s:s, s:s}", "label",
                                              json_object_get(row, "name"), "value",
                                              json_object_get(c, "value"), "lo",
                                              json_object_get(c, "lo"), "hi",
                                              json_object_get(c, "hi"), "sig", sig, "text", text));
        json_array_append_new(tiles, json_pack("{s:O, s:O, s:s, s:s}", "code",
                                               json_object_get(row, "code"), "label",
                                               json_object_get(row, "name"), "text", text, "sig",
                                               sig));
    }
    if (json_array_size(bars) == 0) {
        json_decref(bars);
        json_decref(tiles);
        return true;
    }
    const char *title = arena_printf(rq->arena, "%s %s",
                                     json_string_value(json_object_get(m, "heading")),
                                     json_string_value(json_object_get(cmp, "period")));
    bool comparable = web_comparable(pt->r);
    json_t *bar = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:b}", "id", "compare", "title", title,
                            "desc", web_t(rq, comparable ? "chart_compare_desc"
                                                         : "chart_compare_count_desc"), "unit",
                            jstr(m, "unit"), "bars", bars,
                            "legend", web_chart_legend(rq), "decimal_comma",
                            rq->lang == WEB_SV);
    const json_t *nv = json_object_get(json_object_get(cmp, "nation"), "value");
    if (bar && comparable && json_is_number(nv))
        json_object_set_new(bar, "reference", json_pack("{s:s, s:O}", "label",
                                                        web_t(rq, "col_nation"), "value", nv));
    return web_chart_add(m, "compare", "bar", bar) &&
           web_chart_add(m, "tiles", "tiles",
                         json_pack("{s:s, s:s, s:s, s:o, s:o}", "id", "tiles", "title", title,
                                   "desc", web_t(rq, "chart_tiles_desc"), "tiles", tiles,
                                   "legend", web_chart_legend(rq)));
}

/* The municipalities or units of the chosen region (web_fine.h), or
 * "fine_choose" asking for a region. */
static bool fine_section(struct web_req *rq, json_t *m, const struct web_point *pt,
                         const char *region, bool l998)
{
    if (!region)
        return web_set(m, "fine_choose", json_true());
    json_t *fine = web_fine(rq, pt, region, l998);
    if (!web_set(m, "fine", fine))
        return false;
    const char *title = arena_printf(
        rq->arena, "%s %s, %s", json_string_value(json_object_get(m, "heading")), pt->text,
        json_string_value(json_object_get(json_object_get(fine, "region"), "name")));
    return web_fine_chart(rq, m, "fine", pt, fine, title, jstr(m, "unit"));
}

int web_page_indicator(struct web_req *rq)
{
    const char *id = web_param(rq, "id");
    const struct ind_def *d = ind_find(rq->app->cat, id);
    if (!d)
        return web_not_found(rq, web_t(rq, "err_no_indicator"));
    int status;
    bool l998 = web_level(rq, &status);
    if (status)
        return status;
    const char *measure = web_query(rq, "measure");
    const char *mname = d->measures[d->target_measure].name;
    if (measure) {
        bool found = false;
        for (size_t i = 0; i < d->nmeasures; i++)
            found |= strcmp(d->measures[i].name, measure) == 0;
        if (!found)
            return web_bad_param(rq, "measure", "no such measure of this indicator");
        mname = measure;
    }
    const char *region = web_query(rq, "region");
    if (region && region[0] && !geo_region(rq->app->geo, region))
        return web_bad_param(rq, "region", "region takes a region code, 01 to 25");
    if (region && !region[0])
        region = NULL;
    struct web_point *pts = NULL;
    size_t n = web_series(rq->view, id, mname, rq->arena, &pts);
    const char *period = web_query(rq, "period");
    size_t chosen = n ? n - 1 : 0;
    if (period) {
        bool found = false;
        for (size_t i = 0; i < n; i++)
            if (strcmp(pts[i].text, period) == 0) {
                chosen = i;
                found = true;
            }
        if (!found)
            return web_bad_param(rq, "period", "no such period of this indicator");
    }
    json_t *m = rq->model = json_object();
    json_t *ind = web_def_summary(rq, d);
    if (!m || !web_set(m, "indicator", ind) ||
        !web_sets(ind, "description", web_desc(rq, d)) ||
        !web_set(ind, "versions", versions(rq, d)) ||
        !web_set(ind, "measures", measures(rq, d, mname)) ||
        !web_set(ind, "by_sex", json_boolean(d->dims & IND_DIM_SEX)) ||
        !web_set(ind, "by_band", json_boolean(d->dims & IND_DIM_BAND)) ||
        !web_set(ind, "by_region", json_boolean(d->dims & IND_DIM_REGION)) ||
        !web_set(ind, "by_municipality", json_boolean(d->dims & IND_DIM_MUNICIPALITY)) ||
        !web_set(ind, "by_unit", json_boolean(d->dims & IND_DIM_UNIT)) ||
        !web_sets(m, "heading", web_title(rq, d)) || !web_sets(m, "measure", mname) ||
        !web_sets(m, "level", l998 ? "99.8" : "95") ||
        !web_set(m, "level998", json_boolean(l998)) ||
        !web_set(m, "regions", region_choices(rq, region)) ||
        !web_set(m, "downloads", downloads(rq, d->id, mname)))
        return 500;
    for (size_t i = 0; i < d->nmeasures; i++)
        if (strcmp(d->measures[i].name, mname) == 0 &&
            (!web_sets(m, "unit", web_unit(rq, &d->measures[i])) ||
             !web_sets(m, "measure_label", web_measure_label(rq, d, &d->measures[i]))))
            return 500;
    if (region) {
        const struct geo_region *gr = geo_region(rq->app->geo, region);
        if (!web_set(m, "region", json_pack("{s:s, s:s}", "code", gr->code, "name",
                                            gr->short_name ? gr->short_name : gr->name)))
            return 500;
    }
    if (n == 0)
        return 200; /* nothing computed for it (no data years): the page says so */
    json_t *periods = json_array();
    for (size_t i = 0; periods && i < n; i++)
        json_array_append_new(periods, json_pack("{s:s, s:b}", "period", pts[i].text,
                                                 "selected", i == chosen));
    if (!web_set(m, "periods", periods) || !web_sets(m, "period", pts[chosen].text) ||
        !web_set(m, "trend", trend(rq, pts, n, region, l998)) ||
        !web_set(m, "compare", compare(rq, &pts[chosen], l998)) || !chart_trend(rq, m) ||
        !chart_compare(rq, m, &pts[chosen]) || !web_funnel_add(rq, m, &pts[chosen], l998) ||
        !web_multiples_add(rq, m, pts, n, chosen, l998))
        return 500;
    if (web_fine_has(d) && !fine_section(rq, m, &pts[chosen], region, l998))
        return 500;
    if ((d->dims & IND_DIM_SEX) && !web_set(m, "sexes", breakdown(rq, &pts[chosen], false, l998)))
        return 500;
    if ((d->dims & IND_DIM_BAND) && d->nbands &&
        !web_set(m, "bands", breakdown(rq, &pts[chosen], true, l998)))
        return 500;
    return 200;
}
