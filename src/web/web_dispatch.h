/* src/web/web_dispatch.h: from a parsed request to a complete answer.
 *
 * web_dispatch() is everything the portal does with a request except the
 * socket work (web_server.c): the language, the route (404, 405), access
 * (web_route_allows), the results view (503 until the first computation
 * completes), the handler, and then ONE of: the model as JSON (under
 * /api/ or for a route without a template), the model rendered through
 * the route's template inside the layout's context (the message table
 * "t", the language switch), a raw body, or an error page (HTML, or JSON
 * under /api/: {"error": {"status", "message", "parameter"}}). 200
 * answers get a strong ETag of their bytes; a matching If-None-Match
 * turns them into 304 without a body. Answers that read the results are
 * kept per results generation in app->cache (web_cache.h) and served from
 * there while the generation lasts. Security headers are the server's
 * (web_server.c), the same on every answer.
 */
#ifndef KNOD_WEB_WEB_DISPATCH_H
#define KNOD_WEB_WEB_DISPATCH_H

#include <stdbool.h>

#include "base/strbuf.h"
#include "web/web_req.h"

struct web_answer {
    int status;
    struct strbuf body;
    const char *content_type;
    const char *cache_control;
    char etag[24];          /* "" if none */
    char allow[64];         /* 405 */
    const char *set_cookie; /* the lang cookie after ?lang= */
    const char *cookies[WEB_MAX_COOKIES]; /* more Set-Cookie values (sessions) */
    size_t ncookies;
    const char *location;   /* 303: Location */
    const char *disposition; /* Content-Disposition */
    bool vary;              /* the answer depends on Accept-Language / Cookie */
    int retry_after;        /* 503: seconds, 0 none */
    bool cors;              /* Access-Control-Allow-Origin: * (API GETs) */
    struct web_cached *shared; /* a 200 from the cache (web_cache.h): its
                                  bytes instead of body, with a reference
                                  the caller gives back (web_cache_unref) */
};

/* Answer rq (its arena, method, path, query, headers filled by the
 * caller). if_none_match may be NULL. ans->body is the caller's to
 * release. */
void web_dispatch(const struct web_app *app, struct web_req *rq, const char *if_none_match,
                  struct web_answer *ans);

/* An error page (or JSON under /api/) for a request refused before it is
 * complete (an upload beyond its limit): status, the message of key in
 * the request's language and detail after it (may be NULL). rq needs its
 * arena, path, method and language headers. */
void web_dispatch_refuse(const struct web_app *app, struct web_req *rq, int status,
                         const char *key, const char *detail, struct web_answer *ans);

/* Percent-encode len bytes of s for a URL query value into out. */
int web_url_encode(struct strbuf *out, const char *s, size_t len);

#endif /* KNOD_WEB_WEB_DISPATCH_H */
