/* src/chart/svg.c: the escaping SVG writer (see svg.h). */
#include "chart/svg.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/error.h"

void svg_init(struct svg *w, struct strbuf *out)
{
    memset(w, 0, sizeof *w);
    w->out = out;
}

static bool name_ok(const char *s)
{
    if (!s || !*s)
        return false;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == ':' || *s == '-'))
            return false;
    return true;
}

static void put(struct svg *w, const char *s)
{
    if (w->rc == 0)
        w->rc = sb_addstr(w->out, s);
}

int svg_escape(struct strbuf *out, const char *s)
{
    int rc = 0;
    const char *run = s;
    for (; *s && rc == 0; s++) {
        const char *rep = NULL;
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            /* XML 1.0 has no place for other C0 controls: drop them. */
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                rep = "";
            break;
        }
        if (rep) {
            rc = sb_add(out, run, (size_t)(s - run));
            if (rc == 0)
                rc = sb_addstr(out, rep);
            run = s + 1;
        }
    }
    if (rc == 0)
        rc = sb_add(out, run, (size_t)(s - run));
    return rc;
}

static void end_start_tag(struct svg *w)
{
    if (w->in_tag) {
        put(w, ">");
        w->in_tag = false;
    }
}

void svg_open(struct svg *w, const char *tag)
{
    if (w->rc)
        return;
    if (!name_ok(tag) || w->depth == SVG_DEPTH) {
        w->rc = KN_EINPUT;
        return;
    }
    end_start_tag(w);
    put(w, "<");
    put(w, tag);
    w->stack[w->depth++] = tag;
    w->in_tag = true;
}

void svg_attr(struct svg *w, const char *name, const char *value)
{
    if (w->rc)
        return;
    if (!w->in_tag || !name_ok(name)) {
        w->rc = KN_EINPUT;
        return;
    }
    put(w, " ");
    put(w, name);
    put(w, "=\"");
    if (w->rc == 0)
        w->rc = svg_escape(w->out, value ? value : "");
    put(w, "\"");
}

const char *svg_num(double v, char buf[32])
{
    if (!isfinite(v) || fabs(v) > 1e12)
        v = 0;
    snprintf(buf, 32, "%.2f", v);
    /* Drop trailing zeros and a trailing point; "-0" becomes "0". */
    char *dot = strchr(buf, '.');
    if (dot) {
        char *e = buf + strlen(buf) - 1;
        while (e > dot && *e == '0')
            *e-- = '\0';
        if (e == dot)
            *e = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

void svg_attr_num(struct svg *w, const char *name, double v)
{
    char buf[32];
    svg_attr(w, name, svg_num(v, buf));
}

void svg_text(struct svg *w, const char *s)
{
    if (w->rc)
        return;
    if (w->depth == 0) {
        w->rc = KN_EINPUT;
        return;
    }
    end_start_tag(w);
    if (w->rc == 0)
        w->rc = svg_escape(w->out, s ? s : "");
}

void svg_close(struct svg *w)
{
    if (w->rc)
        return;
    if (w->depth == 0) {
        w->rc = KN_EINPUT;
        return;
    }
    const char *tag = w->stack[--w->depth];
    if (w->in_tag) {
        put(w, "/>");
        w->in_tag = false;
        return;
    }
    put(w, "</");
    put(w, tag);
    put(w, ">");
}

void svg_leaf(struct svg *w, const char *tag, const char *text, ...)
{
    va_list ap;
    svg_open(w, tag);
    va_start(ap, text);
    for (;;) {
        const char *name = va_arg(ap, const char *);
        if (!name)
            break;
        svg_attr(w, name, va_arg(ap, const char *));
    }
    va_end(ap);
    if (text)
        svg_text(w, text);
    svg_close(w);
}

int svg_finish(struct svg *w)
{
    while (w->rc == 0 && w->depth > 0)
        svg_close(w);
    return w->rc;
}
