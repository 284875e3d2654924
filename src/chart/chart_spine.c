/* src/chart/chart_spine.c: an area profile, one row per indicator: the
 * range of areas (min to max, the middle half darker), the nation as a
 * line, and the area's value as a mark coloured and shaped by its
 * significance. Each row has its own scale, better to the right. The
 * indicator's name stands on its own line above its bar: beside it, in a
 * column of a fixed width, a long name was cut off at the drawing's edge. */
#include "chart/chart_impl.h"

#include <stdio.h>

#define ROW_H 44.0
#define LABEL_H 16.0 /* the name's line, above the bar */
#define TOP 8.0

int chart_spine(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *rows;
    char where[48];
    static const char *const keys[] = {"value", "nation", "min", "q1", "q3", "max"};

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "rows", true, &rows))
        return err->code;
    size_t n = json_array_size(rows);
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        const char *label;
        enum chart_sig sig;
        double v;
        bool ok;
        snprintf(where, sizeof where, "'rows'[%zu]", i);
        if (chart_str(&c, r, "label", true, &label) || chart_sig(&c, r, where, &sig))
            return kn_error_prefix(err, "%s: ", where);
        for (int k = 0; k < 6; k++)
            if (chart_num(&c, r, keys[k], &v, &ok))
                return kn_error_prefix(err, "%s: ", where);
    }
    double height = TOP + ROW_H * (double)n + 40;
    if (chart_begin(&c, m, height, err))
        return err->code;
    double x0 = 16, x1 = CHART_W - 16;
    for (size_t i = 0; i < n; i++) {
        const json_t *r = json_array_get(rows, i);
        const char *label;
        double v[6];
        bool ok[6];
        enum chart_sig sig;
        chart_str(&c, r, "label", true, &label);
        chart_sig(&c, r, "", &sig);
        for (int k = 0; k < 6; k++)
            chart_num(&c, r, keys[k], &v[k], &ok[k]);
        double y = TOP + ROW_H * (double)i, mid = y + LABEL_H + (ROW_H - LABEL_H) / 2;
        if (i % 2 == 0)
            chart_rect(&c, 0, y, CHART_W, ROW_H, "#f5f5f5", NULL);
        chart_label(&c, x0, y + LABEL_H - 2, "start", 12, label);
        if (!ok[2] || !ok[5]) {
            chart_rect(&c, x0, mid - 5, 14, 10, c.hatch, "#4d4d4d");
            continue;
        }
        bool up = json_is_false(json_object_get(r, "higher_is_better")) ? false : true;
        struct chart_scale s = up ? (struct chart_scale){v[2], v[5], x0, x1}
                                  : (struct chart_scale){v[2], v[5], x1, x0};
        chart_rect(&c, x0, mid - 7, x1 - x0, 14, "#d9d9d9", NULL);
        if (ok[3] && ok[4]) {
            double a = chart_map(&s, v[3]), b = chart_map(&s, v[4]);
            chart_rect(&c, a < b ? a : b, mid - 7, a < b ? b - a : a - b, 14, "#a6a6a6", NULL);
        }
        if (ok[1]) {
            double x = chart_map(&s, v[1]);
            chart_lineseg(&c, x, mid - 10, x, mid + 10, "#1a1a1a", 2, NULL);
        }
        if (ok[0])
            chart_mark(&c, sig == SIG_SUPPRESSED ? SIG_NONE : sig, chart_map(&s, v[0]), mid, 6);
        else
            chart_mark(&c, SIG_SUPPRESSED, (x0 + x1) / 2, mid, 5);
    }
    chart_legend(&c, 8, height - 30);
    return chart_end(&c);
}
