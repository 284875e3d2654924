/* src/web/web_static.c: embedded static assets and their handler. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/embed.h"
#include "base/hash.h"
#include "web/web_pages.h"
#include "web/web_openapi.h"
#include "web/web_static.h"

struct web_static {
    struct web_asset *v;
    size_t n;
    char *openapi; /* the merged API description (web_openapi.h), JSON */
    size_t openapi_len;
};

void web_etag(const void *data, size_t len, char buf[24])
{
    snprintf(buf, 24, "\"%016llx\"", (unsigned long long)kn_fnv1a(KN_FNV_SEED, data, len));
}

static const char *type_of(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".json", "application/json" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

int web_static_load(struct web_static **out, struct kn_error *err)
{
    struct web_static *s = calloc(1, sizeof *s);
    if (s)
        s->v = calloc(embed_count, sizeof *s->v);
    if (!s || !s->v) {
        free(s);
        return kn_fail(err, KN_ENOMEM, "out of memory");
    }
    for (unsigned i = 0; i < embed_count; i++) {
        const struct embed_file *f = &embed_files[i];
        if (strncmp(f->name, "static/", 7) != 0)
            continue;
        struct web_asset *a = &s->v[s->n++];
        a->name = f->name + 7;
        a->data = f->data;
        a->len = f->len;
        a->type = type_of(a->name);
        web_etag(f->data, f->len, a->etag);
    }
    json_t *doc = NULL;
    int rc = web_openapi_build(&doc, err);
    if (rc == 0) {
        s->openapi = json_dumps(doc, JSON_INDENT(1));
        json_decref(doc);
        if (!s->openapi)
            rc = kn_fail(err, KN_ENOMEM, "out of memory");
    }
    if (rc != 0) {
        web_static_free(s);
        return rc;
    }
    s->openapi_len = strlen(s->openapi);
    *out = s;
    return 0;
}

void web_static_free(struct web_static *s)
{
    if (!s)
        return;
    free(s->openapi);
    free(s->v);
    free(s);
}

const struct web_asset *web_static_find(const struct web_static *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i].name, name) == 0)
            return &s->v[i];
    return NULL;
}

int web_static_file(struct web_req *rq)
{
    const struct web_asset *a = web_static_find(rq->app->assets, web_param(rq, "file"));
    if (!a)
        return web_not_found(rq, "no such file");
    if (sb_add(&rq->body, a->data, a->len) != 0)
        return 500;
    rq->content_type = a->type;
    rq->cache_control = "public, max-age=3600";
    return 200;
}

int web_api_openapi(struct web_req *rq)
{
    const struct web_static *s = rq->app->assets;
    if (sb_add(&rq->body, s->openapi, s->openapi_len) != 0)
        return 500;
    rq->content_type = "application/json";
    rq->cache_control = "public, max-age=3600";
    return 200;
}
