/* src/web/hub/web_doc_export.h: a knowledge-support document exported as files:
 * a standalone HTML page, and a package for 1177 Vårdguiden.
 *
 * Both render the Markdown with cmark-gfm in safe mode (hub_render.h) into
 * the portal's auto-escaping templates (web/templates/doc_export.html and
 * doc_1177.html); nothing is put together with printf. Files are written
 * through base/outfile (regular files only, an existing file is refused,
 * nothing half-written is left).
 *
 * The HTML page (DIR/ID.html): one file, its style inline, no script, the
 * title and summary, the help block on public documents (hub_lint.h), the
 * text, and the id, version, state and publication date at the foot.
 *
 * The 1177 package (DIR/ID-1177/): the layout docs/hub.md describes:
 *   index.html     plain structure for 1177's editors: one <main>, the
 *                  title as <h1> unless the text has one, the text; no
 *                  style, no script, no help block (1177 adds its own)
 *   manifest.json  {"format": "knod-1177/1", "id", "version", "title",
 *                  "summary", "language", "audience", "published",
 *                  "owner", "files": ["index.html"], "images": [{"src",
 *                  "alt"}], "links": [url, ...]}
 * Only a published version of a public document is packaged, and only if
 * it passes the package's checks (web_doc_check_1177): every image has alt
 * text, every link leads somewhere a 1177 reader may go (https:, http:,
 * mailto:, tel: or a "#" anchor in the page; never a relative or root
 * path, which would point into knod's own restricted pages), and heading
 * levels do not skip (the first is h1, each next at most one deeper).
 * Images are referenced, not copied.
 */
#ifndef KNOD_WEB_WEB_DOC_EXPORT_H
#define KNOD_WEB_WEB_DOC_EXPORT_H

#include "base/error.h"
#include "base/strbuf.h"
#include "hub/hub.h"

/* Write v as DIR/ID.html; the path written is appended to path. */
int web_doc_export_html(const struct hub_version *v, const char *dir, struct strbuf *path,
                        struct kn_error *err);

/* The 1177 package's checks on markdown: 0, or KN_EINPUT naming the first
 * problem with its line ("line 7: the image 'karta.png' has no alt text"). */
int web_doc_check_1177(const char *markdown, struct kn_error *err);

/* Write v's 1177 package into DIR/ID-1177/ (created; it must not exist);
 * its path is appended to path. KN_EINPUT if v is not a published
 * version of a public document or fails the checks. */
int web_doc_export_1177(const struct hub_version *v, const char *dir, struct strbuf *path,
                        struct kn_error *err);

#endif /* KNOD_WEB_WEB_DOC_EXPORT_H */
