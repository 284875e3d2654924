/* src/chart/chart_line.c: a trend over periods, 1-4 series with interval
 * bars, a gap wherever a value is missing, and an optional target line.
 * Series differ in colour, dash and marker shape, so they can be told
 * apart without colour. */
#include "chart/chart_impl.h"

#include <stdio.h>
#include <string.h>

#define LEFT 56.0
#define RIGHT 16.0
#define TOP 34.0
#define PLOT_H 220.0
#define MAX_SERIES 4

static const char *const colours[MAX_SERIES] = {"#1a1a1a", "#1f5c99", "#b84a0e", "#5b3f8c"};
static const char *const dashes[MAX_SERIES] = {NULL, "6 3", "2 3", "8 3 2 3"};

static void marker(struct chart *c, int k, double x, double y)
{
    struct svg *w = &c->w;
    char pts[160], n[8][32];
    switch (k) {
    case 0:
        svg_open(w, "circle");
        svg_attr_num(w, "cx", x);
        svg_attr_num(w, "cy", y);
        svg_attr(w, "r", "4");
        svg_attr(w, "fill", colours[k]);
        svg_close(w);
        break;
    case 1:
        chart_rect(c, x - 4, y - 4, 8, 8, colours[k], NULL);
        break;
    case 2: /* a triangle */
        snprintf(pts, sizeof pts, "%s,%s %s,%s %s,%s", svg_num(x, n[0]), svg_num(y - 5, n[1]),
                 svg_num(x + 5, n[2]), svg_num(y + 4, n[3]), svg_num(x - 5, n[4]),
                 svg_num(y + 4, n[5]));
        svg_leaf(w, "polygon", NULL, "points", pts, "fill", colours[k], (char *)NULL);
        break;
    default: /* a diamond */
        snprintf(pts, sizeof pts, "%s,%s %s,%s %s,%s %s,%s", svg_num(x, n[0]),
                 svg_num(y - 5, n[1]), svg_num(x + 5, n[2]), svg_num(y, n[3]), svg_num(x, n[4]),
                 svg_num(y + 5, n[5]), svg_num(x - 5, n[6]), svg_num(y, n[7]));
        svg_leaf(w, "polygon", NULL, "points", pts, "fill", colours[k], (char *)NULL);
        break;
    }
}

/* values[i] of series key of s, *ok false for a gap. */
static int value_at(struct chart *c, const json_t *s, const char *key, size_t i, double *v,
                    bool *ok)
{
    const json_t *arr = json_object_get(s, key);
    const json_t *x = json_array_get(arr, i);
    *ok = false;
    *v = 0;
    if (!x || json_is_null(x))
        return 0;
    if (!json_is_number(x))
        return chart_bad(c, "'%s'[%zu]: not a number", key, i);
    *v = json_number_value(x);
    *ok = true;
    return 0;
}

