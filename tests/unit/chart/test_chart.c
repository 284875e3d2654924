/* tests/unit/chart/test_chart.c: src/chart/svg.c and the charts.
 *
 * Every chart is checked for well-formed markup by a small independent
 * XML checker (balanced elements, quoted attributes, no raw '<' or stray
 * '&' in text), for the accessible frame (role="img", a title and a desc
 * named by aria-labelledby), for hostile text coming out escaped, and for
 * gaps: a null value is never drawn as a bar, point or line through it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <jansson.h>

#include "base/error.h"
#include "chart/chart.h"
#include "chart/svg.h"

#define HOSTILE "<script>alert(1)</script>&\\\"'"

/* 1 if s is well-formed (for the subset the writer emits), else 0. */
static int well_formed(const char *s)
{
    char stack[64][16];
    int depth = 0, seen_root = 0;
    while (*s) {
        if (*s == '<') {
            s++;
            int closing = *s == '/';
            if (closing)
                s++;
            char name[16];
            size_t n = 0;
            while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || *s == '-' || *s == ':')
                if (n < sizeof name - 1)
                    name[n++] = *s++;
                else
                    return 0;
            name[n] = '\0';
            if (n == 0)
                return 0;
            if (closing) {
                if (depth == 0 || strcmp(stack[depth - 1], name) != 0 || *s != '>')
                    return 0;
                depth--;
                s++;
                continue;
            }
            /* Attributes: name="value" with no '<' or '"' inside. */
            for (;;) {
                while (*s == ' ')
                    s++;
                if (*s == '>' || (*s == '/' && s[1] == '>'))
                    break;
                while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                       (*s >= '0' && *s <= '9') || *s == '-' || *s == ':')
                    s++;
                if (*s++ != '=' || *s++ != '"')
                    return 0;
                while (*s && *s != '"') {
                    if (*s == '<')
                        return 0;
                    s++;
                }
                if (*s++ != '"')
                    return 0;
            }
            if (*s == '/') {
                s += 2;
            } else {
                if (depth == 64)
                    return 0;
                strcpy(stack[depth++], name);
                s++;
            }
            seen_root = 1;
        } else if (*s == '&') {
            const char *ents[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&#39;"};
            size_t k;
            for (k = 0; k < 5 && strncmp(s, ents[k], strlen(ents[k])) != 0; k++)
                ;
            if (k == 5)
                return 0;
            s += strlen(ents[k]);
        } else {
            if (depth == 0)
                return 0; /* text outside the root */
            s++;
        }
    }
    return depth == 0 && seen_root;
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

typedef int (*chart_fn)(const json_t *, struct strbuf *, struct kn_error *);

/* Draw m (a JSON text) with fn; assert success and the frame; return the
 * SVG (caller frees). */
static char *draw(chart_fn fn, const char *model)
{
    json_error_t jerr;
    json_t *m = json_loads(model, 0, &jerr);
    if (!m)
        fail_msg("bad test model at %d: %s", jerr.line, jerr.text);
    struct strbuf sb = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    int rc = fn(m, &sb, &err);
    if (rc)
        fail_msg("chart failed: %s", err.msg);
    /* The same model draws the same bytes. */
    struct strbuf again = STRBUF_INIT;
    assert_int_equal(fn(m, &again, &err), 0);
    assert_string_equal(sb.buf, again.buf);
    sb_release(&again);
    json_decref(m);
    assert_true(well_formed(sb.buf));
    assert_non_null(strstr(sb.buf, "role=\"img\""));
    assert_non_null(strstr(sb.buf, "<title id=\"t1-title\">"));
    assert_non_null(strstr(sb.buf, "<desc id=\"t1-desc\">"));
    assert_non_null(strstr(sb.buf, "aria-labelledby=\"t1-title t1-desc\""));
    assert_null(strstr(sb.buf, "<script"));
    assert_null(strstr(sb.buf, "nan"));
    assert_null(strstr(sb.buf, "inf"));
    return sb_detach(&sb, NULL);
}

/* fn on model must fail with KN_EINPUT and a message containing want. */
static void refuse(chart_fn fn, const char *model, const char *want)
{
    json_t *m = json_loads(model, 0, NULL);
    assert_non_null(m);
    struct strbuf sb = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    assert_int_equal(fn(m, &sb, &err), KN_EINPUT);
    if (!strstr(err.msg, want))
        fail_msg("message '%s' lacks '%s'", err.msg, want);
    sb_release(&sb);
    json_decref(m);
}

