/* src/chart/chart_funnel.c: a funnel plot: each area's value against its
 * denominator, with the centre line and the 95 % and 99.8 % control
 * limits drawn as curves through the given limit points. */
#include "chart/chart_impl.h"

#include <stdio.h>

#define LEFT 56.0
#define RIGHT 16.0
#define TOP 34.0
#define PLOT_H 260.0

/* The polyline through limit key of every limit point. */
static void limit_curve(struct chart *c, const json_t *limits, const char *key,
                        const struct chart_scale *xs, const struct chart_scale *ys,
                        const char *dash)
{
    struct strbuf pts = STRBUF_INIT;
    struct svg *w = &c->w;
    for (size_t i = 0; i < json_array_size(limits); i++) {
        const json_t *l = json_array_get(limits, i);
        double n, v;
        bool okn, okv;
        char a[32], b[32];
        chart_num(c, l, "n", &n, &okn);
        chart_num(c, l, key, &v, &okv);
        if (!okn || !okv || v < ys->d0 || v > ys->d1 || n > xs->d1)
            continue;
        if (w->rc == 0)
            w->rc = sb_addf(&pts, "%s%s,%s", pts.len ? " " : "", svg_num(chart_map(xs, n), a),
                            svg_num(chart_map(ys, v), b));
    }
    if (pts.len) {
        svg_open(w, "polyline");
        svg_attr(w, "points", pts.buf);
        svg_attr(w, "fill", "none");
        svg_attr(w, "stroke", "#4d4d4d");
        svg_attr(w, "stroke-width", "1.5");
        svg_attr(w, "stroke-dasharray", dash);
        svg_close(w);
    }
    sb_release(&pts);
}

int chart_funnel(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *limits, *points;
    const char *x_label, *y_label;
    double centre, xmax = 0, nmin = -1, lo = 0, hi = 0;
    bool has_centre;
    char where[48], buf[32];
    static const char *const lkeys[] = {"lo95", "hi95", "lo998", "hi998"};

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "limits", false, &limits) || chart_arr(&c, m, "points", true, &points) ||
        chart_str(&c, m, "x_label", false, &x_label) ||
        chart_str(&c, m, "y_label", false, &y_label) ||
        chart_num(&c, m, "centre", &centre, &has_centre))
        return err->code;
    for (size_t i = 0; i < json_array_size(points); i++) {
        const json_t *p = json_array_get(points, i);
        double n, v;
        bool okn, okv;
        const char *label;
        enum chart_sig sig;
        snprintf(where, sizeof where, "'points'[%zu]", i);
        if (chart_str(&c, p, "label", true, &label) || chart_num(&c, p, "n", &n, &okn) ||
            chart_num(&c, p, "value", &v, &okv) || chart_sig(&c, p, where, &sig))
            return kn_error_prefix(err, "%s: ", where);
        if (okn && n > xmax)
            xmax = n;
        if (okn && okv && (nmin < 0 || n < nmin))
            nmin = n;
        if (okv && v > hi)
            hi = v;
        if (okv && v < lo)
            lo = v;
    }
    if (has_centre && centre > hi)
        hi = centre;
    /* Limits widen the value range where points are (from the smallest
     * point's n to the largest), so that the curves show beside the
     * points; elsewhere by a quarter at most, so that a curve's far ends
     * near n = 0 do not flatten the plot. */
    double ymax_lim = hi * 1.25 + 1e-9;
    for (size_t i = 0; limits && i < json_array_size(limits); i++) {
        const json_t *l = json_array_get(limits, i);
        double v, ln;
        bool ok, okn;
        snprintf(where, sizeof where, "'limits'[%zu]", i);
        if (chart_num(&c, l, "n", &ln, &okn))
            return kn_error_prefix(err, "%s: ", where);
        bool beside = okn && nmin >= 0 && ln >= nmin && ln <= xmax;
        for (int k = 0; k < 4; k++) {
            if (chart_num(&c, l, lkeys[k], &v, &ok))
                return kn_error_prefix(err, "%s: ", where);
            if (ok && v > hi && (beside || v <= ymax_lim))
                hi = v;
            if (ok && v < lo && beside)
                lo = v;
        }
    }

    double yt[CHART_MAX_TICKS], xt[CHART_MAX_TICKS], x0 = 0;
    int nyt = chart_ticks(&lo, &hi, 5, yt), nxt = chart_ticks(&x0, &xmax, 5, xt);
    double axis_y = TOP + PLOT_H;
    double legend_y = axis_y + (*x_label ? 48 : 30);
    double height = legend_y + 62;
    if (chart_begin(&c, m, height, err))
        return err->code;
    struct chart_scale xs = {x0, xmax, LEFT, CHART_W - RIGHT}, ys = {lo, hi, axis_y, TOP};
    for (int i = 0; i < nyt; i++) {
        double y = chart_map(&ys, yt[i]);
        chart_lineseg(&c, LEFT, y, CHART_W - RIGHT, y, "#e0e0e0", 1, NULL);
        chart_label(&c, LEFT - 6, y + 4, "end", 11, chart_fmt(&c, yt[i], buf));
    }
    chart_xaxis(&c, &xs, xt, nxt, axis_y, TOP);
    if (*y_label)
        chart_label(&c, 8, TOP - 14, "start", 11, y_label);
    if (*x_label)
        chart_label(&c, (LEFT + CHART_W - RIGHT) / 2, axis_y + 32, "middle", 11, x_label);
    if (has_centre)
        chart_lineseg(&c, LEFT, chart_map(&ys, centre), CHART_W - RIGHT, chart_map(&ys, centre),
                      "#1a1a1a", 2, NULL);
    if (limits) {
        limit_curve(&c, limits, "lo95", &xs, &ys, "6 3");
        limit_curve(&c, limits, "hi95", &xs, &ys, "6 3");
        limit_curve(&c, limits, "lo998", &xs, &ys, "2 3");
        limit_curve(&c, limits, "hi998", &xs, &ys, "2 3");
    }
    for (size_t i = 0; i < json_array_size(points); i++) {
        const json_t *p = json_array_get(points, i);
        double n, v;
        bool okn, okv;
        enum chart_sig sig;
        const char *label;
        chart_num(&c, p, "n", &n, &okn);
        chart_num(&c, p, "value", &v, &okv);
        chart_sig(&c, p, "", &sig);
        chart_str(&c, p, "label", true, &label);
        if (!okn || !okv)
            continue; /* a hidden point is left out, never put at 0 */
        svg_open(&c.w, "g");
        svg_leaf(&c.w, "title", label, (char *)NULL);
        chart_mark(&c, sig == SIG_SUPPRESSED ? SIG_NONE : sig, chart_map(&xs, n),
                   chart_map(&ys, v), 6);
        svg_close(&c.w);
    }
    /* Key: the limit strokes, then the classes. */
    chart_lineseg(&c, 8, legend_y, 36, legend_y, "#4d4d4d", 1.5, "6 3");
    chart_label(&c, 42, legend_y + 4, "start", 12, "95 %");
    chart_lineseg(&c, 110, legend_y, 138, legend_y, "#4d4d4d", 1.5, "2 3");
    chart_label(&c, 144, legend_y + 4, "start", 12, c.comma ? "99,8 %" : "99.8 %");
    chart_legend(&c, 8, legend_y + 14);
    return chart_end(&c);
}
