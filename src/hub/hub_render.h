/* src/hub/hub_render.h: a document's Markdown as safe HTML.
 *
 * cmark-gfm with GitHub's tables, strikethrough and autolinks, in its safe
 * mode: raw HTML in the text is left out (an HTML comment marks where),
 * links and images whose URL is javascript:, vbscript:, file: or data:
 * (other than images) are emptied, and the tag filter extension disarms
 * tags such as <script>, <iframe> and <style> even where they could slip
 * through. The result is trusted markup for a template.
 */
#ifndef KNOD_HUB_HUB_RENDER_H
#define KNOD_HUB_HUB_RENDER_H

#include <stddef.h>

#include "base/error.h"
#include "base/strbuf.h"

/* Render markdown[0..len) as HTML, appended to out. 0, or KN_ENOMEM. */
int hub_render_html(const char *markdown, size_t len, struct strbuf *out,
                    struct kn_error *err);

#endif /* KNOD_HUB_HUB_RENDER_H */