static void test_svg_writer(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    struct svg w;
    svg_init(&w, &sb);
    svg_open(&w, "g");
    svg_attr(&w, "class", "a\"b<c>&'");
    svg_open(&w, "text");
    svg_text(&w, "x < y & \"z\"\x01");
    svg_close(&w);
    svg_leaf(&w, "rect", NULL, "width", "1", (char *)NULL);
    assert_int_equal(svg_finish(&w), 0);
    assert_string_equal(sb.buf, "<g class=\"a&quot;b&lt;c&gt;&amp;&#39;\"><text>x &lt; y &amp; "
                                "&quot;z&quot;</text><rect width=\"1\"/></g>");
    /* Misuse is an error that sticks: an attribute after content. */
    sb_reset(&sb);
    svg_init(&w, &sb);
    svg_open(&w, "g");
    svg_text(&w, "t");
    svg_attr(&w, "x", "1");
    svg_open(&w, "rect");
    assert_int_equal(svg_finish(&w), KN_EINPUT);
    /* A bad element name. */
    sb_reset(&sb);
    svg_init(&w, &sb);
    svg_open(&w, "g onload=x");
    assert_int_equal(svg_finish(&w), KN_EINPUT);
    sb_release(&sb);
}

static void test_svg_num(void **state)
{
    (void)state;
    char b[32];
    assert_string_equal(svg_num(12.5, b), "12.5");
    assert_string_equal(svg_num(-3, b), "-3");
    assert_string_equal(svg_num(0.071, b), "0.07");
    assert_string_equal(svg_num(-0.001, b), "0");
    assert_string_equal(svg_num(100.0, b), "100");
    assert_string_equal(svg_num(0.0 / 0.0, b), "0");
    assert_string_equal(svg_num(1e300, b), "0");
}

static void test_bar(void **state)
{
    (void)state;
    char *s = draw(chart_bar,
                   "{\"id\":\"t1\",\"title\":\"Rate " HOSTILE "\",\"desc\":\"d\","
                   "\"unit\":\"per 100 000\",\"decimal_comma\":true,"
                   "\"reference\":{\"label\":\"Riket\",\"value\":40.5},"
                   "\"bars\":[{\"label\":\"Stockholm\",\"value\":52.26,\"lo\":48,\"hi\":56.5,"
                   "\"sig\":\"worse\"},{\"label\":\"Gotland\",\"value\":null,\"sig\":"
                   "\"suppressed\"},{\"label\":\"" HOSTILE "\",\"value\":30,\"text\":\"about 30\",\"lo\":20,\"hi\":"
                   "41,\"sig\":\"similar\"}],\"legend\":{\"better\":\"Bättre\",\"similar\":"
                   "\"Ingen skillnad\",\"worse\":\"Sämre\",\"suppressed\":\"Dold\"}}");
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;"));
    assert_non_null(strstr(s, ">52,3<")); /* the decimal comma */
    assert_null(strstr(s, ">52.3<"));
    assert_non_null(strstr(s, ">about 30<")); /* a bar's own text */
    assert_non_null(strstr(s, "url(#t1-hatch)")); /* Gotland's gap */
    /* Two value bars (the two present values) in the classes' fills, and
     * nothing drawn in the fill of "none" for the gap. */
    /* The worse bar, its shape cue and the legend's cue. */
    assert_int_equal(count(s, "fill=\"#b84a0e\" stroke"), 3);
    assert_non_null(strstr(s, "Riket"));
    assert_non_null(strstr(s, "Ingen skillnad"));
    assert_non_null(strstr(s, "Dold"));
    free(s);
    refuse(chart_bar, "{\"title\":\"t\",\"desc\":\"d\",\"bars\":[{\"label\":\"a\",\"value\":1,"
                      "\"sig\":\"best\"}]}",
           "'bars'[0].'sig': unknown class");
    refuse(chart_bar, "{\"title\":\"t\",\"desc\":\"d\",\"bars\":[{\"label\":\"a\",\"value\":"
                      "\"12\"}]}",
           "'bars'[0]: chart model: 'value': not a number");
    refuse(chart_bar, "{\"desc\":\"d\",\"bars\":[]}", "'title': missing");
    refuse(chart_bar, "{\"id\":\"A b\",\"title\":\"t\",\"desc\":\"d\",\"bars\":[]}", "'id'");
    refuse(chart_bar, "[1]", "not an object");
}

