/* src/chart/chart_bar.c: areas compared, one horizontal bar each, with
 * intervals and a reference line (the nation). Rows keep the model's order. */
#include "chart/chart_impl.h"

#include <stdio.h>

#define ROW_H 22.0
#define LABEL_W 170.0
#define TOP 8.0

int chart_bar(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *bars;
    const char *unit, *ref_label = "";
    double ref = 0, lo = 0, hi = 0;
    bool has_ref = false;
    char where[48], buf[32];

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "bars", true, &bars) || chart_str(&c, m, "unit", false, &unit))
        return err->code;
    const json_t *r = json_object_get(m, "reference");
    if (r && !json_is_null(r)) {
        if (chart_num(&c, r, "value", &ref, &has_ref) ||
            chart_str(&c, r, "label", false, &ref_label))
            return kn_error_prefix(err, "'reference': ");
    }
    /* The value range: every value and interval end, the reference and 0. */
    size_t n = json_array_size(bars);
    for (size_t i = 0; i < n; i++) {
        const json_t *b = json_array_get(bars, i);
        const char *keys[] = {"value", "lo", "hi"};
        const char *label;
        enum chart_sig sig;
        snprintf(where, sizeof where, "'bars'[%zu]", i);
        if (chart_str(&c, b, "label", true, &label) || chart_str(&c, b, "text", false, &label) ||
            chart_sig(&c, b, where, &sig))
            return kn_error_prefix(err, "%s: ", where);
        for (int k = 0; k < 3; k++) {
            double v;
            bool ok;
            if (chart_num(&c, b, keys[k], &v, &ok))
                return kn_error_prefix(err, "%s: ", where);
            if (ok && v < lo)
                lo = v;
            if (ok && v > hi)
                hi = v;
        }
    }
    if (has_ref && ref > hi)
        hi = ref;
    if (has_ref && ref < lo)
        lo = ref;

    double ticks[CHART_MAX_TICKS];
    int nt = chart_ticks(&lo, &hi, 5, ticks);
    double axis_y = TOP + ROW_H * (double)n + 4;
    double unit_y = axis_y + 30, ref_y = unit_y + (*unit ? 16 : 0);
    double legend_y = ref_y + (has_ref && *ref_label ? 8 : -8);
    double height = legend_y + 44;
    if (chart_begin(&c, m, height, err))
        return err->code;
    struct chart_scale s = {lo, hi, LABEL_W + 10, CHART_W - 60};
    chart_xaxis(&c, &s, ticks, nt, axis_y, TOP);
    if (*unit)
        chart_label(&c, (s.r0 + s.r1) / 2, unit_y, "middle", 11, unit);

    for (size_t i = 0; i < n; i++) {
        const json_t *b = json_array_get(bars, i);
        const char *label;
        double v, l, h;
        bool has_v, has_l, has_h;
        enum chart_sig sig;
        chart_str(&c, b, "label", true, &label);
        chart_num(&c, b, "value", &v, &has_v);
        chart_num(&c, b, "lo", &l, &has_l);
        chart_num(&c, b, "hi", &h, &has_h);
        chart_sig(&c, b, "", &sig);
        double y = TOP + ROW_H * (double)i, mid = y + ROW_H / 2;
        chart_label(&c, LABEL_W, mid + 4, "end", 12, label);
        if (!has_v) {
            /* A gap: a hatched stub at the axis, never a bar of zero. */
            chart_rect(&c, chart_map(&s, 0), mid - 5, 14, 10, c.hatch, "#4d4d4d");
            chart_label(&c, chart_map(&s, 0) + 20, mid + 4, "start", 11, "–");
            continue;
        }
        if (sig == SIG_SUPPRESSED)
            sig = SIG_NONE; /* a value present is not hidden */
        double x0 = chart_map(&s, 0), x1 = chart_map(&s, v);
        chart_rect(&c, x0 < x1 ? x0 : x1, y + 4, x0 < x1 ? x1 - x0 : x0 - x1, ROW_H - 8,
                   chart_fill(sig), chart_stroke(sig));
        if (has_l && has_h) {
            double a = chart_map(&s, l), bb = chart_map(&s, h);
            chart_lineseg(&c, a, mid, bb, mid, "#1a1a1a", 1.5, NULL);
            chart_lineseg(&c, a, mid - 5, a, mid + 5, "#1a1a1a", 1.5, NULL);
            chart_lineseg(&c, bb, mid - 5, bb, mid + 5, "#1a1a1a", 1.5, NULL);
        }
        double right = has_h && chart_map(&s, h) > x1 ? chart_map(&s, h) : x1;
        chart_mark(&c, sig, right + 10, mid, 5);
        const char *text;
        chart_str(&c, b, "text", false, &text);
        chart_label(&c, right + 18, mid + 4, "start", 11, *text ? text : chart_fmt(&c, v, buf));
    }
    if (has_ref) {
        double x = chart_map(&s, ref);
        chart_lineseg(&c, x, TOP - 2, x, axis_y, "#1a1a1a", 2, "6 3");
        if (*ref_label) {
            /* The reference's key: a dashed stroke and its label. */
            chart_lineseg(&c, 8, ref_y - 4, 32, ref_y - 4, "#1a1a1a", 2, "6 3");
            chart_label(&c, 38, ref_y, "start", 12, ref_label);
        }
    }
    chart_legend(&c, 8, legend_y + 8);
    return chart_end(&c);
}
