/* src/web/hub/web_doc_export.c: a document as a standalone HTML page and as a
 * package for 1177 (web_doc_export.h). */
#include "web/hub/web_doc_export.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/date.h"
#include "base/outfile.h"
#include "hub/hub_lint.h"
#include "hub/hub_outline.h"
#include "hub/hub_render.h"
#include "web/web_tmpl.h"

static int write_file(const char *path, const char *data, size_t len, struct kn_error *err)
{
    struct outfile o = OUTFILE_INIT;
    if (outfile_open(&o, path, 0, err) != 0)
        return err->code;
    if (outfile_write(&o, data, len, err) != 0) {
        outfile_abort(&o);
        return err->code;
    }
    return outfile_commit(&o, err);
}

static bool has_h1(const struct hub_outline *o)
{
    for (size_t i = 0; i < o->nheadings; i++)
        if (o->headings[i].level == 1)
            return true;
    return false;
}

/* The page model and its rendering through template name into out. */
static int render(const struct hub_version *v, const char *name, const struct hub_outline *o,
                  struct strbuf *out, struct kn_error *err)
{
    struct strbuf html = STRBUF_INIT;
    struct web_tmpl_set *ts = NULL;
    char day[11] = "";
    int rc = hub_render_html(v->body, strlen(v->body), &html, err);
    if (rc == 0)
        rc = web_tmpl_load_embedded(&ts, err);
    if (rc == 0) {
        json_t *m = json_object();
        if (v->published)
            date_format(v->published, day);
        json_object_set_new(m, "id", json_string(v->slug));
        json_object_set_new(m, "title", json_string(v->title));
        json_object_set_new(m, "summary", json_string(v->summary));
        json_object_set_new(m, "owner", json_string(v->owner));
        json_object_set_new(m, "language", json_string(v->language));
        json_object_set_new(m, "sv", json_boolean(strcmp(v->language, "sv") == 0));
        json_object_set_new(m, "version", json_integer(v->version));
        json_object_set_new(m, "state", json_string(v->published ? "published" : v->state));
        json_object_set_new(m, "published", v->published ? json_string(day) : json_null());
        json_object_set_new(m, "public", json_boolean(hub_lint_public(v->audience)));
        json_object_set_new(m, "has_h1", json_boolean(has_h1(o)));
        json_object_set_new(m, "html", json_stringn(html.buf, html.len));
        const json_t *ctx[] = {m};
        rc = web_tmpl_render(ts, name, ctx, 1, out, err);
        json_decref(m);
    }
    web_tmpl_set_free(ts);
    sb_release(&html);
    return rc;
}

int web_doc_export_html(const struct hub_version *v, const char *dir, struct strbuf *path,
                        struct kn_error *err)
{
    struct arena a;
    struct hub_outline o;
    struct strbuf page = STRBUF_INIT;
    arena_init(&a);
    size_t start = path->len;
    int rc = hub_outline(v->body, strlen(v->body), &o, &a, err);
    if (rc == 0)
        rc = render(v, "doc_export", &o, &page, err);
    if (rc == 0 && sb_addf(path, "%s/%s.html", dir, v->slug) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0)
        rc = write_file(path->buf + start, page.buf, page.len, err);
    sb_release(&page);
    arena_release(&a);
    return rc;
}

static bool link_ok(const char *url)
{
    static const char *const ok[] = {"https://", "http://", "mailto:", "tel:"};
    if (url[0] == '#')
        return url[1] != '\0';
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strncasecmp(url, ok[i], strlen(ok[i])) == 0)
            return url[strlen(ok[i])] != '\0';
    return false;
}

static int check_outline(const struct hub_outline *o, struct kn_error *err)
{
    int prev = has_h1(o) ? 0 : 1; /* without an h1 in the text, the title is one */
    for (size_t i = 0; i < o->nheadings; i++) {
        const struct hub_heading *h = &o->headings[i];
        if (h->level > prev + 1)
            return kn_fail(err, KN_EINPUT,
                           "line %d: the heading '%.60s' is h%d after h%d; heading levels "
                           "may not skip",
                           h->line, h->text, h->level, prev);
        prev = h->level;
    }
    for (size_t i = 0; i < o->nlinks; i++) {
        const struct hub_link *l = &o->links[i];
        if (l->image && strspn(l->text, " \t\n") == strlen(l->text))
            return kn_fail(err, KN_EINPUT, "line %d: the image '%.60s' has no alt text",
                           l->line, l->url);
        if (!l->image && !link_ok(l->url))
            return kn_fail(err, KN_EINPUT,
                           "line %d: the link '%.60s' does not lead to a public page (use "
                           "https:, http:, mailto:, tel: or a #anchor)",
                           l->line, l->url);
    }
    return 0;
}