static void test_line_gaps(void **state)
{
    (void)state;
    char *s = draw(chart_line,
                   "{\"id\":\"t1\",\"title\":\"Trend\",\"desc\":\"d\",\"y_label\":\"%\","
                   "\"x\":[\"2020\",\"2021\",\"2022\",\"2023\",\"2024\"],"
                   "\"target\":10,\"target_label\":\"Målnivå\","
                   "\"series\":[{\"name\":\"Riket\",\"values\":[12,11,null,9.5,9],"
                   "\"lo\":[11,10,null,8,8],\"hi\":[13,12,null,11,10]},"
                   "{\"name\":\"Skåne\",\"values\":[null,null,null,null,null]}]}");
    /* The nation's line is broken at 2022: two runs; Skåne has none. */
    assert_int_equal(count(s, "<polyline"), 2);
    assert_int_equal(count(s, "url(#t1-hatch)"), 1); /* the gap marked on the axis */
    assert_non_null(strstr(s, "Målnivå"));
    assert_non_null(strstr(s, ">2024<"));
    free(s);
    refuse(chart_line, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\",\"b\"],\"series\":[{"
                       "\"name\":\"n\",\"values\":[1]}]}",
           "1 values for 2 periods");
    refuse(chart_line, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\"],\"series\":[]}",
           "'series': give 1 to 4");
}

static void test_funnel(void **state)
{
    (void)state;
    char *s = draw(chart_funnel,
                   "{\"id\":\"t1\",\"title\":\"Funnel\",\"desc\":\"d\",\"x_label\":\"n\","
                   "\"y_label\":\"%\",\"centre\":50,"
                   "\"limits\":[{\"n\":10,\"lo95\":19,\"hi95\":81,\"lo998\":2,\"hi998\":98},"
                   "{\"n\":100,\"lo95\":40,\"hi95\":60,\"lo998\":35,\"hi998\":65},"
                   "{\"n\":1000,\"lo95\":47,\"hi95\":53,\"lo998\":45,\"hi998\":55}],"
                   "\"points\":[{\"label\":\"A\",\"n\":500,\"value\":58,\"sig\":\"worse\"},"
                   "{\"label\":\"B\",\"n\":80,\"value\":null,\"sig\":\"suppressed\"}],"
                   "\"legend\":{\"worse\":\"Sämre\"}}");
    assert_int_equal(count(s, "<polyline"), 4);
    assert_non_null(strstr(s, "<title>A</title>"));
    assert_null(strstr(s, "<title>B</title>")); /* a hidden point is not drawn */
    free(s);
    /* Limits beside the points widen the value range however far they lie
     * above them (a small region's upper limits near 100 %), so that all
     * four curves show; a curve stops at the largest n of the points. */
    s = draw(chart_funnel,
             "{\"id\":\"t1\",\"title\":\"F\",\"desc\":\"d\",\"centre\":52,"
             "\"limits\":[{\"n\":10,\"lo95\":21,\"hi95\":83,\"lo998\":3,\"hi998\":100},"
             "{\"n\":20,\"lo95\":30,\"hi95\":74,\"lo998\":17,\"hi998\":87},"
             "{\"n\":30,\"lo95\":34,\"hi95\":70,\"lo998\":24,\"hi998\":80}],"
             "\"points\":[{\"label\":\"A\",\"n\":10,\"value\":40,\"sig\":\"similar\"},"
             "{\"label\":\"B\",\"n\":30,\"value\":45,\"sig\":\"similar\"}]}");
    assert_int_equal(count(s, "<polyline"), 4);
    free(s);
    /* Population on the x axis: thousands grouped as in the tables (a
     * no-break space in Swedish, a comma in English), and the last tick's
     * label ends at the axis' end instead of running past the drawing. */
    const char *big =
        "\"centre\":50,\"limits\":[{\"n\":1000,\"lo95\":40,\"hi95\":60,\"lo998\":35,"
        "\"hi998\":65},{\"n\":480000,\"lo95\":49,\"hi95\":51,\"lo998\":48,\"hi998\":52}],"
        "\"points\":[{\"label\":\"A\",\"n\":480000,\"value\":50.5,\"sig\":\"similar\"}]}";
    char m[512];
    snprintf(m, sizeof m, "{\"id\":\"t1\",\"title\":\"F\",\"desc\":\"d\","
             "\"decimal_comma\":true,%s", big);
    s = draw(chart_funnel, m);
    assert_non_null(strstr(s, ">100\xc2\xa0" "000</text>"));
    const char *last = strstr(s, ">500\xc2\xa0" "000</text>");
    assert_non_null(last);
    const char *tag = last;
    while (tag > s && strncmp(tag, "<text", 5) != 0)
        tag--;
    const char *anchor = strstr(tag, "text-anchor=\"end\"");
    assert_non_null(anchor);
    assert_true(anchor < last);
    free(s);
    snprintf(m, sizeof m, "{\"id\":\"t1\",\"title\":\"F\",\"desc\":\"d\",%s", big);
    s = draw(chart_funnel, m);
    assert_non_null(strstr(s, ">100,000</text>"));
    free(s);
}

