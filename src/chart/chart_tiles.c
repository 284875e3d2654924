/* src/chart/chart_tiles.c: Sweden's 21 regions as equal tiles in a grid
 * of the country's shape (no boundary files), each coloured by
 * significance with a shape cue in its corner (chart_mark_on), its name
 * and its text on the tile's solid colour. */
#include "chart/chart_impl.h"

#include <stdio.h>
#include <string.h>

#define TILE_W 150.0
#define TILE_H 50.0
#define GAP 6.0
#define TOP 8.0
#define LEFT 10.0

/* Region code -> column and row, north at the top. */
static const struct {
    const char *code;
    int col, row;
} grid[] = {
    {"25", 3, 0}, {"24", 2, 1}, {"23", 1, 2}, {"22", 2, 2}, {"20", 1, 3}, {"21", 2, 3},
    {"17", 0, 4}, {"18", 1, 4}, {"19", 2, 4}, {"03", 3, 4}, {"14", 0, 5}, {"05", 1, 5},
    {"04", 2, 5}, {"01", 3, 5}, {"13", 0, 6}, {"06", 1, 6}, {"08", 2, 6}, {"09", 3, 6},
    {"12", 0, 7}, {"07", 1, 7}, {"10", 2, 7},
};
#define NTILES (sizeof grid / sizeof grid[0])

int chart_tiles(const json_t *m, struct strbuf *out, struct kn_error *err)
{
    struct chart c;
    const json_t *tiles, *by_pos[NTILES] = {0};
    char where[48];

    svg_init(&c.w, out);
    c.err = err;
    c.m = m;
    if (!json_is_object(m))
        return chart_bad(&c, "not an object");
    if (chart_arr(&c, m, "tiles", true, &tiles))
        return err->code;
    for (size_t i = 0; i < json_array_size(tiles); i++) {
        const json_t *t = json_array_get(tiles, i);
        const char *code, *label, *text;
        enum chart_sig sig;
        size_t k;
        snprintf(where, sizeof where, "'tiles'[%zu]", i);
        if (chart_str(&c, t, "code", true, &code) || chart_str(&c, t, "label", true, &label) ||
            chart_str(&c, t, "text", false, &text) || chart_sig(&c, t, where, &sig))
            return kn_error_prefix(err, "%s: ", where);
        for (k = 0; k < NTILES && strcmp(grid[k].code, code) != 0; k++)
            ;
        if (k == NTILES)
            return chart_bad(&c, "%s.'code': not a region code", where);
        if (by_pos[k])
            return chart_bad(&c, "%s.'code': region given twice", where);
        by_pos[k] = t;
    }
    double height = TOP + 8 * (TILE_H + GAP) + 44;
    if (chart_begin(&c, m, height, err))
        return err->code;
    for (size_t k = 0; k < NTILES; k++) {
        const json_t *t = by_pos[k];
        const char *label = grid[k].code, *text = "";
        enum chart_sig sig = SIG_NONE;
        if (t) {
            chart_str(&c, t, "label", true, &label);
            chart_str(&c, t, "text", false, &text);
            chart_sig(&c, t, "", &sig);
        }
        double x = LEFT + grid[k].col * (TILE_W + GAP), y = TOP + grid[k].row * (TILE_H + GAP);
        svg_open(&c.w, "g");
        /* every tile a solid colour under its text; the class's shape (a
         * suppressed tile's hatching too) only in the corner, left of the
         * text: hatching under the name made it hard to read */
        chart_rect(&c, x, y, TILE_W, TILE_H, chart_fill(sig), chart_stroke(sig));
        chart_mark_on(&c, sig, x + 12, y + 14, 6);
        const char *ink = chart_ink(sig);
        svg_open(&c.w, "text");
        svg_attr_num(&c.w, "x", x + 24);
        svg_attr_num(&c.w, "y", y + 19);
        svg_attr(&c.w, "font-size", "12");
        svg_attr(&c.w, "fill", ink);
        svg_text(&c.w, label);
        svg_close(&c.w);
        if (*text) {
            svg_open(&c.w, "text");
            svg_attr_num(&c.w, "x", x + 24);
            svg_attr_num(&c.w, "y", y + 38);
            svg_attr(&c.w, "font-size", "13");
            svg_attr(&c.w, "font-weight", "bold");
            svg_attr(&c.w, "fill", ink);
            svg_text(&c.w, text);
            svg_close(&c.w);
        }
        svg_close(&c.w);
    }
    chart_legend(&c, 8, height - 34);
    return chart_end(&c);
}
