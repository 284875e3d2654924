/* src/web/web_tmpl.h: the portal's HTML templates, a small Mustache dialect
 * over jansson models.
 *
 * A template set is parsed once at start (web/templates/NAME.html, embedded
 * in the binary) and is read-only from then on, so any number of threads
 * may render from it at once. A page is rendered from a stack of contexts
 * (jansson values): a name is looked up from the top of the stack down.
 *
 * Tags (whitespace inside the braces is ignored):
 *   {{name}}         the value, escaped for HTML text and quoted attributes
 *                    (& < > " ' become entities); strings as they are,
 *                    integers and reals as numbers, true/false as words,
 *                    null, a missing name, an object or an array as nothing
 *   {{{name}}}       the value unescaped: ONLY for trusted markup that knod
 *                    wrote itself (chart SVG from src/chart/chart.h). Grep
 *                    for "{{{" to audit every use.
 *   {{#name}}..{{/name}}  a section: nothing if the value is missing, null,
 *                    false, "" or an empty array; once per element of an
 *                    array (the element pushed on the stack); once with an
 *                    object pushed; once otherwise
 *   {{^name}}..{{/name}}  inverted: once exactly when a section would not be
 *   {{> name}}       the template called name ("layout_head" for
 *                    templates/layout_head.html), rendered in the same stack
 *   {{! comment}}    nothing
 * Names are letters, digits, '_', '-' joined by dots ("t.nav_home",
 * "indicator.title"); "." is the top of the stack. The first part of a
 * dotted name is looked up down the stack, the rest inside that value; a
 * part of digits indexes an array ("{{#rows.0}}": the first row, so a
 * section shows once when a list has rows).
 *
 * Errors: a template that does not parse (an unclosed tag or section, a
 * closing tag that does not match, a bad name, a partial that does not
 * exist) fails at load with KN_EINPUT "NAME:LINE: reason"; rendering
 * fails with KN_EINPUT when sections or partials nest deeper than
 * WEB_TMPL_MAX_DEPTH (a template that includes itself), KN_ENOMEM when out
 * of memory. A failed render leaves partial output in out, which the
 * caller discards.
 */
#ifndef KNOD_WEB_WEB_TMPL_H
#define KNOD_WEB_WEB_TMPL_H

#include <jansson.h>
#include <stddef.h>

#include "base/error.h"
#include "base/strbuf.h"

#define WEB_TMPL_MAX_DEPTH 32

struct web_tmpl_set;

/* An empty set. */
int web_tmpl_set_new(struct web_tmpl_set **out, struct kn_error *err);
void web_tmpl_set_free(struct web_tmpl_set *ts);

/* Parse the len bytes at text as template name (copied; text may go). */
int web_tmpl_add(struct web_tmpl_set *ts, const char *name, const char *text, size_t len,
                 struct kn_error *err);

/* Check that every partial named in the set exists; KN_EINPUT otherwise. */
int web_tmpl_check(const struct web_tmpl_set *ts, struct kn_error *err);

/* Every embedded web/templates/NAME.html as template NAME (without the
 * file's final newline, so a partial adds none), checked. */
int web_tmpl_load_embedded(struct web_tmpl_set **out, struct kn_error *err);

/* Does the set have a template called name? */
int web_tmpl_has(const struct web_tmpl_set *ts, const char *name);

/* Append template name rendered over ctx[0] (bottom) .. ctx[nctx-1] (top). */
int web_tmpl_render(const struct web_tmpl_set *ts, const char *name, const json_t *const *ctx,
                    size_t nctx, struct strbuf *out, struct kn_error *err);

/* Append the len bytes at s escaped for HTML text and quoted attributes. */
int web_html_escape(struct strbuf *out, const char *s, size_t len);

#endif /* KNOD_WEB_WEB_TMPL_H */