/* The fill of the first polygon (a triangle: better or worse) in s. */
static void first_polygon_fill(const char *s, char out[16])
{
    const char *p = strstr(s, "<polygon");
    assert_non_null(p);
    const char *f = strstr(p, "fill=\"");
    assert_non_null(f);
    assert_true(f < strchr(p, '>'));
    snprintf(out, 16, "%.7s", f + 6);
}

static void test_spine_heat_tiles(void **state)
{
    char fill[16];
    (void)state;
    char *s = draw(chart_spine,
                   "{\"id\":\"t1\",\"title\":\"Profil\",\"desc\":\"d\",\"rows\":["
                   "{\"label\":\"a\",\"value\":5,\"nation\":4,\"min\":1,\"q1\":3,\"q3\":6,"
                   "\"max\":9,\"higher_is_better\":false,\"sig\":\"worse\"},"
                   "{\"label\":\"b\",\"value\":null,\"nation\":4,\"min\":1,\"q1\":3,\"q3\":6,"
                   "\"max\":9,\"sig\":\"suppressed\"}]}");
    assert_non_null(strstr(s, "url(#t1-hatch)"));
    free(s);
    /* A long name stands on its own line from the left edge, whole: ended
     * at a label column's edge it ran out of the drawing on the left. */
    s = draw(chart_spine,
             "{\"id\":\"t1\",\"title\":\"Profil\",\"desc\":\"d\",\"rows\":["
             "{\"label\":\"Unga 13\u201324 \u00e5r i slutenv\u00e5rd efter avsiktlig "
             "sj\u00e4lvskada per 100 000\",\"value\":5,\"nation\":4,\"min\":1,\"q1\":3,"
             "\"q3\":6,\"max\":9,\"sig\":\"similar\"}]}");
    const char *name = strstr(s, ">Unga 13");
    assert_non_null(name);
    const char *tag = name;
    while (tag > s && strncmp(tag, "<text", 5) != 0)
        tag--;
    const char *start = strstr(tag, "text-anchor=\"start\"");
    assert_non_null(start);
    assert_true(start < name);
    free(s);
    s = draw(chart_heat,
             "{\"id\":\"t1\",\"title\":\"Översikt\",\"desc\":\"d\",\"cols\":[\"ref-a\",\"ref-b\"],"
             "\"rows\":[\"Stockholm\",\"Uppsala\"],\"cells\":[[{\"sig\":\"better\",\"text\":"
             "\"1,2\"},{\"sig\":\"suppressed\"}],[{\"sig\":\"none\",\"text\":\"3\"},{\"sig\":"
             "\"similar\",\"text\":\"" HOSTILE "\"}]]}");
    assert_non_null(strstr(s, "rotate(-60"));
    assert_non_null(strstr(s, "&lt;script&gt;"));
    /* The better cell's triangle is seen on its blue: drawn white */
    first_polygon_fill(s, fill);
    assert_string_equal(fill, "#ffffff");
    free(s);
    /* 21 columns: each cell keeps 30 units and the drawing grows wider
     * than 640 (squeezed to 25 its text could not be read); the text of a
     * cell too narrow for it is its tooltip only, beside row and column. */
    {
        struct strbuf m = STRBUF_INIT;
        sb_addstr(&m, "{\"id\":\"t1\",\"title\":\"T\",\"desc\":\"d\",\"cols\":[");
        for (int k = 0; k < 21; k++)
            sb_addf(&m, "%s\"R%d\"", k ? "," : "", k);
        sb_addstr(&m, "],\"rows\":[\"Ind\"],\"cells\":[[");
        for (int k = 0; k < 21; k++)
            sb_addf(&m, "%s{\"sig\":\"better\",\"text\":\"1 034,6\"}", k ? "," : "");
        sb_addstr(&m, "]]}");
        s = draw(chart_heat, m.buf);
        sb_release(&m);
        assert_non_null(strstr(s, "viewBox=\"0 0 778 "));
        assert_null(strstr(s, ">1 034,6</text>"));
        assert_non_null(strstr(s, "<title>Ind, R20: 1 034,6</title>"));
        free(s);
    }
    refuse(chart_heat, "{\"title\":\"t\",\"desc\":\"d\",\"cols\":[\"a\"],\"rows\":[\"r\"],"
                       "\"cells\":[[]]}",
           "'cells'[0]: not an array of 1 cells");
    s = draw(chart_tiles, "{\"id\":\"t1\",\"title\":\"Karta\",\"desc\":\"d\",\"tiles\":["
                          "{\"code\":\"01\",\"label\":\"Stockholm\",\"text\":\"12,5\",\"sig\":"
                          "\"better\"},{\"code\":\"09\",\"label\":\"Gotland\",\"sig\":"
                          "\"suppressed\"}]}");
    /* All 21 regions get a tile, listed or not. */
    assert_int_equal(count(s, "<g>"), 21);
    assert_non_null(strstr(s, ">Stockholm<"));
    assert_non_null(strstr(s, ">25<")); /* an unlisted region shows its code */
    /* The shape cue of a better tile is seen on the tile: white on blue,
     * not blue on blue */
    first_polygon_fill(s, fill);
    assert_string_equal(fill, "#ffffff");
    free(s);
    refuse(chart_tiles, "{\"title\":\"t\",\"desc\":\"d\",\"tiles\":[{\"code\":\"02\","
                        "\"label\":\"x\"}]}",
           "not a region code");
    refuse(chart_tiles, "{\"title\":\"t\",\"desc\":\"d\",\"tiles\":[{\"code\":\"01\","
                        "\"label\":\"x\"},{\"code\":\"01\",\"label\":\"y\"}]}",
           "region given twice");
}