int web_doc_check_1177(const char *markdown, struct kn_error *err)
{
    struct arena a;
    struct hub_outline o;
    arena_init(&a);
    int rc = hub_outline(markdown, strlen(markdown), &o, &a, err);
    if (rc == 0)
        rc = check_outline(&o, err);
    arena_release(&a);
    return rc;
}

static json_t *manifest(const struct hub_version *v, const struct hub_outline *o)
{
    char day[11];
    json_t *m = json_object(), *imgs = json_array(), *links = json_array();
    date_format(v->published, day);
    json_object_set_new(m, "format", json_string("knod-1177/1"));
    json_object_set_new(m, "id", json_string(v->slug));
    json_object_set_new(m, "version", json_integer(v->version));
    json_object_set_new(m, "title", json_string(v->title));
    json_object_set_new(m, "summary", json_string(v->summary));
    json_object_set_new(m, "language", json_string(v->language));
    json_object_set_new(m, "audience", json_string(v->audience));
    json_object_set_new(m, "published", json_string(day));
    json_object_set_new(m, "owner", json_string(v->owner));
    json_t *files = json_array();
    json_array_append_new(files, json_string("index.html"));
    json_object_set_new(m, "files", files);
    for (size_t i = 0; i < o->nlinks; i++) {
        if (o->links[i].image) {
            json_t *x = json_object();
            json_object_set_new(x, "src", json_string(o->links[i].url));
            json_object_set_new(x, "alt", json_string(o->links[i].text));
            json_array_append_new(imgs, x);
        } else {
            json_array_append_new(links, json_string(o->links[i].url));
        }
    }
    json_object_set_new(m, "images", imgs);
    json_object_set_new(m, "links", links);
    return m;
}

int web_doc_export_1177(const struct hub_version *v, const char *dir, struct strbuf *path,
                        struct kn_error *err)
{
    struct arena a;
    struct hub_outline o;
    struct strbuf page = STRBUF_INIT, file = STRBUF_INIT;
    char *json = NULL;
    bool made = false, wrote_index = false;
    size_t start = path->len;
    if (!v->published)
        return kn_fail(err, KN_EINPUT,
                       "'%s' version %d is not published; only a published version goes "
                       "to 1177",
                       v->slug, v->version);
    if (!hub_lint_public(v->audience))
        return kn_fail(err, KN_EINPUT,
                       "'%s' is not for the public (audience %s); 1177 gets public "
                       "documents only",
                       v->slug, v->audience);
    arena_init(&a);
    int rc = hub_outline(v->body, strlen(v->body), &o, &a, err);
    if (rc == 0 && check_outline(&o, err) != 0)
        rc = kn_error_prefix(err, "'%s' cannot go to 1177: ", v->slug);
    if (rc == 0)
        rc = render(v, "doc_1177", &o, &page, err);
    if (rc == 0) {
        json_t *m = manifest(v, &o);
        json = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(m);
        if (!json)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (rc == 0 && sb_addf(path, "%s/%s-1177", dir, v->slug) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0) {
        if (mkdir(path->buf + start, 0755) != 0)
            rc = kn_fail(err, errno == EEXIST ? KN_EEXIST : KN_EIO,
                         "cannot make the folder '%s': %s", path->buf + start,
                         strerror(errno));
        else
            made = true;
    }
    if (rc == 0 && sb_addf(&file, "%s/index.html", path->buf + start) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0)
        rc = write_file(file.buf, page.buf, page.len, err);
    wrote_index = rc == 0;
    sb_reset(&file);
    if (rc == 0 && sb_addf(&file, "%s/manifest.json", path->buf + start) != 0)
        rc = kn_fail(err, KN_ENOMEM, "out of memory");
    if (rc == 0)
        rc = write_file(file.buf, json, strlen(json), err);
    if (rc != 0 && made) {
        /* Nothing half-written: the package is whole or absent. */
        sb_reset(&file);
        if (wrote_index && sb_addf(&file, "%s/index.html", path->buf + start) == 0)
            unlink(file.buf);
        rmdir(path->buf + start);
    }
    free(json);
    sb_release(&page);
    sb_release(&file);
    arena_release(&a);
    return rc;
}
