/* src/chart/chart_flow.c: a care pathway as a flow, top to bottom: each
 * phase a heading, each step a box in order with its time limit at the
 * right and a line of figures, an arrow from each step to the next. A
 * pathway has a handful of phases and a dozen steps; the height grows with
 * them. */
#include "chart/chart_impl.h"

#include <stdio.h>

#define LEFT 20.0
#define BOX_W 600.0
#define BOX_H 52.0
#define STEP_GAP 18.0
#define PHASE_H 26.0
#define BADGE_W 96.0
#define TOP 6.0

/* An arrow down from (x, y1) to (x, y2). */
static void arrow(struct chart *c, double x, double y1, double y2)
{
    char d[200], xl[32], xr[32], xm[32], yt[32], yb[32];
    chart_lineseg(c, x, y1, x, y2 - 5, "#444", 1.5, NULL);
    svg_num(x - 5, xl);
    svg_num(x + 5, xr);
    svg_num(x, xm);
    svg_num(y2 - 6, yt);
    svg_num(y2, yb);
    snprintf(d, sizeof d, "M %s %s L %s %s L %s %s Z", xl, yt, xr, yt, xm, yb);
    svg_leaf(&c->w, "path", NULL, "d", d, "fill", "#444", (char *)NULL);
}

static void text(struct chart *c, double x, double y, const char *anchor, const char *size,
                 bool bold, const char *s)
{
    svg_open(&c->w, "text");
    svg_attr_num(&c->w, "x", x);
    svg_attr_num(&c->w, "y", y);
    svg_attr(&c->w, "text-anchor", anchor);
    svg_attr(&c->w, "font-size", size);
    if (bold)
        svg_attr(&c->w, "font-weight", "bold");
    svg_attr(&c->w, "fill", "#1a1a1a");
    svg_text(&c->w, s);
    svg_close(&c->w);
}

int chart_flow(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *phases;
    char where[64];
    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "phases", true, &phases))
        return err->code;
    double height = TOP;
    size_t nsteps = 0;
    for (size_t i = 0; i < json_array_size(phases); i++) {
        const json_t *p = json_array_get(phases, i), *steps;
        const char *s;
        snprintf(where, sizeof where, "'phases'[%zu]", i);
        if (chart_str(&c, p, "label", true, &s) || chart_arr(&c, p, "steps", true, &steps))
            return kn_error_prefix(err, "%s: ", where);
        for (size_t k = 0; k < json_array_size(steps); k++) {
            const json_t *st = json_array_get(steps, k);
            snprintf(where, sizeof where, "'phases'[%zu].'steps'[%zu]", i, k);
            if (chart_str(&c, st, "label", true, &s) || chart_str(&c, st, "limit", false, &s) ||
                chart_str(&c, st, "figures", false, &s))
                return kn_error_prefix(err, "%s: ", where);
        }
        nsteps += json_array_size(steps);
        height += PHASE_H + (double)json_array_size(steps) * (BOX_H + STEP_GAP);
    }
    if (nsteps == 0)
        return chart_bad(&c, "'phases': no step");
    if (chart_begin(&c, m, height, err))
        return err->code;
    double y = TOP, prev_bottom = -1;
    for (size_t i = 0; i < json_array_size(phases); i++) {
        const json_t *p = json_array_get(phases, i), *steps = json_object_get(p, "steps");
        const char *label;
        chart_str(&c, p, "label", true, &label);
        text(&c, LEFT - 12, y + 17, "start", "14", true, label);
        y += PHASE_H;
        for (size_t k = 0; k < json_array_size(steps); k++) {
            const json_t *st = json_array_get(steps, k);
            const char *name, *limit, *figures;
            chart_str(&c, st, "label", true, &name);
            chart_str(&c, st, "limit", false, &limit);
            chart_str(&c, st, "figures", false, &figures);
            if (prev_bottom >= 0)
                arrow(&c, LEFT + BOX_W / 2, prev_bottom, y);
            svg_open(&c.w, "g");
            svg_open(&c.w, "rect");
            svg_attr_num(&c.w, "x", LEFT);
            svg_attr_num(&c.w, "y", y);
            svg_attr_num(&c.w, "width", BOX_W);
            svg_attr_num(&c.w, "height", BOX_H);
            svg_attr(&c.w, "rx", "6");
            svg_attr(&c.w, "fill", "#eef3f8");
            svg_attr(&c.w, "stroke", "#1d3557");
            svg_close(&c.w);
            text(&c, LEFT + 12, y + 21, "start", "14", true, name);
            if (*figures)
                text(&c, LEFT + 12, y + 41, "start", "12", false, figures);
            if (*limit) {
                double bx = LEFT + BOX_W - BADGE_W - 8;
                chart_rect(&c, bx, y + 8, BADGE_W, 22, "#fff7d6", "#8a6d00");
                text(&c, bx + BADGE_W / 2, y + 23, "middle", "12", true, limit);
            }
            svg_close(&c.w);
            prev_bottom = y + BOX_H;
            y += BOX_H + STEP_GAP;
        }
    }
    return chart_end(&c);
}