/* The shape of the significance mark drawn just before the <text> whose
 * content is `label` (a tile's name, a legend's word, a heat map cell's
 * value): "up" or "down" (a triangle, by where its apex points), "circle",
 * "dash" (a small rectangle at least twice as wide as high), "hatch" (a
 * square filled with the hatch pattern), "square", or "area" for a
 * rectangle wider than a mark (the tile or cell itself: no mark). */
static void mark_before(const char *s, const char *label, char out[16])
{
    char want[80];
    snprintf(want, sizeof want, ">%s</text>", label);
    const char *t = strstr(s, want);
    if (!t)
        fail_msg("no text '%s'", label);
    while (t > s && strncmp(t, "<text", 5) != 0)
        t--;
    const char *e = t - 1; /* the element before: back to its '<' */
    while (e > s && *e != '<')
        e--;
    if (e[1] == '/') { /* "</circle>": back to its opening tag */
        e--;
        while (e > s && *e != '<')
            e--;
    }
    double x[3], y[3], w, h;
    if (sscanf(e, "<polygon points=\"%lf,%lf %lf,%lf %lf,%lf\"", &x[0], &y[0], &x[1],
               &y[1], &x[2], &y[2]) == 6) {
        /* the apex is the point whose y differs from the other two */
        double apex = y[0] == y[1] ? y[2] : y[1] == y[2] ? y[0] : y[1];
        double base = y[0] == y[1] ? y[0] : y[2];
        snprintf(out, 16, "%s", apex < base ? "up" : "down");
    } else if (strncmp(e, "<circle", 7) == 0) {
        snprintf(out, 16, "circle");
    } else if (strncmp(e, "<rect", 5) == 0) {
        const char *pw = strstr(e, "width=\""), *ph = strstr(e, "height=\"");
        assert_true(pw && ph && sscanf(pw, "width=\"%lf", &w) == 1 &&
                    sscanf(ph, "height=\"%lf", &h) == 1);
        const char *fill = strstr(e, "fill=\"url(#");
        bool hatched = fill && fill < strchr(e, '>');
        snprintf(out, 16, "%s",
                 w > 24       ? "area" /* a tile or a cell, not a mark */
                 : hatched    ? "hatch"
                 : w >= 2 * h ? "dash"
                              : "square");
    } else {
        fail_msg("no mark before '%s': %.60s", label, e);
    }
}

