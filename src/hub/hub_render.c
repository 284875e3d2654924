/* src/hub/hub_render.c: Markdown to safe HTML with cmark-gfm (hub_render.h). */
#include "hub/hub_render.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>

int hub_render_html(const char *markdown, size_t len, struct strbuf *out,
                    struct kn_error *err)
{
    /* CMARK_OPT_DEFAULT is the safe mode (CMARK_OPT_UNSAFE is not set). */
    const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
    static const char *const exts[] = {"table", "strikethrough", "autolink", "tagfilter"};
    cmark_gfm_core_extensions_ensure_registered();
    cmark_parser *p = cmark_parser_new(opts);
    if (!p)
        return kn_fail(err, KN_ENOMEM, "out of memory");
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(exts[i]);
        if (e)
            cmark_parser_attach_syntax_extension(p, e);
    }
    cmark_parser_feed(p, markdown, len);
    cmark_node *doc = cmark_parser_finish(p);
    char *html =
        doc ? cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p)) : NULL;
    int rc = html ? sb_addstr(out, html) : KN_ENOMEM;
    free(html);
    if (doc)
        cmark_node_free(doc);
    cmark_parser_free(p);
    return rc ? kn_fail(err, KN_ENOMEM, "out of memory") : 0;
}