int chart_line(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *xs, *series;
    const char *y_label, *target_label;
    double target = 0, lo = 0, hi = 0;
    bool has_target;
    char buf[32], where[48];

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "x", true, &xs) || chart_arr(&c, m, "series", true, &series) ||
        chart_str(&c, m, "y_label", false, &y_label) ||
        chart_str(&c, m, "target_label", false, &target_label) ||
        chart_num(&c, m, "target", &target, &has_target))
        return err->code;
    size_t nx = json_array_size(xs), ns = json_array_size(series);
    if (nx == 0)
        return chart_bad(&c, "'x': no periods");
    if (ns == 0 || ns > MAX_SERIES)
        return chart_bad(&c, "'series': give 1 to %d series", MAX_SERIES);
    for (size_t i = 0; i < nx; i++)
        if (!json_is_string(json_array_get(xs, i)))
            return chart_bad(&c, "'x'[%zu]: not a string", i);
    for (size_t k = 0; k < ns; k++) {
        const json_t *s = json_array_get(series, k);
        const char *name;
        const char *keys[] = {"values", "lo", "hi"};
        snprintf(where, sizeof where, "'series'[%zu]", k);
        if (chart_str(&c, s, "name", true, &name))
            return kn_error_prefix(err, "%s: ", where);
        for (int j = 0; j < 3; j++) {
            const json_t *arr;
            if (chart_arr(&c, s, keys[j], j == 0, &arr))
                return kn_error_prefix(err, "%s: ", where);
            if (arr && json_array_size(arr) != nx)
                return chart_bad(&c, "%s.'%s': %zu values for %zu periods", where, keys[j],
                                 json_array_size(arr), nx);
            for (size_t i = 0; arr && i < nx; i++) {
                double v;
                bool ok;
                if (value_at(&c, s, keys[j], i, &v, &ok))
                    return kn_error_prefix(err, "%s: ", where);
                if (ok && v < lo)
                    lo = v;
                if (ok && v > hi)
                    hi = v;
            }
        }
    }
    if (has_target && target > hi)
        hi = target;
    if (has_target && target < lo)
        lo = target;

    double ticks[CHART_MAX_TICKS];
    int nt = chart_ticks(&lo, &hi, 5, ticks);
    double axis_y = TOP + PLOT_H;
    double legend_y = axis_y + 36;
    double height = legend_y + 22.0 * (double)((ns + 1) / 2) + (has_target ? 22 : 0) + 8;
    if (chart_begin(&c, m, height, err))
        return err->code;
    struct chart_scale ys = {lo, hi, axis_y, TOP};
    double step = (CHART_W - LEFT - RIGHT) / (double)nx;

    /* The value axis: grid lines and tick labels on the left. */
    for (int i = 0; i < nt; i++) {
        double y = chart_map(&ys, ticks[i]);
        chart_lineseg(&c, LEFT, y, CHART_W - RIGHT, y, "#e0e0e0", 1, NULL);
        chart_label(&c, LEFT - 6, y + 4, "end", 11, chart_fmt(&c, ticks[i], buf));
    }
    chart_lineseg(&c, LEFT, axis_y, CHART_W - RIGHT, axis_y, "#595959", 1, NULL);
    if (*y_label)
        chart_label(&c, 8, TOP - 14, "start", 11, y_label);
    /* Period labels, thinned so they do not collide. */
    size_t every = nx <= 12 ? 1 : (nx + 11) / 12;
    for (size_t i = 0; i < nx; i += every)
        chart_label(&c, LEFT + step * ((double)i + 0.5), axis_y + 16, "middle", 11,
                    json_string_value(json_array_get(xs, i)));
    if (has_target) {
        double y = chart_map(&ys, target);
        chart_lineseg(&c, LEFT, y, CHART_W - RIGHT, y, "#2e7d32", 2, "10 4");
    }

    for (size_t k = 0; k < ns; k++) {
        const json_t *s = json_array_get(series, k);
        struct strbuf pts = STRBUF_INIT;
        struct svg *w = &c.w;
        /* One polyline per run of present values: a gap breaks the line. */
        for (size_t i = 0; i <= nx; i++) {
            double v = 0;
            bool ok = false;
            if (i < nx)
                value_at(&c, s, "values", i, &v, &ok);
            if (ok) {
                char a[32], b[32];
                if (w->rc == 0)
                    w->rc = sb_addf(&pts, "%s%s,%s", pts.len ? " " : "",
                                    svg_num(LEFT + step * ((double)i + 0.5), a),
                                    svg_num(chart_map(&ys, v), b));
                continue;
            }
            if (pts.len) {
                svg_open(w, "polyline");
                svg_attr(w, "points", pts.buf);
                svg_attr(w, "fill", "none");
                svg_attr(w, "stroke", colours[k]);
                svg_attr(w, "stroke-width", "2");
                if (dashes[k])
                    svg_attr(w, "stroke-dasharray", dashes[k]);
                svg_close(w);
                sb_reset(&pts);
            }
            if (i < nx && k == 0) {
                /* Mark the gap on the axis. */
                double x = LEFT + step * ((double)i + 0.5);
                chart_rect(&c, x - 5, axis_y - 12, 10, 10, c.hatch, "#4d4d4d");
            }
        }
        sb_release(&pts);
        for (size_t i = 0; i < nx; i++) {
            double v, l, h;
            bool ok, okl, okh;
            value_at(&c, s, "values", i, &v, &ok);
            if (!ok)
                continue;
            double x = LEFT + step * ((double)i + 0.5) + (double)k * 3 - 1.5 * (double)(ns - 1);
            value_at(&c, s, "lo", i, &l, &okl);
            value_at(&c, s, "hi", i, &h, &okh);
            if (okl && okh) {
                chart_lineseg(&c, x, chart_map(&ys, l), x, chart_map(&ys, h), colours[k], 1.2,
                              NULL);
                chart_lineseg(&c, x - 3, chart_map(&ys, l), x + 3, chart_map(&ys, l),
                              colours[k], 1.2, NULL);
                chart_lineseg(&c, x - 3, chart_map(&ys, h), x + 3, chart_map(&ys, h),
                              colours[k], 1.2, NULL);
            }
            marker(&c, (int)k, x, chart_map(&ys, v));
        }
    }

    /* The key: each series' stroke and marker, then the target. */
    for (size_t k = 0; k < ns; k++) {
        const char *name;
        chart_str(&c, json_array_get(series, k), "name", true, &name);
        double x = 8 + (double)(k % 2) * (CHART_W / 2), y = legend_y + 22.0 * (double)(k / 2);
        chart_lineseg(&c, x, y, x + 28, y, colours[k], 2, dashes[k]);
        marker(&c, (int)k, x + 14, y);
        chart_label(&c, x + 36, y + 4, "start", 12, name);
    }
    if (has_target) {
        double y = legend_y + 22.0 * (double)((ns + 1) / 2);
        chart_lineseg(&c, 8, y, 36, y, "#2e7d32", 2, "10 4");
        chart_label(&c, 44, y + 4, "start", 12, target_label);
    }
    return chart_end(&c);
}