/* Each significance class has a shape of its own, on the tiles, in the
 * heat map and in the legend alike, so that a reader who cannot tell the
 * colours apart (or a greyscale print) tells every class apart: "similar"
 * and "not compared" were both circles. A suppressed tile is a solid
 * colour under its name, the hatching only in its mark, left of the text
 * (hatching under the name made it hard to read). */
static void test_marks_distinct(void **state)
{
    (void)state;
    static const char *const cls[] = {"better", "similar", "worse", "none", "suppressed"};
    static const char *const shape[] = {"up", "circle", "down", "dash", "hatch"};
    static const char *const codes[] = {"01", "03", "04", "05", "09"};
    struct strbuf m = STRBUF_INIT;
    sb_addstr(&m, "{\"id\":\"t1\",\"title\":\"Karta\",\"desc\":\"d\",\"tiles\":[");
    for (int k = 0; k < 5; k++)
        sb_addf(&m,
                "%s{\"code\":\"%s\",\"label\":\"Tile %s\",\"text\":\"v%d\","
                "\"sig\":\"%s\"}",
                k ? "," : "", codes[k], cls[k], k, cls[k]);
    sb_addstr(&m, "],\"legend\":{");
    for (int k = 0; k < 5; k++)
        sb_addf(&m, "%s\"%s\":\"Key %s\"", k ? "," : "", cls[k], cls[k]);
    sb_addstr(&m, "}}");
    char *s = draw(chart_tiles, m.buf);
    char got[16], label[48];
    for (int k = 0; k < 5; k++) {
        snprintf(label, sizeof label, "Tile %s", cls[k]);
        mark_before(s, label, got);
        if (strcmp(got, shape[k]) != 0)
            fail_msg("tile of '%s': mark '%s', want '%s'", cls[k], got, shape[k]);
        snprintf(label, sizeof label, "Key %s", cls[k]);
        mark_before(s, label, got);
        if (strcmp(got, shape[k]) != 0)
            fail_msg("legend of '%s': mark '%s', want '%s'", cls[k], got, shape[k]);
    }
    /* No tile is filled with the hatching: only marks are (the legend's
     * and the suppressed tile's, 14 units wide or less). */
    for (const char *p = strstr(s, "fill=\"url(#t1-hatch)\""); p;
         p = strstr(p + 1, "fill=\"url(#t1-hatch)\"")) {
        const char *e = p;
        while (e > s && *e != '<')
            e--;
        double w = 0;
        assert_true(sscanf(strstr(e, "width=\""), "width=\"%lf", &w) == 1);
        assert_true(w <= 14);
    }
    assert_int_equal(count(s, "fill=\"url(#t1-hatch)\""), 2);
    free(s);
    sb_release(&m);

    /* The heat map's cells: each class its shape, in the cell. */
    sb_addstr(&m, "{\"id\":\"t1\",\"title\":\"T\",\"desc\":\"d\",\"cols\":[\"R\"],"
                  "\"rows\":[\"a\",\"b\",\"c\",\"d\",\"e\"],\"cells\":[");
    for (int k = 0; k < 5; k++)
        sb_addf(&m, "%s[{\"sig\":\"%s\",\"text\":\"c%d\"}]", k ? "," : "", cls[k], k);
    sb_addstr(&m, "]}");
    s = draw(chart_heat, m.buf);
    for (int k = 0; k < 5; k++) {
        snprintf(label, sizeof label, "c%d", k);
        mark_before(s, label, got);
        if (strcmp(got, shape[k]) != 0)
            fail_msg("heat map cell of '%s': mark '%s', want '%s'", cls[k], got,
                     shape[k]);
    }
    free(s);
    sb_release(&m);
}

/* Small multiples: a key and one standalone <svg> per panel, each an
 * image with its own title, desc and hatch, on one scale; a gap is a
 * hatched mark, never a point at zero. */
