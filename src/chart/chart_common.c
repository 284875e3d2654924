/* src/chart/chart_common.c: the pieces every chart shares (chart_impl.h). */
#include "chart/chart_impl.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int chart_bad(struct chart *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kn_vfail(c->err, KN_EINPUT, fmt, ap);
    va_end(ap);
    return kn_error_prefix(c->err, "chart model: ");
}

int chart_str(struct chart *c, const json_t *o, const char *key, bool required,
              const char **out)
{
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    *out = "";
    if (!v || json_is_null(v)) {
        if (required)
            return chart_bad(c, "'%s': missing", key);
        return 0;
    }
    if (!json_is_string(v))
        return chart_bad(c, "'%s': not a string", key);
    *out = json_string_value(v);
    return 0;
}

int chart_num(struct chart *c, const json_t *o, const char *key, double *out, bool *ok)
{
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    *ok = false;
    *out = 0;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return chart_bad(c, "'%s': not a number", key);
    *out = json_number_value(v);
    *ok = true;
    return 0;
}

int chart_arr(struct chart *c, const json_t *o, const char *key, bool required,
              const json_t **out)
{
    const json_t *v = json_is_object(o) ? json_object_get(o, key) : NULL;
    *out = NULL;
    if (!v || json_is_null(v))
        return required ? chart_bad(c, "'%s': missing", key) : 0;
    if (!json_is_array(v))
        return chart_bad(c, "'%s': not an array", key);
    *out = v;
    return 0;
}

int chart_sig(struct chart *c, const json_t *o, const char *where, enum chart_sig *out)
{
    static const struct {
        const char *word;
        enum chart_sig sig;
    } words[] = {
        {"none", SIG_NONE},       {"better", SIG_BETTER},
        {"similar", SIG_SIMILAR}, {"worse", SIG_WORSE},
        {"suppressed", SIG_SUPPRESSED},
    };
    const char *s;
    int rc = chart_str(c, o, "sig", false, &s);
    *out = SIG_NONE;
    if (rc)
        return kn_error_prefix(c->err, "%s: ", where);
    if (!*s)
        return 0;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i].word) == 0) {
            *out = words[i].sig;
            return 0;
        }
    return chart_bad(c, "%s.'sig': unknown class (better, similar, worse, none, suppressed)",
                     where);
}

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
            return false;
    return true;
}

int chart_begin(struct chart *c, const json_t *m, double height, struct kn_error *err)
{
    return chart_begin_wide(c, m, CHART_W, height, err);
}

int chart_begin_wide(struct chart *c, const json_t *m, double width, double height,
                     struct kn_error *err)
{
    const char *id, *title, *desc;
    char buf[96], num[32];
    c->err = err;
    c->m = m;
    if (!json_is_object(m))
        return chart_bad(c, "not an object");
    if (chart_str(c, m, "id", false, &id) || chart_str(c, m, "title", true, &title) ||
        chart_str(c, m, "desc", true, &desc))
        return c->err->code;
    if (!*id)
        id = "chart";
    if (!id_ok(id))
        return chart_bad(c, "'id': use 1-32 of a-z, 0-9 and '-'");
    snprintf(c->id, sizeof c->id, "%s", id);
    snprintf(c->hatch, sizeof c->hatch, "url(#%s-hatch)", id);
    c->comma = json_is_true(json_object_get(m, "decimal_comma"));
    c->width = width;

    struct svg *w = &c->w;
    svg_open(w, "svg");
    svg_attr(w, "xmlns", "http://www.w3.org/2000/svg");
    {
        char h[32];
        snprintf(buf, sizeof buf, "0 0 %s %s", svg_num(width, num), svg_num(height, h));
        svg_attr(w, "viewBox", buf);
    }
    svg_attr(w, "width", "100%");
    svg_attr(w, "role", "img");
    snprintf(buf, sizeof buf, "%s-title %s-desc", id, id);
    svg_attr(w, "aria-labelledby", buf);
    svg_attr(w, "class", "knod-chart");
    svg_attr(w, "font-family", CHART_FONT);
    svg_attr(w, "font-size", "12");
    snprintf(buf, sizeof buf, "%s-title", id);
    svg_leaf(w, "title", title, "id", buf, (char *)NULL);
    snprintf(buf, sizeof buf, "%s-desc", id);
    svg_leaf(w, "desc", desc, "id", buf, (char *)NULL);
    svg_open(w, "defs");
    svg_open(w, "pattern");
    snprintf(buf, sizeof buf, "%s-hatch", id);
    svg_attr(w, "id", buf);
    svg_attr(w, "width", "6");
    svg_attr(w, "height", "6");
    svg_attr(w, "patternUnits", "userSpaceOnUse");
    svg_attr(w, "patternTransform", "rotate(45)");
    svg_leaf(w, "rect", NULL, "width", "6", "height", "6", "fill", "#ffffff", (char *)NULL);
    svg_leaf(w, "line", NULL, "x1", "0", "y1", "0", "x2", "0", "y2", "6", "stroke", "#595959",
             "stroke-width", "2", (char *)NULL);
    svg_close(w);
    svg_close(w);
    return w->rc ? chart_end(c) : 0;
}

