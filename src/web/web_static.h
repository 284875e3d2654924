/* src/web/web_static.h: the portal's static assets (web/static/NAME), embedded.
 *
 * Each asset gets a strong ETag (a hash of its bytes, computed once at
 * start) and a content type from its extension; GET /static/NAME answers
 * it with Cache-Control, and 304 when If-None-Match has the ETag (the
 * server checks that for every answer). Read-only after load.
 */
#ifndef KNOD_WEB_WEB_STATIC_H
#define KNOD_WEB_WEB_STATIC_H

#include <stddef.h>

#include "base/error.h"

struct web_asset {
    const char *name;  /* "knod.css" */
    const unsigned char *data;
    size_t len;
    const char *type;  /* "text/css; charset=utf-8" */
    char etag[24];     /* "\"0123456789abcdef\"" */
};

struct web_static;

int web_static_load(struct web_static **out, struct kn_error *err);
void web_static_free(struct web_static *s);

/* The asset called name (without "static/"), or NULL. */
const struct web_asset *web_static_find(const struct web_static *s, const char *name);

/* The strong ETag of len bytes: a quoted hex hash, into buf. */
void web_etag(const void *data, size_t len, char buf[24]);

#endif /* KNOD_WEB_WEB_STATIC_H */
