/* src/web/hub/web_hub_doc.c: one published document (GET /documents/{id},
 * /api/v1/documents/{id}) and the difference between two of its published
 * versions (GET /documents/{id}/diff; web_hub.h).
 *
 * The page shows the newest published version, or ?version=N if N is a
 * published version; a version that was never published (a draft, one in
 * review or revision) is not found, as is an archived document: the
 * public sees what was decided, nothing else (hub_public.h). The text is
 * cmark-gfm's safe rendering (hub_render.h); the model carries it as
 * "html" and the Markdown as "markdown". The diff is hub_diff_json()'s
 * line and word script between ?from= and ?to= (default: the newest
 * published version and the one before it). */
#include <stdlib.h>
#include <string.h>

#include "hub/hub_diff.h"
#include "hub/hub_outline.h"
#include "hub/hub_public.h"
#include "hub/hub_render.h"
#include "web/hub/web_hub.h"
#include "web/web_model.h"
#include "web/web_session.h"

/* ?name= as a version number 1..100000 into *out (0 when absent); false
 * after answering 400. */
static bool version_param(struct web_req *rq, const char *name, int *out, int *status)
{
    const char *s = web_query(rq, name);
    *out = 0;
    if (!s)
        return true;
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 100000 || s[0] == '+' || s[0] == ' ') {
        *status = web_bad_param(rq, name, "not a version number");
        return false;
    }
    *out = (int)v;
    return true;
}

/* The published versions of {id}; 404 when there are none. */
static int versions(struct web_req *rq, struct hub_version **v, size_t *n)
{
    struct store *st = web_store(rq);
    struct kn_error err = KN_ERROR_INIT;
    if (!st)
        return 500;
    int rc = hub_public_versions(st, web_param(rq, "id"), v, n, rq->arena, &err);
    if (rc == KN_ENOTFOUND)
        return web_not_found(rq, web_t(rq, "hub_doc_not_found"));
    return rc ? 500 : 0;
}

static const struct hub_version *find(const struct hub_version *v, size_t n, int version)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].version == version)
            return &v[i];
    return NULL;
}

/* The list of published versions, the one shown marked. */
static json_t *version_list(const struct web_req *rq, const struct hub_version *v, size_t n,
                            int shown)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++) {
        char day[11];
        date_format(v[i].published, day);
        json_t *o = json_pack("{s:i, s:s, s:s, s:b, s:b, s:b}", "version", v[i].version,
                              "published", day, "url",
                              arena_printf(rq->arena, "/documents/%s?version=%d", v[i].slug,
                                           v[i].version),
                              "shown", v[i].version == shown, "newest", i == 0, "previous",
                              i == 1);
        if (!o || json_array_append_new(arr, o) != 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

int web_hub_document(struct web_req *rq)
{
    struct hub_version *v;
    size_t n;
    int want, status = 0;
    if (!version_param(rq, "version", &want, &status))
        return status;
    if ((status = versions(rq, &v, &n)) != 0)
        return status;
    const struct hub_version *d = want ? find(v, n, want) : &v[0];
    if (!d)
        return web_not_found(rq, web_t(rq, "hub_version_not_found"));
    struct kn_error err = KN_ERROR_INIT;
    struct strbuf html = STRBUF_INIT;
    struct hub_outline o;
    size_t blen = strlen(d->body);
    if (hub_render_html(d->body, blen, &html, &err) != 0 ||
        hub_outline(d->body, blen, &o, rq->arena, &err) != 0) {
        sb_release(&html);
        return 500;
    }
    bool h1 = false;
    for (size_t i = 0; i < o.nheadings; i++)
        h1 |= o.headings[i].level == 1;
    rq->model = web_hub_doc_summary(rq, d);
    json_t *html_s = json_stringn(html.buf, html.len);
    sb_release(&html);
    if (!rq->model || !web_set(rq->model, "html", html_s) ||
        !web_sets(rq->model, "markdown", d->body) || !web_sets(rq->model, "owner", d->owner) ||
        !web_set(rq->model, "newest", json_boolean(d == &v[0])) ||
        !web_set(rq->model, "newest_version", json_integer(v[0].version)) ||
        !web_set(rq->model, "versions", version_list(rq, v, n, d->version)))
        return 500;
    if (web_hub_doc_links(rq, rq->model, d) != 0)
        return 500;
    if (!rq->api) { /* the page: its h1, and the diff form's defaults */
        if (!web_set(rq->model, "has_h1", json_boolean(h1)) ||
            !web_set(rq->model, "diff_from", json_integer(n > 1 ? v[1].version : 0)) ||
            !web_set(rq->model, "diff_to", json_integer(v[0].version)) ||
            !web_set(rq->model, "has_diff", json_boolean(n > 1)) ||
            !web_sets(rq->model, "heading", d->title))
            return 500;
    }
    return 200;
}

/* Mark each line and word of a diff model with is_same/is_del/is_add, for
 * the template (which has no comparisons). */
static bool mark_ops(json_t *arr)
{
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *x = json_array_get(arr, i);
        const char *op = json_string_value(json_object_get(x, "op"));
        if (!op || !web_set(x, "is_same", json_boolean(!strcmp(op, "same"))) ||
            !web_set(x, "is_del", json_boolean(!strcmp(op, "del"))) ||
            !web_set(x, "is_add", json_boolean(!strcmp(op, "add"))))
            return false;
        json_t *w = json_object_get(x, "words");
        if (w && !mark_ops(w))
            return false;
    }
    return true;
}

int web_hub_document_diff(struct web_req *rq)
{
    struct hub_version *v;
    size_t n;
    int from, to, status = 0;
    if (!version_param(rq, "from", &from, &status) || !version_param(rq, "to", &to, &status))
        return status;
    if ((status = versions(rq, &v, &n)) != 0)
        return status;
    if (!to)
        to = v[0].version;
    if (!from)
        from = n > 1 ? v[1].version : v[0].version;
    const struct hub_version *a = find(v, n, from), *b = find(v, n, to);
    if (!a || !b)
        return web_not_found(rq, web_t(rq, "hub_version_not_found"));
    json_t *diff = NULL;
    struct kn_error err = KN_ERROR_INIT;
    if (hub_diff_json(a->body, strlen(a->body), b->body, strlen(b->body), 3, &diff, &err) != 0)
        return 500;
    rq->model = json_pack("{s:s, s:s, s:s, s:i, s:i, s:o, s:b}", "id", b->slug, "title",
                          v[0].title, "url", arena_printf(rq->arena, "/documents/%s", b->slug),
                          "from", from, "to", to, "diff", diff, "same", from == to);
    if (!rq->model || !web_set(rq->model, "versions", version_list(rq, v, n, to)) ||
        !web_sets(rq->model, "heading", v[0].title))
        return 500;
    json_t *hunks = json_object_get(diff, "hunks");
    for (size_t i = 0; i < json_array_size(hunks); i++)
        if (!mark_ops(json_object_get(json_array_get(hunks, i), "lines")))
            return 500;
    return 200;
}
