/* src/chart/chart_multiples.c: small multiples, one small trend per area
 * on one common scale, each with the reference (the nation) behind it.
 *
 * Unlike the other charts this writes a sequence of standalone <svg>
 * elements: first the key (the chart's title and desc, what each line
 * means and the significance classes), then one panel per area, each with
 * its own title, desc and hatch pattern. A page lays them out in a grid
 * that reflows (two panels a row on a phone, more on a wide screen), which
 * one wide drawing could not do without shrinking its text.
 */
#include "chart/chart_impl.h"

#include <stdio.h>
#include <string.h>

#define PW 240.0     /* a panel's width */
#define PH 140.0     /* and height */
#define LEFT 40.0
#define RIGHT 10.0
#define TOP 30.0
#define PLOT_H 86.0
#define MAX_PANELS 64
#define LINE "#1f5c99"
#define REF "#595959"
#define REF_DASH "4 3"

/* values[i] of o's "values", *ok false for a gap. */
static int value_at(struct chart *c, const json_t *o, size_t i, double *v, bool *ok)
{
    const json_t *x = json_array_get(json_object_get(o, "values"), i);
    *ok = false;
    *v = 0;
    if (!x || json_is_null(x))
        return 0;
    if (!json_is_number(x))
        return chart_bad(c, "'values'[%zu]: not a number", i);
    *v = json_number_value(x);
    *ok = true;
    return 0;
}

/* Check o's "values" (nx long) and widen [lo, hi] to them. */
static int check_values(struct chart *c, const json_t *o, size_t nx, double *lo, double *hi)
{
    const json_t *arr;
    if (chart_arr(c, o, "values", true, &arr))
        return c->err->code;
    if (json_array_size(arr) != nx)
        return chart_bad(c, "'values': %zu values for %zu periods", json_array_size(arr), nx);
    for (size_t i = 0; i < nx; i++) {
        double v;
        bool ok;
        if (value_at(c, o, i, &v, &ok))
            return c->err->code;
        if (ok && v < *lo)
            *lo = v;
        if (ok && v > *hi)
            *hi = v;
    }
    return 0;
}

/* One line over the periods, broken at every gap; gaps marked on the axis
 * when mark_gaps. */
static void polyline(struct chart *c, const json_t *o, size_t nx, const struct chart_scale *ys,
                     double step, const char *stroke, double width, const char *dash,
                     bool mark_gaps)
{
    struct svg *w = &c->w;
    struct strbuf pts = STRBUF_INIT;
    double axis_y = TOP + PLOT_H;
    for (size_t i = 0; i <= nx; i++) {
        double v = 0;
        bool ok = false;
        if (i < nx)
            value_at(c, o, i, &v, &ok);
        double x = LEFT + step * ((double)i + 0.5);
        if (ok) {
            char a[32], b[32];
            if (w->rc == 0)
                w->rc = sb_addf(&pts, "%s%s,%s", pts.len ? " " : "", svg_num(x, a),
                                svg_num(chart_map(ys, v), b));
            continue;
        }
        if (pts.len) {
            svg_open(w, "polyline");
            svg_attr(w, "points", pts.buf);
            svg_attr(w, "fill", "none");
            svg_attr(w, "stroke", stroke);
            svg_attr_num(w, "stroke-width", width);
            if (dash)
                svg_attr(w, "stroke-dasharray", dash);
            svg_close(w);
            sb_reset(&pts);
        }
        if (i < nx && mark_gaps)
            chart_rect(c, x - 4, axis_y - 9, 8, 8, c->hatch, "#4d4d4d");
    }
    sb_release(&pts);
}

/* The key: the panels' line, the reference's line and the significance
 * classes the legend names, one a row. */
static int draw_key(struct chart *c, const json_t *m, const char *series_label,
                    const char *ref_label)
{
    static const struct {
        const char *key;
        enum chart_sig sig;
    } order[] = {
        { "better", SIG_BETTER }, { "similar", SIG_SIMILAR }, { "worse", SIG_WORSE },
        { "none", SIG_NONE },     { "suppressed", SIG_SUPPRESSED },
    };
    const json_t *lg = json_object_get(m, "legend");
    const char *words[5] = { "" };
    int rows = (*series_label ? 1 : 0) + (*ref_label ? 1 : 0);
    for (size_t i = 0; i < 5; i++) {
        words[i] = "";
        if (json_is_object(lg) && chart_str(c, lg, order[i].key, false, &words[i]))
            return c->err->code;
        rows += *words[i] ? 1 : 0;
    }
    if (chart_begin_wide(c, m, PW, 12.0 + 20.0 * (double)(rows ? rows : 1), c->err))
        return c->err->code;
    double y = 16;
    if (*series_label) {
        chart_lineseg(c, 8, y, 36, y, LINE, 2, NULL);
        chart_label(c, 44, y + 4, "start", 12, series_label);
        y += 20;
    }
    if (*ref_label) {
        chart_lineseg(c, 8, y, 36, y, REF, 1.5, REF_DASH);
        chart_label(c, 44, y + 4, "start", 12, ref_label);
        y += 20;
    }
    for (size_t i = 0; i < 5; i++) {
        if (!*words[i])
            continue;
        chart_mark(c, order[i].sig, 22, y, 6);
        chart_label(c, 44, y + 4, "start", 12, words[i]);
        y += 20;
    }
    return chart_end(c);
}