int chart_end(struct chart *c)
{
    int rc = svg_finish(&c->w);
    if (rc == KN_EINPUT)
        return kn_fail(c->err, rc, "chart: internal markup error");
    if (rc)
        return kn_fail(c->err, rc, "chart: out of memory");
    return 0;
}

double chart_map(const struct chart_scale *s, double v)
{
    if (s->d1 == s->d0)
        return (s->r0 + s->r1) / 2;
    return s->r0 + (v - s->d0) * (s->r1 - s->r0) / (s->d1 - s->d0);
}

int chart_ticks(double *lo, double *hi, int want, double ticks[CHART_MAX_TICKS])
{
    double a = *lo, b = *hi;
    if (!(b > a)) {
        double pad = a == 0 ? 1 : fabs(a) * 0.1;
        a -= pad;
        b += pad;
        if (*lo >= 0 && a < 0)
            a = 0;
    }
    if (want < 2)
        want = 2;
    if (want > CHART_MAX_TICKS - 1)
        want = CHART_MAX_TICKS - 1;
    double raw = (b - a) / want;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * mag;
    double t0 = floor(a / step) * step, t1 = ceil(b / step) * step;
    int n = 0;
    for (double t = t0; t <= t1 + step / 2 && n < CHART_MAX_TICKS; t += step)
        ticks[n++] = fabs(t) < step / 1e6 ? 0 : t;
    *lo = ticks[0];
    *hi = ticks[n - 1];
    return n;
}

const char *chart_fmt(const struct chart *c, double v, char buf[32])
{
    double a = fabs(v);
    if (a >= 100 || a == floor(a))
        snprintf(buf, 32, "%.0f", v);
    else if (a >= 10)
        snprintf(buf, 32, "%.1f", v);
    else
        snprintf(buf, 32, "%.2f", v);
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    /* thousands grouped as the tables beside the chart group them: a
     * no-break space in Swedish (with a decimal comma), a comma in English */
    const char *group = c->comma ? "\xc2\xa0" : ",";
    size_t glen = strlen(group);
    char out[32];
    const char *digits = buf[0] == '-' ? buf + 1 : buf;
    size_t intlen = strcspn(digits, "."), o = 0;
    if (buf[0] == '-')
        out[o++] = '-';
    for (size_t i = 0; i < intlen && o + glen + 1 < sizeof out; i++) {
        if (i && (intlen - i) % 3 == 0) {
            memcpy(out + o, group, glen);
            o += glen;
        }
        out[o++] = digits[i];
    }
    if (digits[intlen] == '.' && o + strlen(digits + intlen) < sizeof out) {
        out[o++] = c->comma ? ',' : '.';
        size_t rest = strlen(digits + intlen + 1);
        memcpy(out + o, digits + intlen + 1, rest);
        o += rest;
    }
    out[o] = '\0';
    memcpy(buf, out, o + 1);
    return buf;
}

const char *chart_fill(enum chart_sig s)
{
    switch (s) {
    case SIG_BETTER: return "#1f5c99";
    case SIG_SIMILAR: return "#f2d45c";
    case SIG_WORSE: return "#b84a0e";
    case SIG_SUPPRESSED: return "#ffffff";
    default: return "#d9d9d9";
    }
}

const char *chart_stroke(enum chart_sig s)
{
    return s == SIG_SIMILAR || s == SIG_NONE || s == SIG_SUPPRESSED ? "#4d4d4d" : chart_fill(s);
}

const char *chart_ink(enum chart_sig s)
{
    return s == SIG_BETTER || s == SIG_WORSE ? "#ffffff" : "#1a1a1a";
}

static void poly(struct chart *c, const double *xy, int n, const char *fill, const char *stroke)
{
    char pts[256] = "", num[32];
    size_t len = 0;
    for (int i = 0; i < n; i++) {
        int k = snprintf(pts + len, sizeof pts - len, "%s%s,", i ? " " : "",
                         svg_num(xy[2 * i], num));
        len += (size_t)k;
        k = snprintf(pts + len, sizeof pts - len, "%s", svg_num(xy[2 * i + 1], num));
        len += (size_t)k;
    }
    svg_leaf(&c->w, "polygon", NULL, "points", pts, "fill", fill, "stroke", stroke,
             (char *)NULL);
}

