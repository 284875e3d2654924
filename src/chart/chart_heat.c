/* src/chart/chart_heat.c: a heat map (the overview's "tartan rug":
 * indicators as rows, regions as columns), each cell coloured by
 * significance with a shape cue, column heads turned. The row labels get
 * the width their longest needs, and each cell at least MIN_CELL_W: a
 * map of many columns is drawn wider than CHART_W instead of squeezing
 * its cells until nothing in them can be read. A cell's text is drawn in
 * it when the cell is wide enough for it, and is always its tooltip
 * (<title>: row, column and text); the table beside the chart has every
 * number. */
#include "chart/chart_impl.h"

#include <stdio.h>
#include <string.h>

#define HEAD_H 120.0
#define CELL_H 24.0
#define MIN_CELL_W 30.0
#define MAX_CELL_W 64.0
#define TEXT_CELL_W 46.0 /* room for "1 034,6" at 10 units */

/* Characters of UTF-8 s (for widths: about 6.2 units a character at 12). */
static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

int chart_heat(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *cols, *rows, *cells;
    char where[64], buf[256], num[2][32];

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "cols", true, &cols) || chart_arr(&c, m, "rows", true, &rows) ||
        chart_arr(&c, m, "cells", true, &cells))
        return err->code;
    size_t nc = json_array_size(cols), nr = json_array_size(rows);
    if (nc == 0)
        return chart_bad(&c, "'cols': empty");
    if (json_array_size(cells) != nr)
        return chart_bad(&c, "'cells': %zu rows for %zu row labels", json_array_size(cells), nr);
    for (size_t i = 0; i < nc; i++)
        if (!json_is_string(json_array_get(cols, i)))
            return chart_bad(&c, "'cols'[%zu]: not a string", i);
    for (size_t r = 0; r < nr; r++) {
        const json_t *row = json_array_get(cells, r);
        if (!json_is_string(json_array_get(rows, r)))
            return chart_bad(&c, "'rows'[%zu]: not a string", r);
        if (!json_is_array(row) || json_array_size(row) != nc)
            return chart_bad(&c, "'cells'[%zu]: not an array of %zu cells", r, nc);
        for (size_t k = 0; k < nc; k++) {
            const char *text;
            enum chart_sig sig;
            snprintf(where, sizeof where, "'cells'[%zu][%zu]", r, k);
            if (chart_sig(&c, json_array_get(row, k), where, &sig) ||
                chart_str(&c, json_array_get(row, k), "text", false, &text))
                return kn_error_prefix(err, "%s: ", where);
        }
    }
    size_t longest = 0;
    for (size_t r = 0; r < nr; r++) {
        size_t n = chars(json_string_value(json_array_get(rows, r)));
        longest = n > longest ? n : longest;
    }
    double label_w = 12 + 6.2 * (double)longest;
    label_w = label_w < 100 ? 100 : label_w > 520 ? 520 : label_w;
    double cell_w = (CHART_W - label_w - 8) / (double)nc;
    cell_w = cell_w < MIN_CELL_W ? MIN_CELL_W : cell_w > MAX_CELL_W ? MAX_CELL_W : cell_w;
    double width = label_w + cell_w * (double)nc + 48; /* the last head leans right */
    if (width < CHART_W)
        width = CHART_W;
    double height = HEAD_H + CELL_H * (double)nr + 44;
    if (chart_begin_wide(&c, m, width, height, err))
        return err->code;
    for (size_t k = 0; k < nc; k++) {
        double x = label_w + cell_w * ((double)k + 0.5) + 4, y = HEAD_H - 6;
        svg_open(&c.w, "text");
        svg_attr_num(&c.w, "x", x);
        svg_attr_num(&c.w, "y", y);
        svg_attr(&c.w, "font-size", "11");
        svg_attr(&c.w, "fill", "#1a1a1a");
        snprintf(buf, sizeof buf, "rotate(-60 %s %s)", svg_num(x, num[0]), svg_num(y, num[1]));
        svg_attr(&c.w, "transform", buf);
        svg_text(&c.w, json_string_value(json_array_get(cols, k)));
        svg_close(&c.w);
    }
    for (size_t r = 0; r < nr; r++) {
        const json_t *row = json_array_get(cells, r);
        double y = HEAD_H + CELL_H * (double)r;
        chart_label(&c, label_w - 6, y + CELL_H / 2 + 4, "end", 12,
                    json_string_value(json_array_get(rows, r)));
        for (size_t k = 0; k < nc; k++) {
            const json_t *cell = json_array_get(row, k);
            const char *text;
            enum chart_sig sig;
            chart_sig(&c, cell, "", &sig);
            chart_str(&c, cell, "text", false, &text);
            double x = label_w + cell_w * (double)k;
            bool room = cell_w >= TEXT_CELL_W;
            svg_open(&c.w, "g");
            snprintf(buf, sizeof buf, "%s, %s%s%s", json_string_value(json_array_get(rows, r)),
                     json_string_value(json_array_get(cols, k)), *text ? ": " : "", text);
            svg_leaf(&c.w, "title", buf, (char *)NULL);
            /* a suppressed cell is a white gap with its hatched mark (the
             * hatching only in the mark, never under text) */
            chart_rect(&c, x + 1, y + 1, cell_w - 2, CELL_H - 2, chart_fill(sig),
                       sig == SIG_SUPPRESSED ? "#767676" : "#ffffff");
            chart_mark_on(&c, sig, room ? x + 8 : x + cell_w / 2, y + CELL_H / 2,
                          room ? 4 : 5);
            if (*text && room) {
                svg_open(&c.w, "text");
                svg_attr_num(&c.w, "x", x + cell_w / 2 + 5);
                svg_attr_num(&c.w, "y", y + CELL_H / 2 + 4);
                svg_attr(&c.w, "text-anchor", "middle");
                svg_attr(&c.w, "font-size", "10");
                svg_attr(&c.w, "fill", chart_ink(sig));
                svg_text(&c.w, text);
                svg_close(&c.w);
            }
            svg_close(&c.w);
        }
    }
    chart_legend(&c, 8, height - 34);
    return chart_end(&c);
}