int chart_multiples(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *xs, *panels, *ref = NULL;
    const char *id, *series_label, *ref_label = "";
    double lo = 0, hi = 0;
    char where[48], buf[32];

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "x", true, &xs) || chart_arr(&c, m, "panels", true, &panels) ||
        chart_str(&c, m, "id", false, &id) ||
        chart_str(&c, m, "series_label", false, &series_label))
        return err->code;
    size_t nx = json_array_size(xs), np = json_array_size(panels);
    if (nx == 0)
        return chart_bad(&c, "'x': no periods");
    if (np == 0 || np > MAX_PANELS)
        return chart_bad(&c, "'panels': give 1 to %d panels", MAX_PANELS);
    for (size_t i = 0; i < nx; i++)
        if (!json_is_string(json_array_get(xs, i)))
            return chart_bad(&c, "'x'[%zu]: not a string", i);
    ref = json_object_get(m, "reference");
    if (ref && !json_is_null(ref)) {
        if (chart_str(&c, ref, "label", true, &ref_label) ||
            check_values(&c, ref, nx, &lo, &hi))
            return kn_error_prefix(err, "'reference': ");
    } else {
        ref = NULL;
    }
    for (size_t k = 0; k < np; k++) {
        const json_t *p = json_array_get(panels, k);
        const char *s;
        enum chart_sig sig;
        snprintf(where, sizeof where, "'panels'[%zu]", k);
        if (chart_str(&c, p, "label", true, &s) || chart_str(&c, p, "text", false, &s) ||
            check_values(&c, p, nx, &lo, &hi))
            return kn_error_prefix(err, "%s: ", where);
        if (chart_sig(&c, p, where, &sig))
            return err->code;
    }
    if (!*id)
        id = "chart";

    /* One scale for every panel: that is what makes them comparable. */
    double ticks[CHART_MAX_TICKS];
    int nt = chart_ticks(&lo, &hi, 3, ticks);
    double axis_y = TOP + PLOT_H;
    struct chart_scale ys = { lo, hi, axis_y, TOP };
    double step = (PW - LEFT - RIGHT) / (double)nx;

    if (draw_key(&c, m, series_label, ref_label))
        return err->code;
    for (size_t k = 0; k < np; k++) {
        const json_t *p = json_array_get(panels, k);
        const char *label, *text, *word = "";
        enum chart_sig sig;
        chart_str(&c, p, "label", true, &label);
        chart_str(&c, p, "text", false, &text);
        chart_sig(&c, p, "", &sig);
        const json_t *lg = json_object_get(m, "legend");
        static const char *const sig_keys[] = { "none", "better", "similar", "worse",
                                                "suppressed" };
        if (json_is_object(lg) && json_is_string(json_object_get(lg, sig_keys[sig])))
            word = json_string_value(json_object_get(lg, sig_keys[sig]));
        /* Each panel is an image of its own: its title is the area, its
         * description the value and class the page gave it. */
        struct strbuf desc = STRBUF_INIT;
        int rc = sb_addf(&desc, "%s%s%s%s%s%s", label, *text ? ": " : "", text,
                         *word ? " (" : "", word, *word ? ")" : "");
        char pid[48];
        snprintf(pid, sizeof pid, "%.32s-p%zu", id, k + 1);
        json_t *frame = json_pack("{s:s, s:s, s:s, s:b}", "id", pid, "title", label, "desc",
                                  rc == 0 ? desc.buf : label, "decimal_comma",
                                  json_is_true(json_object_get(m, "decimal_comma")));
        sb_release(&desc);
        if (!frame)
            return kn_fail(err, KN_ENOMEM, "chart: out of memory");
        svg_init(&c.w, out);
        rc = chart_begin_wide(&c, frame, PW, PH, err);
        if (rc) {
            json_decref(frame);
            return rc;
        }
        chart_label(&c, 6, 18, "start", 13, label);
        if (*text)
            chart_label(&c, PW - 22, 18, "end", 12, text);
        if (sig != SIG_NONE || *word)
            chart_mark(&c, sig, PW - 11, 13, 6);
        for (int i = 0; i < nt; i++) {
            double y = chart_map(&ys, ticks[i]);
            chart_lineseg(&c, LEFT, y, PW - RIGHT, y, "#e0e0e0", 1, NULL);
            chart_label(&c, LEFT - 4, y + 4, "end", 11, chart_fmt(&c, ticks[i], buf));
        }
        chart_lineseg(&c, LEFT, axis_y, PW - RIGHT, axis_y, "#595959", 1, NULL);
        chart_label(&c, LEFT, axis_y + 16, "start", 11, json_string_value(json_array_get(xs, 0)));
        if (nx > 1)
            chart_label(&c, PW - RIGHT, axis_y + 16, "end", 11,
                        json_string_value(json_array_get(xs, nx - 1)));
        if (ref)
            polyline(&c, ref, nx, &ys, step, REF, 1.5, REF_DASH, false);
        polyline(&c, p, nx, &ys, step, LINE, 2, NULL, true);
        for (size_t i = 0; i < nx; i++) {
            double v;
            bool ok;
            value_at(&c, p, i, &v, &ok);
            if (!ok)
                continue;
            svg_open(&c.w, "circle");
            svg_attr_num(&c.w, "cx", LEFT + step * ((double)i + 0.5));
            svg_attr_num(&c.w, "cy", chart_map(&ys, v));
            svg_attr(&c.w, "r", "2.5");
            svg_attr(&c.w, "fill", LINE);
            svg_close(&c.w);
        }
        rc = chart_end(&c);
        c.m = m;
        json_decref(frame);
        if (rc)
            return rc;
    }
    return 0;
}