/* The shape of s at (x, y), filled with fill and outlined with stroke. */
static void mark(struct chart *c, enum chart_sig s, double x, double y, double r,
                 const char *fill, const char *stroke)
{
    struct svg *w = &c->w;
    switch (s) {
    case SIG_BETTER: {
        double xy[6] = {x, y - r, x + r, y + r * 0.8, x - r, y + r * 0.8};
        poly(c, xy, 3, fill, stroke);
        break;
    }
    case SIG_WORSE: {
        double xy[6] = {x - r, y - r * 0.8, x + r, y - r * 0.8, x, y + r};
        poly(c, xy, 3, fill, stroke);
        break;
    }
    case SIG_SIMILAR:
        svg_open(w, "circle");
        svg_attr_num(w, "cx", x);
        svg_attr_num(w, "cy", y);
        svg_attr_num(w, "r", r * 0.85);
        svg_attr(w, "fill", fill);
        svg_attr(w, "stroke", stroke);
        svg_close(w);
        break;
    case SIG_SUPPRESSED:
        chart_rect(c, x - r, y - r, 2 * r, 2 * r, c->hatch, "#4d4d4d");
        break;
    case SIG_NONE: /* a dash: no comparison (a circle read as "similar") */
        chart_rect(c, x - r, y - r * 0.3, 2 * r, r * 0.6, fill, stroke);
        break;
    }
}

void chart_mark(struct chart *c, enum chart_sig s, double x, double y, double r)
{
    /* the dash of "none" dark: in the light grey of its tiles it would
     * not be seen on white */
    mark(c, s, x, y, r, s == SIG_NONE ? "#4d4d4d" : chart_fill(s), chart_stroke(s));
}

void chart_mark_on(struct chart *c, enum chart_sig s, double x, double y, double r)
{
    /* the text's colour: white on blue and orange, near black on yellow */
    mark(c, s, x, y, r, chart_ink(s), chart_ink(s));
}

void chart_label(struct chart *c, double x, double y, const char *anchor, double size,
                 const char *text)
{
    struct svg *w = &c->w;
    svg_open(w, "text");
    svg_attr_num(w, "x", x);
    svg_attr_num(w, "y", y);
    svg_attr(w, "text-anchor", anchor);
    if (size != 12)
        svg_attr_num(w, "font-size", size);
    svg_attr(w, "fill", "#1a1a1a");
    svg_text(w, text);
    svg_close(w);
}

void chart_lineseg(struct chart *c, double x1, double y1, double x2, double y2,
                   const char *stroke, double width, const char *dash)
{
    struct svg *w = &c->w;
    svg_open(w, "line");
    svg_attr_num(w, "x1", x1);
    svg_attr_num(w, "y1", y1);
    svg_attr_num(w, "x2", x2);
    svg_attr_num(w, "y2", y2);
    svg_attr(w, "stroke", stroke);
    svg_attr_num(w, "stroke-width", width);
    if (dash)
        svg_attr(w, "stroke-dasharray", dash);
    svg_close(w);
}

void chart_rect(struct chart *c, double x, double y, double wd, double h, const char *fill,
                const char *stroke)
{
    struct svg *w = &c->w;
    svg_open(w, "rect");
    svg_attr_num(w, "x", x);
    svg_attr_num(w, "y", y);
    svg_attr_num(w, "width", wd < 0 ? 0 : wd);
    svg_attr_num(w, "height", h < 0 ? 0 : h);
    svg_attr(w, "fill", fill);
    if (stroke)
        svg_attr(w, "stroke", stroke);
    svg_close(w);
}

double chart_legend(struct chart *c, double x, double y)
{
    static const struct {
        const char *key;
        enum chart_sig sig;
    } order[] = {
        {"better", SIG_BETTER}, {"similar", SIG_SIMILAR}, {"worse", SIG_WORSE},
        {"none", SIG_NONE},     {"suppressed", SIG_SUPPRESSED},
    };
    const json_t *lg = json_object_get(c->m, "legend");
    if (!json_is_object(lg))
        return 0;
    double x0 = x, row = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        const char *word;
        if (chart_str(c, lg, order[i].key, false, &word))
            return 0;
        if (!*word)
            continue;
        double wd = 24 + 6.5 * (double)strlen(word);
        if (x + wd > (c->width > 0 ? c->width : CHART_W) - 8 && x > x0) {
            x = x0;
            row += 18;
        }
        chart_mark(c, order[i].sig, x + 7, y + row + 7, 6);
        chart_label(c, x + 18, y + row + 11, "start", 12, word);
        x += wd + 12;
    }
    return row + 22;
}

void chart_xaxis(struct chart *c, const struct chart_scale *s, const double *ticks, int n,
                 double y, double y_top)
{
    char buf[32];
    for (int i = 0; i < n; i++) {
        double x = chart_map(s, ticks[i]);
        chart_lineseg(c, x, y_top, x, y, "#e0e0e0", 1, NULL);
        /* a label at an end of the axis stays within the drawing: text of
         * 11 px is about 6.5 px a character wide */
        const char *t = chart_fmt(c, ticks[i], buf), *anchor = "middle";
        double half = 3.3 * (double)strlen(t);
        if (x + half > CHART_W)
            anchor = "end";
        else if (x - half < 0)
            anchor = "start";
        chart_label(c, x, y + 14, anchor, 11, t);
    }
    chart_lineseg(c, s->r0, y, s->r1, y, "#595959", 1, NULL);
}
