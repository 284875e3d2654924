/* src/chart/svg.h: a small SVG (XML) writer that escapes everything.
 *
 * Charts are markup, and markup is never assembled by printf with data in
 * it: a chart opens elements, sets attributes and adds text through this
 * writer, which escapes every attribute value and every text node (& < > "
 * ' and control bytes), checks names, and closes what it opened in order.
 * Numbers go in through svg_num(), which formats a finite double with at
 * most two decimals and no locale, so "NaN" or "1e+300" never reach the
 * output.
 *
 * Life cycle: svg_init(&w, out) ... svg_open()/svg_attr*()/svg_text()/
 * svg_close() ... svg_finish(&w), which closes whatever is still open and
 * returns the first error (KN_ENOMEM, or KN_EINPUT for a writer misused:
 * too deep, an attribute after content). Errors are sticky: after the
 * first, every call is a no-op, so a chart checks once at the end.
 */
#ifndef KNOD_CHART_SVG_H
#define KNOD_CHART_SVG_H

#include <stdbool.h>

#include "base/strbuf.h"

#define SVG_DEPTH 16

struct svg {
    struct strbuf *out;
    const char *stack[SVG_DEPTH]; /* open element names (static strings) */
    int depth;
    bool in_tag; /* the last open element's start tag is not yet closed */
    int rc;      /* the first error, 0 while none */
};

void svg_init(struct svg *w, struct strbuf *out);

/* Open element tag (a static string of [a-zA-Z:-]). */
void svg_open(struct svg *w, const char *tag);
/* Attribute name="value" on the element just opened; value escaped. */
void svg_attr(struct svg *w, const char *name, const char *value);
/* Attribute with a number value (svg_num's format). */
void svg_attr_num(struct svg *w, const char *name, double v);
/* Escaped text inside the current element. */
void svg_text(struct svg *w, const char *s);
/* Close the innermost open element. */
void svg_close(struct svg *w);
/* Open, set attributes from a NULL-terminated list of name, value pairs,
 * add text (may be NULL) and close: one leaf element. */
void svg_leaf(struct svg *w, const char *tag, const char *text, ...)
    __attribute__((sentinel));
/* Close everything still open; the first error or 0. */
int svg_finish(struct svg *w);

/* v with at most two decimals and trailing zeros dropped, into buf
 * ("12.5", "-3", "0.07"); non-finite values give "0". Returns buf. */
const char *svg_num(double v, char buf[32]);

/* Append s escaped for XML text or attribute values. 0 or KN_ENOMEM. */
int svg_escape(struct strbuf *out, const char *s);

#endif /* KNOD_CHART_SVG_H */
