/* src/report/chart_heat.c: a heat map of areas (rows) by indicators
 * (columns), each cell coloured by significance, with its text and a shape
 * cue, column heads turned so that many indicators fit. */
#include "report/chart_impl.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 160.0
#define HEAD_H 120.0
#define CELL_H 24.0

int chart_heat(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *cols, *rows, *cells;
    char where[64], buf[96], num[2][32];

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
    double cell_w = (CHART_W - LABEL_W - 8) / (double)nc;
    if (cell_w > 64)
        cell_w = 64;
    double height = HEAD_H + CELL_H * (double)nr + 44;
    if (chart_begin(&c, m, height, err))
        return err->code;
    for (size_t k = 0; k < nc; k++) {
        double x = LABEL_W + cell_w * ((double)k + 0.5) + 4, y = HEAD_H - 6;
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
        chart_label(&c, LABEL_W - 6, y + CELL_H / 2 + 4, "end", 12,
                    json_string_value(json_array_get(rows, r)));
        for (size_t k = 0; k < nc; k++) {
            const json_t *cell = json_array_get(row, k);
            const char *text;
            enum chart_sig sig;
            chart_sig(&c, cell, "", &sig);
            chart_str(&c, cell, "text", false, &text);
            double x = LABEL_W + cell_w * (double)k;
            chart_rect(&c, x + 1, y + 1, cell_w - 2, CELL_H - 2,
                       sig == SIG_SUPPRESSED ? c.hatch : chart_fill(sig), "#ffffff");
            if (sig != SIG_NONE && sig != SIG_SUPPRESSED)
                chart_mark_on(&c, sig, x + 8, y + CELL_H / 2, 4);
            if (*text) {
                svg_open(&c.w, "text");
                svg_attr_num(&c.w, "x", x + cell_w / 2 + (sig == SIG_NONE ? 0 : 5));
                svg_attr_num(&c.w, "y", y + CELL_H / 2 + 4);
                svg_attr(&c.w, "text-anchor", "middle");
                svg_attr(&c.w, "font-size", "10");
                svg_attr(&c.w, "fill", chart_ink(sig));
                svg_text(&c.w, text);
                svg_close(&c.w);
            }
        }
    }
    chart_legend(&c, 8, height - 34);
    return chart_end(&c);
}