static void test_multiples(void **state)
{
    (void)state;
    const char *model =
        "{\"id\":\"t1\",\"title\":\"Trend per region\",\"desc\":\"d\","
        "\"decimal_comma\":true,\"series_label\":\"Regionen\","
        "\"x\":[\"2021\",\"2022\",\"2023\"],"
        "\"reference\":{\"label\":\"Riket\",\"values\":[10,11,12]},"
        "\"panels\":[{\"label\":\"Stockholm\",\"values\":[9.5,null,14.25],"
        "\"text\":\"14,3\",\"sig\":\"worse\"},{\"label\":\"" HOSTILE "\","
        "\"values\":[null,null,null],\"text\":\"\",\"sig\":\"suppressed\"}],"
        "\"legend\":{\"better\":\"Bättre\",\"worse\":\"Sämre\",\"suppressed\":"
        "\"Dolt\"}}";
    json_t *m = json_loads(model, 0, NULL);
    assert_non_null(m);
    struct strbuf sb = STRBUF_INIT;
    struct kn_error err = KN_ERROR_INIT;
    if (chart_multiples(m, &sb, &err))
        fail_msg("chart failed: %s", err.msg);
    const char *s = sb.buf;
    /* Three images: the key and two panels, one after the other. */
    assert_int_equal(count(s, "<svg "), 3);
    assert_int_equal(count(s, "role=\"img\""), 3);
    assert_int_equal(count(s, "</svg>"), 3);
    assert_non_null(strstr(s, "aria-labelledby=\"t1-title t1-desc\""));
    assert_non_null(strstr(s, "<title id=\"t1-p1-title\">Stockholm</title>"));
    assert_non_null(strstr(s, "<desc id=\"t1-p1-desc\">Stockholm: 14,3 (Sämre)</desc>"));
    assert_non_null(strstr(s, "aria-labelledby=\"t1-p2-title t1-p2-desc\""));
    /* Each image is well-formed on its own, and ids are not repeated. */
    const char *a = s;
    for (int k = 0; k < 3; k++) {
        const char *e = strstr(a, "</svg>") + strlen("</svg>");
        char *one = strndup(a, (size_t)(e - a));
        assert_true(well_formed(one));
        free(one);
        a = e;
    }
    assert_int_equal(count(s, "id=\"t1-p1-hatch\""), 1);
    assert_int_equal(count(s, "id=\"t1-p2-hatch\""), 1);
    assert_non_null(strstr(s, "&lt;script&gt;"));
    assert_null(strstr(s, "<script"));
    /* The key names both lines and the classes the legend words. */
    assert_non_null(strstr(s, ">Regionen<"));
    assert_non_null(strstr(s, ">Riket<"));
    assert_non_null(strstr(s, ">Dolt<"));
    /* The nation's line (dashed) behind both panels and in the key; the
     * gaps are hatched: one in Stockholm, three in the other (and its
     * class, hidden, is the hatched mark too). */
    assert_int_equal(count(s, "stroke-dasharray=\"4 3\""), 1 + 2);
    assert_int_equal(count(s, "fill=\"url(#t1-p1-hatch)\""), 1);
    assert_int_equal(count(s, "fill=\"url(#t1-p2-hatch)\""), 3 + 1);
    /* Stockholm's two values as points; none at zero for the gap. */
    assert_int_equal(count(s, "r=\"2.5\""), 2);
    /* The decimal comma in the common scale's ticks. */
    assert_null(strstr(s, "nan"));
    sb_release(&sb);
    json_decref(m);
    refuse(chart_multiples, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\",\"b\"],"
                            "\"panels\":[{\"label\":\"p\",\"values\":[1]}]}",
           "'panels'[0]: chart model: 'values': 1 values for 2 periods");
    refuse(chart_multiples, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\"],"
                            "\"panels\":[]}",
           "'panels': give 1 to 64");
    refuse(chart_multiples, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\"],"
                            "\"reference\":{\"values\":[1]},"
                            "\"panels\":[{\"label\":\"p\",\"values\":[1]}]}",
           "'reference': chart model: 'label': missing");
    refuse(chart_multiples, "{\"title\":\"t\",\"desc\":\"d\",\"x\":[\"a\"],"
                            "\"panels\":[{\"label\":\"p\",\"values\":[1],\"sig\":\"x\"}]}",
           "'panels'[0].'sig': unknown class");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_svg_writer), cmocka_unit_test(test_svg_num),
        cmocka_unit_test(test_bar),        cmocka_unit_test(test_line_gaps),
        cmocka_unit_test(test_funnel),     cmocka_unit_test(test_spine_heat_tiles),
        cmocka_unit_test(test_multiples),  cmocka_unit_test(test_marks_distinct),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
