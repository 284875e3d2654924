/* src/web/portal/web_funnel.c: the funnel plot of an indicator page
 * (web_funnel.h). 21 regions and a curve of 48 points per limit: the
 * model is small, built per request. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "export/eng_out.h"
#include "web/portal/web_charts.h"
#include "web/portal/web_funnel.h"

#define CURVE_POINTS 48

static json_t *num(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static const char *range_text(struct web_req *rq, double lo, double hi, int dec)
{
    char a[64], b[64];
    web_fmt(rq, lo, dec, a, sizeof a);
    web_fmt(rq, hi, dec, b, sizeof b);
    return arena_printf(rq->arena, "%s\xe2\x80\x93%s", a, b);
}

/* The region's own limits, or null where its denominator is hidden. */
static json_t *row_limits(struct web_req *rq, const struct eng_result *r,
                          const struct eng_cell *c)
{
    if (!(c->flags & ENG_HAS_FUNNEL) || c->sup_den)
        return json_null();
    int dec = web_decimals(r);
    return json_pack("{s:o, s:o, s:o, s:o, s:s, s:s}", "lo95", num(c->f_lo95), "hi95",
                     num(c->f_hi95), "lo998", num(c->f_lo998), "hi998", num(c->f_hi998),
                     "text95", range_text(rq, c->f_lo95, c->f_hi95, dec), "text998",
                     range_text(rq, c->f_lo998, c->f_hi998, dec));
}

/* The limit curves from n near 0 to nmax, denser where
 * they bend (n grows with the square of the step). */
static json_t *curves(const struct eng_result *r, double centre, double nmax)
{
    json_t *list = json_array();
    for (int i = 1; list && i <= CURVE_POINTS; i++) {
        double t = (double)i / CURVE_POINTS, n = nmax * t * t, l95, h95, l998, h998;
        if (!eng_funnel_limits(r, 0, centre, n, 0.95, &l95, &h95) ||
            !eng_funnel_limits(r, 0, centre, n, 0.998, &l998, &h998))
            continue;
        json_t *o = json_pack("{s:f, s:o, s:o, s:o, s:o}", "n", n, "lo95", num(l95),
                              "hi95", num(h95), "lo998", num(l998), "hi998", num(h998));
        if (!o || json_array_append_new(list, o) != 0) {
            json_decref(list);
            return NULL;
        }
    }
    return list;
}

static bool add_chart(struct web_req *rq, json_t *page, const json_t *f)
{
    json_t *points = json_array();
    size_t i;
    json_t *row;
    json_array_foreach(json_object_get(f, "rows"), i, row)
    {
        const json_t *c = json_object_get(row, "cell");
        json_t *p = json_pack(
            "{s:O, s:O, s:O, s:s}", "label", json_object_get(row, "name"), "n",
            json_object_get(c, "denominator"), "value", json_object_get(c, "value"),
            "sig", web_chart_sig(json_string_value(json_object_get(row, "sig"))));
        if (!p || json_array_append_new(points, p) != 0) {
            json_decref(points);
            return false;
        }
    }
    const char *title = arena_printf(rq->arena, "%s %s",
                                     json_string_value(json_object_get(page, "heading")),
                                     json_string_value(json_object_get(f, "period")));
    const char *unit = json_string_value(json_object_get(page, "unit"));
    return web_chart_add(
        page, "funnel", "funnel",
        json_pack("{s:s, s:s, s:s, s:O, s:s, s:O, s:O, s:o, s:o, s:b}", "id", "funnel",
                  "title", title, "desc", web_t(rq, "chart_funnel_desc"), "x_label",
                  json_object_get(f, "x_label"), "y_label", unit ? unit : "", "centre",
                  json_object_get(f, "centre"), "limits", json_object_get(f, "limits"),
                  "points", points, "legend", web_chart_legend(rq), "decimal_comma",
                  rq->lang == WEB_SV));
}

bool web_funnel_add(struct web_req *rq, json_t *page, const struct web_point *pt,
                    bool l998)
{
    const struct eng_result *r = pt->r;
    const struct snap *s = rq->view->snap;
    const struct eng_cell *nation = eng_cell(r, pt->p, 0, 0, 0);
    double lo, hi;
    if (!(r->def->dims & IND_DIM_REGION) || !(nation->flags & ENG_HAS_VALUE) ||
        nation->sup_value || !isfinite(nation->value) ||
        !eng_funnel_limits(r, 0, nation->value, 1, 0.95, &lo, &hi))
        return true;
    bool rate = r->def->measures[r->measure].kind != IND_M_PROPORTION;
    json_t *f = json_object();
    if (!f)
        return false;
    json_t *rows = json_array();
    bool ok =
        web_set(f, "rows", rows) && web_sets(f, "period", pt->text) &&
        web_sets(f, "method", rate ? "rate" : "proportion") &&
        web_set(f, "centre", json_real(nation->value)) &&
        web_sets(f, "x_label", web_t(rq, rate ? "funnel_x_rate" : "funnel_x_proportion"));
    double nmax = 0;
    for (size_t g = 0; ok && g < r->ngeo; g++) {
        if (eng_geo_level(r, g) != ENG_GEO_REGION || !eng_geo_shown(r, g))
            continue;
        const struct eng_cell *c = eng_cell(r, pt->p, g, 0, 0);
        if ((c->flags & ENG_HAS_DEN) && !c->sup_den && c->den > nmax)
            nmax = c->den;
        const char *code = eng_geo_code(r, s, g);
        const char *sig = web_sig(r, c, nation, l998);
        char nt[64] = "";
        if ((c->flags & ENG_HAS_DEN) && !c->sup_den)
            web_fmt(rq, c->den, 0, nt, sizeof nt);
        json_t *row = json_object();
        ok = row && web_sets(row, "code", code) && web_sets(row, "n_text", nt) &&
             web_sets(row, "name", eng_geo_name(r, s, g)) &&
             web_sets(row, "url", arena_printf(rq->arena, "/regions/%s", code)) &&
             web_set(row, "cell", web_cell(rq, r, c, l998)) &&
             web_set(row, "limits", row_limits(rq, r, c)) && web_sets(row, "sig", sig) &&
             web_sets(row, "sig_text", web_sig_text(rq, sig)) &&
             json_array_append_new(rows, row) == 0;
    }
    ok = ok &&
         web_set(f, "limits", nmax > 0 ? curves(r, nation->value, nmax) : json_array()) &&
         web_set(page, "funnel", f);
    if (!ok) {
        if (!json_object_get(page, "funnel"))
            json_decref(f);
        return false;
    }
    return add_chart(rq, page, f);
}
