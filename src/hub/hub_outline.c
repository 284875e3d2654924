/* src/hub/hub_outline.c: headings with anchors, links and images, from
 * cmark-gfm's tree (hub_outline.h). A document has tens of headings. */
#include "hub/hub_outline.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <string.h>

#include "base/strbuf.h"

/* The text under node: its text and code pieces, soft breaks as spaces. */
static int node_text(cmark_node *node, struct strbuf *out)
{
    int rc = 0;
    cmark_iter *it = cmark_iter_new(node);
    if (!it)
        return KN_ENOMEM;
    cmark_event_type ev;
    while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE && rc == 0) {
        cmark_node *n = cmark_iter_get_node(it);
        if (ev != CMARK_EVENT_ENTER || n == node)
            continue;
        cmark_node_type t = cmark_node_get_type(n);
        if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
            const char *lit = cmark_node_get_literal(n);
            rc = sb_addstr(out, lit ? lit : "");
        } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
            rc = sb_addch(out, ' ');
        }
    }
    cmark_iter_free(it);
    return rc;
}

/* GitHub's anchor of a heading's text (see the header). */
static int anchor_of(const char *text, struct strbuf *out)
{
    int rc = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p && rc == 0; p++) {
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z')
            rc = sb_addch(out, (char)(c + 32));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            rc = sb_addch(out, (char)c);
        else if (c == ' ')
            rc = sb_addch(out, '-');
        else if (c == 0xC3 && p[1] >= 0x80 && p[1] <= 0x9E && p[1] != 0x97) {
            rc = sb_addch(out, (char)c);
            if (rc == 0)
                rc = sb_addch(out, (char)(*++p + 0x20));
        } else if (c >= 0x80)
            rc = sb_addch(out, (char)c);
    }
    return rc;
}

/* The line of the nearest block around node (inlines have none). */
static int line_of(cmark_node *n)
{
    for (; n; n = cmark_node_parent(n))
        if (cmark_node_get_start_line(n) > 0)
            return cmark_node_get_start_line(n);
    return 0;
}

static int walk(cmark_node *doc, struct hub_outline *o, struct arena *a)
{
    size_t hcap = 0, lcap = 0;
    struct strbuf text = STRBUF_INIT, anchor = STRBUF_INIT;
    int rc = 0;
    cmark_iter *it = cmark_iter_new(doc);
    if (!it)
        return KN_ENOMEM;
    cmark_event_type ev;
    while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
        cmark_node *n = cmark_iter_get_node(it);
        cmark_node_type t = cmark_node_get_type(n);
        if (ev != CMARK_EVENT_ENTER ||
            (t != CMARK_NODE_HEADING && t != CMARK_NODE_LINK && t != CMARK_NODE_IMAGE))
            continue;
        sb_reset(&text);
        if ((rc = node_text(n, &text)) != 0)
            break;
        if (t == CMARK_NODE_HEADING) {
            sb_reset(&anchor);
            if (arena_grow(a, &o->headings, o->nheadings, &hcap, sizeof *o->headings) != 0 ||
                anchor_of(text.buf, &anchor) != 0) {
                rc = KN_ENOMEM;
                break;
            }
            struct hub_heading *h = o->headings;
            /* A repeated anchor gets -1, -2, ... as on GitHub. */
            const char *base = arena_strndup(a, anchor.buf, anchor.len), *name = base;
            for (int k = 1; name && hub_outline_find(o, name); k++)
                name = arena_printf(a, "%s-%d", base, k);
            h[o->nheadings] = (struct hub_heading){
                .level = cmark_node_get_heading_level(n),
                .line = cmark_node_get_start_line(n),
                .text = arena_strndup(a, text.buf, text.len),
                .anchor = name,
            };
            if (!name || !h[o->nheadings].text) {
                rc = KN_ENOMEM;
                break;
            }
            o->nheadings++;
        } else {
            const char *url = cmark_node_get_url(n);
            if (arena_grow(a, &o->links, o->nlinks, &lcap, sizeof *o->links) != 0) {
                rc = KN_ENOMEM;
                break;
            }
            struct hub_link *l = o->links;
            l[o->nlinks] = (struct hub_link){
                .image = t == CMARK_NODE_IMAGE,
                .line = line_of(n),
                .url = arena_strdup(a, url ? url : ""),
                .text = arena_strndup(a, text.buf, text.len),
            };
            if (!l[o->nlinks].url || !l[o->nlinks].text) {
                rc = KN_ENOMEM;
                break;
            }
            o->nlinks++;
        }
    }
    cmark_iter_free(it);
    sb_release(&text);
    sb_release(&anchor);
    return rc;
}

int hub_outline(const char *markdown, size_t len, struct hub_outline *out,
                struct arena *a, struct kn_error *err)
{
    static const char *const exts[] = {"table", "strikethrough", "autolink"};
    memset(out, 0, sizeof *out);
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8);
    if (!p)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, markdown, len);
    cmark_node *doc = cmark_parser_finish(p);
    int rc = doc ? walk(doc, out, a) : KN_ENOMEM;
    if (doc)
        cmark_node_free(doc);
    cmark_parser_free(p);
    return rc ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
}

const struct hub_heading *hub_outline_find(const struct hub_outline *o, const char *anchor)
{
    for (size_t i = 0; i < o->nheadings; i++)
        if (strcmp(o->headings[i].anchor, anchor) == 0)
            return &o->headings[i];
    return NULL;
}
